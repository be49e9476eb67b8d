#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# tty_drive.py [STEP...] -- CMD...: runs CMD on a new pty as its
# controlling terminal, as a user at a terminal would, and plays STEPs:
#   size=R,C     the terminal's window size (before CMD when first; later a
#                resize, which the kernel signals to CMD with SIGWINCH)
#   expect=RE    wait (20 s at most) until the output matches RE
#   send=TEXT    type TEXT (Python escapes: \r, \x03 ...)
#   mode         note whether the terminal is raw (no ICANON, no ECHO)
#   kill=SIG     send SIG (a name: TERM) to CMD
# Then waits for CMD (30 s, then KILL) and prints its output (no CRs), the
# notes, "rc=N", and "termios: same" or "changed" (before CMD, after it).
import fcntl, os, re, select, signal, struct, sys, termios, time

i = sys.argv.index("--")
steps, cmd = sys.argv[1:i], sys.argv[i + 1:]
master, slave = os.openpty()
notes, out, pos = [], b"", 0


def size(v):
    r, c = map(int, v.split(","))
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))


def pump(t):
    global out
    r, _, _ = select.select([master], [], [], t)
    if r:
        try:
            out += os.read(master, 4096)
        except OSError:
            pass


if steps and steps[0].startswith("size="):
    size(steps.pop(0)[5:])
before = termios.tcgetattr(slave)
notes.append("outer_dev=%d" % os.fstat(slave).st_dev)
pid = os.fork()
if pid == 0:
    os.setsid()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for fd in 0, 1, 2:
        os.dup2(slave, fd)
    os.execvp(cmd[0], cmd)
for step in steps:
    k, _, v = step.partition("=")
    if k == "size":
        size(v)
    elif k == "send":
        os.write(master, v.encode().decode("unicode_escape").encode("latin-1"))
    elif k == "kill":
        os.kill(pid, signal.Signals["SIG" + v])
    elif k == "mode":
        lflag = termios.tcgetattr(slave)[3]
        notes.append("mode: " + ("cooked" if lflag & (termios.ICANON | termios.ECHO) else "raw"))
    elif k == "expect":
        deadline = time.time() + 20
        while not (m := re.compile(v.encode()).search(out, pos)) and time.time() < deadline:
            pump(0.05)
        if m:
            pos = m.end()
        else:
            notes.append("TIMEOUT expect " + v)
deadline = time.time() + 30
while (st := os.waitpid(pid, os.WNOHANG))[0] == 0:
    if time.time() > deadline:
        os.kill(pid, signal.SIGKILL)
        notes.append("KILLED")
    pump(0.05)
pump(0.2)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print()
print("\n".join(notes))
print("rc=%d" % os.waitstatus_to_exitcode(st[1]))
print("termios: " + ("same" if termios.tcgetattr(slave) == before else "changed"))

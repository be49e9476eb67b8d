#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# console.py SOCK [--rows R --cols C] [--send TEXT] [--send-after TEXT] -- CMD...
# The --console-socket taker, as conmon is: listens on SOCK, runs CMD (which
# is given SOCK), receives the pty master over SCM_RIGHTS, optionally sets
# its window size and types TEXT (after the first output with
# --send-after), and prints everything read from it, then "rc=N" of CMD.
import array, fcntl, os, select, socket, struct, subprocess, sys, termios, time

args = sys.argv[1:]
sock_path = args.pop(0)
rows = cols = None
send = after = None
while args[0] != "--":
    opt = args.pop(0)
    if opt == "--rows": rows = int(args.pop(0))
    elif opt == "--cols": cols = int(args.pop(0))
    elif opt == "--send": send = args.pop(0).encode().decode("unicode_escape")
    elif opt == "--send-after": after = args.pop(0).encode().decode("unicode_escape")
args.pop(0)
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(1)
srv.settimeout(20)
proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
try:
    conn, _ = srv.accept()
except socket.timeout:
    proc.wait()
    print("no connection; rc=%d" % proc.returncode)
    sys.exit(1)
fds = array.array("i")
msg, anc, _, _ = conn.recvmsg(64, socket.CMSG_LEN(fds.itemsize))
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[:fds.itemsize])
master = fds[0]
if rows:
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
if send:
    os.write(master, send.encode())
out = b""
deadline = time.time() + 20
while time.time() < deadline:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if after and out:
            os.write(master, after.encode())
            after = None
    elif proc.poll() is not None and not r:
        break
proc.wait()
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
print("rc=%d" % proc.returncode)

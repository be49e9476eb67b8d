#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# pty_run.py CMD...: runs CMD on a new pty (its controlling terminal, as a
# user at a terminal would), prints what it wrote there (no CRs) and exits
# with its code. Nothing is typed: unlike script(1), no EOF on stdin races it.
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(st))

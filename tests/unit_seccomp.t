#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the unit tests of the seccomp profile compiler (they print TAP):
# parser errors with FILE:LINE, OCI JSON import, and the compiled programs
# run in a BPF interpreter. From the top of the tree: it reads policy/.
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-seccomp" ] || skip_all "build/out/test-seccomp not built (make check builds it)"
cd "$TOP" && exec "$OUT/test-seccomp"

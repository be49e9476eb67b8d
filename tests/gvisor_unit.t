#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the C unit tests of the gVisor flags (they print TAP themselves).
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-gvisor" ] || skip_all "build/out/test-gvisor not built (make check builds it)"
exec "$OUT/test-gvisor"

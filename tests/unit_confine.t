#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the C unit tests of the confinement flags (they print TAP themselves).
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-confine" ] || skip_all "build/out/test-confine not built (make check builds it)"
exec "$OUT/test-confine"

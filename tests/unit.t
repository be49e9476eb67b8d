#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the C unit tests of the pure parts (they print TAP themselves).
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-args" ] || skip_all "build/out/test-args not built (make check builds it)"
exec "$OUT/test-args"

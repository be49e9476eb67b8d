#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the C unit tests of the resource flags (they print TAP themselves).
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-res" ] || skip_all "build/out/test-res not built (make check builds it)"
exec "$OUT/test-res"

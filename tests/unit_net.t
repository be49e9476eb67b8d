#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the unit tests of the network flags (they print TAP): --net modes and
# their cross-flag rules, port and CIDR parsing, and the exact nft ruleset and
# pasta port specs built from them.
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-net" ] || skip_all "build/out/test-net not built (make check builds it)"
exec "$OUT/test-net"

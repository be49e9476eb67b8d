#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the unit tests of the plan (they print TAP): the runtime chosen, every
# rule between flags with its exact message, and the rows marked OPT_MONITOR
# and OPT_NATIVE refused or dropped wherever the plan says.
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-plan" ] || skip_all "build/out/test-plan not built (make check builds it)"
exec "$OUT/test-plan"

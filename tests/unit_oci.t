#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the unit tests of the OCI front-end (they print TAP): config.json texts
# to the exact argv of nucleus flags, which nucleus's parser then accepts,
# and the refusals of bad bundles; the strict JSON reader beneath it.
. "$(dirname "$0")/lib/tap.sh"
[ -x "$OUT/test-oci" ] || skip_all "build/out/test-oci not built (make check builds it)"
exec "$OUT/test-oci"

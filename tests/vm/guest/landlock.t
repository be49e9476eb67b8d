#!/bin/bash
# SPDX-License-Identifier: MIT
# In the VM: the kernel-version matrix for Landlock. The guest's 6.1 kernel
# has ABI 2 (the host's has 7), so asking for ABI 3 (truncate rights) must
# fail closed in production mode (125, a line naming Landlock) and degrade
# in agent mode (runs, and says what it could not enforce). The control run
# asks for ABI 2, which this kernel has, in production mode.
. "$(dirname "$0")/lib.sh"
need_root
[ "${NUCLEUS_VM:-}" = 1 ] || skip_all "runs in the VM only (make vm-check)" unsupported
has_flag landlock-min-abi ||
	skip_all "nucleus has no --landlock-min-abi yet (Landlock is still landing)" unsupported

run "$PROBE" raw 444 0 0 1
is "$out" 2 "this kernel's Landlock ABI is 2"
todo_if_known_broken

run "$NUCLEUS" --mode production --landlock-min-abi 3 -- "$PROBE" exit 0
is "$rc" 125 "production, min ABI 3 on an ABI 2 kernel: refused with 125"
like "$err" '^nucleus: .*[Ll]andlock' "... with one line naming Landlock ($err)"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "... and only that line"

run "$NUCLEUS" --mode agent --landlock-min-abi 3 -- "$PROBE" exit 0
is "$rc" 0 "agent, min ABI 3 on an ABI 2 kernel: the command runs"
like "$err" '[Ll]andlock' "... and nucleus reports the degradation ($err)"

# The default minimum is 3: production refuses this kernel unless told.
run "$NUCLEUS" --mode production -- "$PROBE" exit 0
is "$rc" 125 "production with the default minimum ABI (3): refused with 125"
run "$NUCLEUS" -- "$PROBE" exit 0
is "$rc" 0 "agent (the default mode) runs on this kernel"
like "$err" '^nucleus: landlock: kernel Landlock ABI is 2, below the minimum 3' \
	"... and says on stderr that Landlock is below the default minimum"

run "$NUCLEUS" --mode production --landlock-min-abi 2 -- "$PROBE" exit 0
is "$rc" 0 "control: production with min ABI 2 runs on this kernel"
done_testing

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --seccomp-trace FILE records the syscalls of every process of the
# sandbox, denies none, and `nucleus-policy generate FILE` turns that into
# a profile under which the same run works and anything else answers ENOSYS.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
GEN=$OUT/nucleus-policy

# This test's own tracers: forks of a nucleus whose command line names a
# file in $tmp (a second test suite beside this one traces too).
tracers() {
	local p
	for p in $(pgrep -x nucleus-trace); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "$tmp/" && echo "$p"
	done | wc -l
}
before=$(tracers)
# A child of the workload makes a call its parent never does.
run "$NUCLEUS" --seccomp-trace "$tmp/t1" -- /bin/sh -c "$PROBE socket unix stream"
is "$rc:$out" "0:ok" "tracing: the workload runs, nothing denied"
ok "the trace holds syscall numbers" grep -qE '^[0-9]+$' "$tmp/t1"
run "$GEN" generate "$tmp/t1"
like "$out" 'allow .*\bsocket\b' "a grandchild's socket() is in it: every process is traced"
like "$out" 'allow .*\bexecveat\b' "... and init's own calls"
is "$(sort "$tmp/t1" | uniq -d)" "" "each number once"
is "$(tracers)" "$before" "no tracer left behind"

# The generated profile: the traced run works, a new call answers ENOSYS.
run "$NUCLEUS" --seccomp-trace "$tmp/t2" -- "$PROBE" getpid
"$GEN" generate "$tmp/t2" >"$tmp/p2.policy"
run "$NUCLEUS" --seccomp-profile "$tmp/p2.policy" -- "$PROBE" getpid
is "$rc:$out" "0:2" "under the generated profile the traced run works"
run "$NUCLEUS" --seccomp-profile "$tmp/p2.policy" -- "$PROBE" socket unix stream
is "$out" ENOSYS "a call the trace never saw answers ENOSYS"
run "$NUCLEUS" -- "$PROBE" socket unix stream
is "$out" ok "control: the default profile allows it"

mkdir -m 0777 "$tmp/rl"
run "${NOBODY[@]}" "$NUCLEUS" --seccomp-trace "$tmp/rl/t" -- "$PROBE" exit 4
is "$rc" 4 "rootless tracing works, the exit code passes through"
ok "... and records" test -s "$tmp/rl/t"
run "$NUCLEUS" --mode production --seccomp-trace "$tmp/t3" -- /bin/true
is "$rc" 125 "production refuses to trace instead of filtering"
run "$NUCLEUS" --seccomp-trace "$tmp/t4" --seccomp-profile strict -- /bin/true
is "$rc" 125 "a trace and a profile at once: 125"
run "$NUCLEUS" --seccomp-trace /nonexistent/dir/t -- /bin/true
is "$rc" 125 "an unwritable trace file: 125"
done_testing

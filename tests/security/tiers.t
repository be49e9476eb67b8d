#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The security suite's attacks in the degraded tiers (README: degradation
# tiers), made to happen for real: no namespaces at all (a seccomp filter
# refusing them around nucleus, as a container runtime's profile does, or a
# root without CAP_SYS_ADMIN) gives confine-only, a refused user namespace
# gives no-userns. What the tier keeps must still hold: no fd of the caller,
# no capability, no_new_privs, init and the monitor out of reach (exe,
# ptrace), no cwd through a magic link, the seccomp filter's arch check,
# clone3 and io_uring answers; and where no pid namespace separates the
# workload from the caller's other processes, Landlock's scoping keeps
# ptrace and signals inside (rootless: the same uid on both sides; control:
# --no-landlock).
. "$(dirname "$0")/lib.sh"

DENY=$OUT/denyns
SYSABI=$OUT/sysabi
[ -x "$DENY" ] || skip_all "build/out/denyns missing"
"$NUCLEUS_BIN" --help | grep -q -- --min-tier || skip_all "no degradation tiers in this nucleus"

zero='CapInh=0+ CapPrm=0+ CapEff=0+ CapBnd=[0-9a-f]+ CapAmb=0+'
# No pid namespace: init is the workload's parent, the monitor init's.
exe_nopidns='i=$PPID; m=$(cut -d" " -f4 /proc/$i/stat)
for a in "read /proc/$i/exe" "open-exe-w /proc/$i/exe" "ptrace-attach $i" "read /proc/$m/exe" "ptrace-attach $m"; do "$0" $a; done'
exe_pidns='for a in "read /proc/1/exe" "open-exe-w /proc/1/exe" "ptrace-attach 1"; do "$0" $a; done'

# attacks TIER WHO PREFIX...: NFLAGS are nucleus's own extra flags.
attacks() {
	local tier=$1 who=$2 script=$exe_nopidns want="EACCES EACCES EPERM EACCES EPERM"
	shift 2
	if [ "$tier" != confine-only ]; then
		script=$exe_pidns
		want="EACCES EACCES EPERM"
	fi
	run "$@" "$NUCLEUS" "${NFLAGS[@]}" -- "$PROBE" seq fds -- nnp -- caps 5</ 6<"$tmp"
	like "$err" "tier $tier" "$tier, $who: the tier is said on stderr"
	like "$(echo $out)" "^0 1 2 1 $zero$" "$tier, $who: fds 0-2 only, no_new_privs, no capability"
	run "$@" "$NUCLEUS" "${NFLAGS[@]}" -- /bin/sh -c "$script" "$PROBE"
	is "$(echo $out)" "$want" "$tier, $who: init's (and the monitor's) exe unreadable, beyond ptrace"
	leaked=
	for n in $(seq 3 16); do
		run "$@" "$NUCLEUS" "${NFLAGS[@]}" --no-landlock --chdir //proc/self/fd/$n -- "$PROBE" cwd
		[ "$rc" = 125 ] || leaked="$leaked $n:$out"
	done
	is "$leaked" "" "$tier, $who: --chdir //proc/self/fd/N (N 3-16): always 125"
	run "$@" "$NUCLEUS" "${NFLAGS[@]}" -- "$SYSABI" int80
	is "$rc" 159 "$tier, $who: i386 int 0x80 killed"
	run "$@" "$NUCLEUS" "${NFLAGS[@]}" -- "$PROBE" io-uring
	is "$out" EPERM "$tier, $who: io_uring refused"
	run "$@" "$NUCLEUS" "${NFLAGS[@]}" -- "$PROBE" clone3
	is "$out" ENOSYS "$tier, $who: clone3 ENOSYS"
}

NFLAGS=()
attacks confine-only root "$DENY" all
attacks confine-only nobody "$DENY" all "${NOBODY[@]}"
attacks confine-only root setpriv --bounding-set -sys_admin --inh-caps -sys_admin --
NFLAGS=(--userns)
attacks no-userns root "$DENY" user

# Same uid, no pid namespace between them: a process of nobody outside
# the sandbox. Landlock's scopes (ABI 6) keep ptrace and signals inside.
"${NOBODY[@]}" "$PROBE" sleep 30 >/dev/null &
host=$!
wait_for 10 test "$(readlink "/proc/$host/exe")" = "$PROBE"
for a in "ptrace-attach $host" "kill $host 0"; do
	run "$DENY" all "${NOBODY[@]}" "$NUCLEUS" --no-landlock -- "$PROBE" $a
	is "$out" ok "confine-only, nobody: control: without Landlock, $a of the caller's process works"
	run "$DENY" all "${NOBODY[@]}" "$NUCLEUS" -- "$PROBE" $a
	is "$out" EPERM "confine-only, nobody: $a of the caller's process: EPERM (Landlock scope)"
done
kill $host
wait $host 2>/dev/null
done_testing

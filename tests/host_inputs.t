#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Host files nucleus reads or writes (issue 14 item 4): a FIFO, a directory
# or a device named where a file is read (--env-file, --copy, --secret,
# --seccomp-profile, --seccomp-bpf, --init, --context) must never hang
# nucleus, whose signals are blocked while it sets up: exit 125 at once, one
# line naming the flag and the path, no cgroup left. A sink (--audit,
# --stats, --report, --seccomp-trace) that is a FIFO with no reader is
# refused the same way (ENXIO); with a reader it works, a log pipeline.
# Each run is waited on with a deadline, and SIGKILLed if it hangs.
. "$(dirname "$0")/lib/tap.sh"
need_root

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
tag=hin$$
mkfifo -m 666 "$tmp/fifo"
mkdir -m 755 "$tmp/ctx"
mkfifo -m 666 "$tmp/ctx/pipe"
echo data >"$tmp/ctx/file"
chmod 644 "$tmp/ctx/file"

# Every nucleus cgroup directory of this test ($tag in its name).
ours() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "nucleus-*$tag*" 2>/dev/null
}

# bounded WHO SECS CMD...: like run, but the command is SIGKILLed after
# SECS seconds (rc 137 then) and its run time is in $ms.
bounded() {
	local who=$1 secs=$2 t0 pid
	shift 2
	t0=${EPOCHREALTIME/[.,]/}
	if [ "$who" = nobody ]; then
		"${NOBODY[@]}" "$@" >"$tmp/out" 2>"$tmp/err" &
	else
		"$@" >"$tmp/out" 2>"$tmp/err" &
	fi
	pid=$!
	for _ in $(seq $((secs * 100))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# refused WHO WHAT ERE FLAGS...: 125 within the deadline, one stderr line
# matching ERE, nothing left behind.
refused() {
	local who=$1 what=$2 ere=$3 n
	shift 3
	n=$((n_case += 1))
	bounded "$who" 10 "$NUCLEUS" --name "$tag-$n" "$@" -- /bin/true
	is "$rc" 125 "$who: $what: 125, no hang (${ms} ms)"
	like "$err" "$ere" "$who: $what: the reason"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "$who: $what: one line"
	is "$(ours)" "" "$who: $what: no cgroup left"
	ok "$who: $what: no --name entry left" test ! -e "/run/nucleus/$tag-$n"
}
n_case=0

F=$tmp/fifo
for who in root nobody; do
	refused $who "--env-file FIFO" "^nucleus: env: --env-file '$F': not a regular file$" \
		--env-file "$F"
	refused $who "--copy FIFO" "^nucleus: mount: --copy '$F': not a regular file$" \
		--copy "$F" /x
	refused $who "--secret FIFO" "^nucleus: mount: --secret '$F': not a regular file$" \
		--secret "$F:/run/secrets/x"
	refused $who "--seccomp-profile FIFO" "^nucleus: seccomp: --seccomp-profile: $F: not a regular file$" \
		--seccomp-profile "$F"
	refused $who "--seccomp-bpf FIFO" "^nucleus: seccomp: --seccomp-bpf '$F': not a regular file$" \
		--seccomp-bpf "$F"
	refused $who "--init FIFO" "^nucleus: init: --init '$F': not a regular file$" \
		--init "$F"
	refused $who "--context FIFO" "^nucleus: mount: --context '$F': Not a directory$" \
		--context "$F"
	refused $who "--context FIFO, copy mode" "^nucleus: mount: --context '$F': Not a directory$" \
		--context "$F" --context-mode copy
	# Sinks: a FIFO nobody reads is ENXIO at once, not a blocked open.
	refused $who "--audit FIFO, no reader" "^nucleus: .*--audit: cannot open '$F': No such device or address$" \
		--audit "$F"
	refused $who "--stats FIFO, no reader" "^nucleus: .*--stats: cannot open '$F': No such device or address$" \
		--stats "$F"
	refused $who "--seccomp-trace FIFO, no reader" "^nucleus: seccomp: --seccomp-trace '$F': No such device or address$" \
		--seccomp-trace "$F"
	refused $who "--report FIFO, no reader" "^nucleus: report: --report: No such device or address$" \
		--report "$F"
done

# The other non-regular kinds: a directory, a character device.
refused root "--env-file DIR" "--env-file '$tmp': not a regular file$" --env-file "$tmp"
refused root "--copy /dev/zero" "--copy '/dev/zero': not a regular file$" --copy /dev/zero /x
refused root "--init /dev/zero" "--init '/dev/zero': not a regular file$" --init /dev/zero
refused root "--seccomp-bpf /dev/zero" "--seccomp-bpf '/dev/zero': not a regular file$" \
	--seccomp-bpf /dev/zero
# Bounded: an --env-file over 1 MiB is refused, not read.
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$tmp/big.env"
refused root "--env-file over 1 MiB" "--env-file '$tmp/big.env': larger than 1048576 bytes$" \
	--env-file "$tmp/big.env"

# Controls: regular files work; a procfs file (st_size 0) is read whole.
printf 'K1=v1\n' >"$tmp/ok.env"
echo secret >"$tmp/s"
bounded root 10 "$NUCLEUS" --env-file "$tmp/ok.env" --copy "$tmp/ok.env" /x \
	--secret "$tmp/s:/run/secrets/s" -- /bin/sh -c 'echo $K1; cat /x /run/secrets/s'
is "$rc:$out" "0:v1
K1=v1
secret" "control: --env-file, --copy, --secret of regular files work"
bounded root 10 "$NUCLEUS" --clearenv --env-file /proc/self/environ -- /bin/true
is "$rc" 0 "control: a procfs --env-file (size 0 in stat) is read, not refused"
# --context copy mode leaves a FIFO inside the tree out, and never waits on it.
bounded root 10 "$NUCLEUS" --context "$tmp/ctx" --context-mode copy -- /bin/ls /context
is "$rc:$out" "0:file" "control: --context copy skips a FIFO in the tree"

# A sink FIFO with a reader: the records arrive (a log pipeline). The
# run waits until the reader holds the FIFO open (a run before that is
# ENXIO, rightly); a reader still blocked afterwards is let go.
has_open() { # PID FILE: PID holds FILE open
	local fd
	for fd in /proc/"$1"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}
cat "$F" >"$tmp/got" &
reader=$!
wait_for 10 has_open "$reader" "$F" || diag "the reader did not open $F"
bounded root 10 "$NUCLEUS" --stats "$F" -- /bin/true
[ "$rc" = 0 ] || timeout 1 sh -c ': >"$1"' _ "$F"
wait "$reader"
is "$rc" 0 "control: --stats to a FIFO with a reader works"
like "$(cat "$tmp/got")" '"exit_code"' "control: ... and the reader got the record"

done_testing

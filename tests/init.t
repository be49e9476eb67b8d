#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nucleus-init, part 1: the binary (static, size), its command line, the exit
# code contract (all 256 codes, 128+N, 125/126/127 told apart from the
# workload's own codes), and what the workload inherits: argv and environment
# byte for byte, PATH lookup, fds, cwd, LISTEN_PID. Each behaviour runs as a
# subreaper and as PID 1 of a pid namespace where that differs.

. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/init-helpers.sh"

I=$NUCLEUS_INIT
in_ns() { unshare -pf --mount-proc "$I" "$@"; }

# --- the binary -------------------------------------------------------------
# The budget is for the stripped binary (make install strips it).
stripped=$(mktemp)
strip -o "$stripped" "$I"
size=$(stat -c %s "$stripped")
rm -f "$stripped"
ok "stripped binary is at most 32 KiB ($size bytes)" [ "$size" -le 32768 ]
like "$(file -b "$I")" 'statically linked' "file(1) says statically linked"
nok "no ELF interpreter" sh -c "readelf -lW '$I' | grep -q INTERP"

# --- command line -----------------------------------------------------------
run "$I" --version
is "$rc" 0 "--version exits 0"
like "$out" '^nucleus-init [0-9][^ ]*$' \
	"--version: nucleus-init's own name and version, one line"
unlike "$out" 'tini' "--version does not claim to be tini"
run "$I" -V
is "$out" "$("$I" --version)" "-V is --version"
run "$I" --help
is "$rc" 0 "--help exits 0"
like "$(head -1 <<<"$out")" '^usage: nucleus-init \[' "--help starts with the usage line"
like "$out" ' -- CMD \[ARGS\.\.\.\]' "...which ends with -- CMD [ARGS...]"
# Every option in the help is in the man page, and the other way round.
man=$TOP/init/nucleus-init.8
help_opts=$(printf '%s\n' "$out" | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' |
	grep -oE -- '--[a-z-]+|-[a-zA-Z]' | sort -u)
man_opts=$(awk 'p {print} {p = /^\.TP/}' "$man" 2>/dev/null | sed 's/\\-/-/g' |
	grep -oE -- '--[a-z-]+|(^| )-[a-zA-Z]\b' | tr -d ' ' | sort -u)
is "$man_opts" "$help_opts" "the man page documents exactly the options of --help"
missing=
for v in $(grep -oE 'NUCLEUS_INIT_[A-Z_]+' "$TOP/init/args.c" | sort -u); do
	grep -q "$v" "$man" || missing="$missing $v"
done
is "$missing" "" "the man page documents every NUCLEUS_INIT_ variable"

run "$I"
is "$rc" 125 "no command: exit 125"
is "$err" "nucleus-init: missing command: usage: nucleus-init [OPTIONS] -- CMD [ARGS...]" \
	"no command: one line on stderr"
bad=
for args in "-t x" "-t -1" "-t 86401" "-t 1.2345" "-t ." "-e 256" "-e x" \
	"-p FOO" "-p 0" "-p 65" "-t 1 -t 2" "-g -g" "--poweroff --reboot" \
	"--bogus" "-Z" "--grace" "--pgroup=1" "--system" "--sigmask zz" \
	"--sigmask 11111111111111111" "--sigmask=" "--sigmask 1 --sigmask 2"; do
	# shellcheck disable=SC2086 # split on purpose
	run "$I" $args -- true
	[ "$rc" = 125 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] &&
		[[ $err == nucleus-init:* ]] || bad="$bad [$args: $rc $err]"
done
is "$bad" "" "bad options: exit 125 with one nucleus-init: line each"
# --sigmask: the workload's mask is the one given, not the one init got.
run "$I" --sigmask 4001 -- "$PROBE" status SigBlk
is "$out" 0000000000004001 "--sigmask 4001: the workload starts with HUP and TERM blocked"
run "$I" -- "$PROBE" status SigBlk
is "$out" 0000000000000000 "control: without it, the mask init got (none here)"
# NUCLEUS_INIT_SIGMASK, as nucleus passes it: the same, and out of the
# workload's environment (and of its ps: not in argv).
run env NUCLEUS_INIT_SIGMASK=4001 "$I" -- "$PROBE" status SigBlk
is "$out" 0000000000004001 "NUCLEUS_INIT_SIGMASK=4001 gives the workload that mask"
run env NUCLEUS_INIT_SIGMASK=4001 NUCLEUS_INIT_X=1 "$I" -- env
unlike "$out" 'NUCLEUS_INIT_SIGMASK' "...and is taken out of the workload's environment"
like "$out" 'NUCLEUS_INIT_X=1' "...while the rest of it passes (control)"
run env NUCLEUS_INIT_SIGMASK=zz "$I" -- true
like "$rc $err" '^125 nucleus-init: NUCLEUS_INIT_SIGMASK: ' "a bad NUCLEUS_INIT_SIGMASK: 125 naming it"
good=
for args in "-t 0" "-t 0.5" "-t 86400" "-e 0 -e 255" "-p TERM" "-p SIGKILL" \
	"-p 15" "-p RTMIN+3" "-p SIGRTMAX-2" "-vvv" "-gsv" "-t5" \
	"--grace=1" "--grace 1" "--remap-exit=3" "--pdeathsig=HUP" "--reboot"; do
	# shellcheck disable=SC2086
	run "$I" $args -- sh -c 'exit 42'
	[ "$rc" = 42 ] || good="$good [$args: $rc $err]"
done
is "$good" "" "good options run the command (control)"
bad=
for kv in NUCLEUS_INIT_GRACE=x NUCLEUS_INIT_PGROUP=2 NUCLEUS_INIT_VERBOSITY=9 \
	NUCLEUS_INIT_PDEATHSIG=NOPE NUCLEUS_INIT_REMAP_EXIT=1,x,2; do
	run env "$kv" "$I" -- true
	[ "$rc" = 125 ] && [[ $err == "nucleus-init: ${kv%%=*}: "* ]] || bad="$bad [$kv: $rc $err]"
done
is "$bad" "" "bad NUCLEUS_INIT_ variables: exit 125 naming the variable"

# Options stop at the command: what follows is the workload's, even -c/--.
run "$I" printf '%s|' -c -- -g
is "$out" "-c|--|-g|" "options stop at the first non-option (tini style)"
run "$I" -- printf '%s|' -t 1 --
is "$out" "-t|1|--|" "after --, everything is the workload's"

# --- exit codes -------------------------------------------------------------
# One shell runs the 256 workloads, so the loop stays fast.
codes_loop() { # RUNNER...: prints the codes that came back wrong
	local i r
	for ((i = 0; i < 256; i++)); do
		"$@" "$I" -- "$EXITWITH" "$i" 2>/dev/null
		r=$?
		[ "$r" = "$i" ] || printf '%s->%s ' "$i" "$r"
	done
}
is "$(codes_loop)" "" "all 256 exit codes pass through (subreaper)"
is "$(codes_loop unshare -pf)" "" "all 256 exit codes pass through (PID 1)"

sigs_loop() { # RUNNER...: death by signal N is 128+N
	local s r bad=
	for s in HUP INT QUIT ABRT KILL SEGV TERM USR1 USR2 PIPE ALRM RTMIN RTMIN+3 RTMAX; do
		n=$(kill -l "$s" 2>/dev/null || echo "${s/RTMIN+3/37}")
		"$@" "$I" -- perl -e '$SIG{$_} = "DEFAULT" for keys %SIG; kill $ARGV[0], $$; sleep 5' "$n" 2>/dev/null
		r=$?
		[ "$r" = $((128 + n)) ] || bad="$bad $s:$r"
	done
	echo "$bad"
}
is "$(sigs_loop)" "" "killed by signal N: exit 128+N, RT signals included (subreaper)"
is "$(sigs_loop unshare -pf --mount-proc)" "" "killed by signal N: exit 128+N (PID 1)"

# -e remaps the final code, signals included.
run "$I" -e 3 -- sh -c 'exit 3'
is "$rc" 0 "-e 3 maps exit 3 to 0"
run "$I" -e 3 -e 4 -- sh -c 'exit 4'
is "$rc" 0 "-e is repeatable"
run "$I" -e 3 -- sh -c 'exit 5'
is "$rc" 5 "-e 3 leaves exit 5 alone (control)"
run "$I" -e 143 -- sh -c 'kill -TERM $$'
is "$rc" 0 "-e 143 maps death by SIGTERM to 0"
run env NUCLEUS_INIT_REMAP_EXIT=7,9 "$I" -- sh -c 'exit 9'
is "$rc" 0 "NUCLEUS_INIT_REMAP_EXIT=7,9 maps 9 to 0"

# --- exec errors: 126 and 127, told apart from the workload's own 127 -------
printf 'data\n' >"$T/noexec"
chmod 644 "$T/noexec"
printf '\x7fELF garbage' >"$T/badelf"
chmod 755 "$T/badelf"
mkdir -p "$T/bin" "$T/bin2"
printf '#!/bin/sh\nexit 17\n' >"$T/bin/mytool"
chmod 755 "$T/bin/mytool"
cp "$T/noexec" "$T/bin2/mytool"
for mode in sub ns; do
	R=("$I")
	[ $mode = ns ] && R=(unshare -pf --mount-proc "$I")
	run "${R[@]}" -- nosuch-command-xyz
	is "$rc/$err" "127/nucleus-init: exec nosuch-command-xyz: No such file or directory" \
		"$mode: not found: 127 and one clear line"
	run "${R[@]}" -- /nonexistent/dir/cmd
	is "$rc" 127 "$mode: a missing path: 127"
	run "${R[@]}" -- "$T/noexec"
	is "$rc/$err" "126/nucleus-init: exec $T/noexec: Permission denied" \
		"$mode: not executable: 126 and one clear line"
	run "${R[@]}" -- "$T/badelf"
	is "$rc/$err" "126/nucleus-init: exec $T/badelf: Exec format error" \
		"$mode: bad format: 126 (no sh fallback)"
	run "${R[@]}" -- sh -c 'exit 127'
	is "$rc/$err" "127/" "$mode: a workload's own 127 prints nothing (told apart)"
	run "${R[@]}" -- sh -c 'exit 126'
	is "$rc/$err" "126/" "$mode: a workload's own 126 prints nothing"
done

# PATH lookup follows execvp.
run env PATH="$T/bin" "$I" -- mytool
is "$rc" 17 "CMD without a slash is looked up in PATH"
run env PATH="$T/bin2:$T/bin" "$I" -- mytool
is "$rc" 17 "a non-executable match earlier in PATH is skipped"
run env PATH="$T/bin2" "$I" -- mytool
is "$rc" 126 "only non-executable matches: 126 (EACCES)"
run env PATH="/nonexistent" "$I" -- sh -c 'exit 3'
is "$rc" 127 "PATH without the command: 127"
run env -u PATH "$I" -- sh -c 'exit 3'
is "$rc" 3 "PATH unset: the default PATH finds sh"
run env PATH="$T/bin" "$I" -- "$T/bin/mytool"
is "$rc" 17 "a CMD with a slash is not looked up"

# --- what the workload inherits --------------------------------------------
args=(a "" " two  spaces " -x --y $'new\nline' $'\xff\xfe' '*' '$HOME')
printf '%s\0' "${args[@]}" >"$T/want.args"
"$I" -- printf '%s\0' "${args[@]}" >"$T/got.args"
ok "argv passes through byte-exact (empty, spaces, -x, newline, non-UTF-8)" \
	cmp -s "$T/want.args" "$T/got.args"
env -i A=1 B= C=$'x\ny' D=$'\xff' NOTIFY_SOCKET=/run/n.sock /usr/bin/env -0 >"$T/want.env"
env -i A=1 B= C=$'x\ny' D=$'\xff' NOTIFY_SOCKET=/run/n.sock "$I" -- /usr/bin/env -0 >"$T/got.env"
ok "environment passes through byte-exact, NOTIFY_SOCKET untouched" \
	cmp -s "$T/want.env" "$T/got.env"

run env LISTEN_PID=1 LISTEN_FDS=1 unshare -pf --mount-proc "$I" -- sh -c 'echo "$LISTEN_PID $$"'
is "$out" "2 2" "LISTEN_PID naming init (1) is rewritten to the workload's pid"
run env LISTEN_PID=77 unshare -pf --mount-proc "$I" -- sh -c 'echo "$LISTEN_PID"'
is "$out" "77" "LISTEN_PID naming someone else is left alone (control)"
run bash -c 'export LISTEN_PID=$$; exec "$0" -- sh -c "echo \$LISTEN_PID \$\$"' "$I"
set -- $out
ok "LISTEN_PID rewrite as subreaper too ($out)" [ -n "${1:-}" ] && [ "${1:-}" = "${2:-}" ]

# fds: the workload keeps the caller's, init keeps only its signalfd.
# ls lists its own fds, the one it opens for the listing included.
run ls /proc/self/fd 5</dev/null 7</dev/null
want=$(echo $(printf '%s\n' $out | sort -n))
run "$I" -- ls /proc/self/fd 5</dev/null 7</dev/null
is "$(echo $(printf '%s\n' $out | sort -n))" "$want" "the workload gets exactly the caller's fds (no signalfd, no pipe)"
like "$want" '^0 1 2 3 5 7( |$)' "control: the fds 5 and 7 are there to inherit"
run "$I" -- sh -c 'while [ "$(readlink /proc/$PPID/cwd)" != / ]; do sleep 0.01; done; sleep 0.05; ls /proc/$PPID/fd | sort -n | tr "\n" " "' 5</dev/null 7</dev/null
is "$out" "0 1 2 3 " "init closed the inherited fds 5 and 7, keeps 0-2 and its signalfd"
mkdir -p "$T/cwd"
run sh -c 'cd "$1" && "$2" -- sh -c "pwd; sleep 0.2; readlink /proc/\$PPID/cwd"' sh "$T/cwd" "$I"
is "$out" "$T/cwd
/" "the workload keeps the caller's cwd, init moved to /"

done_testing

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# OCI hooks (issue 16): createRuntime and prestart once init exists and
# before the workload runs, poststart after start, poststop once the
# container is gone, each with the state JSON on its stdin, in order; a
# failing or timed-out createRuntime/prestart hook fails create and leaves
# nothing; a hook inside the container (startContainer) is refused.
. "$(dirname "$0")/lib/tap.sh"
need_root
NB=${NUCLEUS_BIN:-$OUT/nucleus}

tmp=$(mktemp -d)
chmod 755 "$tmp"
st=$tmp/state
cleanup() {
	local d
	for d in "$st"/*/; do
		[ -d "$d" ] && "$NB" --root "$st" delete --force "$(basename "$d")"
	done 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
N() { "$NB" --root "$st" "$@"; }

# A hook: logs its name, the state's status and pid, and whether the
# workload (which touches $tmp/ran) had run.
cat >"$tmp/hook" <<'EOF2'
#!/bin/sh
s=$(cat)
status=$(printf '%s' "$s" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p')
pid=$(printf '%s' "$s" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
ran=no; [ -e "$2/ran" ] && ran=yes
ann=no; printf '%s' "$s" | grep -q '"annotations": *{"org.example.k": *"v"}' && ann=yes
echo "$1 $status pid=$pid ran=$ran ann=$ann" >>"$2/log"
exit "${3:-0}"
EOF2
chmod 755 "$tmp/hook"
b=$tmp/b
mkdir -p "$b/rootfs" "$tmp/shared"
cp "$PROBE" "$b/rootfs/app"
hook() { printf '{"path":"%s","args":["hook","%s","%s"%s]%s}' "$tmp/hook" "$1" "$tmp" "${2:+,\"$2\"}" "${3:+,\"timeout\":$3}"; }
config() { # HOOKS-JSON ARGS...
	local h=$1 a
	shift
	a=$(printf '"%s",' /app "$@")
	printf '{"ociVersion":"1.0.2","process":{"args":[%s],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"mounts":[{"destination":"/s","type":"bind","source":"%s","options":["rbind"]}],"annotations":{"org.example.k":"v"},"hooks":%s}\n' \
		"${a%%,}" "$tmp/shared" "$h" >"$b/config.json"
}
all="{\"createRuntime\":[$(hook createRuntime)],\"prestart\":[$(hook prestart)],\"poststart\":[$(hook poststart)],\"poststop\":[$(hook poststop)]}"

config "$all" seq create /s/ran -- sleep 30
ln -sf shared/ran "$tmp/ran"
N create c1 --bundle "$b" </dev/null >"$tmp/c1.out" 2>&1
is "$?" 0 "create with hooks$(cat "$tmp/c1.out")"
init=$(N state c1 | sed -n 's/.*"pid": \([0-9]*\),.*/\1/p')
is "$(cat "$tmp/log")" "$(printf 'createRuntime created pid=%s ran=no ann=yes\nprestart created pid=%s ran=no ann=yes' "$init" "$init")" \
	"createRuntime, then prestart: state created, init's pid on stdin, the workload not run"
run N start c1
is "$rc" 0 "start"
wait_for 10 test -e "$tmp/shared/ran"
like "$(sed -n 3p "$tmp/log")" "^poststart running pid=$init" "poststart once start released the workload"
like "$(N state c1)" '"annotations": \{"org.example.k": "v"\}' "state shows the annotations"
N kill c1 KILL
wait_for 10 sh -c '"$0" --root "$1" state c1 | grep -q stopped' "$NB" "$st"
run N delete c1
like "$(sed -n 4p "$tmp/log")" "^poststop stopped pid=$init" "poststop at delete, the container stopped"
is "$(wc -l <"$tmp/log")" 4 "  each hook once"
is "$(cut -d' ' -f5 "$tmp/log" | sort -u)" ann=yes "  each with the config's annotations in the state"

# run: the same order around the workload, and its exit code.
rm -f "$tmp/log" "$tmp/shared/ran"
config "$all" seq create /s/ran -- exit 7
run N run r1 --bundle "$b"
is "$rc" 7 "run with hooks: the workload's exit code"
is "$(cut -d' ' -f1,2,4 "$tmp/log" | tr '\n' ' ')" \
	"createRuntime created ran=no prestart created ran=no poststart running ran=yes poststop stopped ran=yes " \
	"run: createRuntime, prestart, poststart, poststop in order"
ok "  no state left" test -z "$(ls -A "$st")"

# A failing prestart hook: create fails, nothing is left, the workload never ran.
rm -f "$tmp/log" "$tmp/shared/ran"
printf '{"ociVersion":"1.0.2","process":{"args":["/app","getpid"],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"hooks":{"prestart":[{"path":"%s","args":["hook","bad","%s","3"]},{"path":"%s","args":["hook","never","%s"]}]}}\n' \
	"$tmp/hook" "$tmp" "$tmp/hook" "$tmp" >"$b/config.json"
run N create f1 --bundle "$b"
is "$rc" 125 "a failing prestart hook: create is 125"
like "$err" "^nucleus: create: hooks\.prestart: $tmp/hook: exit 3; the container is removed\$" "  one line saying which hook and how: $err"
is "$(cut -d' ' -f1 "$tmp/log" | xargs)" bad "  the hooks after it do not run"
ok "  no state left" test -z "$(ls -A "$st")"
run pgrep -f "memfd:nucleus-init.*getpid"
is "$out" "" "  and no init left"

# A hook past its timeout is killed: create fails within it.
printf '{"ociVersion":"1.0.2","process":{"args":["/app","getpid"],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"hooks":{"createRuntime":[{"path":"/bin/sleep","args":["sleep","30"],"timeout":1}]}}\n' >"$b/config.json"
t0=$(date +%s)
run N create f2 --bundle "$b"
is "$rc" 125 "a hook past its timeout: 125"
ok "  within a few seconds" test $(($(date +%s) - t0)) -lt 10

printf '{"ociVersion":"1.0.2","process":{"args":["/app","getpid"],"cwd":"/"},"root":{"path":"rootfs","readonly":true},"hooks":{"startContainer":[{"path":"/bin/true"}]}}\n' >"$b/config.json"
run N create f3 --bundle "$b"
is "$rc" 125 "a startContainer hook (inside the container): refused, 125"
ok "  no state left" test -z "$(ls -A "$st")"
done_testing

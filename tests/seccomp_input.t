#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What users hand to the seccomp flags: custom profile files (text and
# docker/OCI JSON), precompiled BPF (--seccomp-bpf FILE and fd:N, bwrap's
# format), --seccomp-log; and every kind of bad input, which must be exit
# 125 with one line naming the flag (and FILE:LINE for profiles), before
# the workload could run: nothing half-applied, nothing left behind.
. "$(dirname "$0")/lib/tap.sh"
need_root
POLICY=$OUT/nucleus-policy
SYSABI=$OUT/sysabi
[ -x "$POLICY" ] && [ -x "$SYSABI" ] || skip_all "build/out/nucleus-policy or sysabi not built"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
N=("$NUCLEUS" --bind "$tmp" "$tmp")

# A custom text profile: the default, but mkdir answers EACCES.
cat >"$tmp/custom.policy" <<'EOF'
# the default profile, and no new directories
include default

errno EACCES mkdir mkdirat   # both entry points
EOF
run "${N[@]}" --seccomp-profile "$tmp/custom.policy" -- "$PROBE" mkdir /tmp/d
is "$out" EACCES "custom profile: mkdir answers EACCES"
run "${N[@]}" -- "$PROBE" mkdir /tmp/d
is "$out" ok "control: default lets mkdir through"
run "${N[@]}" --seccomp-profile "$tmp/custom.policy" -- "$PROBE" mount-tmpfs /tmp
is "$out" EPERM "custom profile: the included default still refuses mount"
run "${N[@]}" --seccomp-profile "$tmp/custom.policy" -- /bin/sh -c 'echo hi'
is "$out/$rc" hi/0 "custom profile: sh runs"

# An OCI JSON allowlist made of the default profile's names, with clone
# allowed only without namespace flags (MASKED_EQ), mkdir refused with
# errnoRet, and a Docker-style entry that needs CAP_SYS_ADMIN.
names=$(grep -E '^allow ' "$TOP/policy/default.policy" | sed -e 's/ if .*//' \
	-e 's/^allow //' | tr ' ' '\n' | grep -vE '^(\?|clone$|mkdir|$)' |
	sed 's/.*/"&"/' | paste -sd,)
cat >"$tmp/oci.json" <<EOF
{
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 38,
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    { "names": [$names], "action": "SCMP_ACT_ALLOW" },
    { "names": ["clone"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 2114060288, "valueTwo": 0,
                  "op": "SCMP_CMP_MASKED_EQ" } ] },
    { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO",
      "errnoRet": 13 },
    { "names": ["mount"], "action": "SCMP_ACT_ALLOW",
      "includes": { "caps": ["CAP_SYS_ADMIN"] } }
  ]
}
EOF
J=("${N[@]}" --seccomp-profile "$tmp/oci.json" --)
run "${J[@]}" /bin/sh -c 'echo hi; ls /usr/bin >/dev/null'
is "$out/$rc" hi/0 "OCI JSON: sh and ls run"
run "${J[@]}" "$PROBE" mkdir /tmp/d
is "$out" EACCES "OCI JSON: errnoRet 13 honoured"
run "${J[@]}" "$SYSABI" clone user
is "$out" ENOSYS "OCI JSON: clone with CLONE_NEWUSER: defaultErrnoRet (ENOSYS)"
run "${J[@]}" "$SYSABI" clone none
is "$out" ok "OCI JSON: clone without namespace flags passes MASKED_EQ"
run "${J[@]}" "$PROBE" raw 165 0 0 0 0 0
is "$out" ENOSYS "OCI JSON: mount (needs CAP_SYS_ADMIN in Docker's terms) left out"
run "${J[@]}" "$SYSABI" int80
is "$rc" 159 "OCI JSON listing SCMP_ARCH_X86: i386 still killed (native only)"

# nucleus-policy precompiles; --seccomp-bpf loads (file, or fd:N as bwrap).
run "$POLICY" compile "$TOP/policy/strict.policy" "$tmp/strict.bpf"
is "$rc" 0 "nucleus-policy compile writes a BPF file"
like "$err" "instructions=[0-9]+; default=errno ENOSYS" "... and says what it made"
run "${N[@]}" --seccomp-bpf "$tmp/strict.bpf" -- "$PROBE" socket inet stream
is "$out" EAFNOSUPPORT "--seccomp-bpf FILE: the strict program is enforced"
run "${N[@]}" --seccomp-bpf fd:3 -- "$PROBE" socket inet stream 3<"$tmp/strict.bpf"
is "$out" EAFNOSUPPORT "--seccomp-bpf fd:3, bwrap style"
run "${N[@]}" --seccomp-bpf fd:3 -- "$PROBE" fds 3<"$tmp/strict.bpf"
is "$out" "0 1 2" "... and fd 3 does not leak into the workload"
run "${N[@]}" --seccomp-bpf fd:0 -- "$PROBE" fds <"$tmp/strict.bpf"
is "$out/$rc" "0 1 2/0" "--seccomp-bpf fd:0 (stdin): read, and 0-2 stay in place"
# A foreign program with no arch check gets ours in front of it.
printf '\006\000\000\000\000\000\377\177' >"$tmp/allow-all.bpf"
run "${N[@]}" --seccomp-bpf "$tmp/allow-all.bpf" -- "$PROBE" raw 165 0 0 0 0 0
is "$out" EFAULT "--seccomp-bpf allow-all: mount reaches the kernel"
run "${N[@]}" --seccomp-bpf "$tmp/allow-all.bpf" -- "$SYSABI" int80
is "$rc" 159 "--seccomp-bpf allow-all: i386 killed by the added arch guard"

# --seccomp-log: denials are logged and let through; arch kills stay.
run "${N[@]}" --seccomp-log -- "$PROBE" raw 165 0 0 0 0 0
is "$out" EFAULT "--seccomp-log: mount is let through to the kernel (logged)"
run "${N[@]}" --seccomp-log -- "$PROBE" clone3
is "$out" ok "--seccomp-log: clone3 let through"
run "${N[@]}" --seccomp-log -- "$SYSABI" int80
is "$rc" 159 "--seccomp-log: i386 still killed"

# bad INPUT... NEEDLE: exit 125, one line naming NEEDLE, workload never ran.
bad() {
	local needle=$1
	shift
	rm -f "$tmp/ran"
	run "$@" -- /bin/sh -c ": >'$tmp/ran'"
	is "$rc" 125 "bad input exits 125: $needle"
	like "$err" "^nucleus: [a-z-]+: .*$needle" "... and says: $err"
	is "$(printf '%s\n' "$err" | wc -l)" 1 "... in one line"
	ok "... before the workload could run" test ! -e "$tmp/ran"
}
printf 'default errno ENOSYS\nallow read\nallow frobnicate\n' >"$tmp/unknown.policy"
bad "--seccomp-profile: $tmp/unknown.policy:3: unknown syscall 'frobnicate'" \
	"${N[@]}" --seccomp-profile "$tmp/unknown.policy"
printf 'default errno ENOSYS\n\nallow socket if a0 ==\n' >"$tmp/malformed.policy"
bad "malformed.policy:3: missing value after operator" \
	"${N[@]}" --seccomp-profile "$tmp/malformed.policy"
printf 'include default\nallwo read\n' >"$tmp/action.policy"
bad "action.policy:2: unknown action 'allwo'" \
	"${N[@]}" --seccomp-profile "$tmp/action.policy"
printf 'include default\ninclude missing.policy\n' >"$tmp/include.policy"
bad "include.policy:2: include missing.policy: .*No such file" \
	"${N[@]}" --seccomp-profile "$tmp/include.policy"
printf '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n    {"names": ["read"],, }\n  ]\n}\n' >"$tmp/bad.json"
bad "bad.json:4: bad JSON" "${N[@]}" --seccomp-profile "$tmp/bad.json"
printf '{"defaultAction": "SCMP_ACT_NOTIFY"}\n' >"$tmp/notify.json"
bad "notify.json:1: SCMP_ACT_NOTIFY needs a listener" \
	"${N[@]}" --seccomp-profile "$tmp/notify.json"
bad "--seccomp-profile: $tmp/nope.policy: No such file" \
	"${N[@]}" --seccomp-profile "$tmp/nope.policy"
bad "--seccomp-profile: $tmp: not a regular file" "${N[@]}" --seccomp-profile "$tmp"
bad "'defualt' is not default, strict, none or a profile file" \
	"${N[@]}" --seccomp-profile defualt
bad "--seccomp-profile given twice" \
	"${N[@]}" --seccomp-profile default --seccomp-profile strict
bad "--seccomp-bpf: cannot be used with --seccomp-profile" \
	"${N[@]}" --seccomp-profile strict --seccomp-bpf "$tmp/strict.bpf"
printf 'abcdefg' >"$tmp/seven.bpf"
bad "--seccomp-bpf: $tmp/seven.bpf: 7 bytes" "${N[@]}" --seccomp-bpf "$tmp/seven.bpf"
printf '\025\000\010\000\000\000\000\000\006\000\000\000\000\000\377\177' >"$tmp/jump.bpf"
bad "jump.bpf: instruction 0: a jump out of the program" \
	"${N[@]}" --seccomp-bpf "$tmp/jump.bpf"
bad "--seccomp-bpf '$tmp/nope.bpf': No such file" "${N[@]}" --seccomp-bpf "$tmp/nope.bpf"
bad "--seccomp-bpf: 'fd:x' is not fd:N" "${N[@]}" --seccomp-bpf fd:x
bad "--seccomp-bpf: fd:9: Bad file descriptor" "${N[@]}" --seccomp-bpf fd:9
bad "--seccomp-log lets denied calls through: not in --mode production" \
	"${N[@]}" --mode production --seccomp-log
bad "--seccomp-log takes no value" "${N[@]}" --seccomp-log=yes

# Rootless: a profile the caller cannot read is its error, not ours.
printf 'include default\n' >"$tmp/secret.policy"
chmod 600 "$tmp/secret.policy"
run "${NOBODY[@]}" "$NUCLEUS" --seccomp-profile "$tmp/secret.policy" -- /bin/true
is "$rc/$(printf '%s\n' "$err" | wc -l)" 125/1 "rootless: unreadable profile: 125, one line"
like "$err" "secret.policy: Permission denied" "... saying why"
chmod 644 "$tmp/secret.policy"
run "${NOBODY[@]}" "$NUCLEUS" --seccomp-profile "$tmp/secret.policy" -- "$PROBE" status Seccomp
is "$out" 2 "control: readable, the same profile loads rootless"

# The compiler on its own: errors name FILE:LINE, exit 1.
run "$POLICY" compile "$tmp/unknown.policy" "$tmp/x.bpf"
is "$rc" 1 "nucleus-policy compile: a bad profile exits 1"
like "$err" "unknown.policy:3: unknown syscall" "... naming FILE:LINE"
like "$(file -L "$POLICY")" 'statically linked' "nucleus-policy is static"
done_testing

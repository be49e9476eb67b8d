#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The terminal (sandbox-peers.md §4): with a pty as stdin and legacy
# TIOCSTI enabled, the workload cannot push input into the caller's
# terminal (CVE-2017-5226), also with the high 32 bits of the request set
# (CVE-2019-10063), nor use TIOCLINUX (CVE-2023-28100). Two layers, each
# tried alone: the new session (TIOCSTI needs the tty to be the caller's
# controlling terminal) and the seccomp filter (for --no-new-session). The
# proof is the caller's side: after nucleus exits, a reader on the same
# terminal finds the injected byte in its input or not. As root and as
# nobody; the control, with both layers off, injects for real.
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null || skip_all "script(1) missing: no pty"
command -v python3 >/dev/null || skip_all "python3 missing: no terminal reader"
[ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ] ||
	skip_all "dev.tty.legacy_tiocsti=0: the kernel refuses TIOCSTI itself" unsupported

# The caller's reader: takes the terminal back (nucleus-init gave the
# workload the foreground), then reads what is pending without waiting for
# a newline and without flushing it (TCSANOW, not setcbreak's TCSAFLUSH).
cat >"$tmp/reader.py" <<'EOF'
import os, select, signal, termios
signal.signal(signal.SIGTTOU, signal.SIG_IGN)
os.tcsetpgrp(0, os.getpgrp())
a = termios.tcgetattr(0)
a[3] &= ~(termios.ICANON | termios.ECHO)
termios.tcsetattr(0, termios.TCSANOW, a)
r, _, _ = select.select([0], [], [], 0.3)
data = os.read(0, 64) if r else b""
print("injected" if b"Z" in data else "clean")
EOF

printf 'default allow\nerrno EPERM ioctl if a1 == TIOCSTI\n' >"$tmp/naive.policy"
chmod 644 "$tmp/naive.policy"

# on_pty WHO FLAGS ACTION...: in a fresh pty session whose controlling
# terminal is the pty, nucleus FLAGS -- probe ACTION, then the reader.
# Prints the probe's answer and the reader's verdict on one line.
on_pty() {
	local who=$1 flags=$2 pre=""
	shift 2
	[ "$who" = nobody ] && pre="${NOBODY[*]}"
	script -qec "stty -echo; $pre '$NUCLEUS' $flags -- '$PROBE' $*; python3 '$tmp/reader.py'" \
		/dev/null </dev/null | tr -d '\r' | tr '\n' ' ' | sed 's/ $//'
}

for who in root nobody; do
	for req in tiocsti tiocsti-hi; do
		is "$(on_pty $who "--no-new-session --seccomp-profile none" $req Z)" "ok injected" \
			"$who: $req: control: caller's session, no filter: the byte reaches the caller's terminal"
		is "$(on_pty $who "" $req Z)" "EPERM clean" \
			"$who: $req: default (new session + filter): EPERM, nothing injected"
		is "$(on_pty $who "--no-new-session" $req Z)" "EPERM clean" \
			"$who: $req: --no-new-session: the filter alone: EPERM, nothing injected"
		is "$(on_pty $who "--seccomp-profile none" $req Z)" "EPERM clean" \
			"$who: $req: no filter: the new session alone: EPERM, nothing injected"
	done
	# The CVE-2019-10063 bug on purpose: a profile comparing all 64 bits
	# of the request stops TIOCSTI but not TIOCSTI with high bits set.
	is "$(on_pty $who "--no-new-session --seccomp-profile $tmp/naive.policy" tiocsti-hi Z)" \
		"ok injected" "$who: control: a filter comparing 64 bits lets tiocsti-hi inject"
	# TIOCLINUX needs a virtual console to inject; on a pty the kernel
	# answers ENOTTY, the filter EPERM: the call never reaches the tty.
	hi=$(((1 << 32) | 0x541C))
	is "$(on_pty $who "--no-new-session --seccomp-profile none" raw 16 0 $hi 0)" "ENOTTY clean" \
		"$who: TIOCLINUX with high bits: control: reaches the kernel (ENOTTY, no VT)"
	for flags in "" "--no-new-session"; do
		is "$(on_pty $who "$flags" tioclinux)" "EPERM clean" "$who: TIOCLINUX ${flags:-default}: EPERM"
		is "$(on_pty $who "$flags" raw 16 0 $hi 0)" "EPERM clean" \
			"$who: TIOCLINUX with high bits ${flags:-default}: EPERM"
	done
done
done_testing

# SPDX-License-Identifier: MIT
# Host side of the VM tier, sourced by tests/vm.t after tests/lib/tap.sh:
# boots cases with build/vm.sh and reads the serial console each leaves in
# a log file. vm_relay turns the guest's TAP (one block per test file, between
# "# vm-file: F" and "# vm-exit: F RC" markers written by
# tests/vm/guest/rc.sh) into tests of this file, numbered in its sequence.

VM_SH=$TOP/build/vm.sh
VM_LOGS=${VM_LOGS:-$(mktemp -d)}

# vm_start NAME SECS [K=V...] -- INIT-ARGS...: boots in the background;
# the console goes to $VM_LOGS/NAME.log, QEMU's exit code and the wall time
# from start to power-off next to it. vm_load NAME waits for it.
vm_start() {
	local name=$1 log=$VM_LOGS/$1.log
	shift
	(
		t0=$(date +%s%N)
		"$VM_SH" boot "$log" "$@"
		echo $? >"$log.rc"
		t1=$(date +%s%N)
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }' \
			>"$log.secs"
	) &
	eval "vm_pid_$name=\$!"
}

# vm_load NAME: sets vm_log, vm_rc, vm_secs for a case vm_start began.
vm_load() {
	local pid
	eval "pid=\${vm_pid_$1:-}"
	[ -n "$pid" ] && wait "$pid"
	vm_log=$VM_LOGS/$1.log
	vm_rc=$(cat "$vm_log.rc" 2>/dev/null || echo 255)
	vm_secs=$(cat "$vm_log.secs" 2>/dev/null || echo ?)
	tr -d '\r' <"$vm_log" >"$vm_log.txt" 2>/dev/null || : >"$vm_log.txt"
	diag "vm case $1: $vm_secs s from start to power-off (qemu exit $vm_rc)"
}

# The words PID 1 prints as the machine goes down (nucleus-init's system
# mode, or the busybox stand-in): the workload's status, as the host sees it.
vm_status() {
	sed -nE 's/^(nucleus-init|vm-fallback-init): workload exited with status ([0-9]+); powering off.*/\2/p' \
		"$vm_log.txt" | tail -1
}

# vm_check_halt NAME CODE: the machine went down cleanly, reporting CODE.
vm_check_halt() {
	is "$vm_rc" 0 "$1: QEMU exited by itself (the guest powered off, no time-out)"
	is "$(vm_status)" "$2" "$1: PID 1 reports the workload's status $2 on the console"
	ok "$1: the kernel powered the machine off" grep -q 'reboot: Power down' "$vm_log.txt"
	nok "$1: no kernel panic, no 'Attempted to kill init'" \
		grep -Eq 'Kernel panic|Attempted to kill init' "$vm_log.txt"
	if [ "$vm_rc" != 0 ] || [ "$(vm_status)" != "$2" ]; then
		diag "console of $1:" && sed 's/^/  | /' "$vm_log.txt" | tail -40 >&2
	fi
}

# One guest result line, renumbered: ok/not ok, skip and TODO kept as such.
_vm_result() { # FILE LINE
	local f=$1 l=$2 st desc dir=
	case $l in
	"not ok"*) st=1; desc=${l#not ok} ;;
	*) st=0; desc=${l#ok} ;;
	esac
	desc=$(printf '%s' "$desc" | sed -E 's/^ *[0-9]* *(- )?//')
	case $desc in
	*"# SKIP"* | *"# skip"* | *"# TODO"* | *"# todo"*)
		dir=" #${desc##*#}"
		desc=${desc%%#*}
		;;
	esac
	_tap_n=$((_tap_n + 1))
	if [ "$st" = 0 ]; then
		echo "ok $_tap_n - guest ${f##*/}: $desc$dir"
	else
		echo "not ok $_tap_n - guest ${f##*/}: $desc$dir"
		[ -n "$dir" ] && [ "${dir#*TODO}" != "$dir" ] || _tap_fail=$((_tap_fail + 1))
	fi
}

# vm_relay: the guest files' TAP, a plan check and an exit check per file.
vm_relay() {
	local l f= n=0 planned= files=0 ran
	while IFS= read -r l; do
		case $l in
		"# vm-file: "*) f=${l#\# vm-file: }; n=0; planned= ;;
		"# vm-exit: "*)
			ran=${l#\# vm-exit: }
			files=$((files + 1))
			if [ -n "$planned" ] && [ "$planned" != "$n" ]; then
				_tap_result 1 "guest ${f##*/}: planned $planned tests, ran $n"
			fi
			is "${ran##* }" 0 "guest ${f##*/}: exits 0"
			f= ;;
		"1.."*) [ -n "$f" ] && planned=${l#1..} && planned=${planned%% *}
			case $l in *"# SKIP"*)
				_tap_n=$((_tap_n + 1))
				echo "ok $_tap_n # SKIP guest ${f##*/}:${l#*SKIP}" ;;
			esac ;;
		"ok"* | "not ok"*) [ -n "$f" ] && n=$((n + 1)) && _vm_result "$f" "$l" ;;
		"#"*) [ -n "$f" ] && printf '%s\n' "$l" >&2 ;;
		esac
	done <"$vm_log.txt"
	vm_files=$files
}

# SPDX-License-Identifier: MIT
# Shared helpers of the nucleus-init tests (tests/init*.t), sourced after
# tests/lib/tap.sh: a scratch dir, a C signal-counting workload compiled on
# the fly (Python and shell handlers coalesce repeated signals, a C handler
# counts each delivery), ways to start init as PID 1 of a fresh pid namespace
# or as a subreaper and find its pid, and waits that poll instead of sleeping
# a fixed time. Runs as root: unshare -p needs it here.

need_root
[ -x "$NUCLEUS_INIT" ] || skip_all "build first: $NUCLEUS_INIT missing"
command -v unshare >/dev/null || skip_all "unshare (util-linux) missing"

T=$(mktemp -d /tmp/nucleus-init-test.XXXXXX)
# Leftovers of a failed test must not outlive it: kill what we started.
_init_cleanup() {
	local p
	for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap _init_cleanup EXIT
ulimit -c 0 # the SEGV/ABRT workloads must not dump cores

# sigcount OUT SECONDS: counts every catchable signal with an SA_SIGINFO
# handler; writes OUT.ready ("pid P pgrp G tpgid F") once the handlers are in
# place, then unblocks everything (signals inherited pending arrive now),
# runs until OUT.stop exists or SECONDS pass. OUT holds "SIG COUNT CODE"
# lines (last si_code of each signal), rewritten atomically as signals come
# and once more at the end, when OUT.done appears.
SIGCOUNT=$T/sigcount
cat >"$T/sigcount.c" <<'EOF'
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t counts[NSIG], codes[NSIG], total;

static void on(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	counts[sig]++;
	codes[sig] = si->si_code;
	total++;
}

static void put(const char *out, const char *suffix, const char *text);

static void put_counts(const char *out)
{
	char buf[8192];
	int s;

	buf[0] = 0;
	for (s = 1; s < NSIG; s++)
		if (counts[s])
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
				 "%d %d %d\n", s, (int)counts[s], (int)codes[s]);
	put(out, "", buf);
}

static void put(const char *out, const char *suffix, const char *text)
{
	char tmp[4096], dst[4096];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s%s.tmp", out, suffix);
	snprintf(dst, sizeof dst, "%s%s", out, suffix);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		_exit(99);
	rename(tmp, dst);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on, .sa_flags = SA_SIGINFO };
	char buf[8192], stop[4096];
	struct timespec ts = { 0, 5000000 };
	sigset_t none;
	long n, i, fg = -1;
	int s, seen = 0;

	if (argc != 3)
		return 98;
	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL);
	for (i = 0; i < 3 && fg < 0; i++)
		fg = tcgetpgrp((int)i);
	snprintf(buf, sizeof buf, "pid %d pgrp %d tpgid %ld rtmin %d rtmax %d\n",
		 getpid(), getpgrp(), fg, SIGRTMIN, SIGRTMAX);
	put(argv[1], ".ready", buf);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	snprintf(stop, sizeof stop, "%s.stop", argv[1]);
	for (n = (long)(atof(argv[2]) * 200); n > 0; n--) {
		if (!access(stop, F_OK))
			break;
		if (total != seen) {
			seen = total;
			put_counts(argv[1]);
		}
		nanosleep(&ts, NULL);
	}
	put_counts(argv[1]);
	put(argv[1], ".done", "");
	return 0;
}
EOF
for _cc in "${CC:-cc}" musl-gcc; do
	"$_cc" -O2 -o "$SIGCOUNT" "$T/sigcount.c" 2>/dev/null && break
done
[ -x "$SIGCOUNT" ] || skip_all "no C compiler for the signal-counting helper"
# exitwith N: exits with N; static when it can be, for fast loops.
EXITWITH=$T/exitwith
echo 'int atoi(const char *); int main(int c, char **v) { return c > 1 ? atoi(v[1]) : 0; }' >"$T/exitwith.c"
musl-gcc -static -Os -o "$EXITWITH" "$T/exitwith.c" 2>/dev/null ||
	"$_cc" -O2 -o "$EXITWITH" "$T/exitwith.c" || skip_all "cannot build exitwith"

# deny SYSCALL,... CMD ARGS...: runs CMD under a seccomp filter that fails
# those syscalls with EPERM, as the sandbox's strict profile may.
# deny --fork: prints what a plain fork() (the fork syscall) gets there.
DENY=$T/deny
cat >"$T/deny.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct { const char *name; int nr; } table[] = {
	{ "fork", SYS_fork }, { "vfork", SYS_vfork }, { "setpgid", SYS_setpgid },
	{ "prctl", SYS_prctl }, { "close_range", SYS_close_range },
	{ "openat", SYS_openat }, { "open", SYS_open }, { "poll", SYS_poll },
	{ "signalfd4", SYS_signalfd4 }, { "wait4", SYS_wait4 },
	{ "reboot", SYS_reboot }, { "rt_sigtimedwait", SYS_rt_sigtimedwait },
	{ "clone", SYS_clone }, { "pipe2", SYS_pipe2 },
};

int main(int argc, char **argv)
{
	struct sock_filter f[64];
	struct sock_fprog prog = { 0, f };
	char *list, *tok;
	size_t i, n = 0;

	if (argc < 2)
		return 98;
	if (!strcmp(argv[1], "--fork")) {
		long r = syscall(SYS_fork);
		if (r == 0)
			_exit(0);
		printf("%s\n", r < 0 ? strerror(errno) : "forked");
		return 0;
	}
	if (argc < 3)
		return 98;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	list = strdup(argv[1]);
	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (!strcmp(table[i].name, tok))
				break;
		if (i == sizeof(table) / sizeof(table[0]) || n > 60)
			return 97;
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      table[i].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | EPERM);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return perror("seccomp"), 96;
	execvp(argv[2], argv + 2);
	return perror("exec"), 95;
}
EOF
"$_cc" -O2 -o "$DENY" "$T/deny.c" || skip_all "cannot build the seccomp helper"

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
# ms_since FILE: milliseconds since the time a workload wrote into FILE
# with `echo ${EPOCHREALTIME/./} >FILE` just before it exited, so that the
# start-up of the shells, slow on a loaded machine, is not counted.
ms_since() { echo $(((${EPOCHREALTIME/./} - $(cat "$1" 2>/dev/null || echo 0)) / 1000)); }

# wait_for COND... : poll COND every 10 ms, up to 5 s.
wait_for() {
	local i
	for ((i = 0; i < 500; i++)); do
		"$@" && return 0
		sleep 0.01
	done
	return 1
}
exists() { [ -e "$1" ]; }
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_state "$1")" = Z ]; }

# proc_state PID: the one-letter State of /proc/PID/status.
proc_state() { awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# children_of PID: the direct children of PID, space separated.
children_of() { echo $(cat "/proc/$1/task/$1/children" 2>/dev/null); }

# start_ns ARGS...: nucleus-init ARGS as PID 1 of a new pid namespace, in
# the background. Sets UNS (unshare's pid) and IPID (init's host pid).
start_ns() {
	unshare -pf --mount-proc "$NUCLEUS_INIT" "$@" &
	UNS=$!
	IPID=
	wait_for _has_child "$UNS"
	IPID=$(children_of "$UNS")
	IPID=${IPID%% *}
}
_has_child() { [ -n "$(children_of "$1")" ]; }

# start_sub ARGS...: nucleus-init ARGS as a subreaper in the background.
start_sub() {
	"$NUCLEUS_INIT" "$@" &
	IPID=$!
	UNS=$IPID
}

# finish PID: wait for background PID, set rc.
finish() { wait "$1"; rc=$?; }

# count OUT SIG: how many SIG the sigcount that wrote OUT received.
count() { awk -v s="$2" '$1 == s {print $2; f = 1} END {if (!f) print 0}' "$1"; }
# ready_field OUT NAME: a field of OUT.ready.
ready_field() { awk -v k="$2" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' "$1.ready"; }

# sc_start MODE OUT SECONDS [INIT ARGS...]: init (MODE ns or sub) running
# sigcount OUT SECONDS; waits until its handlers are in place.
sc_start() {
	local mode=$1 out=$2 secs=$3
	shift 3
	"start_$mode" "$@" -- "$SIGCOUNT" "$out" "$secs"
	wait_for exists "$out.ready"
}
# sc_stop OUT: ends the sigcount, waits for init; sets rc.
sc_stop() {
	touch "$1.stop"
	finish "$UNS"
}
# total OUT: how many signals the sigcount got so far, SIGCHLD aside.
total() { awk '$1 != 17 {n += $2} END {print n + 0}' "$1" 2>/dev/null || echo 0; }
# wait_total OUT N: until the sigcount has counted N signals, then a little
# more, so that a duplicate would have the time to arrive too.
wait_total() {
	wait_for _total_ge "$1" "$2"
	sleep 0.05
}
_total_ge() { [ "$(total "$1")" -ge "$2" ]; }

// SPDX-License-Identifier: MIT
/*
 * Unit tests of the OCI front-end (printing TAP): config.json texts to the
 * exact argv of nucleus flags (cli/oci.c), every argv then accepted by
 * nucleus's own parser; and the refusals, one line naming the field or the
 * byte, of what is malformed, missing, escaping or not supported yet. The
 * strict JSON reader (lib/json_read.c) is tested through it and directly.
 */
#include "cli/config.h"
#include "cli/oci.h"
#include "lib/json_read.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define BUNDLE "/b"
#define NS                                                                     \
	"\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},"           \
	"{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]"
#define HEAD                                                                   \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":"  \
	"{" NS "},"
/* HEAD with more members in "linux" */
#define LINUX(x)                                                               \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":"  \
	"{" NS "," x "},"
#define PROC(x) HEAD "\"process\":{\"args\":[\"sh\"]" x "}}"
#define ARGV0 "nucleus --rootfs /b/rootfs --rootfs-rw"
#define MNT " --no-default-mounts --mkdir-mountpoints"
#define TAIL " --clearenv" MNT
#define CMD " -- sh"
#define SHARE " --share net --share ipc --share uts --share pid"

static char err[512];
static char *seccomp_text; /* the last translation's linux.seccomp */

/* The argv joined by spaces, or NULL (err set) on refusal by oci_argv or
 * by nucleus's own parser. */
static char *translate(const char *json, const char *bundle)
{
	static char joined[4096];
	struct oci_args a = { 0 };
	size_t n = 0;

	err[0] = '\0';
	free(seccomp_text);
	seccomp_text = NULL;
	if (oci_argv(json, strlen(json), bundle, &a, err, sizeof(err)) < 0)
		return NULL;
	joined[0] = '\0';
	for (int i = 0; i < a.argc; i++)
		n += (size_t)snprintf(joined + n, sizeof(joined) - n, "%s%s",
				      i ? " " : "", a.argv[i]);
	/* nucleus's own parser takes what the front-end wrote. */
	struct config cfg;
	int bad = a.argv[a.argc] || parse_args(a.argc, a.argv, &cfg, tap_room(),
					       err, sizeof(err)) != PARSE_OK;
	for (int i = 0; i < a.argc; i++)
		free(a.argv[i]);
	free(a.argv);
	seccomp_text = a.seccomp;
	return bad ? NULL : joined;
}

static void argv_is(const char *json, const char *want, const char *what)
{
	const char *got = translate(json, BUNDLE);

	ok(got && !strcmp(got, want), "%s: %s", what, got ? got : err);
	if (got && strcmp(got, want))
		printf("# want %s\n", want);
}

static void refused(const char *json, const char *needle, const char *what)
{
	const char *got = translate(json, BUNDLE);

	ok(!got && strstr(err, needle) && !strchr(err, '\n'), "%s: %s", what,
	   got ? got : err);
}

static void test_minimal(void)
{
	argv_is(PROC(""), ARGV0 TAIL CMD, "the least config");
	argv_is(HEAD "\"process\":{\"args\":[\"/bin/echo\",\"a b\",\"\"],"
		     "\"cwd\":\"/w\",\"env\":[\"PATH=/bin\",\"E=\",\"X=a=b\"]},"
		     "\"hostname\":\"h1\",\"unknownTop\":{\"x\":[1,2]}}",
		"nucleus --rootfs /b/rootfs --rootfs-rw --chdir /w --clearenv "
		"--env PATH=/bin --env E= --env X=a=b --hostname h1" MNT
		" -- /bin/echo a b ",
		"cwd, env, hostname; unknown fields ignored");
	argv_is(PROC(",\"user\":{\"uid\":1000,\"gid\":100,"
		     "\"additionalGids\":[5,6],\"umask\":18}"),
		ARGV0 " --user 1000:100 --groups 5,6" TAIL CMD, "process.user");
	argv_is(PROC(",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[]}"),
		ARGV0 " --user 0:0" TAIL CMD, "root, no groups");
	argv_is("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"/abs/r\","
		"\"readonly\":true},\"process\":{\"args\":[\"x\"]}}",
		"nucleus --rootfs /abs/r" TAIL SHARE " -- x",
		"absolute read-only root");
	argv_is("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":"
		"\"./a/../r/./\"},\"process\":{\"args\":[\"x\"]}}",
		"nucleus --rootfs /b/r --rootfs-rw" TAIL SHARE " -- x",
		"relative root normalised below the bundle");
}

static void test_confine(void)
{
	argv_is(PROC(",\"capabilities\":{\"bounding\":[\"CAP_KILL\","
		     "\"CAP_CHOWN\"],\"effective\":[\"CAP_KILL\"],"
		     "\"permitted\":[\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]},"
		     "\"noNewPrivileges\":false"),
		ARGV0 " --cap-bound CAP_KILL --cap-bound CAP_CHOWN --cap-add "
		      "CAP_KILL" TAIL CMD,
		"uid 0: held ones outside the bounding set are lost at exec");
	argv_is(PROC(",\"user\":{\"uid\":10,\"gid\":10},"
		     "\"capabilities\":{\"bounding\":[\"CAP_KILL\","
		     "\"CAP_CHOWN\"],\"effective\":[\"CAP_KILL\",\"CAP_CHOWN\"]"
		     ","
		     "\"inheritable\":[\"CAP_KILL\",\"CAP_CHOWN\"],"
		     "\"ambient\":[\"CAP_KILL\",\"CAP_KILL\"]}"),
		ARGV0
		" --user 10:10 --cap-bound CAP_KILL --cap-bound CAP_CHOWN "
		"--cap-inheritable CAP_KILL --cap-inheritable CAP_CHOWN "
		"--cap-ambient CAP_KILL --cap-add CAP_KILL" TAIL CMD,
		"uid 10: the five sets, only ambient ones held, repeats once");
	refused(PROC(",\"capabilities\":{\"bounding\":[\"CAP_TEST\"]}"),
		"--cap-bound: 'CAP_TEST' is not a capability",
		"unknown cap in the bounding set");
	argv_is(PROC(",\"oomScoreAdj\":-17"),
		ARGV0 " --oom-score-adj -17" TAIL CMD, "oomScoreAdj");
	refused(PROC(",\"oomScoreAdj\":1001"),
		"process.oomScoreAdj: not a number from -1000 to 1000",
		"oomScoreAdj out of range");
	argv_is("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
		"\"process\":{\"args\":[\"sh\"]},\"linux\":{" NS
		",\"sysctl\":{\"kernel.shmmax\":"
		"\"65536\",\"net.ipv4.ip_forward\":\"1\"}}}",
		ARGV0 " --clearenv --sysctl kernel.shmmax=65536 --sysctl "
		      "net.ipv4.ip_forward=1" MNT CMD,
		"linux.sysctl");
	refused("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
		"\"process\":{\"args\":[\"sh\"]},\"linux\":{"
		"\"sysctl\":{\"kernel.shmmax\":1}}}",
		"linux.sysctl: 'kernel.shmmax': not a short string",
		"a sysctl value that is not a string");
	argv_is(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":"
		     "2048,\"soft\":1024},{\"type\":\"RLIMIT_CORE\",\"hard\":"
		     "18446744073709551615,\"soft\":0}]"),
		ARGV0 " --rlimit RLIMIT_NOFILE=1024:2048 --rlimit "
		      "RLIMIT_CORE=0:unlimited" TAIL CMD,
		"rlimits, 2^64-1 as unlimited");
	argv_is("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"user\"},{\"type\":\"uts\"},{\"type\":\"cgroup\"}]"
		","
		"\"resources\":{\"memory\":{\"limit\":536870912},\"pids\":"
		"{\"limit\":100},\"cpu\":{\"quota\":50000,\"period\":100000}}}"
		"}",
		"nucleus --rootfs /r --rootfs-rw" TAIL " --share net "
		"--share "
		"ipc --share pid --userns --memory 536870912 --pids 100 --cpus "
		"0.500 -- x",
		"namespaces left out are shared; memory, pids, cpu");
	argv_is("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":"
		"\"uts\"},{\"type\":\"pid\"}],\"resources\":{\"memory\":{"
		"\"limit\":1048576,\"swap\":3145728},\"cpu\":{\"shares\":"
		"512,\"cpus\":\"0-1\"},\"blockIO\":{"
		"\"throttleReadBpsDevice\":[{\"major\":8,\"minor\":0,"
		"\"rate\":1000}],\"throttleWriteIOPSDevice\":[{\"major\":8,"
		"\"minor\":0,\"rate\":50},{\"major\":8,\"minor\":16,"
		"\"rate\":60}]}}}}",
		"nucleus --rootfs /r --rootfs-rw" TAIL " --memory 1048576 "
		"--memory-swap 2097152 --cpu-weight 50 --cpuset 0-1 --io-max "
		"8:0 rbps=1000 wiops=50 --io-max 8:16 wiops=60 -- x",
		"memory.swap (with the memory), cpu.shares as a weight, "
		"cpu.cpus, blockIO throttles grouped by device");
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"resources\":"
		"{\"memory\":{\"limit\":2048,\"swap\":1024}}}}",
		"linux.resources.memory.swap: below the limit",
		"swap below the memory limit");
	refused(PROC(",\"capabilities\":{\"bounding\":[\"CAP_NOPE\"],"
		     "\"effective\":[\"CAP_NOPE\"]}"),
		"--cap-bound: 'CAP_NOPE' is not a capability", "unknown cap");
	refused(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\"}]"),
		"process.rlimits[0]: not {type, soft, hard}",
		"rlimit, no soft");
	refused(PROC(",\"noNewPrivileges\":1"),
		"process.noNewPrivileges: not a boolean", "nnp not a boolean");
	argv_is("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"network\",\"path\":\"/proc/1/ns/net\"},"
		"{\"type\":\"uts\",\"path\":\"/u\"},{\"type\":\"pid\"}]}}",
		"nucleus --rootfs /r --rootfs-rw" TAIL
		" --join-ns net /proc/1/ns/net --join-ns uts /u --share ipc -- "
		"x",
		"a network or uts namespace by path is joined");
	argv_is("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"pid\",\"path\":\"/proc/1/ns/pid\"},{\"type\":"
		"\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}]}}",
		"nucleus --rootfs /r --rootfs-rw" TAIL
		" --join-ns pid /proc/1/ns/pid -- x",
		"a pid namespace by path is joined (a pod's shared one)");
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"mount\",\"path\":\"/proc/1/ns/mnt\"}]}}",
		"linux.namespaces[0].path: joining a mount namespace is not "
		"supported",
		"joining a mount namespace");
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"
		"[{\"type\":\"time\"}]}}",
		"linux.namespaces[0]: type 'time' is not supported", "time ns");
	argv_is(HEAD "\"hooks\":{\"prestart\":[{\"path\":\"/x\"}]},"
		     "\"process\":{\"args\":[\"sh\"]}}",
		ARGV0 TAIL CMD, "hooks: the verbs run them, no flag");
	refused(HEAD "\"hooks\":{\"startContainer\":[]},\"process\":{"
		     "\"args\":[\"sh\"]}}",
		"hooks.startContainer: a hook inside the container",
		"a hook inside the container");
}

/* linux.uidMappings, gidMappings: --uid-map, --gid-map in order; the
 * parser's refusals reach config.json's user too. */
#define USERNS(x)                                                              \
	"{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"                \
	"\"process\":{\"args\":[\"x\"]},\"linux\":{\"namespaces\":"            \
	"[{\"type\":\"user\"}]" x "}}"
#define M(c, h, n) "{\"containerID\":" #c ",\"hostID\":" #h ",\"size\":" #n "}"
static void test_idmaps(void)
{
	argv_is(USERNS(",\"uidMappings\":[" M(0, 100000, 65536) "," M(
			65536, 1000, 1) "],\"gidMappings\":[" M(0, 200000,
								10) "]"),
		"nucleus --rootfs /r --rootfs-rw" TAIL SHARE
		" --userns --uid-map 0:100000:65536 --uid-map 65536:1000:1 "
		"--gid-map 0:200000:10 -- x",
		"mappings: containerID:hostID:size, in order");
	argv_is(USERNS(",\"uidMappings\":[],\"gidMappings\":[]"),
		"nucleus --rootfs /r --rootfs-rw" TAIL SHARE " --userns -- x",
		"empty mappings: the single-id map");
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
		"\"process\":{\"args\":[\"x\"]},\"linux\":{\"uidMappings\":"
		"[" M(0, 1000, 1) "]}}",
		"linux.uidMappings: needs a user namespace",
		"no user namespace");
	refused(USERNS(",\"uidMappings\":[" M(0, 0, 10) "]"),
		"--uid-map: '0:0:10' maps host id 0 (root): refused",
		"host id 0");
	refused(USERNS(",\"gidMappings\":[" M(5, 0, 1) "]"),
		"--gid-map: '5:0:1' maps host id 0", "host gid 0");
	refused(USERNS(",\"uidMappings\":[" M(0, 1000, 10) "," M(
			5, 2000, 10) "],\"gidMappings\":[" M(0, 1000, 10) "]"),
		"--uid-map: '5:2000:10' overlaps an earlier range",
		"container sides overlap");
	refused(USERNS(",\"gidMappings\":[" M(0, 1000, 10) "," M(100, 1009,
								 1) "]"),
		"--gid-map: '100:1009:1' overlaps", "host sides overlap");
	refused(USERNS(",\"uidMappings\":[" M(0, 1000, 0) "]"),
		"--uid-map: '0:1000:0' is not CONTAINER:HOST:SIZE", "size 0");
	refused(USERNS(",\"uidMappings\":[" M(4294967290, 1000, 10) "]"),
		"is not CONTAINER:HOST:SIZE", "past 2^32-1");
	refused(USERNS(",\"uidMappings\":[" M(-1, 1000, 1) "]"),
		"linux.uidMappings: no number containerID", "negative");
	refused(USERNS(",\"uidMappings\":[{\"containerID\":0,"
		       "\"hostID\":\"1000\",\"size\":1}]"),
		"linux.uidMappings: no number hostID", "a string");
	refused(USERNS(",\"uidMappings\":{}"),
		"linux.uidMappings: not an array", "not an array");
	refused(USERNS(",\"uidMappings\":[" M(0, 1, 1) "," M(1, 2, 1) "," M(
			2, 3,
			1) "," M(3, 4,
				 1) "," M(4, 5,
					  1) "," M(5, 6,
						   1) "," M(6, 7,
							    1) "," M(7, 8,
								     1) "," M(8,
									      9,
									      1) "]"),
		"--uid-map: more than 8 ranges", "nine ranges");
}

static void test_mounts(void)
{
	argv_is(HEAD "\"process\":{\"args\":[\"sh\"]},\"mounts\":["
		     "{\"destination\":\"/proc\",\"type\":\"proc\","
		     "\"source\":\"proc\"},"
		     "{\"destination\":\"/dev\",\"type\":\"tmpfs\","
		     "\"options\":[\"nosuid\",\"mode=755\",\"size=65536k\"]},"
		     "{\"destination\":\"/dev/pts\",\"type\":\"devpts\"},"
		     "{\"destination\":\"/sys\",\"type\":\"sysfs\"},"
		     "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\"},"
		     "{\"destination\":\"/run\",\"type\":\"tmpfs\","
		     "\"options\":[\"nosuid\",\"mode=755\",\"size=64M\"]},"
		     "{\"destination\":\"/data\",\"type\":\"bind\","
		     "\"source\":\"/srv/d\",\"options\":[\"rbind\",\"ro\"]},"
		     "{\"destination\":\"/w\",\"type\":\"none\","
		     "\"source\":\"w\",\"options\":[\"bind\"]},"
		     "{\"destination\":\"/p2\",\"type\":\"proc\"}]}",
		ARGV0 TAIL
		" --mount proc /proc:source=proc --mount tmpfs "
		"/dev:source=tmpfs,nosuid,mode=755,size=65536k --mount devpts "
		"/dev/pts:source=devpts --mount sysfs /sys:source=sysfs "
		"--mount mqueue /dev/mqueue:source=mqueue --mount tmpfs "
		"/run:source=tmpfs,nosuid,mode=755,size=64M --ro-bind /srv/d "
		"/data --bind /b/w /w --mount proc /p2:source=proc" CMD,
		"each mount in the config's order: file systems, binds");
	argv_is(LINUX("\"maskedPaths\":[\"/proc/kcore\"],"
		      "\"readonlyPaths\":[\"/proc/sys\"]") "\"process\":{"
							   "\"args\":[\"sh\"]},"
							   "\"mounts\":["
							   "{\"destination\":"
							   "\"/dev/"
							   "shm\",\"type\":"
							   "\"tmpfs\","
							   "\"source\":\"shm\","
							   "\"options\":["
							   "\"rprivate\","
							   "\"noexec\"]},{"
							   "\"destination\":\"/"
							   "sys/fs/cgroup\","
							   "\"type\":"
							   "\"cgroup\"}]}",
		ARGV0 TAIL " --mount tmpfs /dev/shm:source=shm,noexec --mask "
			   "/proc/kcore --remount-ro /proc/sys" CMD,
		"propagation dropped, cgroup left out; masked, read-only");
	argv_is(LINUX("\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\","
		      "\"major\":10,\"minor\":229,\"fileMode\":432,\"uid\":0,"
		      "\"gid\":5},{\"path\":\"/dev/p\",\"type\":\"p\"}]") "\"pr"
									  "oces"
									  "s\":"
									  "{\"a"
									  "rgs"
									  "\":["
									  "\"sh"
									  "\"]}"
									  "}",
		ARGV0 TAIL " --device c:10:229:660:0:5 /dev/fuse --device "
			   "p:0:0:666 /dev/p" CMD,
		"linux.devices: mode in octal, owner, a FIFO");
	refused(LINUX("\"devices\":[{\"path\":\"/dev/x\",\"type\":\"z\"}]") "\""
									    "pr"
									    "oc"
									    "es"
									    "s"
									    "\""
									    ":{"
									    "\""
									    "ar"
									    "gs"
									    "\""
									    ":["
									    "\""
									    "sh"
									    "\""
									    "]}"
									    "}",
		"linux.devices[0]: not {path", "a device of no known type");
	argv_is(HEAD "\"process\":{\"args\":[\"sh\"]},\"annotations\":{"
		     "\"run.nucleus.mode\":\"production\","
		     "\"run.nucleus.landlock.rw\":\"/a::/b\","
		     "\"io.kubernetes.x\":\"y\"}}",
		ARGV0 TAIL " --mode production --landlock-rw /a --landlock-rw "
			   "/b" CMD,
		"annotations: mode, Landlock paths; others' keys ignored");
	refused(HEAD "\"process\":{\"args\":[\"sh\"],\"apparmorProfile\":"
		     "\"p\"},\"annotations\":{\"run.nucleus.mode\":"
		     "\"production\"}}",
		"AppArmor or SELinux label is not enforced",
		"production refuses an AppArmor profile");
	argv_is(HEAD "\"process\":{\"args\":[\"sh\"],\"apparmorProfile\":"
		     "\"p\"}}",
		ARGV0 TAIL CMD,
		"agent mode: an AppArmor profile is not applied");
	refused(HEAD "\"process\":{\"args\":[\"sh\"]},\"annotations\":{"
		     "\"run.nucleus.mode\":\"strict\"}}",
		"--mode", "a mode nucleus does not know");
	refused(LINUX("\"maskedPaths\":[\"rel\"]") "\"process\":{\"args\":"
						   "[\"sh\"]}}",
		"--mask: 'rel' is not an absolute path", "a relative mask");
	refused(HEAD "\"process\":{\"args\":[\"sh\"]},\"mounts\":["
		     "{\"destination\":\"/a:b\",\"type\":\"tmpfs\"}]}",
		"mounts[0].destination: '/a:b' holds a ':'",
		"a ':' in a mount");
	refused(HEAD "\"process\":{\"args\":[\"sh\"]},\"mounts\":["
		     "{\"destination\":\"/x\",\"type\":\"nfs\"}]}",
		"mounts[0]: type 'nfs' is not supported", "nfs mount");
	refused(HEAD "\"process\":{\"args\":[\"sh\"]},\"mounts\":["
		     "{\"destination\":\"/x\",\"options\":[\"bind\"]}]}",
		"mounts[0].source: missing", "bind without source");
	refused(HEAD "\"process\":{\"args\":[\"sh\"]},\"mounts\":["
		     "{\"destination\":\"x/../y\",\"type\":\"tmpfs\"}]}",
		"--mount: 'x/../y' is not an absolute path",
		"relative destination (nucleus's parser)");
}

static void test_refusals(void)
{
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"../x\"},"
		"\"process\":{\"args\":[\"x\"]}}",
		"root.path: '../x' climbs out of the bundle", "root ../x");
	refused("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"a/../../b\"},"
		"\"process\":{\"args\":[\"x\"]}}",
		"climbs out of the bundle", "root a/../../b");
	refused(HEAD "\"process\":{}}", "process.args: missing", "no args");
	refused(HEAD "\"process\":{\"args\":[]}}", "process.args: empty",
		"empty args");
	refused(HEAD "\"process\":{\"args\":[1]}}", "process.args[0]: not a",
		"args of numbers");
	refused(HEAD "\"x\":1}", "process: missing", "no process");
	refused("{\"ociVersion\":\"2.0\"}", "ociVersion: '2.0' is not 1.x",
		"version 2");
	refused("{\"root\":{}}", "ociVersion: not a string", "no version");
	refused(PROC(",\"env\":[\"NOEQ\"]"), "process.env[0]: 'NOEQ'",
		"env without =");
	refused(PROC(",\"user\":{\"uid\":-1,\"gid\":0}"), "process.user: uid",
		"negative uid");
	refused(PROC(",\"user\":{\"uid\":4294967295,\"gid\":0}"),
		"process.user: uid", "uid -1 as unsigned");
	argv_is(PROC(",\"terminal\":true"), ARGV0 TAIL CMD,
		"terminal: no flag of its own (the verb adds "
		"--console-socket)");
	refused(PROC(",\"terminal\":1"), "process.terminal: not a boolean",
		"terminal not a boolean");
	refused("{\"ociVersion\":\"1.0.0\",\"process\":{\"args\":[\"x\"]}}",
		"root: missing", "no root");
	refused("{\"a\":1,\"a\":2}", "config.json: byte 7: duplicate key",
		"duplicate key");
	refused("{\"a\":1} x", "config.json: byte 8: trailing bytes",
		"trailing garbage");
	refused("{\"a\":1,}", "byte 7: expected a key", "trailing comma");
	refused("", "byte 0: unexpected end", "empty text");
	refused("{\"a\":01}", "byte 6: expected", "leading zero");
	refused("{\"a\":\"\\x\"}", "byte 6: bad escape", "bad escape");
	refused("{\"a\":\"\\ud800\"}", "lone high surrogate", "lone surrogate");
	refused("{\"a\":\"\xff\"}", "byte 6: invalid UTF-8", "invalid UTF-8");
	refused("{\"a\":\"\n\"}", "control byte", "raw newline in a string");
	refused(PROC(",\"cwd\":\"a\\u0000b\""), "process.cwd: not a string",
		"NUL in a value");
	refused("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
		"]]]]]]]]]]]]]]]]]]]",
		"nested deeper than 32", "deep nesting");
}

#define SC(x)                                                                  \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"            \
	"\"linux\":{" NS ",\"seccomp\":" x                                     \
	"},\"process\":{\"args\":[\"sh\"]}}"
#define PROFILE                                                                \
	"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1,"         \
	"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"          \
	"\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":[{\"names\":"    \
	"[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":"  \
	"1,"                                                                   \
	"\"args\":[{\"index\":1,\"value\":448,\"valueTwo\":0,\"op\":"          \
	"\"SCMP_CMP_EQ\"}]}],\"x\":null,\"y\":true,\"n\":-1.5e3,\"s\":"        \
	"\"a\\\"b\"}"

/* linux.seccomp: --seccomp-profile names the file the verb writes, which
 * holds the subtree as it was given. */
static void test_seccomp(void)
{
	argv_is(SC(PROFILE), ARGV0 TAIL " --seccomp-profile seccomp.json" CMD,
		"linux.seccomp becomes --seccomp-profile");
	ok(seccomp_text && !strcmp(seccomp_text, PROFILE "\n"),
	   "the profile's JSON is what config.json held: %s",
	   seccomp_text ? seccomp_text : "(none)");
	argv_is(PROC(""), ARGV0 TAIL CMD, "no linux.seccomp, no flag");
	ok(!seccomp_text, "no linux.seccomp, no profile text");
	refused(SC("[]"), "linux.seccomp: not an object",
		"seccomp not an object");
	refused(SC("{\"syscalls\":[]}"), "linux.seccomp: no defaultAction",
		"seccomp without defaultAction");
	refused(SC("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":"
		   "\"/s\"}"),
		"linux.seccomp.listenerPath: not supported yet",
		"seccomp notify listener");
	ok(!seccomp_text, "a refusal leaves no profile text");
}

static void test_reader(void)
{
	const char *t = "{\"s\":\"\\u00e9\\ud83d\\ude00\\n\\/\","
			"\"n\":-12,\"f\":1.5e3,\"b\":[true,false,null]}";
	struct jr *v = jr_parse(t, strlen(t), err, sizeof(err));
	int64_t x = 0;

	ok(v && !strcmp(jr_get(v, "s")->str, "\xc3\xa9\xf0\x9f\x98\x80\n/"),
	   "escapes and a surrogate pair decode to UTF-8 (%s)", err);
	ok(v && !jr_int(jr_get(v, "n"), -20, 0, &x) && x == -12,
	   "an integer within its range");
	ok(v && jr_int(jr_get(v, "n"), 0, 20, &x) < 0 &&
		   jr_int(jr_get(v, "f"), 0, 9999, &x) < 0,
	   "out of range or not an integer: refused");
	ok(v && jr_get(v, "b")->kid->type == JR_TRUE &&
		   jr_get(v, "b")->kid->next->next->type == JR_NULL,
	   "literals");
	jr_free(v);
}

int main(void)
{
	test_minimal();
	test_confine();
	test_mounts();
	test_refusals();
	test_idmaps();
	test_seccomp();
	test_reader();
	return tap_done();
}

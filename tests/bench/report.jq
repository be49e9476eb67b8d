# SPDX-License-Identifier: MIT
# Turns the measurement lines of tests/bench/run.sh (results.jsonl, read
# with jq -s) into build/out/bench.json: the same records grouped by kind,
# plus what is derived from them in one place, so the Markdown and the JSON
# can never disagree: startup overhead over a plain exec of the same binary,
# ratios to nucleus, the syscall cost a filter adds, and the issue's targets.

def r2: . * 100 | round / 100;
def r3: . * 1000 | round / 1000;
def kind($k): map(select(.kind == $k));
def ok: select(.na == null);

. as $all
| ($all | kind("meta") | .[0] + ($all | kind("end") | .[0] // {}) | del(.kind))
	as $meta
| ($all | kind("startup")) as $st
| (reduce ($st[] | ok | select(.key == "exec")) as $e ({};
	.[$e.target] = $e.median_ms)) as $exec
| [$st[] | if .na == null and $exec[.target] != null
	then . + {overhead_ms: ((.median_ms - $exec[.target]) | r3)} else . end]
	as $st
| def ov($k; $t): first($st[] | select(.key == $k and .target == $t)
	| .overhead_ms) // null;
  def ratio($a; $b): if $a == null or $b == null or $b <= 0 then null
	else ($a / $b | r2) end;
  [$st[] | . + (if .overhead_ms == null then {} elif .group == "init"
	then {x_ref: "nucleus-init", x: ratio(.overhead_ms;
		ov("nucleus-init"; .target))}
	elif .group == "sandbox" then {x_ref: "nucleus", x:
		ratio(.overhead_ms; ov("nucleus"; .target))}
	else {} end)] as $st
| ($all | kind("phase") | group_by(.variant)
	| map({key: .[0].variant, value: {flags: .[0].flags,
	       phases: (sort_by(.at_us) | map(del(.kind, .variant, .flags)))}})
	| from_entries) as $phases
| def phase_us($v): ($phases[$v].phases // []) as $p
	# seccomp's own marks (sc-prepare in the monitor, sc-load in the
	# child) when the shim has them, else the whole confine step.
	| ([$p[] | select(.phase | test("^(sc-|seccomp)"))]) as $s
	| if ($s | length) > 0 then {phase: ($s | map(.phase) | join("+")),
		median_us: ($s | map(.median_us) | add)}
	  else (first($p[] | select(.phase == "confine")) // null
		| if . == null then null else {phase, median_us} end) end;
  ($all | kind("syscall")) as $sc
| def sc($v): first($sc[] | ok | select(.variant == $v)) // null;
  # What a filter adds: each runtime against itself without one.
  def base_of($v): if ($v | startswith("crun")) and $v != "crun" then "crun"
	elif ($v | startswith("nucleus")) and $v != "nucleus-seccomp-none"
	     and sc("nucleus-seccomp-none") != null then "nucleus-seccomp-none"
	else "plain" end;
  [$sc[] | . as $s | (if $s.na != null then {} else
	sc(base_of($s.variant)) as $base
	| {base: $base.variant, base_label: $base.label,
	   getppid_added_ns: (if $base then ($s.getppid_ns - $base.getppid_ns)
		| r2 else null end),
	   pipe_added_ns: (if $base then ($s.pipe_ns - $base.pipe_ns) | r2
		else null end)}
	+ (if ($s.variant | startswith("nucleus-seccomp-")) then
		{setup: phase_us("seccomp-" +
			($s.variant | ltrimstr("nucleus-seccomp-")))}
	   elif $s.variant == "nucleus" then {setup: phase_us("default")}
	   else {} end) end) + $s] as $sc
| def added($v): first($sc[] | select(.variant == $v) | .getppid_added_ns)
	// null;
  def target($name; $value; $limit; $met; $why):
	{target: $name, measured: $value, limit: $limit,
	 met: (if $value == null then null else $met end), note: $why};
  (ov("nucleus"; "static")) as $n
| [target("nucleus default startup overhead <= bwrap --unshare-all";
	ratio($n; ov("bwrap"; "static")); "x <= 1";
	ratio($n; ov("bwrap"; "static")) <= 1; "static true, overhead ratio"),
   target("<= 1/3 of crun run"; ratio($n; ov("crun"; "static"));
	"x <= 0.33"; ratio($n; ov("crun"; "static")) <= 0.34;
	"static true, overhead ratio"),
   target("<= 1/10 of runsc do"; ratio($n; ov("runsc"; "static"));
	"x <= 0.1"; ratio($n; ov("runsc"; "static")) <= 0.1;
	"static true, overhead ratio"),
   target("nucleus-init overhead within 10% of tini-static -s";
	ratio(ov("nucleus-init"; "static"); ov("tini-static"; "static"));
	"x <= 1.1"; ratio(ov("nucleus-init"; "static");
	ov("tini-static"; "static")) <= 1.1;
	"both as plain subreapers, static true"),
   target("nucleus-init vs tini-static as PID 1 inside nucleus";
	ratio($n; ov("nucleus-tini"; "static")); "x <= 1.1";
	ratio($n; ov("nucleus-tini"; "static")) <= 1.1;
	"whole nucleus startup; tini-static is also copied into the memfd"),
   (["default", "strict"][] as $p | phase_us("seccomp-" + $p) as $u |
	target("seccomp setup < 0.1 ms, profile " + $p;
	(if $u then $u.median_us / 1000 else null end); "ms < 0.1";
	(if $u then $u.median_us < 100 else null end);
	(if $u then "median of the \($u.phase) phase" else
	"no --seccomp-profile flag yet" end))),
   target("getppid cost of the default profile <= docker's via crun";
	(if added("nucleus-seccomp-default") != null and
	    added("crun-docker") != null then
	    (added("nucleus-seccomp-default") - added("crun-docker")) | r2
	 else null end); "added ns <= docker's added ns";
	(added("nucleus-seccomp-default") // 0) <= (added("crun-docker") // 0);
	"difference of the ns each filter adds per getppid")
  ] as $targets
| {meta: $meta, startup: $st, targets: $targets, phases: $phases,
   sizes: ($all | kind("size")), rss: ($all | kind("rss")),
   syscalls: $sc, throughput: ($all | kind("throughput")),
   binds: ($all | kind("binds"))}

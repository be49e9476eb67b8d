# SPDX-License-Identifier: MIT
# build/out/bench.json → the Markdown report of `make bench` (jq -r). Only
# formatting here: every number comes from report.jq, so the table printed
# and the JSON kept are the same run.

def num: if . == null then "n/a" else tostring end;
def ms: if . == null then "n/a" else (. * 100 | round / 100 | tostring) end;
def kib: if . == null then "n/a" else (. / 1024 * 10 | round / 10 | tostring)
	end;
def row: "| " + join(" | ") + " |";
def yes: if . == null then "n/a" elif . then "yes" else "**no**" end;
def pick($k; $t): first(.[] | select(.key == $k and .target == $t)) // null;

.meta as $m
| .startup as $st
| "# nucleus bench",
  "",
  "\($m.date), kernel \($m.kernel), \($m.cpus) CPUs (load average \($m.load_start) at the start, \($m.load_end // "n/a") at the end), \($m.nucleus) (\($m.commit)\(if $m.dirty then " + uncommitted changes" else "" end)). hyperfine, \($m.runs) runs per command in \($m.rounds) rounds over all commands (\($m.warmup) warmups each), medians. Overhead = median minus a plain exec of the same binary; x = overhead / nucleus's overhead (inits: / nucleus-init's)." +
  (if $m.quick then " **--quick: too few runs to mean anything.**" else "" end),
  "",
  "## Startup to exit",
  "",
  (["sandbox", "static true ms", "overhead ms", "x", "/bin/true ms",
    "overhead ms", "x"] | row),
  "|---|---:|---:|---:|---:|---:|---:|",
  (($st | map(.key) | reduce .[] as $k ([];
	if index([$k]) then . else . + [$k] end))[] as $k
   | ($st | pick($k; "static")) as $s | ($st | pick($k; "bin")) as $b
   | [($s // $b).label + (if ($s // $b).private_cgroup_view then " ¹"
	else "" end),
     (if $s.na then "n/a: " + $s.na else ($s.median_ms | ms) end),
     ($s.overhead_ms | ms), ($s.x | num),
     (if $b.na then "n/a: " + $b.na else ($b.median_ms | ms) end),
     ($b.overhead_ms | ms), ($b.x | num)] | row),
  "",
  "bwrap: `\($m.bwrap) TRUE` (nucleus's default tree). nucleus: `nucleus\($m.nucleus_extra) -- TRUE`.",
  "",
  "¹ run inside tests/bench/cgview.sh: a private cgroup + mount namespace whose v1 hierarchies are rooted at a child of our own cgroups (crun refuses the hybrid layout; runc and runsc would write at the hierarchy roots). runsc also gets --ignore-cgroups. Namespaces only: \(if $m.nsonly_flags == "" then "no flag to turn layers off exists yet, so the row is n/a" else "`" + $m.nsonly_flags + "`" end).",
  "",
  "## Targets (ratios of this run)",
  "",
  (["target", "measured", "limit", "met", "how"] | row),
  "|---|---:|---|---|---|",
  (.targets[] | [.target, (.measured | num), .limit, (.met | yes),
		 .note] | row),
  "",
  "## nucleus startup by phase (NUCLEUS_TIMINGS=1, static true)",
  "",
  (.phases | to_entries[] |
   "`\(.key)`\(if .value.flags != "" then " (" + .value.flags + ")" else "" end): " +
   (.value.phases | map("\(.phase) \(.median_us)") | join(" → ")) +
   " µs; exec'd init at \(.value.phases[-1].at_us // "n/a") µs"),
  "",
  "Each phase is the median time from the mark before it in time to its own: the monitor's marks (e.g. initfd, clone, maps, exec: the child's execveat seen to succeed) and the child's (e.g. released, mounts, confine) interleave, so the printed per-line deltas are not used.",
  "",
  "## Binary size",
  "",
  (["tool", "stripped KiB", "static", "+ shared libs KiB"] | row),
  "|---|---:|---|---:|",
  (.sizes[] | if .na then [.tool, "n/a: " + .na, "", ""] else
   [.tool, (.stripped_bytes | kib), (if .static then "yes" else "no" end),
    (if .static then "" else (.libs_bytes | kib) end)] end | row),
  "",
  "## Peak RSS (VmHWM) while the workload runs",
  "",
  (["tool", "process (depth: comm)", "VmHWM KiB", "VmRSS KiB", "open fds"] | row),
  "|---|---|---:|---:|---|",
  (.rss[] | if .na then [.tool, "n/a: " + .na, "", "", ""] else
   [.tool, "\(.depth): \(.comm)", (.hwm_kb | num), (.rss_kb | num),
    (.fds | join(" "))] end | row),
  "",
  "## Syscall cost (CPU ns per iteration, best of \($m.loop_rounds) rounds of \($m.getppid_n) getppid / \($m.pipe_n) pipe write+read)",
  "",
  (["setup", "getppid ns", "added", "pipe w+r ns", "added", "vs",
    "seccomp setup µs"] | row),
  "|---|---:|---:|---:|---:|---|---:|",
  (.syscalls[] | if .na then [.label, "n/a: " + .na, "", "", "", "", ""] else
   [.label, (.getppid_ns | num), (.getppid_added_ns | num), (.pipe_ns | num),
    (.pipe_added_ns | num), (.base_label // ""),
    (if .setup then "\(.setup.median_us) (\(.setup.phase))" else "" end)]
   end | row),
  "",
  "\"added\": the difference to the setup named in \"vs\": each runtime against itself without a filter. seccomp setup: the seccomp phases of the timings (building the filter in the monitor + loading it in the child), or the whole confine step when the shim has no seccomp marks.",
  "",
  "## Throughput: \($m.parallel) in parallel for \($m.throughput_seconds) s, static true",
  "",
  (["sandbox", "runs ok", "failed", "per second", "leaks"] | row),
  "|---|---:|---:|---:|---|",
  (.throughput[] | if .na then [.tool, "n/a: " + .na, "", "", ""] else
   [.tool, (.ok | num), (.failed | tostring) + (if .stderr_top then
	" (most: " + .stderr_top + ")" else "" end), (.per_s | ms),
    (if (.leaks | length) == 0 then "none" else (.leaks | join(", ")) end)]
   end | row),
  "",
  "Leaks: cgroups named nucleus-*, host mounts, nucleus processes and OCI state directories that appeared during the run and were still there 2 s later (other engineers' tests run on this machine too), and cgroups a runtime left in its private view."

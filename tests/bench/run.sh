#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: startup-to-exit of /bin/true, plain and under nucleus, as
# medians of RUNS runs and as ratios, plus stripped binary sizes. A benchmark,
# not a test: the machines are noisy, so only ratios from one run are quoted.
# Writes a Markdown table on stdout and build/out/bench.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=build/out
RUNS=${RUNS:-100}

median_us() { # CMD... : median wall time of RUNS runs, in microseconds
	local t=() s e
	for _ in $(seq 5); do "$@" >/dev/null 2>&1 || true; done
	for _ in $(seq "$RUNS"); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s%N)
		t+=($(((e - s) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

declare -A res
names=(exec nucleus nucleus-share-net)
res[exec]=$(median_us /bin/true)
res[nucleus]=$(median_us "$OUT/nucleus" -- /bin/true)
res[nucleus-share-net]=$(median_us "$OUT/nucleus" --share net -- /bin/true)
if command -v unshare >/dev/null; then
	names+=(unshare)
	res[unshare]=$(median_us unshare -pfmniu --mount-proc /bin/true)
fi
if command -v bwrap >/dev/null; then
	names+=(bwrap)
	res[bwrap]=$(median_us bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev /bin/true)
fi

echo "| command | median us | overhead us | ratio to nucleus overhead |"
echo "|---|---|---|---|"
base=${res[exec]}
nov=$((res[nucleus] - base))
json="{\"runs\": $RUNS, \"startup_us\": {"
for n in "${names[@]}"; do
	ov=$((res[$n] - base))
	ratio=$(awk -v a="$ov" -v b="$nov" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	echo "| $n | ${res[$n]} | $ov | $ratio |"
	json="$json\"$n\": ${res[$n]}, "
done
json="${json%, }}, \"size_bytes\": {"
echo
echo "| binary | stripped bytes | static |"
echo "|---|---|---|"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in nucleus nucleus-init; do
	strip -o "$tmp/$b" "$OUT/$b"
	sz=$(stat -c %s "$tmp/$b")
	st=$(file -L "$OUT/$b" | grep -q 'statically linked' && echo yes || echo no)
	echo "| $b | $sz | $st |"
	json="$json\"$b\": $sz, "
done
echo "${json%, }}}" >"$OUT/bench.json"
echo
echo "JSON: $OUT/bench.json"

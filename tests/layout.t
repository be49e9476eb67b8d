#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The shim's layers (README "How the code is laid out"): a file includes
# from its own layer or below, never above, so data flows one way: cli ->
# plan -> host -> setup -> runtime -> main.c. And the state a run prepares
# is passed as values, not kept in file-scope variables: the mutable ones
# left are few, counted from the compiled objects (nm), each justified.
. "$(dirname "$0")/lib/tap.sh"

LAYERS=(lib cli plan host setup runtime)
MAX_GLOBALS=7 # mutable file-scope variables of the shim (issue 15: <= 10)

rank() { # LAYER: its place in LAYERS, or 99
	local i
	for i in "${!LAYERS[@]}"; do
		[ "${LAYERS[$i]}" = "$1" ] && { echo "$i"; return; }
	done
	echo 99
}

# ROOT: one line per include that points up a layer, or at a header that
# is not in a layer folder (the generated seccomp_builtin.h aside).
upward() {
	local f l h
	for f in "$1"/*/*.[ch] "$1"/main.c; do
		l=$(basename "$(dirname "$f")")
		[ "$f" = "$1/main.c" ] && l=main
		while read -r h; do
			[ "$h" = seccomp_builtin.h ] && continue
			if [ ! -f "$1/$h" ]; then
				echo "$f -> $h (not a layer's header)"
			elif [ "$l" != main ] &&
				[ "$(rank "${h%%/*}")" -gt "$(rank "$l")" ]; then
				echo "$f -> $h"
			fi
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	done
}

stray=$(cd "$TOP/shim" && ls | grep -vxE "$(IFS='|'; echo "${LAYERS[*]}")|main.c|nucleus.1")
is "$stray" "" "shim/ holds only the layer folders, main.c and nucleus.1"
for d in "${LAYERS[@]}"; do
	ok "shim/$d exists and has C files" eval "ls '$TOP/shim/$d'/*.c >/dev/null"
done

bad=$(upward "$TOP/shim")
is "$bad" "" "no include points up a layer"

# Control: the same check on a copy with one upward include finds it.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$TOP/shim" "$tmp/shim"
echo '#include "runtime/monitor.h"' >>"$tmp/shim/lib/util.c"
like "$(upward "$tmp/shim")" 'lib/util.c -> runtime/monitor.h' \
	"control: an include of runtime/ from lib/ is found"

# Mutable file-scope variables: the data and bss symbols of each object
# (a const table with pointers sits in .data.rel.ro, read-only once
# relocated: not counted), but a function's own statics (name.N).
globals=()
uncompiled=()
for f in "$TOP"/shim/*/*.c "$TOP"/shim/main.c; do
	o=$tmp/$(basename "$f").o
	if ! musl-gcc -std=c11 -D_GNU_SOURCE -DNUCLEUS_VERSION='"0"' -Os \
		-fdata-sections \
		-idirafter "$TOP/build/cache/include" -I"$TOP/shim" \
		-I"$OUT/gen" -c "$f" -o "$o" 2>"$tmp/err"; then
		diag "$(cat "$tmp/err")"
		uncompiled+=("${f#"$TOP"/}")
		continue
	fi
	while read -r sec name; do
		case $sec in .data.rel.ro*) continue ;; .data* | .bss*) ;; *) continue ;; esac
		[[ $name == *.* ]] && continue
		globals+=("${f#"$TOP"/}: $name")
	done < <(objdump -t "$o" | awk '$3 == "O" { print $4, $6 }')
done
is "${uncompiled[*]}" "" "every shim file compiles on its own for nm"
# Each says why it must be global: a comment with "Global" in the lines
# just above its definition.
unjustified=()
for g in "${globals[@]}"; do
	diag "global: $g"
	f=$TOP/${g%%: *} name=${g#*: }
	line=$(grep -nE "^[^[:space:]/*#].*\b$name\b.*[;={[][[:space:]]*(/\*.*)?$" \
		"$f" | grep -v extern | head -1 | cut -d: -f1)
	[ -n "$line" ] && sed -n "$((line > 12 ? line - 12 : 1)),${line}p" "$f" |
		grep -q 'Global' || unjustified+=("$g")
done
is "${unjustified[*]}" "" "every mutable file-scope variable says why it is global"
ok "${#globals[@]} mutable file-scope variables <= $MAX_GLOBALS" \
	test "${#globals[@]}" -le "$MAX_GLOBALS"

# .clang-format (STYLE.md: LLVM base, tabs of 8, Linux braces, 80 columns)
# holds for the C of both binaries and nucleus-policy.
if command -v clang-format >/dev/null; then
	unformatted=$(cd "$TOP" && for f in shim/main.c shim/*/*.[ch] init/*.[ch] \
		policy/*.[ch]; do
		clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
	done)
	is "$unformatted" "" "the C sources are as clang-format writes them"
else
	skip "clang-format is not installed (apt-get install clang-format)"
fi

done_testing

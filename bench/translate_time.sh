#!/usr/bin/env bash
# bench/translate_time.sh - how long daec takes to translate a file, against
# clang parsing the same file (clang-19 -fsyntax-only), for files of 100,
# 1000, 5000 and 20000 lines made by bench/gen_translate_input.py (embedding
# bags and SparseLengthsSum kernels that daec decouples, among ordinary code).
#
# usage: bench/translate_time.sh [--daec PATH] [--runs N] [--lines "L1 L2 ..."]
#   --daec PATH   daec to time (default: $DAEC, else build/translator/daec)
#   --runs N      runs per file and tool, the median is shown (default 7, >= 5)
#   --lines LIST  file sizes in lines (default "100 1000 5000 20000")
#
# Prints: lines | daec and clang median wall ms | ratio (daec / clang) |
# median CPU ms (user + system) and their ratio | wall ms per 1000 lines |
# marginal ms per 1000 lines (the growth from the previous size, without the
# fixed start-up cost: constant when time grows linearly with the file).
# daec runs as `daec FILE -o /dev/null`. Not a ctest: timings depend on the
# machine (and on its load: the CPU columns much less).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
daec=${DAEC:-$root/build/translator/daec}
runs=7
sizes="100 1000 5000 20000"
clang=${CLANG:-clang-19}

while [ $# -gt 0 ]; do
	case $1 in
	--daec) daec=$2; shift ;;
	--runs) runs=$2; shift ;;
	--lines) sizes=$2; shift ;;
	-h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "translate_time.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$daec" ] || { echo "translate_time.sh: no daec at $daec (build it, or pass --daec)" >&2; exit 2; }
command -v "$clang" >/dev/null || { echo "translate_time.sh: $clang not found" >&2; exit 2; }
[ "$runs" -ge 5 ] || { echo "translate_time.sh: --runs must be at least 5" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_times CMD...: one run of CMD; prints "WALL_US CPU_US" (CPU: user +
# system of the process and its threads, which the machine's load barely
# changes, unlike the wall time).
run_times() {
	local TIMEFORMAT='%3R %3U %3S' t
	t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
	awk -v t="$t" 'BEGIN { split(t, v, " "); printf "%d %d\n", v[1] * 1e6, (v[2] + v[3]) * 1e6 }'
}

# median_ms COLUMN: the median of column COLUMN (microseconds) of standard input, in ms.
median_ms() {
	awk -v c="$1" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}

echo "daec: $("$daec" --version), clang: $("$clang" --version | head -n 1)"
echo "median of $runs runs each (alternating); daec FILE -o /dev/null vs $clang -fsyntax-only FILE"
echo
printf '| %6s | %7s | %8s | %5s | %7s | %8s | %5s | %8s | %9s | %8s | %9s |\n' lines \
	"daec ms" "clang ms" ratio "daec cpu" "clang cpu" "cpu ratio" "daec /kl" "clang /kl" \
	"daec marg" "clang marg"
echo "|-------:|--------:|---------:|------:|---------:|----------:|----------:|---------:|----------:|----------:|-----------:|"
prev_n=0 prev_d=0 prev_c=0
for n in $sizes; do
	f=$work/gen_$n.c
	python3 "$here/gen_translate_input.py" "$n" "$f"
	lines=$(wc -l <"$f")
	"$daec" "$f" -o /dev/null 2>/dev/null || { echo "translate_time.sh: daec failed on $f" >&2; exit 1; }
	"$clang" -fsyntax-only "$f" || { echo "translate_time.sh: $clang failed on $f" >&2; exit 1; }
	# One warm-up run each (above), then the two alternate, so that a
	# change in the machine's load hits both alike.
	: >"$work/d.times"
	: >"$work/c.times"
	for ((i = 0; i < runs; i++)); do
		run_times "$daec" "$f" -o /dev/null >>"$work/d.times"
		run_times "$clang" -fsyntax-only "$f" >>"$work/c.times"
	done
	d=$(median_ms 1 <"$work/d.times")
	c=$(median_ms 1 <"$work/c.times")
	dc=$(median_ms 2 <"$work/d.times")
	cc=$(median_ms 2 <"$work/c.times")
	awk -v n="$lines" -v d="$d" -v c="$c" -v dc="$dc" -v cc="$cc" \
		-v pn="$prev_n" -v pd="$prev_d" -v pc="$prev_c" 'BEGIN {
		md = "-"; mc = "-"
		if (pn > 0) {
			md = sprintf("%.2f", (d - pd) * 1000 / (n - pn))
			mc = sprintf("%.2f", (c - pc) * 1000 / (n - pn))
		}
		printf "| %6d | %7.1f | %8.1f | %5.2f | %8.1f | %9.1f | %9.2f | %8.2f | %9.2f | %9s | %10s |\n",
		       n, d, c, d / c, dc, cc, dc / cc, d * 1000 / n, c * 1000 / n, md, mc }'
	prev_n=$lines prev_d=$d prev_c=$c
done
echo
echo "ms: median wall time; cpu: median user+system ms; /kl: wall ms per 1000 lines;"
echo "marg: (wall - wall of the previous size) per 1000 added lines (no start-up cost)."

#!/usr/bin/env bash
# bench/calibrate/embag_probe.sh - builds bench/calibrate/embag_probe.c with
# the loop variants of embag_probe_kern.c (gcc -O2), the sample
# samples/embedding_bag_sum.c at -O2 (variant A) and at -O3 -march=native
# (variant F), and runs it with the given arguments after waiting for the
# 1-minute load average to drop below LOAD_MAX (default 0.6; polls every 30 s).
#
#   bench/calibrate/embag_probe.sh [embag_probe options...] VARIANT...
#
# Environment: CC (default gcc), PROBE_OUT (build directory, default
# /tmp/daec-embag-probe), LOAD_MAX. See embag_probe.c for the variants.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/calibrate/quiet.sh
. "$here/quiet.sh"
cc=${CC:-gcc}
out=${PROBE_OUT:-/tmp/daec-embag-probe}
load_max=${LOAD_MAX:-0.6}
mkdir -p "$out"

flags=(-std=gnu11 -Wall -Wextra -Wno-unused-parameter)
"$cc" -O2 "${flags[@]}" -c "$here/../../samples/embedding_bag_sum.c" -o "$out/a.o"
"$cc" -O3 -march=native "${flags[@]}" -Dembedding_bag_sum=embag_F \
	-c "$here/../../samples/embedding_bag_sum.c" -o "$out/f.o"
"$cc" -O2 "${flags[@]}" -c "$here/embag_probe_kern.c" -o "$out/kern.o"
"$cc" -O2 "${flags[@]}" "$here/embag_probe.c" "$out/a.o" "$out/f.o" "$out/kern.o" \
	-o "$out/embag_probe"

wait_quiet embag_probe.sh "$load_max"
echo "embag_probe.sh: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$out/embag_probe" "$@"
echo "embag_probe.sh: load average after $(cut -d' ' -f1-3 /proc/loadavg)" >&2

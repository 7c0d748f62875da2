#!/usr/bin/env bash
# bench/calibrate/run.sh - builds bench/calibrate/calibrate.c with gcc -O2 and
# runs it: measurements of this machine for the timing model's "host" preset
# (clock, load latency per working set, bandwidth, memory-level parallelism,
# row gathers, the plain C embedding bag, reorder window). From anywhere:
#
#   bench/calibrate/run.sh [JSON_PATH] [calibrate options...]
#
# prints the table and writes the raw measurements (medians, spreads, derived
# plateaus; keys documented at the top of calibrate.c) to JSON_PATH, default
# /tmp/host-measured.json. Options after the path go to the program:
# --reps N (default 7), --quick (shorter runs, for trying it out), --no-thp
# (4 KiB pages, to see what 2 MiB pages are worth). Takes about a minute (first
# touch of the 4.1 GiB arena is 1-16 s of it on a VM) and about 4.5 GiB of
# memory. Not built by CMake: no bench program is.
#
# Environment: CC (default gcc), CALIBRATE_OUT (where the binary goes,
# default /tmp/daec-calibrate). The machine is shared: run it when it is
# quiet, and compare numbers from one run with each other, not across days.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
json=${1:-/tmp/host-measured.json}
[ $# -gt 0 ] && shift
cc=${CC:-gcc}
out=${CALIBRATE_OUT:-/tmp/daec-calibrate}
mkdir -p "$out"

# -O2 and no -march: the embedding bag is timed as the distro compiler builds it.
"$cc" -O2 -std=gnu11 -Wall -Wextra -Wno-unused-parameter -pthread "$here/calibrate.c" \
	"$here/../../samples/embedding_bag_sum.c" -o "$out/calibrate" -lm
echo "run.sh: $("$cc" --version | head -1), -O2; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
"$out/calibrate" --json "$json" "$@"
echo "run.sh: done in $(($(date +%s) - start)) s; load average now $(cut -d' ' -f1-3 /proc/loadavg)"

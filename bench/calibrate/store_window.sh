#!/usr/bin/env bash
# bench/calibrate/store_window.sh - builds bench/calibrate/store_window.c
# (gcc -O2) and runs it with the given arguments once the 1-minute load
# average is below LOAD_MAX (default 0.6; polls every 30 s): how many stores
# waiting for their data one core holds, the timing model's
# coupled.pending_stores. Takes about a minute and 1 GiB of memory.
#
#   bench/calibrate/store_window.sh [--mib M] [--reps R] [--iters N]
#
# Environment: CC (default gcc), PROBE_OUT (build directory, default
# /tmp/daec-embag-probe), LOAD_MAX.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/calibrate/quiet.sh
. "$here/quiet.sh"
cc=${CC:-gcc}
out=${PROBE_OUT:-/tmp/daec-embag-probe}
load_max=${LOAD_MAX:-0.6}
mkdir -p "$out"

"$cc" -O2 -std=gnu11 -Wall -Wextra "$here/store_window.c" -o "$out/store_window"
wait_quiet store_window.sh "$load_max"
echo "store_window.sh: load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$out/store_window" "$@"
echo "store_window.sh: load average after $(cut -d' ' -f1-3 /proc/loadavg)"

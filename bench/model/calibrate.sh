#!/usr/bin/env bash
# bench/model/calibrate.sh - does the "host" machine description predict this
# machine? For each table size and pooling (dim 64 floats, uniform indices),
# in one run:
#   measured:  the original samples/embedding_bag_sum.c (gcc -O2), median
#              wall time of 5 calls after a warm-up call;
#   predicted: the timing model's coupled baseline (an out-of-order core
#              running the same loads and arithmetic) on the trace of one call
#              of daec's -O3 translation, DAE_MACHINE=host, in seconds.
# Prints a table with predicted / measured per shape and the worst error.
#
# usage: bench/model/calibrate.sh [BUILD_DIR]     (default build-model-bench)
# env:   SIZES_MIB (default "1 16 64 256 1024 2048"), POOLS ("10 40 100"),
#        LOOKUPS per call (1000000), DIM (64), MACHINE (host),
#        OUT (BUILD_DIR/model-bench): translations, programs, statistics,
#        MEASURED (a file holding an earlier run's table, e.g.
#        bench/model/calibrate-measured.md): take the measured ms of each
#        shape from it and only run the model (no wall-clock measurement, so
#        a busy machine does not matter; MACHINE may then be a JSON file).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-model-bench}
out=${OUT:-$build/model-bench}
sizes=${SIZES_MIB:-1 16 64 256 1024 2048}
pools=${POOLS:-10 40 100}
lookups=${LOOKUPS:-1000000}
dim=${DIM:-64}
machine=${MACHINE:-host}
# shellcheck source=common.sh
. "$here/common.sh"
model_build "$build" "$out" 3

measured=${MEASURED:-}
if [ -n "$measured" ]; then
	[ -r "$measured" ] || {
		echo "calibrate.sh: MEASURED=$measured: cannot read it" >&2
		exit 2
	}
	echo "machine: $machine; dim $dim; $lookups lookups per call; original: measured ms from $measured"
else
	echo "machine: $machine; dim $dim; $lookups lookups per call; original: gcc -O2 (median of 5 calls)"
fi
echo
echo "| table MiB | pooling | measured ms | predicted ms | predicted/measured | bound by |"
echo "|---:|---:|---:|---:|---:|---|"
worst=0
for mib in $sizes; do
	rows=$((mib * 1048576 / (dim * 4)))
	for pool in $pools; do
		bags=$((lookups / pool))
		stats=$out/calib.$mib.$pool.json
		rm -f "$stats"
		if [ -n "$measured" ]; then
			# The row "| MiB | pooling | measured ms | ..." of the earlier run.
			meas=$(awk -F'|' -v mib="$mib" -v pool="$pool" '
				$2 + 0 == mib && $3 + 0 == pool && $4 ~ /[0-9]/ { print $4 / 1e3; exit }' "$measured")
			if [ -z "$meas" ]; then
				echo "calibrate.sh: $measured has no row for $mib MiB, pooling $pool" >&2
				exit 2
			fi
			DAE_MACHINE=$machine DAE_MODEL_OUT=$stats "$out/embag_O3" --rows "$rows" --dim "$dim" \
				--pool "$pool" --bags "$bags" --model 1 >/dev/null
		else
			res=$(DAE_MACHINE=$machine DAE_MODEL_OUT=$stats "$out/embag_O3" --rows "$rows" --dim "$dim" \
				--pool "$pool" --bags "$bags" --time 5 --model 1)
			meas=$(jq -r '.orig_seconds' <<<"$res")
		fi
		pred=$(jq -r '.coupled.seconds' "$stats")
		bound=$(jq -r '.coupled.bound // "-"' "$stats")
		line=$(awk -v m="$meas" -v p="$pred" -v mib="$mib" -v pool="$pool" -v b="$bound" 'BEGIN {
			printf "| %d | %d | %.2f | %.2f | %.2f | %s |", mib, pool, m * 1e3, p * 1e3, p / m, b }')
		echo "$line"
		worst=$(awk -v w="$worst" -v m="$meas" -v p="$pred" 'BEGIN {
			e = p / m - 1; if (e < 0) e = -e; print (e > w ? e : w) }')
	done
done
echo
awk -v w="$worst" 'BEGIN { printf "worst error: %.1f%% (target: within 30%%)\n", w * 100 }'

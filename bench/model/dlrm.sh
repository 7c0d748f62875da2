#!/usr/bin/env bash
# bench/model/dlrm.sh - the timing model on DeepRecSys's embedding-bag shapes
# (shared/REFERENCE.md): RM1 (4M rows x 32 floats, pooling 80), RM2 (500K x
# 64, pooling 120), RM3 (2M x 32, pooling 20), one table each, BAGS bags of
# uniform random indices. For each shape and each of daec's levels it runs
# the translation compiled with -DDAE_TRACE on the machine MACHINE (default
# "tmu", the TMU-like DAE machine) and prints the modelled cycles, the
# speedup of each level over -O0 (beside Ember's published opt1/opt2/opt3
# speedups over emb-opt0) and the decoupled -O3 program against the coupled
# baseline the same model runs (beside TMU's 3.6x over vectorised software).
#
# usage: bench/model/dlrm.sh [BUILD_DIR]          (default build-model-bench)
# env:   BAGS (default 256), LEVELS ("0 2 3"; any of 0 1 2 3 2d 3d hand, see
#        common.sh), MACHINE (tmu), COUPLED (ooo: the machine whose coupled
#        baseline the DAE run is compared with; the DAE machine's own
#        "coupled" section when empty), OUT, SHAPES (instead of RM1-3: shapes
#        "NAME ROWS DIM POOLING" separated by ";" or newlines, e.g.
#        SHAPES="I4 4194304 64 40", a 1 GiB table of 64-float rows).
#
# Queue bytes/lookup are the model's queue words (tokens and operands,
# including rows sent by value) times 8 bytes, or its queue bytes where the
# statistics give them. A level where daec declines the function is listed
# as "not decoupled".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-model-bench}
out=${OUT:-$build/model-bench}
bags=${BAGS:-256}
levels=${LEVELS:-0 2 3}
machine=${MACHINE:-tmu}
# shellcheck source=common.sh
. "$here/common.sh"
# shellcheck disable=SC2086
model_build "$build" "$out" $levels

declare -A ember=([RM1]="6.5-6.8" [RM2]="11.9-12.3" [RM3]="20.7-21.2")
shapes=("RM1 4000000 32 80" "RM2 500000 64 120" "RM3 2000000 32 20")
if [ -n "${SHAPES:-}" ]; then
	shapes=()
	while IFS= read -r shape; do
		[ -n "${shape// /}" ] && shapes+=("$shape")
	done <<<"${SHAPES//;/$'\n'}"
fi

echo "machine: $machine; $bags bags per table; uniform indices; cycles of one call"
echo
printf '| shape | level | cycles | cycles/lookup | operands/lookup | tokens/lookup | queue bytes/lookup | speedup over O0 | DAE vs coupled | access busy | execute busy | queue full |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for shape in "${shapes[@]}"; do
	read -r name rows dim pool <<<"$shape"
	[ -n "$pool" ] || { echo "dlrm.sh: bad shape \"$shape\" (NAME ROWS DIM POOLING)" >&2; exit 2; }
	lookups=$((bags * pool))
	base=
	for level in $levels; do
		if ! model_decoupled "$out" "$level"; then
			echo "| $name | O$level | not decoupled | | | | | | | | | |"
			continue
		fi
		stats=$out/dlrm.$name.O$level.json
		rm -f "$stats"
		DAE_MACHINE=$machine DAE_MODEL_OUT=$stats "$out/embag_O$level" --rows "$rows" --dim "$dim" \
			--pool "$pool" --bags "$bags" --model 1 >/dev/null
		cyc=$(jq -r '.cycles' "$stats")
		# The speedup column is over the first level listed (O0 by default).
		[ -n "$base" ] || base=$cyc
		jq -r --arg name "$name" --arg level "O$level" --argjson n "$lookups" --argjson base "$base" '
			"| \($name) | \($level) | \(.cycles | floor) | \(.cycles / $n * 100 | round / 100) | " +
			"\(.events.operands / $n * 100 | round / 100) | \(.events.tokens / $n * 1000 | round / 1000) | " +
			"\((.queue.bytes // (.queue.words * 8)) / $n * 10 | round / 10) | " +
			"\($base / .cycles * 100 | round / 100)x | \(.speedup * 100 | round / 100)x | " +
			"\(.access.busy_pct | round)% | \(.execute.busy_pct | round)% | " +
			"\(.queue.full_stall_cycles / .cycles * 100 | round)% |"' "$stats"
	done
	[ -z "${ember[$name]:-}" ] ||
		echo "| $name | Ember opt3 over opt0 | | | | | | ${ember[$name]}x | TMU: 3.6x | | | |"
done

#!/usr/bin/env bash
# bench/mode_sweep.sh - times the translated samples in libdae's two executor
# modes (threads, inline) and over a range of inline queue sizes, with the
# differential drivers of a build tree (cmake --build build builds them).
#
#   bench/mode_sweep.sh [BUILD_DIR]
#
# For every driver and shape below it runs
#   DAE_MODE=threads drive_NAME --bench ARGS
#   DAE_MODE=inline DAE_INLINE_WORDS=W drive_NAME --bench ARGS   (W in $WORDS)
# $ROUNDS times (rounds interleave the configurations, so a burst of noise
# from other tenants hits all of them alike) and prints one line per
# configuration: the median of the rounds' orig/dae ratios (above 1: the
# translation is faster), then each round's ratio. Each round is itself the
# best of the driver's --reps runs.
#
# Environment: WORDS (default "64 128 256 512 1024 2048 4096"), ROUNDS (3),
# DRIVERS (the four samples), SHAPES (";"-separated driver arguments).
set -euo pipefail

build=${1:-build}
words=${WORDS:-64 128 256 512 1024 2048 4096}
rounds=${ROUNDS:-3}
drivers=${DRIVERS:-embedding_bag_sum sparse_lengths_sum embedding_bag_weighted embedding_bag_mean}
shapes=${SHAPES:-"--table-mib 256;--table-mib 16;--table-mib 16 --bags 16 --reps 2000"}

configs=("threads")
for w in $words; do
	configs+=("inline:$w")
done

IFS=';' read -r -a shape_list <<<"$shapes"
for name in $drivers; do
	drv=$build/tests/diff/drive_$name
	[ -x "$drv" ] || { echo "mode_sweep: no $drv (build it first)" >&2; exit 1; }
	for shape in "${shape_list[@]}"; do
		read -r -a args <<<"$shape"
		declare -A ratios=()
		for ((r = 0; r < rounds; r++)); do
			for cfg in "${configs[@]}"; do
				mode=${cfg%%:*}
				w=${cfg#*:}
				[ "$mode" = threads ] && w=
				line=$(env DAE_MODE="$mode" ${w:+DAE_INLINE_WORDS=$w} \
					"$drv" --bench "${args[@]}" 2>/dev/null | grep '^BENCH ')
				read -r _ _ s_orig s_dae same <<<"$line"
				[ "$same" = 1 ] || { echo "mode_sweep: $name $cfg: outputs differ" >&2; exit 1; }
				ratio=$(awk -v a="$s_orig" -v b="$s_dae" 'BEGIN { printf "%.2f", a / b }')
				ratios[$cfg]="${ratios[$cfg]:-} $ratio"
			done
		done
		for cfg in "${configs[@]}"; do
			med=$(tr ' ' '\n' <<<"${ratios[$cfg]}" | sed '/^$/d' | sort -g |
				awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
			printf '%-24s %-44s %-12s median %s  rounds%s\n' "$name" "$shape" "$cfg" "$med" \
				"${ratios[$cfg]}"
		done
		unset ratios
	done
done

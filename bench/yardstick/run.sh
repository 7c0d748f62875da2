#!/usr/bin/env bash
# bench/yardstick/run.sh - builds the yardstick from a configured build dir and
# runs it in both executor modes. From the repository root:
#
#   cmake -S . -B build-y && bench/yardstick/run.sh build-y
#
# or with options for the benchmark after the build dir, e.g.
#
#   bench/yardstick/run.sh build-y --table-mib 64 --reps 3
#
# It builds daec and libdae.a in BUILD_DIR (cmake --build), translates
# bench/yardstick/ref_ops.c with that daec at -O0, -O1, -O2, -O3 (rows by
# reference, the cpu target's default) and -O2 / -O3 --marshal=data (rows by
# value), compiles the reference, the six translations and the hand-written
# versions (hand_ops.c, three execute loop shapes) with distinct names (-D
# renames), links them into YS_OUT/yardstick and runs it with DAE_MODE=inline
# and then DAE_MODE=threads. Everything it writes goes to YS_OUT. A function
# daec declines at a level (a remark on stderr, "decoupled": false in
# YS_OUT/ref_ops.LEVEL.report.json) is compiled as the original and listed
# as "not decoupled" by the program.
#
# Environment: CC (default cc), YS_CFLAGS (default "-O2 -ffp-contract=off", the
# flags of the differential tests and the main job; every object gets the same
# ones), MODES (default "inline threads"), and DAE_INLINE_WORDS /
# DAE_QUEUE_WORDS, passed through to libdae. YS_OUT (default BUILD_DIR/yardstick)
# is where the translations, objects and the program go. DAEC=/path/to/daec
# uses that translator instead of building BUILD_DIR's (then only libdae.a is
# built there).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build-y}
[ $# -gt 0 ] && shift
[ -f "$build/CMakeCache.txt" ] || { echo "run.sh: $build is not a configured build dir (cmake -S $root -B $build)" >&2; exit 2; }
build=$(cd "$build" && pwd)
out=${YS_OUT:-$build/yardstick}
cc=${CC:-cc}
read -r -a cflags <<<"${YS_CFLAGS:--O2 -ffp-contract=off}"
modes=${MODES:-inline threads}

if [ -n "${DAEC:-}" ]; then
	cmake --build "$build" --target dae_static -j2 >/dev/null
	daec=$DAEC
else
	cmake --build "$build" --target daec dae_static -j2 >/dev/null
	daec=$build/translator/daec
fi
echo "run.sh: translator $daec ($("$daec" --version 2>&1 | head -1)), runtime $build/runtime/libdae.a"
libdae=$build/runtime/libdae.a
mkdir -p "$out"

# Translate the reference at every level: TAG PREFIX DAEC-OPTIONS. Remarks go
# to stderr; a function daec declines (its report says "decoupled": false) is
# the original in that translation, and yardstick.c is told (YS_DECLINED) so
# that it reports it as not decoupled instead of timing it.
levels=(
	"O0 o0_ -O0"
	"O1 o1_ -O1"
	"O2 o2_ -O2"
	"O3 o3_ -O3"
	"O2d o2d_ -O2 --marshal=data"
	"O3d o3d_ -O3 --marshal=data"
)
declined=
for l in "${levels[@]}"; do
	read -r tag prefix rest <<<"$l"
	read -r -a opts <<<"$rest"
	report=$out/ref_ops.$tag.report.json
	timeout 300 "$daec" "${opts[@]}" "$here/ref_ops.c" -o "$out/ref_ops.$tag.dae.c" --report="$report"
	while read -r f; do
		echo "run.sh: daec ${opts[*]} declined $f (see $report)" >&2
		declined="$declined${declined:+ }$prefix${f#ys_}"
	done < <(awk -F'"' '/"name":/ { n = $4 } /"decoupled": false/ { print n }' "$report")
done

renames() { # PREFIX: -Dys_NAME=PREFIXNAME for the three ops
	for f in embedding_bag_sum csr_spmm gather_rows; do printf -- '-Dys_%s=%s%s ' "$f" "$1" "$f"; done
}
inc=(-I "$root/include" -I "$here")
common=("${cflags[@]}" -std=gnu11 -Wall)

# shellcheck disable=SC2046
"$cc" "${common[@]}" $(renames ref_) -c "$here/ref_ops.c" -o "$out/ref_ops.o"
objs=("$out/ref_ops.o")
for l in "${levels[@]}"; do
	read -r tag prefix _ <<<"$l"
	# shellcheck disable=SC2046
	"$cc" "${common[@]}" "${inc[@]}" $(renames "$prefix") -c "$out/ref_ops.$tag.dae.c" -o "$out/ref_ops.$tag.o"
	objs+=("$out/ref_ops.$tag.o")
done
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=2 -DYS_PREFIX=hand_ -c "$here/hand_ops.c" -o "$out/hand_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=1 -DYS_PREFIX=handv_ -c "$here/hand_ops.c" -o "$out/handv_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=0 -DYS_PREFIX=hands_ -c "$here/hand_ops.c" -o "$out/hands_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_CFLAGS="\"$cc ${cflags[*]}\"" -DYS_DECLINED="\"$declined\"" \
	-c "$here/yardstick.c" -o "$out/yardstick.o"
"$cc" -o "$out/yardstick" "$out/yardstick.o" "${objs[@]}" \
	"$out/hand_ops.o" "$out/handv_ops.o" "$out/hands_ops.o" "$libdae" -ljansson -lpthread

status=0
for mode in $modes; do
	echo "== DAE_MODE=$mode"
	DAE_MODE=$mode "$out/yardstick" "$@" || status=$?
	echo
done
exit $status

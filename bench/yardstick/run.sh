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
# bench/yardstick/ref_ops.c with that daec at -O3 (the default) and at -O2,
# compiles the reference, both translations and the hand-written versions
# (hand_ops.c, three execute loop shapes) with distinct names (-D renames),
# links them into YS_OUT/yardstick and runs it with DAE_MODE=inline
# and then DAE_MODE=threads. Everything it writes goes to YS_OUT.
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

# Translate the reference (any decline is reported on stderr and in the reports).
timeout 300 "$daec" "$here/ref_ops.c" -o "$out/ref_ops.O3.dae.c" --report="$out/ref_ops.O3.report.json"
timeout 300 "$daec" -O2 "$here/ref_ops.c" -o "$out/ref_ops.O2.dae.c" --report="$out/ref_ops.O2.report.json"
if grep -q '"decoupled": false' "$out/ref_ops.O3.report.json" "$out/ref_ops.O2.report.json"; then
	echo "run.sh: daec declined a reference function (see $out/ref_ops.O*.report.json)" >&2
fi

renames() { # PREFIX: -Dys_NAME=PREFIXNAME for the three ops
	for f in embedding_bag_sum csr_spmm gather_rows; do printf -- '-Dys_%s=%s%s ' "$f" "$1" "$f"; done
}
inc=(-I "$root/include" -I "$here")
common=("${cflags[@]}" -std=gnu11 -Wall)

# shellcheck disable=SC2046
"$cc" "${common[@]}" $(renames ref_) -c "$here/ref_ops.c" -o "$out/ref_ops.o"
# shellcheck disable=SC2046
"$cc" "${common[@]}" "${inc[@]}" $(renames o2_) -c "$out/ref_ops.O2.dae.c" -o "$out/ref_ops.O2.o"
# shellcheck disable=SC2046
"$cc" "${common[@]}" "${inc[@]}" $(renames o3_) -c "$out/ref_ops.O3.dae.c" -o "$out/ref_ops.O3.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=2 -DYS_PREFIX=hand_ -c "$here/hand_ops.c" -o "$out/hand_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=1 -DYS_PREFIX=handv_ -c "$here/hand_ops.c" -o "$out/handv_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_SHAPE=0 -DYS_PREFIX=hands_ -c "$here/hand_ops.c" -o "$out/hands_ops.o"
"$cc" "${common[@]}" "${inc[@]}" -Wextra -DYS_CFLAGS="\"$cc ${cflags[*]}\"" -c "$here/yardstick.c" -o "$out/yardstick.o"
"$cc" -o "$out/yardstick" "$out/yardstick.o" "$out/ref_ops.o" "$out/ref_ops.O2.o" "$out/ref_ops.O3.o" \
	"$out/hand_ops.o" "$out/handv_ops.o" "$out/hands_ops.o" "$libdae" -ljansson -lpthread

status=0
for mode in $modes; do
	echo "== DAE_MODE=$mode"
	DAE_MODE=$mode "$out/yardstick" "$@" || status=$?
	echo
done
exit $status

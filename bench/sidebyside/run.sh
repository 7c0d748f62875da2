#!/usr/bin/env bash
# bench/sidebyside/run.sh - builds the side-by-side benchmark of issue 7 from a
# configured build dir and runs it. From the repository root:
#
#   cmake -S . -B build-sbs -DCMAKE_BUILD_TYPE=Release
#   scripts/install-bench-deps.sh          # libtorch-dev, for the PyTorch rows
#   bench/sidebyside/run.sh build-sbs      # the default shapes, ~10 minutes
#   SWEEP=full bench/sidebyside/run.sh build-sbs   # or --sweep: every sweep
#
# Options after the build dir go to the program (see --help), e.g. a smoke
# run: bench/sidebyside/run.sh build-sbs --big-mib 64 --rmat-scale 14 --reps 2
#
# It builds daec and libdae.a in BUILD_DIR, translates orig.c with that daec
# (-O3 and -O2, default options otherwise), compiles orig.c four times (flag
# sets A and B, each without and with -fopenmp), the two translations and
# bench/yardstick/hand_ops.c with A and B, the gather-limit walk (B, OpenMP)
# and, when libtorch is found, torch_shim.cpp; counts the vector gather
# instructions of each object; links SBS_OUT/sidebyside and runs it.
#
# Environment: CC (default cc), CXX (default c++), SBS_FLAGS_A (default -O2),
# SBS_FLAGS_B (default "-O3 -march=native"), SBS_CFLAGS (added to every C
# object, default -ffp-contract=off: without it -march=native fuses the
# SpMM's multiply-add, which changes its bits), SBS_OUT (default
# BUILD_DIR/sidebyside), DAEC=/path/to/daec (use that translator; only
# libdae.a is built), TORCH=0 (leave PyTorch out), TORCH_INCLUDE (default
# /usr/include), SWEEP=full (adds --sweep). DAE_INLINE_WORDS and
# DAE_QUEUE_WORDS pass through to libdae.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build-sbs}
[ $# -gt 0 ] && shift
[ -f "$build/CMakeCache.txt" ] || {
	echo "run.sh: $build is not a configured build dir (cmake -S $root -B $build -DCMAKE_BUILD_TYPE=Release)" >&2
	exit 2
}
build=$(cd "$build" && pwd)
out=${SBS_OUT:-$build/sidebyside}
cc=${CC:-cc}
cxx=${CXX:-c++}
read -r -a flags_a <<<"${SBS_FLAGS_A:--O2}"
read -r -a flags_b <<<"${SBS_FLAGS_B:--O3 -march=native}"
read -r -a common <<<"${SBS_CFLAGS:--ffp-contract=off}"
common+=(-std=gnu11 -Wall)
torch_inc=${TORCH_INCLUDE:-/usr/include}
args=("$@")
[ "${SWEEP:-}" = full ] && args+=(--sweep)

targets=(dae_static)
[ -n "${DAEC:-}" ] || targets+=(daec)
cmake --build "$build" --target "${targets[@]}" -j2 >/dev/null
daec=${DAEC:-$build/translator/daec}
libdae=$build/runtime/libdae.a
mkdir -p "$out"
echo "run.sh: translator $daec ($("$daec" --version 2>&1 | head -1)), runtime $libdae"

# A translation without dae_run_range cannot use the lanes mode (libdae runs
# a plain dae_run inline there): the program labels those rows.
defs=()
for level in O3 O2; do
	report=$out/orig.$level.report.json
	timeout 300 "$daec" "-$level" "$here/orig.c" -o "$out/orig.$level.dae.c" --report="$report" 2>"$out/orig.$level.remarks"
	if grep -q '"decoupled": false' "$report"; then
		echo "run.sh: daec -$level declined a function of orig.c (see $report); its rows time the original" >&2
	fi
	grep -q dae_run_range "$out/orig.$level.dae.c" || defs+=("-DSBS_NO_RANGE${level#O}=1")
done

# compile NAME SOURCE PREFIX FLAGS...: SOURCE's functions renamed PREFIX*.
compile() {
	local name=$1 src=$2 prefix=$3
	shift 3
	"$cc" "$@" "${common[@]}" -I "$root/include" -I "$root/bench/yardstick" \
		"-Dsbs_embedding_bag_sum=${prefix}embedding_bag_sum" "-Dsbs_csr_spmm=${prefix}csr_spmm" \
		-DYS_SHAPE=2 "-DYS_PREFIX=$prefix" -c "$src" -o "$out/$name.o"
	objs+=("$out/$name.o")
}

# vgathers NAME: the vector gather instructions in NAME.o.
vgathers() {
	objdump -d "$out/$1.o" | grep -c vgather || true
}

objs=()
vg=
for set in a b; do
	if [ $set = a ]; then flags=("${flags_a[@]}"); else flags=("${flags_b[@]}"); fi
	compile orig_$set "$here/orig.c" orig_${set}_ "${flags[@]}"
	compile omp_$set "$here/orig.c" omp_${set}_ "${flags[@]}" -fopenmp
	compile dae3_$set "$out/orig.O3.dae.c" dae3_${set}_ "${flags[@]}"
	compile dae2_$set "$out/orig.O2.dae.c" dae2_${set}_ "${flags[@]}"
	compile hand_$set "$root/bench/yardstick/hand_ops.c" hand_${set}_ "${flags[@]}" -Wextra
	vg="$vg${vg:+; }${set^^} ($(printf '%s ' "${flags[@]}" | sed 's/ $//')): original $(vgathers orig_$set), OpenMP $(vgathers omp_$set), daec -O3 $(vgathers dae3_$set), daec -O2 $(vgathers dae2_$set), hand-written $(vgathers hand_$set)"
done
"$cc" "${flags_b[@]}" "${common[@]}" -fopenmp -c "$here/limit.c" -o "$out/limit.o"
objs+=("$out/limit.o")

no_torch=
libs=()
linker=$cc
if [ "${TORCH:-1}" = 0 ]; then
	no_torch="left out (TORCH=0)"
elif [ ! -f "$torch_inc/ATen/ATen.h" ] || [ "$("$cxx" -print-file-name=libtorch_cpu.so)" = libtorch_cpu.so ]; then
	no_torch="libtorch-dev not installed (scripts/install-bench-deps.sh installs it)"
elif ! "$cxx" -O2 -std=c++17 -Wall -I "$torch_inc" -I "$torch_inc/torch/csrc/api/include" -I "$here" \
	-c "$here/torch_shim.cpp" -o "$out/torch_shim.o" 2>"$out/torch_shim.log"; then
	no_torch="torch_shim.cpp did not compile (see $out/torch_shim.log)"
else
	objs+=("$out/torch_shim.o")
	libs=(-ltorch_cpu -lc10)
	linker=$cxx
fi
[ -z "$no_torch" ] || echo "run.sh: PyTorch: $no_torch" >&2

defs+=("-DSBS_FLAGS_A=\"${flags_a[*]}\"" "-DSBS_FLAGS_B=\"${flags_b[*]}\"" "-DSBS_VGATHER=\"$vg\"")
[ -z "$no_torch" ] || defs+=("-DSBS_NO_TORCH=\"PyTorch: $no_torch\"")
"$cc" -O2 "${common[@]}" -Wextra -fopenmp -I "$root/include" -I "$root/bench" -I "$root/bench/yardstick" \
	-I "$here" "${defs[@]}" -c "$here/sidebyside.c" -o "$out/sidebyside.o"
"$linker" -fopenmp -o "$out/sidebyside" "$out/sidebyside.o" "${objs[@]}" "$libdae" "${libs[@]}" \
	-ljansson -lpthread -lm

echo "run.sh: running $out/sidebyside ${args[*]}"
exec "$out/sidebyside" "${args[@]}"

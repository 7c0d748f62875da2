#!/usr/bin/env bash
# scripts/main-job.sh - THE main job of daec: installs the Debian packages
# that are missing, builds, installs into out/install, and then, for every
# sample in samples/, uses only what was installed:
#
#   - runs the installed daec on samples/NAME.c with --report;
#   - compiles the translation with `pkg-config --cflags --libs dae`
#     (PKG_CONFIG_PATH pointing into out/install);
#   - builds tests/diff/drive_NAME.c against the original and the
#     translation, checks the outputs are identical, then runs --bench;
#
# and prints one table: function | op recognised | decoupled | identical |
# original (ms) | translated (ms) | ratio. "decoupled" is yes when the report
# says so and the runtime's statistics show that the decoupled path ran
# ("fell back" otherwise); "identical" compares the outputs bit for bit.
# Everything lands in out/main-job/ (the table also in summary.md there).
# Exits non-zero if a sample was not translated, not decoupled or not
# identical.
#
# After the table, one line on the whole DLRM-like program samples/dlrm/dlrm.c
# (installed daec and pkg-config, original against translation on a generated
# batch); the job also fails if its predictions are not identical.
#
# DAEC_BENCH_ARGS passes options to the --bench runs, e.g.
# DAEC_BENCH_ARGS="--table-mib 64 --reps 3" (default: 256 MiB table, dim 64,
# 16384 bags of 40 lookups, best of 5). DAEC_JOBS: build parallelism (2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=${DAEC_JOBS:-2}
prefix=$root/out/install
work=$root/out/main-job
copts=(-O2 -ffp-contract=off)
read -r -a bench_args <<<"${DAEC_BENCH_ARGS:-}"

echo "== deps"
scripts/deps.sh

echo "== build and install into out/install"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_INSTALL_PREFIX=$prefix"
cmake --build build -j "$jobs"
rm -rf "$prefix"
cmake --install build --prefix "$prefix"

daec=$prefix/bin/daec
[ -x "$daec" ] || { echo "main-job: the install has no bin/daec" >&2; exit 1; }
pc=$(find "$prefix" -name dae.pc -print -quit)
[ -n "$pc" ] || { echo "main-job: the install has no dae.pc" >&2; exit 1; }
export PKG_CONFIG_PATH=${pc%/*}
libdir=${PKG_CONFIG_PATH%/pkgconfig}
# In case the runtime is a shared library without an rpath.
export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
read -r -a dae_cflags <<<"$(pkg-config --cflags dae)"
read -r -a dae_libs <<<"$(pkg-config --libs dae)"
echo "daec: $("$daec" --version)"
echo "pkg-config dae: ${dae_cflags[*]} ${dae_libs[*]}"

rm -rf "$work"
mkdir -p "$work"
rows=()
bad=0
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

for src in samples/*.c; do
	name=$(basename "$src" .c)
	echo
	echo "== $name"
	out=$work/$name.dae.c
	report=$work/$name.report.json
	op=- decoupled=no identical=no t_orig=- t_dae=- ratio=-

	if ! "$daec" "$src" -o "$out" "--report=$report"; then
		echo "main-job: daec failed on $src" >&2
		rows+=("| $name | - | error | - | - | - | - |")
		bad=1
		continue
	fi
	op=$(jq -r --arg n "$name" \
		'[.functions[] | select(.name == $n)][0] | if . == null then "-" else (.op // "-") end' \
		"$report")
	decoupled=$(jq -r --arg n "$name" \
		'[.functions[] | select(.name == $n)][0].decoupled | if . == true then "yes" else "no" end' \
		"$report")
	[ "$decoupled" = yes ] || bad=1

	driver=tests/diff/drive_$name.c
	if [ ! -f "$driver" ]; then
		echo "main-job: no driver $driver" >&2
		rows+=("| $name | $op | $decoupled | no driver | - | - | - |")
		bad=1
		continue
	fi
	if ! { cc "${copts[@]}" "-D$name=orig_$name" -c "$src" -o "$work/$name.orig.o" &&
		cc "${copts[@]}" "-D$name=dae_$name" "${dae_cflags[@]}" -c "$out" \
			-o "$work/$name.dae.o" &&
		cc "${copts[@]}" -Itests/diff "${dae_cflags[@]}" "$driver" "$work/$name.orig.o" \
			"$work/$name.dae.o" "${dae_libs[@]}" -o "$work/drive_$name"; }; then
		echo "main-job: compiling $name (translation or driver) failed" >&2
		rows+=("| $name | $op | $decoupled | compile error | - | - | - |")
		bad=1
		continue
	fi

	# --allow-fallback: "identical" is about the outputs alone; whether the
	# decoupled path really ran is checked from the driver's counts below.
	if "$work/drive_$name" --allow-fallback >"$work/$name.diff.log" 2>&1; then
		identical=yes
	else
		bad=1
	fi
	tail -n 3 "$work/$name.diff.log"
	counts=$(sed -n 's/.*decoupled path taken in \([0-9]*\) calls (\([0-9]*\) required).*/\1 \2/p' \
		"$work/$name.diff.log")
	if [ "$decoupled" = yes ] && [ -n "$counts" ]; then
		read -r taken required <<<"$counts"
		if [ "$taken" -lt "$required" ]; then
			decoupled="fell back"
			bad=1
		fi
	fi

	if "$work/drive_$name" --bench --allow-fallback ${bench_args[@]+"${bench_args[@]}"} \
		>"$work/$name.bench.log"; then
		:
	else
		bad=1
	fi
	line=$(grep '^BENCH ' "$work/$name.bench.log" | tail -n 1 || true)
	echo "${line:-no BENCH line}"
	if [ -n "$line" ]; then
		read -r _ _ s_orig s_dae same <<<"$line"
		t_orig=$(ms "$s_orig")
		t_dae=$(ms "$s_dae")
		ratio=$(awk -v a="$s_orig" -v b="$s_dae" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		[ "$same" = 1 ] || identical=no
	fi
	rows+=("| $name | $op | $decoupled | $identical | $t_orig | $t_dae | $ratio |")
done

{
	echo "| function | op recognised | decoupled | identical | original (ms) | translated (ms) | ratio |"
	echo "|---|---|---|---|---:|---:|---:|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "ratio = original / translated (above 1: the translation is faster)."
	echo "Bench: ${DAEC_BENCH_ARGS:-default options} (see drive_NAME --help); best of the runs."
} >"$work/summary.md"
echo
cat "$work/summary.md"

# The DLRM-like program samples/dlrm/dlrm.c, translated whole by the installed
# daec and built with pkg-config, against the original on one generated batch
# (make_input, fixed seed). "decoupled functions" counts the embedding
# functions (the per-table bag and the forward over the tables); the times
# are the program's best forward pass of 5. Fails the job unless the printed
# predictions and the raw float bits are identical.
echo
echo "== dlrm (samples/dlrm/dlrm.c, the whole program)"
dwork=$work/dlrm
mkdir -p "$dwork"
dlrm_fns=(embedding_bag_sum apply_emb)
dlrm_line="dlrm: failed"
if cc "${copts[@]}" samples/dlrm/make_input.c -o "$dwork/make_input" -lm &&
	"$dwork/make_input" --seed 1 --batch 2048 "$dwork/input.bin" &&
	"$daec" samples/dlrm/dlrm.c -o "$dwork/dlrm.dae.c" "--report=$dwork/dlrm.json" \
		2>"$dwork/daec.log" &&
	cc "${copts[@]}" samples/dlrm/dlrm.c -o "$dwork/dlrm_orig" -lm &&
	cc "${copts[@]}" "${dae_cflags[@]}" "$dwork/dlrm.dae.c" -o "$dwork/dlrm_dae" \
		"${dae_libs[@]}" -lm &&
	"$dwork/dlrm_orig" -n 5 "$dwork/input.bin" "$dwork/orig.bits" >"$dwork/orig.txt" \
		2>"$dwork/orig.log" &&
	DAE_STATS=stderr "$dwork/dlrm_dae" -n 5 "$dwork/input.bin" "$dwork/dae.bits" \
		>"$dwork/dae.txt" 2>"$dwork/dae.log"; then
	jq -r '.functions[] | select(.decoupled) | "  \(.name): decoupled (\(.op))"' \
		"$dwork/dlrm.json" || true
	k=0
	for f in "${dlrm_fns[@]}"; do
		why=$(jq -r --arg f "$f" '[.functions[] | select(.name == $f)][0] |
			if . == null then "not in the report" elif .decoupled then "" else .reason end' \
			"$dwork/dlrm.json") || why="the report cannot be read"
		if [ -z "$why" ]; then
			k=$((k + 1))
		else
			echo "  $f: not decoupled: $why"
		fi
	done
	n=$(wc -l <"$dwork/orig.txt")
	runs=$(sed -n 's/^{"runs":\([0-9]*\),.*/\1/p' "$dwork/dae.log")
	t_orig=$(sed -n 's/.* best \([0-9.]*\) ms.*/\1/p' "$dwork/orig.log")
	t_dae=$(sed -n 's/.* best \([0-9.]*\) ms.*/\1/p' "$dwork/dae.log")
	identical=no
	if [ "$n" -gt 0 ] && cmp -s "$dwork/orig.txt" "$dwork/dae.txt" &&
		cmp -s "$dwork/orig.bits" "$dwork/dae.bits"; then
		identical=yes
	else
		bad=1
	fi
	echo "  decoupled runs (DAE_STATS): ${runs:-none}"
	dlrm_line="dlrm: $n predictions, identical: $identical, decoupled functions: $k of ${#dlrm_fns[@]}, original ${t_orig:-?} ms, translated ${t_dae:-?} ms"
else
	echo "main-job: building or running the DLRM program failed (see $dwork)" >&2
	bad=1
fi
echo "$dlrm_line"
{
	echo
	echo "$dlrm_line"
} >>"$work/summary.md"

if [ "$bad" -ne 0 ]; then
	echo "main-job: FAILED (a sample was not translated, not decoupled or not identical, or the DLRM program differed)" >&2
	exit 1
fi
echo "main-job: ok"

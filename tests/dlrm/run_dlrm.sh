#!/usr/bin/env bash
# tests/dlrm/run_dlrm.sh - the whole DLRM-like program against its translation.
#
#   run_dlrm.sh --daec DAEC --cc CC [--cflags "FLAGS"] [--ldflags "FLAGS"]
#               --libdae LIBDAE.a --include INCLUDE_DIR --src SAMPLES/dlrm
#               --make-input MAKE_INPUT --work WORK_DIR
#
# 1. generates the inputs with make_input (fixed seeds, edge cases included);
# 2. runs `daec dlrm.c -o dlrm.dae.c --report=dlrm.json` on the whole file
#    and prints its remarks;
# 3. compiles the original and the translation with the same compiler and
#    flags (-O2 -ffp-contract=off, plus --cflags), the translation with
#    -I INCLUDE_DIR and LIBDAE;
# 4. runs both on every input; the printed predictions and the raw float bits
#    must be identical byte for byte (the translation is also run with
#    DAE_QUEUE_WORDS=16, so that its queue wraps and fills all the time);
# 5. checks that the report says the embedding functions are decoupled, and
#    that DAE_STATS=stderr shows at least the decoupled runs they imply.
#
# Every check runs even when an earlier one fails; the script prints one
# line per check and exits non-zero if any failed.
set -uo pipefail

# The functions of dlrm.c that must be decoupled: the per-table EmbeddingBag
# and the forward over the tables, which has a lookup loop of its own.
expect_decoupled=(embedding_bag_sum apply_emb)

daec= cc= cflags= ldflags= libdae= incdir= src= make_input= work=
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || { echo "run_dlrm.sh: $1 needs a value" >&2; exit 2; }
	case $1 in
	--daec) daec=$2 ;;
	--cc) cc=$2 ;;
	--cflags) cflags=$2 ;;
	--ldflags) ldflags=$2 ;;
	--libdae) libdae=$2 ;;
	--include) incdir=$2 ;;
	--src) src=$2 ;;
	--make-input) make_input=$2 ;;
	--work) work=$2 ;;
	*) echo "run_dlrm.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
for v in daec cc libdae incdir src make_input work; do
	[ -n "${!v}" ] || { echo "run_dlrm.sh: --${v//_/-} is required" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "run_dlrm.sh: jq is needed (scripts/deps.sh)" >&2; exit 2; }

read -r -a extra_cflags <<<"$cflags"
read -r -a extra_ldflags <<<"$ldflags"
copts=(-O2 -ffp-contract=off -std=c11 -Wall -Wextra -Wno-unused-parameter
	${extra_cflags[@]+"${extra_cflags[@]}"})
lopts=(${extra_ldflags[@]+"${extra_ldflags[@]}"})

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

results=()
bad=0
pass() { results+=("PASS  $*"); }
fail() { results+=("FAIL  $*"); bad=1; }
finish() {
	echo
	echo "== dlrm: summary"
	printf '%s\n' "${results[@]}"
	if [ "$bad" -ne 0 ]; then
		echo "dlrm: FAILED"
		exit 1
	fi
	echo "dlrm: ok"
	exit 0
}

# Inputs: their make_input options and how many of their tables are
# sum-pooled (one call of embedding_bag_sum each per forward pass).
inputs=(main small)
declare -A gen_args=(
	[main]="--seed 11 --batch 512 --tables 8 --dim 32 --min-rows 1000 --max-rows 50000 --max-pool 40 --bot 64,32 --top 64,16"
	[small]="--seed 5 --batch 3 --tables 3 --dim 5 --min-rows 1 --max-rows 40 --max-pool 3 --mean-table 1"
)
declare -A sum_tables=([main]=7 [small]=2)
iters=2 # forward passes per run

echo "== generate inputs"
for name in "${inputs[@]}"; do
	read -r -a args <<<"${gen_args[$name]}"
	if "$make_input" "${args[@]}" "$name.bin"; then
		pass "make_input $name: ${gen_args[$name]}"
	else
		fail "make_input $name"
	fi
done

echo
echo "== daec $src/dlrm.c -o dlrm.dae.c --report=dlrm.json"
if "$daec" "$src/dlrm.c" -o dlrm.dae.c --report=dlrm.json 2>daec.log; then
	pass "daec ran"
else
	fail "daec failed (exit $?)"
fi
cat daec.log

echo
echo "== compile"
# The sample itself is C99.
if "$cc" -std=c99 -pedantic-errors -Wall -Wextra -Werror -Wno-unused-parameter -fsyntax-only \
	"$src/dlrm.c"; then
	pass "dlrm.c is warning-free C99"
else
	fail "dlrm.c is not warning-free C99"
fi
if "$cc" "${copts[@]}" "$src/dlrm.c" -o dlrm_orig ${lopts[@]+"${lopts[@]}"} -lm; then
	pass "original compiles"
else
	fail "original does not compile"
fi
if [ -f dlrm.dae.c ] &&
	"$cc" "${copts[@]}" -I "$incdir" dlrm.dae.c -o dlrm_dae ${lopts[@]+"${lopts[@]}"} \
		"$libdae" -ljansson -pthread -lm; then
	pass "translation compiles"
else
	fail "translation does not compile"
fi

# runs: the number of dae_run calls that ran both sides, from DAE_STATS.
stats_runs() {
	sed -n 's/^{"runs":\([0-9]*\),.*/\1/p' "$1" | tail -n 1
}

min_runs_per_forward() {
	local n=0 sum_tables=$1
	if [ "$(jq -r '[.functions[] | select(.name == "embedding_bag_sum")][0].decoupled' \
		dlrm.json 2>/dev/null)" = true ]; then
		n=$((n + sum_tables))
	fi
	if [ "$(jq -r '[.functions[] | select(.name == "apply_emb")][0].decoupled' \
		dlrm.json 2>/dev/null)" = true ]; then
		n=$((n + 1))
	fi
	echo "$n"
}

for name in "${inputs[@]}"; do
	[ -x dlrm_orig ] && [ -x dlrm_dae ] && [ -f "$name.bin" ] || break
	echo
	echo "== run $name"
	if ./dlrm_orig -n "$iters" "$name.bin" "$name.orig.bits" >"$name.orig.txt" \
		2>"$name.orig.err"; then
		cat "$name.orig.err"
	else
		cat "$name.orig.err"
		fail "$name: the original failed"
		continue
	fi
	count=$(wc -l <"$name.orig.txt")
	for variant in default queue16; do
		env=(DAE_STATS=stderr)
		[ "$variant" = queue16 ] && env+=(DAE_QUEUE_WORDS=16)
		tag="$name ($variant)"
		if ! env "${env[@]}" ./dlrm_dae -n "$iters" "$name.bin" "$name.$variant.bits" \
			>"$name.$variant.txt" 2>"$name.$variant.err"; then
			cat "$name.$variant.err"
			fail "$tag: the translation failed"
			continue
		fi
		cat "$name.$variant.err"
		if cmp -s "$name.orig.txt" "$name.$variant.txt"; then
			pass "$tag: $count printed predictions identical"
		else
			fail "$tag: printed predictions differ ($(diff "$name.orig.txt" \
				"$name.$variant.txt" | grep -c '^<') of $count lines)"
			diff "$name.orig.txt" "$name.$variant.txt" | head -n 10
		fi
		if cmp "$name.orig.bits" "$name.$variant.bits"; then
			pass "$tag: raw float bits identical ($(wc -c <"$name.orig.bits") bytes)"
		else
			fail "$tag: raw float bits differ"
		fi
		runs=$(stats_runs "$name.$variant.err")
		need=$(($(min_runs_per_forward "${sum_tables[$name]}") * iters))
		if [ -z "$runs" ]; then
			fail "$tag: no DAE_STATS line on stderr"
		elif [ "$runs" -eq 0 ]; then
			fail "$tag: DAE_STATS shows no decoupled run"
		elif [ "$runs" -lt "$need" ]; then
			fail "$tag: DAE_STATS shows $runs decoupled runs, the embedding functions alone need $need"
		else
			pass "$tag: DAE_STATS shows $runs decoupled runs (embedding functions: at least $need)"
		fi
	done
done

echo
echo "== report"
if jq -e '.functions | type == "array"' dlrm.json >/dev/null 2>&1; then
	jq -r '.functions[] | "\(.name) (line \(.line)): " +
		(if .decoupled then "decoupled, op \(.op), guard \(.guard)"
		 else "not decoupled: \(.reason)" end)' dlrm.json
	for f in "${expect_decoupled[@]}"; do
		d=$(jq -r --arg f "$f" '[.functions[] | select(.name == $f)][0] |
			if . == null then "missing"
			elif .decoupled then "yes"
			else "no: \(.reason) (line \(.reason_line // .line))" end' dlrm.json)
		if [ "$d" = yes ]; then
			pass "report: $f decoupled"
		else
			fail "report: $f not decoupled ($d)"
		fi
	done
else
	fail "report: dlrm.json missing or malformed"
fi

finish

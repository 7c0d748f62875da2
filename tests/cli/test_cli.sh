#!/usr/bin/env bash
# The command-line contract of daec: exit codes, diagnostics in clang's
# format, and never a partial or stray output file.
# usage: test_cli.sh DAEC SAMPLES_DIR
set -u
daec=$1
samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0

check() { # check NAME CONDITION...
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name" >&2
	fi
}

printf 'void f(int *a, int n)\n{\n\tfor (int i = 0; i < n; i++)\n\t\ta[i] = b;\n}\n' >bad.c
cp "$samples/embedding_bag_sum.c" good.c

# A file with errors: exit 1, the error at file:line:col, no output file.
"$daec" bad.c -o out.c 2>err.txt
check "parse error exits 1" test $? -eq 1
check "parse error is reported at file:line:col" grep -q '^bad.c:4:[0-9]*: error: ' err.txt
check "parse error leaves no output" test ! -e out.c

# An existing output survives a failed run untouched.
echo "keep me" >existing.c
"$daec" bad.c -o existing.c 2>/dev/null
check "failed run keeps the existing output" grep -qx "keep me" existing.c

# A missing input.
"$daec" missing.c -o out.c 2>err.txt
check "missing file exits 1" test $? -eq 1
check "missing file is named" grep -q '^missing.c: error: ' err.txt
check "missing file leaves no output" test ! -e out.c

# Unwritable outputs: the rewritten file is not left behind when the report fails.
"$daec" good.c -o out.c --report=nodir/r.json 2>err.txt
check "unwritable report exits 1" test $? -eq 1
check "unwritable report is named" grep -q '^nodir/r.json: error: cannot write' err.txt
check "unwritable report leaves no rewritten file" test ! -e out.c
"$daec" good.c -o nodir/out.c 2>/dev/null
check "unwritable output exits 1" test $? -eq 1
check "no temporary files are left" test -z "$(ls -A | grep -v -e '^bad.c$' -e '^good.c$' -e '^err.txt$' -e '^existing.c$')"

# Wrong usage exits 2.
"$daec" 2>/dev/null
check "no input exits 2" test $? -eq 2
"$daec" --no-such-option good.c 2>/dev/null
check "unknown option exits 2" test $? -eq 2
"$daec" good.c bad.c 2>/dev/null
check "two inputs exit 2" test $? -eq 2
"$daec" --emit=nonsense good.c 2>/dev/null
check "unknown level exits 2" test $? -eq 2
"$daec" --marshal=value good.c 2>err.txt
check "unknown --marshal exits 2" test $? -eq 2
check "unknown --marshal names the choices" grep -q 'data or ref' err.txt
"$daec" -O1 --marshal=ref good.c 2>err.txt
check "--marshal=ref at -O1 exits 2" test $? -eq 2
check "--marshal=ref at -O1 says why" grep -q 'needs -O2 or -O3' err.txt
"$daec" --target=gpu good.c 2>err.txt
check "unknown --target exits 2" test $? -eq 2
check "unknown --target lists the known ones" grep -q 'known: cpu, tmu' err.txt
"$daec" --target=tmu good.c -o tmu.c 2>/dev/null
check "--target=tmu sends rows by value" grep -q 'dae_queue_push_row' tmu.c
"$daec" --target=tmu --marshal=ref good.c -o tmuref.c 2>/dev/null
check "--marshal overrides the target's default" grep -q 'dae_prefetch_range' tmuref.c
# A row read only on some paths is never read early: by value, the access
# side would read it whenever the callback runs, and that could fault.
cat >masked.c <<'EOF'
#include <stdint.h>
void masked_bag(const float *table, int64_t dim, const int64_t *idx, const unsigned char *keep,
                int64_t n, float *out)
{
	for (int64_t j = 0; j < n; j++) {
		int64_t r = idx[j];
		if (keep[j])
			for (int64_t d = 0; d < dim; d++)
				out[d] += table[r * dim + d];
	}
}
EOF
"$daec" --marshal=data masked.c -o masked.out.c 2>err.txt
check "a conditionally read row is still decoupled" grep -q 'dae_prefetch_range' masked.out.c
check "a conditionally read row is not sent by value" sh -c '! grep -q dae_queue_push_row masked.out.c'
check "the remark says why the row went by reference" grep -q 'may not read all of it' err.txt

# Lanes: independent bags are split across threads, a value carried from one
# bag to the next keeps the call on one pair, and restrict removes the
# run-time check of rows read against rows written.
cat >lanes.c <<'EOF'
#include <stdint.h>
void bags(const float *table, int64_t dim, const int64_t *idx, const int64_t *off, int64_t n,
          float *out)
{
	for (int64_t b = 0; b < n; b++)
		for (int64_t d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
			for (int64_t j = off[b]; j < off[b + 1]; j++)
				out[b * dim + d] += table[idx[j] * dim + d];
		}
}
void bags_restrict(const float *table, int64_t dim, const int64_t *idx, const int64_t *off,
                   int64_t n, float *restrict out)
{
	for (int64_t b = 0; b < n; b++)
		for (int64_t d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
			for (int64_t j = off[b]; j < off[b + 1]; j++)
				out[b * dim + d] += table[idx[j] * dim + d];
		}
}
void bags_carried(const float *table, int64_t dim, const int64_t *idx, const int64_t *len,
                  int64_t n, float *out)
{
	int64_t pos = 0;
	for (int64_t b = 0; b < n; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = 0; j < len[b]; j++, pos++)
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx[pos] * dim + d];
	}
}
EOF
"$daec" lanes.c -o lanes.out.c 2>err.txt
check "independent bags get lanes" grep -q "'bags' .*; lanes: rows written checked" err.txt
check "independent bags run as a range program" grep -q 'dae_run_range(&bags__program' lanes.out.c
check "restrict needs no run-time check" grep -q "'bags_restrict' .*; lanes: each iteration writes only its own rows" err.txt
check "restrict emits no lanes check" sh -c '! grep -q bags_restrict__lanes_overlap lanes.out.c'
check "a carried cursor keeps one lane" grep -q "'bags_carried' .*one lane: 'pos' may carry a value" err.txt
check "a carried cursor runs as one pair" grep -q 'dae_run(&bags_carried__program' lanes.out.c
# Bufferise (-O3 only): lookups whose value added is + - * / over rows and
# scalars of the output's type are summed a block of columns at a time; a
# double scalar into a float row would be other arithmetic, so it is not.
cat >buf.c <<'EOF'
#include <stdint.h>
void sums(const float *table, int64_t dim, const int64_t *idx, const int64_t *off, int64_t n,
          float *out)
{
	for (int64_t b = 0; b < n; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = off[b]; j < off[b + 1]; j++)
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx[j] * dim + d] * table[idx[j] * dim + d];
	}
}
void halves(const float *table, int64_t dim, const int64_t *idx, const int64_t *off, int64_t n,
            float *out)
{
	for (int64_t b = 0; b < n; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = off[b]; j < off[b + 1]; j++)
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx[j] * dim + d] * 0.5;
	}
}
EOF
"$daec" -O3 buf.c -o buf.out.c 2>err.txt
check "a sum of rows is bufferised" grep -q "'sums' .*; bufferised: up to DAE_BUFFER_ROWS lookups" err.txt
check "its rows are added by a helper" grep -q 'static void sums__rows1(' buf.out.c
check "a double scalar into a float row is not bufferised" grep -q "'halves' .*; not bufferised: the value added is not + - \* / over rows and scalars" err.txt
check "no helper for it" sh -c '! grep -q halves__rows buf.out.c'
"$daec" -O2 buf.c -o buf2.out.c 2>err.txt
check "-O2 does not bufferise" sh -c '! grep -q bufferised err.txt && ! grep -q __rows buf2.out.c'
"$daec" --help >help.txt
check "--help exits 0 and explains exit codes" grep -q 'exit status' help.txt
check "--version names daec" sh -c "'$daec' --version | grep -q '^daec '"

# A successful run: exit 0, remark at the function, report lists it.
"$daec" good.c -o out.c --report=r.json 2>err.txt
check "success exits 0" test $? -eq 0
check "remark in clang format" grep -q "^good.c:[0-9]*:[0-9]*: remark: decoupled 'embedding_bag_sum'" err.txt
check "report marks the function decoupled" grep -q '"decoupled": true' r.json
check "quiet silences remarks" sh -c "'$daec' -q good.c -o q.c 2>&1 | wc -c | grep -qx 0"

# Deterministic, and idempotent on its own output.
"$daec" -q good.c -o again.c
check "same input gives the same bytes" cmp -s out.c again.c
"$daec" -q out.c -o twice.c
check "daec on its own output changes nothing" cmp -s out.c twice.c

# A file with CR LF line endings stays one: generated lines end the same way.
sed 's/$/\r/' good.c >crlf.c
"$daec" -q crlf.c -o crlf.out.c
check "CR LF file keeps CR LF endings" awk '!/\r$/ { bad = 1 } END { exit bad }' crlf.out.c
check "CR LF file is still decoupled" grep -q dae_run crlf.out.c

# --verify re-parses the output first; a good translation comes out the same.
"$daec" -q --verify good.c -o verified.c
check "--verify keeps a good translation" cmp -s out.c verified.c

# The program levels can be printed.
check "lookup-compute level" sh -c "'$daec' -q --emit=lookup-compute good.c | grep -q '^lookup-compute embedding_bag_sum'"
check "decoupled level" sh -c "'$daec' -q --emit=decoupled good.c | grep -q 'push token DONE'"

echo "cli: $pass passed, $fail failed"
test "$fail" -eq 0

#!/usr/bin/env bash
# Tool integration tests: daec's outputs go through the real consumers
# (git apply, patch -p1, clang-apply-replacements-19) and must give the bytes
# `daec -o` writes; -i, -p (compile_commands.json), -j, --at and
# --header-filter are checked the same way, on the samples and on a small
# multi-file project generated here.
#
# usage: tools.sh CASE DAEC REPO_DIR [FUZZ_UNIDIFF]
#   CASE          one of the functions named case_* below
#   DAEC          the daec to test
#   REPO_DIR      the repository (samples/, include/, docs/daec.1)
#   FUZZ_UNIDIFF  the fuzz_unidiff program (case unidiff_fuzz)
set -u
case_name=$1
daec=$2
repo=$3
fuzz=${4:-}
samples=$repo/samples
dae_include=$repo/include
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0

check() { # check NAME COMMAND...: counts COMMAND's success
	local name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name" >&2
	fi
}

need() { # need PROGRAM PACKAGE: a missing consumer is a failure, not a skip
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "FAIL: $1 not found (Debian package $2; scripts/deps.sh installs it)" >&2
		exit 1
	fi
}

same_tree() { # same_tree DIR1 DIR2: same files, same bytes (not .git; databases differ)
	diff -r -x .git -x '*.orig' -x '*.rej' -x compile_commands.json "$1" "$2" >/dev/null
}

git_init() { # git_init DIR: a repository with everything committed
	(cd "$1" && git init -q . && git add -A &&
		git -c user.name=t -c user.email=t@t commit -qm base) >/dev/null
}

# ---- inputs ----

# Inputs beyond the samples: bytes that diffs and YAML must carry exactly.
extra_inputs() { # extra_inputs DIR
	local d=$1
	# No newline at the end of the file.
	printf '%s' "$(cat "$samples/sparse_lengths_sum.c")" >"$d/no_newline.c"
	# Quotes, backslashes, tabs, UTF-8 and a CRLF line inside the rewritten function.
	cat >"$d/escapes.c" <<'EOF'
#include <stdint.h>

/* «Grüße» before the function */
void bag_escapes(const float *table, int64_t dim, const int64_t *indices,
                 const int64_t *offsets, int64_t num_bags, float *out)
{
	/* "quoted" back\slash	tab — ünïcödé */
	char c = '\\';	/* a tab before this comment */
	(void)c;
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}
EOF
	printf '/* a CRLF line */\r\n' >>"$d/escapes.c"
	# The runtime's #include and the generated code at one offset (the
	# function right after the last #include), and CR LF line endings.
	{
		echo '#include <stdint.h>'
		sed -n '/^void/,$p' "$samples/embedding_bag_weighted.c"
	} >"$d/adjacent.c"
	sed 's/$/\r/' "$samples/embedding_bag_mean.c" >"$d/crlf.c"
	# Nothing to decouple: no diff, no fix, untouched by -i.
	cat >"$d/plain.c" <<'EOF'
void axpy(int n, float a, const float *x, float *y)
{
	for (int i = 0; i < n; i++)
		y[i] += a * x[i];
}
EOF
}

# two.c: embedding_bag_sum (loops on lines 26-37) then
# embedding_bag_weighted (loops on lines 47-58).
two_functions() { # two_functions FILE
	cat "$samples/embedding_bag_sum.c" >"$1"
	sed -n '/^void/,$p' "$samples/embedding_bag_weighted.c" >>"$1"
}

# A project built from build/ with relative include paths and -D macros the
# code needs: without the database's flags it does not even parse.
#   include/cfg.h      #error unless ROW_T is defined
#   include/kernels.h  a static inline embedding bag (a header function)
#   src/a.c            uses ROW_T and needs USE_BAGS
#   src/b.c            a gather, compiled with a "command" string
#   src/other.c        not in the database
make_project() { # make_project DIR
	local p=$1
	mkdir -p "$p/include" "$p/src" "$p/build"
	cat >"$p/include/cfg.h" <<'EOF'
#ifndef CFG_H
#define CFG_H
#include <stdint.h>
#ifndef ROW_T
#error "ROW_T must be defined (-DROW_T=float)"
#endif
typedef ROW_T row_t;
#endif
EOF
	cat >"$p/include/kernels.h" <<'EOF'
#ifndef KERNELS_H
#define KERNELS_H
#include <stdint.h>

static inline void kernel_bag_sum(const float *table, int64_t dim, const int64_t *indices,
                                  const int64_t *offsets, int64_t num_bags, float *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

#endif
EOF
	cat >"$p/src/a.c" <<'EOF'
#include "cfg.h"
#include "kernels.h"

#if !USE_BAGS
#error "USE_BAGS must be 1"
#endif

void bags_a(const row_t *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
            int64_t num_bags, row_t *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

void use_kernel_a(const float *t, const int64_t *ix, const int64_t *off, float *o)
{
	kernel_bag_sum(t, 8, ix, off, 4, o);
}
EOF
	cat >"$p/src/b.c" <<'EOF'
#include "cfg.h"
#include "kernels.h"

void gather_b(const row_t *table, int64_t dim, const int32_t *indices, int64_t n, row_t *out)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t idx = indices[i];
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] = table[idx * dim + d];
	}
}

void use_kernel_b(const float *t, const int64_t *ix, const int64_t *off, float *o)
{
	kernel_bag_sum(t, 4, ix, off, 2, o);
}
EOF
	cp "$p/src/b.c" "$p/src/other.c"
	sed -i 's/_b(/_other(/' "$p/src/other.c"
	write_db "$p"
}

# The database names the project's files absolutely, as CMake writes it.
write_db() { # write_db PROJECT_DIR
	local p=$1
	cat >"$p/build/compile_commands.json" <<EOF
[
  {
    "directory": "$p/build",
    "file": "../src/a.c",
    "arguments": ["cc", "-c", "-I../include", "-DROW_T=float", "-DUSE_BAGS=1", "-O2",
                  "-o", "a.o", "../src/a.c"]
  },
  {
    "directory": "$p/build",
    "file": "$p/src/b.c",
    "command": "cc -c -I ../include -DROW_T=double -MD -MF b.d -o b.o $p/src/b.c"
  }
]
EOF
}

copy_project() { # copy_project FROM TO: a copy with its own database
	cp -r "$1" "$2" && write_db "$2"
}

# ---- cases ----

# Every sample and the extra inputs: --diff through git apply and patch -p1
# gives exactly what -o writes.
case_samples_diff() {
	need git git
	need patch patch
	mkdir src ref
	cp "$samples"/*.c src/
	extra_inputs src
	for f in src/*.c; do
		"$daec" -q "$f" -o "ref/${f#src/}" || check "-o $f" false
	done
	"$daec" -q src/*.c --diff >all.diff
	check "--diff exits 0" test $? -eq 0
	check "--diff names files a/src/..., b/src/..." \
		grep -qx -- '--- a/src/embedding_bag_sum.c' all.diff
	check "--diff has +++ b/ lines" grep -qx -- '+++ b/src/embedding_bag_sum.c' all.diff
	check "--diff leaves out a file with nothing to rewrite" \
		sh -c "! grep -q 'plain.c' all.diff"
	check "--diff marks the missing final newline" \
		grep -qx '\\ No newline at end of file' all.diff
	check "every hunk opens with 3 lines of context (fewer at the top of a file)" \
		awk 'function fin() { if (hunk && (top ? lead > 3 : lead != 3)) bad = 1 }
		     /^@@ / { fin(); hunk = 1; lead = 0; counting = 1
		              split(substr($2, 2), o, ","); top = o[1] <= 1; next }
		     hunk && counting { if (substr($0, 1, 1) == " ") lead++; else counting = 0 }
		     END { fin(); exit bad }' all.diff
	check "a file with nothing to rewrite has an empty diff" \
		sh -c "'$daec' -q src/plain.c --diff | wc -c | grep -qx 0"

	mkdir g && cp -r src g/ && git_init g
	(cd g && git apply --whitespace=nowarn ../all.diff) 2>git.err
	check "git apply accepts the diff" test $? -eq 0
	mkdir p && cp -r src p/
	(cd p && patch -p1 -F0 --no-backup-if-mismatch -s <../all.diff) >patch.out 2>&1
	check "patch -p1 (no fuzz) accepts the diff" test $? -eq 0
	for f in ref/*.c; do
		n=${f#ref/}
		check "git apply gives -o's bytes: $n" cmp -s "g/src/$n" "$f"
		check "patch -p1 gives -o's bytes: $n" cmp -s "p/src/$n" "$f"
	done
	# One file at a time gives the same hunks as all at once.
	: >one.diff
	for f in src/*.c; do "$daec" -q "$f" --diff >>one.diff; done
	check "per-file diffs concatenate to the multi-file diff" cmp -s one.diff all.diff
}

# --export-fixes through clang-apply-replacements-19 gives what -o writes.
case_samples_fixes() {
	need clang-apply-replacements-19 clang-tools-19
	mkdir src ref fixes
	cp "$samples"/*.c src/
	extra_inputs src
	for f in src/*.c; do "$daec" -q "$f" -o "ref/${f#src/}"; done
	"$daec" -q src/*.c --export-fixes=fixes/daec.yaml
	check "--export-fixes exits 0" test $? -eq 0
	check "fixes name MainSourceFile" grep -q '^MainSourceFile: *"/' fixes/daec.yaml
	check "one daec-decouple diagnostic per rewritten function" \
		test "$(grep -c 'DiagnosticName: *"daec-decouple"' fixes/daec.yaml)" -eq 8
	check "fixes carry Level and BuildDirectory" \
		sh -c "grep -q '^    Level: *Warning' fixes/daec.yaml &&
		       grep -q '^    BuildDirectory: *\"$work\"' fixes/daec.yaml"
	clang-apply-replacements-19 fixes 2>car.err
	check "clang-apply-replacements-19 applies the fixes" test $? -eq 0
	for f in ref/*.c; do
		n=${f#ref/}
		check "clang-apply-replacements gives -o's bytes: $n" cmp -s "src/$n" "$f"
	done
	# A second round on the result: nothing left to fix.
	"$daec" -q src/*.c --export-fixes=fixes/daec.yaml
	check "fixes on daec's own output are empty" \
		grep -q '^Diagnostics: *\[\]' fixes/daec.yaml
}

# -i: same bytes as -o, permissions kept, untouched files not rewritten,
# idempotent.
case_in_place() {
	mkdir src ref
	cp "$samples"/*.c src/
	extra_inputs src
	for f in src/*.c; do "$daec" -q "$f" -o "ref/${f#src/}"; done
	chmod 640 src/embedding_bag_sum.c
	chmod 755 src/sparse_lengths_sum.c
	touch -d '2001-01-01 00:00:00' src/plain.c
	"$daec" -q -i src/*.c
	check "-i exits 0" test $? -eq 0
	for f in ref/*.c; do
		n=${f#ref/}
		check "-i gives -o's bytes: $n" cmp -s "src/$n" "$f"
	done
	check "-i keeps mode 640" test "$(stat -c %a src/embedding_bag_sum.c)" = 640
	check "-i keeps mode 755" test "$(stat -c %a src/sparse_lengths_sum.c)" = 755
	check "-i does not touch a file with nothing to rewrite" \
		test "$(stat -c %Y src/plain.c)" = "$(date -d '2001-01-01 00:00:00' +%s)"
	check "-i leaves no temporary file" test -z "$(find src -name '*.daec*')"
	cp -r src once
	"$daec" -q -i src/*.c
	check "daec -i on its own output changes nothing" same_tree src once
	check "--diff on daec's output is empty" \
		sh -c "'$daec' -q src/*.c --diff | wc -c | grep -qx 0"
	for f in src/*.c; do
		"$daec" -q "$f" -o again.c
		check "-o on daec's output is the same file: $f" cmp -s again.c "$f"
	done
	# Through a symbolic link, the file is rewritten and the link kept.
	cp "$samples/embedding_bag_sum.c" real.c
	ln -s real.c link.c
	"$daec" -q -i link.c
	check "-i through a symlink keeps the link" test -L link.c
	check "-i through a symlink rewrites its target" cmp -s real.c ref/embedding_bag_sum.c
}

# A project with compile_commands.json: -p gives the flags, relative include
# paths work from any directory, and -i, --diff, --export-fixes and -o agree.
case_project() {
	need git git
	need patch patch
	need clang-apply-replacements-19 clang-tools-19
	make_project "$work/proj"
	cd "$work/proj" || exit 1
	git_init .
	"$daec" -q src/a.c --diff >/dev/null 2>noflags.err
	check "without -p the project does not parse (exit 1)" test $? -eq 1
	check "without -p the missing include path is reported" grep -q "'cfg.h' file not found" noflags.err
	rm -f noflags.err

	"$daec" -q -p build src/a.c -o "$work/a.ref.c"
	check "-p -o exits 0" test $? -eq 0
	"$daec" -q -p build src/b.c -o "$work/b.ref.c"
	"$daec" -q -p build src/a.c src/b.c --diff >"$work/p.diff"
	check "-p --diff exits 0" test $? -eq 0
	copy_project . "$work/inplace" && (cd "$work/inplace" && "$daec" -q -p build -i src/a.c src/b.c)
	check "-p -i exits 0" test $? -eq 0
	copy_project . "$work/gitapply" && (cd "$work/gitapply" && git apply "$work/p.diff")
	check "git apply accepts the project diff" test $? -eq 0
	copy_project . "$work/patched" && (cd "$work/patched" && patch -p1 -F0 -s <"$work/p.diff")
	check "patch -p1 accepts the project diff" test $? -eq 0
	# The fixes name absolute paths: make them in the copy they are applied to.
	mkdir "$work/fixes" && copy_project . "$work/fixed"
	(cd "$work/fixed" && "$daec" -q -p build src/a.c src/b.c --export-fixes="$work/fixes/p.yaml")
	check "-p --export-fixes exits 0" test $? -eq 0
	clang-apply-replacements-19 "$work/fixes"
	check "clang-apply-replacements applies the project fixes" test $? -eq 0
	check "-i and git apply agree" same_tree "$work/inplace" "$work/gitapply"
	check "-i and patch agree" same_tree "$work/inplace" "$work/patched"
	check "-i and clang-apply-replacements agree" same_tree "$work/inplace" "$work/fixed"
	check "-i and -o agree on src/a.c" cmp -s "$work/inplace/src/a.c" "$work/a.ref.c"
	check "-i and -o agree on src/b.c" cmp -s "$work/inplace/src/b.c" "$work/b.ref.c"
	check "src/a.c was rewritten" grep -q 'bags_a__reference' "$work/inplace/src/a.c"
	check "src/b.c was rewritten (from a \"command\" entry)" \
		grep -q 'gather_b__reference' "$work/inplace/src/b.c"
	check "headers are left alone without --header-filter" \
		cmp -s "$work/inplace/include/kernels.h" include/kernels.h
	check "the rewritten project compiles" \
		cc -std=gnu11 -fsyntax-only -I"$work/inplace/include" -I"$dae_include" \
		-DROW_T=float -DUSE_BAGS=1 "$work/inplace/src/a.c"

	# From another directory, with the database named relatively.
	(cd "$work/proj/src" && "$daec" -q -p ../build a.c -o "$work/a.from_src.c")
	check "-p from another directory exits 0" test $? -eq 0
	check "-p from another directory gives the same output" \
		cmp -s "$work/a.from_src.c" "$work/a.ref.c"
	(cd / && "$daec" -q -p "$work/proj/build" "$work/proj/src/a.c" -o "$work/a.from_root.c")
	check "-p from / with absolute names gives the same output" \
		cmp -s "$work/a.from_root.c" "$work/a.ref.c"
	(cd "$work/proj/src" && "$daec" -q -p ../build a.c --diff >"$work/src.diff")
	check "--diff names files relative to the current directory" \
		grep -qx -- '--- a/a.c' "$work/src.diff"

	# Arguments after -- are appended to the database's.
	"$daec" -q -p build src/a.c -o "$work/a.extra.c" -- -UUSE_BAGS -DUSE_BAGS=0 2>extra.err
	check "-- arguments come after the database's (they win)" test $? -eq 1
	check "-- arguments reach the parser" grep -q 'USE_BAGS must be 1' extra.err
	rm -f extra.err
}

# --header-filter: a header function is rewritten once, in the header, even
# when two inputs include it; without the filter, or with -o, it is not.
case_header_filter() {
	need git git
	need clang-apply-replacements-19 clang-tools-19
	make_project "$work/proj"
	cd "$work/proj" || exit 1
	git_init .
	"$daec" -q -p build --header-filter='kernels\.h$' src/a.c src/b.c --diff >"$work/h.diff"
	check "--header-filter --diff exits 0" test $? -eq 0
	check "the header is in the diff" grep -qx -- '--- a/include/kernels.h' "$work/h.diff"
	check "the header's function is rewritten once" \
		test "$(grep -c '^+static inline void kernel_bag_sum__reference' "$work/h.diff")" -eq 1
	check "the header gets the runtime's include" \
		grep -qx '+#include <dae/dae.h>' "$work/h.diff"
	copy_project . "$work/inplace" &&
		(cd "$work/inplace" &&
			"$daec" -q -p build --header-filter='kernels\.h$' -i src/a.c src/b.c)
	check "--header-filter -i exits 0" test $? -eq 0
	copy_project . "$work/gitapply" && (cd "$work/gitapply" && git apply "$work/h.diff")
	check "git apply accepts the header diff" test $? -eq 0
	check "-i and --diff agree with headers" same_tree "$work/inplace" "$work/gitapply"
	mkdir "$work/fx" && copy_project . "$work/fixed"
	(cd "$work/fixed" && "$daec" -q -p build --header-filter='kernels\.h$' src/a.c src/b.c \
		--export-fixes="$work/fx/h.yaml")
	clang-apply-replacements-19 "$work/fx"
	check "clang-apply-replacements applies header fixes" test $? -eq 0
	check "-i and --export-fixes agree with headers" same_tree "$work/inplace" "$work/fixed"
	check "the rewritten header compiles" \
		cc -std=gnu11 -fsyntax-only -I"$work/inplace/include" -I"$dae_include" \
		-DROW_T=float -DUSE_BAGS=1 "$work/inplace/src/a.c"
	check "the rewritten header compiles in b.c too" \
		cc -std=gnu11 -fsyntax-only -I"$work/inplace/include" -I"$dae_include" \
		-DROW_T=double "$work/inplace/src/b.c"
	(cd "$work/inplace" && "$daec" -q -p build --header-filter='kernels\.h$' src/a.c src/b.c \
		--diff >"$work/again.diff")
	check "idempotent with headers" test ! -s "$work/again.diff"
	"$daec" -q -p build --header-filter='nomatch' src/a.c src/b.c --diff >"$work/nf.diff"
	check "a filter that does not match leaves the header alone" \
		sh -c "! grep -q -- '--- a/include/kernels.h' '$work/nf.diff'"
	"$daec" -q -p build --header-filter='kernels' src/a.c -o "$work/a.out.c" 2>"$work/o.err"
	check "-o with a header rewrite exits 0" test $? -eq 0
	check "-o with a header rewrite warns that the header is not written" \
		grep -q 'include/kernels.h: warning: the rewrite of this header is not written' \
		"$work/o.err"
	check "-o does not touch the header" \
		sh -c "git diff --quiet -- include/kernels.h"
	"$daec" -p build --header-filter='kernels' --at=include/kernels.h:10 src/a.c --diff \
		>"$work/at.diff" 2>/dev/null
	check "--at inside a header's loop selects the header function only" \
		sh -c "grep -q kernel_bag_sum__reference '$work/at.diff' &&
		       ! grep -q bags_a__reference '$work/at.diff'"
	"$daec" -p build --at=include/kernels.h:10 src/a.c --diff >"$work/atnf.diff" 2>"$work/atnf.err"
	check "--at in a header without --header-filter rewrites nothing" test ! -s "$work/atnf.diff"
	check "... and a remark says why" grep -q 'header-filter does not select' "$work/atnf.err"

	# The header reads differently in two inputs: conflicting rewrites,
	# nothing written.
	sed -i 's/const float \*table, int64_t dim/const ROW_T *table, int64_t dim/' include/kernels.h
	sed -i 's/static inline void kernel_bag_sum/#include "cfg.h"\nstatic inline void kernel_bag_sum/' \
		include/kernels.h
	sed -i 's/^\(void use_kernel_[ab]\)(const float \*t/\1(const row_t *t/' src/a.c src/b.c
	git add -A && git -c user.name=t -c user.email=t@t commit -qm conflict
	"$daec" -q -p build --header-filter='kernels' -i src/a.c src/b.c 2>"$work/c.err"
	check "conflicting header rewrites exit 1" test $? -eq 1
	check "conflicting header rewrites are explained" grep -q 'rewritten differently' "$work/c.err"
	check "conflicting header rewrites write nothing" sh -c "git diff --quiet"
}

# Output bytes do not depend on -j, nor on the run.
case_determinism() {
	mkdir src
	local k
	for k in 1 2 3 4 5 6; do
		for s in "$samples"/*.c; do
			n=$(basename "$s" .c)
			sed "s/\\b$n\\b/${n}_$k/g" "$s"
		done >"src/f$k.c"
	done
	extra_inputs src
	local run=0
	for j in 1 2 4 1 2; do
		"$daec" -j "$j" src/*.c --diff --report="r$j.json" --export-fixes="x$j.yaml" \
			>"d$j.out" 2>"e$j.err"
		check "-j $j exits 0" test $? -eq 0
		run=$((run + 1))
		cat "d$j.out" "e$j.err" "r$j.json" "x$j.yaml" >"all.$run.j$j"
	done
	local first
	first=$(ls all.* | head -n 1)
	for f in all.*; do
		check "byte-identical outputs and diagnostics ($f vs $first)" cmp -s "$f" "$first"
	done
	check "diagnostics stay in input order" \
		sh -c "grep -o '^src/[a-z_0-9]*\\.c' e1.err | uniq | tr '\\n' ' ' |
		       grep -qx 'src/adjacent.c src/crlf.c src/escapes.c src/f1.c src/f2.c src/f3.c src/f4.c src/f5.c src/f6.c src/no_newline.c src/plain.c '"
	need jq jq
	check "several inputs: the report lists every file" \
		test "$(jq '.files | length' r1.json)" -eq 11
	check "several inputs: the report has daec_version" \
		test "$(jq -r '.daec_version | type' r1.json)" = string
	check "several inputs: each entry has file and functions" \
		test "$(jq -r '.files[3].file + " " + (.files[3].functions | type)' r1.json)" = \
		"src/f1.c array"
	"$daec" -q src/f1.c -o /dev/null --report=one.json
	check "one input: the report keeps its single-file shape" \
		test "$(jq -r '.file + " " + (.functions | type) + " " + (.daec_version | type)' \
			one.json)" = "src/f1.c array string"
	check "no progress line when standard error is not a terminal" \
		sh -c "! grep -q \$(printf '\\r') e2.err"
}

# A progress line on a terminal only.
case_progress() {
	need script bsdutils
	mkdir src
	cp "$samples"/*.c src/
	script -qec "'$daec' -q -j 2 src/*.c --diff >/dev/null" /dev/null >tty.out 2>&1
	check "daec under a terminal exits 0" test $? -eq 0
	check "a progress line on a terminal" grep -q 'daec: \[[0-9]*/4\]' tty.out
	check "the progress line is erased" grep -q "$(printf '\033\\[K')" tty.out
	"$daec" -q -j 2 src/*.c --diff >/dev/null 2>notty.err
	check "no progress line otherwise" test ! -s notty.err
}

# --at selects the function whose loop holds the position.
case_at() {
	two_functions two.c
	"$daec" -q two.c --at=two.c:52 --diff >w.diff
	check "--at=FILE:LINE exits 0" test $? -eq 0
	check "--at in the second function's loop rewrites it" \
		grep -q '^+static void embedding_bag_weighted__reference' w.diff
	check "--at leaves the other function alone" \
		sh -c "! grep -q 'embedding_bag_sum__reference' w.diff"
	"$daec" -q two.c --at=two.c:34:5 --diff >s.diff
	check "--at=FILE:LINE:COL in the first function's loop rewrites it" \
		sh -c "grep -q 'embedding_bag_sum__reference' s.diff &&
		       ! grep -q 'embedding_bag_weighted__reference' s.diff"
	"$daec" two.c --at=two.c:1 --diff >none.diff 2>none.err
	check "--at outside any loop exits 0" test $? -eq 0
	check "--at outside any loop rewrites nothing" test ! -s none.diff
	check "--at outside any loop says so in a remark" \
		grep -q '^two.c:1: remark: no loop of a function at this position' none.err
	"$daec" -q two.c --at=two.c:23 --diff >sig.diff
	check "--at on a function's signature (not a loop) rewrites nothing" test ! -s sig.diff
	"$daec" -q two.c --at=two.c:52 --function=embedding_bag_sum --diff >both.diff
	check "--at and --function: either selects" \
		sh -c "grep -q 'embedding_bag_sum__reference' both.diff &&
		       grep -q 'embedding_bag_weighted__reference' both.diff"
	"$daec" -q two.c --at=missing.c:3 --diff 2>/dev/null
	check "--at on a missing file exits 2" test $? -eq 2
	"$daec" -q two.c --at=two.c --diff 2>/dev/null
	check "--at without a line exits 2" test $? -eq 2
	"$daec" -q two.c --at=two.c:99999 --diff >far.diff
	check "--at past the end rewrites nothing" test ! -s far.diff
	"$daec" -q two.c --at=two.c:52 -o at.c
	check "--at with -o" sh -c "grep -q embedding_bag_weighted__reference at.c &&
	                            ! grep -q embedding_bag_sum__reference at.c"
}

# -p errors: exit 3 and a message naming the problem; nothing written.
case_compdb_errors() {
	make_project "$work/proj"
	cd "$work/proj" || exit 1
	cp -r . "$work/before"
	"$daec" -p nowhere -i src/a.c 2>err.txt
	check "-p without a database exits 3" test $? -eq 3
	check "-p without a database is named" grep -q '^nowhere: error: no compile_commands.json' err.txt
	mkdir bad && echo '[{"directory": ' >bad/compile_commands.json
	"$daec" -p bad -i src/a.c 2>err.txt
	check "-p with a malformed database exits 3" test $? -eq 3
	check "-p with a malformed database says so" grep -q '^bad: error: cannot load' err.txt
	"$daec" -p build -i src/a.c src/other.c 2>err.txt
	check "a file the database does not list exits 3" test $? -eq 3
	check "a file the database does not list is named" \
		grep -q '^src/other.c: error: no compile command for this file' err.txt
	rm -rf bad err.txt
	check "-p errors write nothing" same_tree . "$work/before"
	"$daec" -q -p build src/other.c --diff -- -Iinclude -DROW_T=float >o.diff 2>err.txt
	check "an unlisted file falls back to the -- arguments" test $? -eq 0
	check "... with a warning" \
		grep -q '^src/other.c: warning: not in build/compile_commands.json' err.txt
	check "... and is rewritten" grep -q 'gather_other__reference' o.diff
}

# Wrong usage exits 2; --help and the man page document the contract.
case_usage() {
	cp "$samples/embedding_bag_sum.c" a.c
	cp "$samples/embedding_bag_mean.c" b.c
	local args
	while IFS='|' read -r name args; do
		# shellcheck disable=SC2086
		"$daec" $args 2>err.txt >/dev/null
		check "$name exits 2" test $? -eq 2
		check "$name explains itself" grep -q '^daec: error: ' err.txt
	done <<'EOF'
-o with two inputs|a.c b.c -o out.c
-o with -i|a.c -o out.c -i
--emit with --diff|--emit=ir a.c --diff
two inputs and no output|a.c b.c
an invalid --header-filter|--header-filter=( a.c --diff
a malformed --at|--at=a.c:x a.c
a bad -j|-j many a.c b.c --diff
-o - with --diff|a.c -o - --diff
the same file twice|a.c ./a.c --diff
EOF
	check "nothing was written by wrong usage" test ! -e out.c
	"$daec" --help >help.txt
	check "--help exits 0" test $? -eq 0
	for code in 0 1 2 3; do
		check "--help documents exit status $code" grep -q "^  $code  " help.txt
	done
	local man=$repo/docs/daec.1
	check "the man page exists" test -f "$man"
	for opt in $(grep -o -- '--[a-z][a-z-]*' help.txt | sort -u); do
		check "the man page documents $opt" grep -q -- "${opt//-/\\\\-}" "$man"
	done
	for opt in -o -i -p -j -q -O; do
		check "the man page documents $opt" grep -qF -- "\\$opt" "$man"
	done
	if command -v man >/dev/null 2>&1; then
		check "the man page renders without warnings" \
			sh -c "MANWIDTH=80 man --warnings -l '$man' 2>&1 >/dev/null | wc -c | grep -qx 0"
	fi
}

# One failing input: exit 1 and no output at all.
case_no_partial() {
	cp "$samples/embedding_bag_sum.c" good.c
	printf 'void f(int *a, int n)\n{\n\tfor (int i = 0; i < n; i++)\n\t\ta[i] = b;\n}\n' >bad.c
	cp good.c good.orig
	"$daec" -q -i good.c bad.c 2>err.txt
	check "-i with a bad input exits 1" test $? -eq 1
	check "the error is reported at file:line:col" grep -q '^bad.c:4:[0-9]*: error: ' err.txt
	check "-i with a bad input leaves the good one alone" cmp -s good.c good.orig
	"$daec" -q good.c bad.c --diff --export-fixes=f.yaml --report=r.json >d.out 2>/dev/null
	check "--diff with a bad input exits 1" test $? -eq 1
	check "--diff with a bad input prints nothing" test ! -s d.out
	check "no fix file is left" test ! -e f.yaml
	check "no report is left" test ! -e r.json
	"$daec" -q good.c --diff --export-fixes=nodir/f.yaml >d.out 2>err.txt
	check "an unwritable fix file exits 1" test $? -eq 1
	check "an unwritable fix file is named" grep -q '^nodir/f.yaml: error: cannot write' err.txt
	check "an unwritable fix file: no diff either" test ! -s d.out
	check "no temporary files are left" \
		test -z "$(find . -mindepth 1 ! -name 'good*' ! -name bad.c ! -name err.txt ! -name d.out)"
}

# Random edit lists: unidiff's diffs through patch and git apply, and
# fixits_yaml's fixes through clang-apply-replacements, give what
# edits_apply gives (empty files, missing final newlines, CRLF lines,
# repeated lines, several edits at one offset).
case_unidiff_fuzz() {
	need git git
	need patch patch
	need clang-apply-replacements-19 clang-tools-19
	mkdir cases
	"$fuzz" 20260101 300 cases
	check "fuzz_unidiff wrote the cases" test $? -eq 0
	local bad_patch=0 bad_git=0 bad_car=0 n=0
	for d in cases/*/; do
		n=$((n + 1))
		rm -rf p g && mkdir p g
		cp "$d/old" p/f && cp "$d/old" g/f
		if [ -s "$d/p.diff" ]; then
			(cd p && patch -p1 -F0 -s --no-backup-if-mismatch <"../$d/p.diff") >/dev/null 2>&1
			(cd g && git apply "../$d/p.diff") >/dev/null 2>&1
		fi
		cmp -s p/f "$d/new" || { bad_patch=$((bad_patch + 1)); echo "patch: $d" >&2; }
		cmp -s g/f "$d/new" || { bad_git=$((bad_git + 1)); echo "git apply: $d" >&2; }
		mkdir "$d/fx" && cp "$d/old" "$d/fx/f"
		clang-apply-replacements-19 "$d/fixes" >/dev/null 2>&1
		cmp -s "$d/fx/f" "$d/new" || { bad_car=$((bad_car + 1)); echo "fixes: $d" >&2; }
	done
	check "300 cases" test "$n" -eq 300
	check "patch -p1 applies every random diff exactly" test "$bad_patch" -eq 0
	check "git apply applies every random diff exactly" test "$bad_git" -eq 0
	check "clang-apply-replacements applies every random fix file exactly" test "$bad_car" -eq 0
}

if ! declare -F "case_$case_name" >/dev/null; then
	echo "tools.sh: no case '$case_name'" >&2
	exit 2
fi
"case_$case_name"
echo "tools.$case_name: $pass passed, $fail failed"
test "$fail" -eq 0 && test "$pass" -gt 0

#!/usr/bin/env bash
# What a user gets from `cmake --install`: the installed daec translates a
# sample, and the translation compiles, links and runs against the installed
# libdae through pkg-config alone (no path into the source tree).
# usage: test_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pc=$(dirname "$(find "$work/prefix" -name dae.pc | head -n 1)")
test -n "$pc" || { echo "FAIL: dae.pc not installed"; exit 1; }
export PKG_CONFIG_PATH=$pc
"$work/prefix/bin/daec" -q "$src/samples/embedding_bag_sum.c" -o "$work/t.c"
grep -q '#include <dae/dae.h>' "$work/t.c" || { echo "FAIL: nothing decoupled"; exit 1; }
cat >"$work/main.c" <<'MAIN'
#include <dae/dae.h>
#include <stdint.h>
#include <stdio.h>
void embedding_bag_sum(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
		       float *);
int main(void)
{
	float table[4 * 3], out[2 * 3];
	int64_t idx[] = {3, 0, 3}, off[] = {0, 2, 3};
	for (int i = 0; i < 12; i++)
		table[i] = (float)i;
	embedding_bag_sum(table, 4, 3, idx, off, 2, out);
	struct dae_stats s;
	dae_stats_get(&s);
	/* bag 0 = rows 3 + 0, bag 1 = row 3 */
	int ok = out[0] == 9 && out[1] == 11 && out[2] == 13 && out[3] == 9 && out[5] == 11 &&
		 s.runs == 1;
	puts(ok ? "install: ok" : "install: wrong result");
	return !ok;
}
MAIN
# Every public header compiles on its own.
for h in "$work"/prefix/include/dae/*.h; do
	echo "#include <dae/$(basename "$h")>" >"$work/h.c"
	cc -c -o /dev/null "$work/h.c" $(pkg-config --cflags dae) || { echo "FAIL: $h"; exit 1; }
done
cc -O2 -Wall -Werror -o "$work/prog" "$work/main.c" "$work/t.c" $(pkg-config --cflags --libs dae)
"$work/prog"

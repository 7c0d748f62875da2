/* Writes random edit lists on random files, with the diff unidiff() makes
 * and the fixes fixits_yaml() makes for each, for tools.sh's unidiff_fuzz
 * case to apply with patch, git apply and clang-apply-replacements. Files
 * have repeated lines (so the line diff has choices to make), CRLF lines,
 * quotes, backslashes, control characters and UTF-8, empty files and missing
 * final newlines; edits are insertions and replacements anywhere, with or
 * without newlines, several at one offset.
 *
 * usage: fuzz_unidiff SEED COUNT DIR
 * writes DIR/NNN/old, DIR/NNN/new (what edits_apply gives), DIR/NNN/p.diff
 * (names a/f and b/f) and DIR/NNN/fixes/f.yaml (for the file DIR/NNN/fx/f). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edits.h"
#include "fixits.h"
#include "unidiff.h"

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

static const char *const words[] = {
        "{",       "}",       "",          "\tx++;",       "\treturn 0;",        "int a;",
        "/* c */", "\t}",     "y = 1;\r",  "\tfor (;;) {", "s = \"q\\\\\\\"\";", "/* Grüße */",
        "\x1b[0m", "'\\t' #", "a: [b, c]",
};

static void add_line(struct strbuf *sb)
{
	strbuf_adds(sb, words[rnd(sizeof(words) / sizeof(words[0]))]);
	strbuf_adds(sb, "\n");
}

static int write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int bad = fwrite(s, 1, n, f) != n;
	return fclose(f) || bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: fuzz_unidiff SEED COUNT DIR\n", stderr);
		return 2;
	}
	rng = strtoull(argv[1], NULL, 10);
	int count = atoi(argv[2]);
	const char *dir = argv[3];
	char *absdir = realpath(dir, NULL);
	if (!absdir) {
		perror(dir);
		return 1;
	}
	for (int c = 0; c < count; c++) {
		struct arena a;
		arena_init(&a);
		struct strbuf old;
		strbuf_init(&old);
		int nlines = (int)rnd(40);
		for (int i = 0; i < nlines; i++)
			add_line(&old);
		if (old.len && rnd(3) == 0)
			old.len--; /* no newline at the end */
		struct edit_list l;
		edits_init(&l);
		int nedits = (int)rnd(6);
		unsigned pos = 0;
		for (int i = 0; i < nedits && pos <= old.len; i++) {
			unsigned b = pos + rnd((unsigned)(old.len - pos) / 2 + 1);
			unsigned e = rnd(3) == 0 ? b : b + rnd((unsigned)(old.len - b) / 3 + 1);
			struct strbuf t;
			strbuf_init(&t);
			int nt = (int)rnd(5);
			for (int k = 0; k < nt; k++)
				add_line(&t);
			if (t.len && rnd(2))
				t.len--;
			edits_add(&l, b, e, arena_strndup(&a, t.s, t.len));
			if (rnd(4) == 0) /* another insertion at the same offset */
				edits_add(&l, b, b, "extra\n");
			strbuf_exit(&t);
			pos = e + (e == b ? 0 : rnd(2));
		}
		struct strbuf neu, diff;
		strbuf_init(&neu);
		strbuf_init(&diff);
		if (edits_apply(&l, old.s, old.len, &neu)) {
			fprintf(stderr, "case %d: overlapping edits generated\n", c);
			return 1;
		}
		unidiff(&diff, "a/f", "b/f", old.s, old.len, &l, 3);
		char path[4096];
		snprintf(path, sizeof(path), "%s/%03d", dir, c);
		mkdir(path, 0777);
		snprintf(path, sizeof(path), "%s/%03d/old", dir, c);
		int rc = write_file(path, old.s, old.len);
		snprintf(path, sizeof(path), "%s/%03d/new", dir, c);
		rc |= write_file(path, neu.s, neu.len);
		snprintf(path, sizeof(path), "%s/%03d/p.diff", dir, c);
		rc |= write_file(path, diff.s, diff.len);

		struct edit_list co;
		edits_init(&co);
		edits_coalesce(&l, &a, &co);
		char target[4096];
		snprintf(target, sizeof(target), "%s/%03d/fx/f", absdir, c);
		struct fixit fx = {"fuzz", target, 0, co.v, co.n};
		struct strbuf yaml;
		strbuf_init(&yaml);
		const char *bad;
		rc |= fixits_yaml(&yaml, target, absdir, &fx, 1, &bad);
		snprintf(path, sizeof(path), "%s/%03d/fixes", dir, c);
		mkdir(path, 0777);
		snprintf(path, sizeof(path), "%s/%03d/fixes/f.yaml", dir, c);
		rc |= write_file(path, yaml.s, yaml.len);
		strbuf_exit(&yaml);
		edits_exit(&co);
		if (rc) {
			perror(path);
			return 1;
		}
		strbuf_exit(&old);
		strbuf_exit(&neu);
		strbuf_exit(&diff);
		edits_exit(&l);
		arena_exit(&a);
	}
	free(absdir);
	return 0;
}

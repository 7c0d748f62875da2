#include "fixits.h"

#include <string.h>

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		k = 2;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		k = 3;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		k = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return k;
}

/* A YAML double-quoted scalar: the only style in which every line break,
 * tab and quote survives exactly (plain and single-quoted scalars fold line
 * breaks). Other bytes pass through as UTF-8. */
static int put_str(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	strbuf_adds(out, "\"");
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c == '"' || c == '\\') {
			strbuf_addf(out, "\\%c", c);
		} else if (c == '\n') {
			strbuf_adds(out, "\\n");
		} else if (c == '\t') {
			strbuf_adds(out, "\\t");
		} else if (c == '\r') {
			strbuf_adds(out, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\x%02X", c);
		} else if (c >= 0x80) {
			size_t k = utf8_len(p + i, n - i);
			if (!k)
				return -1;
			strbuf_addn(out, s + i, k);
			i += k;
			continue;
		} else {
			strbuf_addn(out, s + i, 1);
		}
		i++;
	}
	strbuf_adds(out, "\"");
	return 0;
}

int fixits_yaml(struct strbuf *out, const char *main_file, const char *build_dir,
                const struct fixit *v, int n, const char **bad)
{
	int rc = 0;
	*bad = NULL;
	strbuf_adds(out, "---\nMainSourceFile:  ");
	rc |= put_str(out, main_file);
	strbuf_adds(out, n ? "\nDiagnostics:\n" : "\nDiagnostics:     []\n");
	for (int i = 0; i < n && !rc; i++) {
		const struct fixit *f = &v[i];
		strbuf_adds(out, "  - DiagnosticName:  \"daec-decouple\"\n");
		strbuf_adds(out, "    DiagnosticMessage:\n      Message:         ");
		rc |= put_str(out, f->message);
		strbuf_adds(out, "\n      FilePath:        ");
		rc |= put_str(out, f->path);
		strbuf_addf(out, "\n      FileOffset:      %u\n", f->offset);
		strbuf_adds(out,
		            f->nrepl ? "      Replacements:\n" : "      Replacements:    []\n");
		for (int k = 0; k < f->nrepl && !rc; k++) {
			const struct edit *e = &f->repl[k];
			strbuf_adds(out, "        - FilePath:        ");
			rc |= put_str(out, f->path);
			strbuf_addf(out, "\n          Offset:          %u\n", e->begin);
			strbuf_addf(out, "          Length:          %u\n", e->end - e->begin);
			strbuf_adds(out, "          ReplacementText: ");
			rc |= put_str(out, e->text);
			strbuf_adds(out, "\n");
		}
		strbuf_adds(out, "    Level:           Warning\n    BuildDirectory:  ");
		rc |= put_str(out, build_dir);
		strbuf_adds(out, "\n");
		if (rc)
			*bad = f->path;
	}
	if (rc && !*bad)
		*bad = main_file;
	strbuf_adds(out, "...\n");
	return rc ? -1 : 0;
}

#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *path_absolute(struct arena *a, const char *dir, const char *p)
{
	size_t nd = p[0] == '/' ? 0 : strlen(dir), np = strlen(p);
	char *src = arena_alloc(a, nd + np + 2);
	if (nd) {
		memcpy(src, dir, nd);
		src[nd] = '/';
		memcpy(src + nd + 1, p, np);
	} else {
		memcpy(src, p, np);
	}
	char *out = arena_alloc(a, nd + np + 3);
	size_t n = 0;
	/* Each component is appended as "/name"; ".." removes the last one. */
	for (const char *s = src; *s;) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t k = (size_t)(e - s);
		if (k == 0 || (k == 1 && s[0] == '.')) {
			/* nothing */
		} else if (k == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
		} else {
			out[n++] = '/';
			memcpy(out + n, s, k);
			n += k;
		}
		s = e;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

char *path_relative(struct arena *a, const char *abs, const char *base)
{
	if (strcmp(base, "/") == 0)
		return arena_strdup(a, abs[1] ? abs + 1 : ".");
	/* The longest common prefix that ends at a component boundary. */
	size_t common = 0;
	for (size_t i = 0;; i++) {
		char x = abs[i], y = base[i];
		if ((x == '/' || x == '\0') && (y == '/' || y == '\0'))
			common = i;
		if (x != y || x == '\0')
			break;
	}
	struct strbuf sb;
	strbuf_init(&sb);
	for (const char *s = base + common; *s; s++)
		if (*s == '/')
			strbuf_adds(&sb, sb.len ? "/.." : "..");
	const char *rest = abs + common;
	while (*rest == '/')
		rest++;
	if (*rest) {
		if (sb.len)
			strbuf_adds(&sb, "/");
		strbuf_adds(&sb, rest);
	}
	char *r = arena_strdup(a, sb.len ? sb.s : ".");
	strbuf_exit(&sb);
	return r;
}

char *path_cwd(struct arena *a)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		return NULL;
	return arena_strdup(a, buf);
}

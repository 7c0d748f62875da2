#include "edits.h"

#include <stdlib.h>

void edits_init(struct edit_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void edits_exit(struct edit_list *l)
{
	free(l->v);
	edits_init(l);
}

void edits_add(struct edit_list *l, unsigned begin, unsigned end, const char *text)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		struct edit *v = realloc(l->v, sizeof(*v) * (size_t)l->cap);
		if (!v)
			abort();
		l->v = v;
	}
	l->v[l->n] = (struct edit){begin, end, text, l->n};
	l->n++;
}

void edits_truncate(struct edit_list *l, int n)
{
	if (n < l->n)
		l->n = n;
}

static int cmp(const void *x, const void *y)
{
	const struct edit *a = x, *b = y;
	if (a->begin != b->begin)
		return a->begin < b->begin ? -1 : 1;
	/* At one offset, insertions come before a replacement starting there. */
	if ((a->begin == a->end) != (b->begin == b->end))
		return a->begin == a->end ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void edits_sort(struct edit_list *l)
{
	if (l->n)
		qsort(l->v, (size_t)l->n, sizeof(*l->v), cmp);
}

int edits_apply(struct edit_list *l, const char *buf, size_t len, struct strbuf *out)
{
	edits_sort(l);
	size_t pos = 0;
	for (int i = 0; i < l->n; i++) {
		const struct edit *e = &l->v[i];
		if (e->begin < pos || e->end < e->begin || e->end > len)
			return -1;
		strbuf_addn(out, buf + pos, e->begin - pos);
		strbuf_adds(out, e->text);
		pos = e->end;
	}
	strbuf_addn(out, buf + pos, len - pos);
	return 0;
}

int edits_compare(const struct edit *a, const struct edit *b)
{
	return cmp(a, b);
}

int edits_check(const struct edit_list *l, size_t len)
{
	size_t pos = 0;
	for (int i = 0; i < l->n; i++) {
		const struct edit *e = &l->v[i];
		if (e->begin < pos || e->end < e->begin || e->end > len)
			return -1;
		pos = e->end;
	}
	return 0;
}

void edits_coalesce(const struct edit_list *l, struct arena *a, struct edit_list *out)
{
	int i = 0;
	while (i < l->n) {
		struct edit m = l->v[i];
		int j = i + 1;
		if (j < l->n && l->v[j].begin == m.end) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_adds(&sb, m.text);
			for (; j < l->n && l->v[j].begin == m.end; j++) {
				strbuf_adds(&sb, l->v[j].text);
				m.end = l->v[j].end;
			}
			m.text = arena_strndup(a, sb.s ? sb.s : "", sb.len);
			strbuf_exit(&sb);
		}
		edits_add(out, m.begin, m.end, m.text);
		out->v[out->n - 1].seq = m.seq;
		i = j;
	}
}

void edits_add_first(struct edit_list *l, unsigned begin, unsigned end, const char *text)
{
	edits_add(l, begin, end, text);
	/* Before every edit added so far or later at the same offset. */
	l->v[l->n - 1].seq = -1 - l->n;
}

#include "unidiff.h"

#include <stdlib.h>
#include <string.h>

/* Two steps. The edits first become changes of whole lines (each edit
 * grown to the lines it touches), which is exact but shows a rewritten
 * function as one block even where old lines survive in the new text (the
 * kept original copy holds the whole old body). Then the changes that would
 * share a hunk are diffed again line by line (Myers' O(ND) algorithm), so
 * the diff is as small as `diff -u`'s; the work stays local to a hunk, and a
 * hunk too different for that (more than MAX_D changed lines) keeps the
 * first step's form, which is just as correct. */
#define MAX_D 2000

/* A run of old lines replaced by new text: old lines [oa, oa + on), new
 * text big[toff, toff + tlen) holding nn whole lines (the last one without
 * '\n' only at the end of the file). */
struct change {
	int oa, on;
	size_t toff, tlen;
	int nn;
};

/* A line of the new text: in the old buffer or in big. */
struct lref {
	const char *s;
	size_t n;
	unsigned long h;
};

/* The final changes: old lines [oa, oa + on) become lines[nfirst, nfirst + nn). */
struct fchange {
	int oa, on;
	int nfirst, nn;
};

struct diffctx {
	const char *buf;
	size_t len;
	size_t *start; /* start[i]: offset of old line i; start[nlines] = len */
	unsigned long *hash; /* of each old line */
	int nlines;
	struct strbuf big; /* the new text of every change */
	struct change *ch;
	int nch, capch;
	struct lref *nl; /* new lines of the final changes */
	int nnl, capnl;
	struct fchange *fc;
	int nfc, capfc;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();
	return p;
}

static void index_lines(struct diffctx *c)
{
	int n = 0;
	for (size_t i = 0; i < c->len; i++)
		if (c->buf[i] == '\n')
			n++;
	if (c->len && c->buf[c->len - 1] != '\n')
		n++;
	c->start = xrealloc(NULL, sizeof(*c->start) * ((size_t)n + 1));
	c->nlines = n;
	int k = 0;
	if (c->len)
		c->start[k++] = 0;
	for (size_t i = 0; i < c->len; i++)
		if (c->buf[i] == '\n' && i + 1 < c->len)
			c->start[k++] = i + 1;
	c->start[n] = c->len;
}

/* Index of the line starting at off (a line start, or len: one past the last line). */
static int line_index(const struct diffctx *c, size_t off)
{
	if (off >= c->len)
		return c->nlines;
	int lo = 0, hi = c->nlines - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		if (c->start[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static size_t line_start(const struct diffctx *c, size_t off)
{
	while (off > 0 && c->buf[off - 1] != '\n')
		off--;
	return off;
}

/* The edits first..last spliced into the old bytes [rb, re). */
static void splice(const struct diffctx *c, const struct edit_list *l, int first, int last,
                   size_t rb, size_t re, struct strbuf *out)
{
	size_t pos = rb;
	for (int i = first; i <= last; i++) {
		strbuf_addn(out, c->buf + pos, l->v[i].begin - pos);
		strbuf_adds(out, l->v[i].text);
		pos = l->v[i].end;
	}
	if (re > pos)
		strbuf_addn(out, c->buf + pos, re - pos);
}

static size_t line_len(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	return nl ? (size_t)(nl - s) + 1 : n;
}

static size_t last_line_start(const char *s, size_t n)
{
	size_t i = n;
	if (i && s[i - 1] == '\n')
		i--;
	while (i > 0 && s[i - 1] != '\n')
		i--;
	return i;
}

static int count_lines(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n')
			k++;
	return k + (n && s[n - 1] != '\n');
}

/* Records old lines [la, lb) -> text (already in big at toff), less the
 * lines both sides share at either end, so a hunk shows only real changes. */
static void add_change(struct diffctx *c, int la, int lb, size_t toff)
{
	size_t tlen = c->big.len - toff;
	const char *t = c->big.s + toff;
	while (la < lb && tlen) {
		size_t ol = c->start[la + 1] - c->start[la], nl = line_len(t, tlen);
		if (ol != nl || memcmp(c->buf + c->start[la], t, nl))
			break;
		la++;
		t += nl;
		tlen -= nl;
	}
	while (la < lb && tlen) {
		size_t ol = c->start[lb] - c->start[lb - 1], ls = last_line_start(t, tlen);
		if (ol != tlen - ls || memcmp(c->buf + c->start[lb - 1], t + ls, ol))
			break;
		lb--;
		tlen = ls;
	}
	if (la == lb && !tlen)
		return;
	if (c->nch == c->capch) {
		c->capch = c->capch ? 2 * c->capch : 16;
		c->ch = xrealloc(c->ch, sizeof(*c->ch) * (size_t)c->capch);
	}
	c->ch[c->nch++] =
	        (struct change){la, lb - la, (size_t)(t - c->big.s), tlen, count_lines(t, tlen)};
}

/* Turns the edits into changes of whole lines: each edit grows to the lines
 * it touches, and edits whose lines meet share one change. */
static void collect_changes(struct diffctx *c, const struct edit_list *l)
{
	struct strbuf tmp;
	strbuf_init(&tmp);
	int i = 0;
	while (i < l->n) {
		size_t rb = line_start(c, l->v[i].begin);
		int j = i;
		size_t e = l->v[i].end, re;
		for (;;) {
			/* The change ends at a line boundary on both sides (or at
			 * the end of the file); else it takes the rest of the line. */
			re = e;
			if (re < c->len) {
				tmp.len = 0;
				splice(c, l, i, j, rb, re, &tmp);
				int old_ok = re == rb || c->buf[re - 1] == '\n';
				int new_ok = tmp.len == 0 || tmp.s[tmp.len - 1] == '\n';
				if (!old_ok || !new_ok) {
					const char *nl = memchr(c->buf + re, '\n', c->len - re);
					re = nl ? (size_t)(nl - c->buf) + 1 : c->len;
				}
			}
			/* The next edit touches a line of this change (at the end of
			 * the file, every edit left does). */
			if (j + 1 < l->n &&
			    (re == c->len || line_start(c, l->v[j + 1].begin) < re)) {
				j++;
				if (l->v[j].end > e)
					e = l->v[j].end;
				continue;
			}
			break;
		}
		size_t toff = c->big.len;
		splice(c, l, i, j, rb, re, &c->big);
		add_change(c, line_index(c, rb), line_index(c, re), toff);
		i = j + 1;
	}
	strbuf_exit(&tmp);
}

static unsigned long hash_line(const char *s, size_t n)
{
	unsigned long h = 5381;
	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

static void push_line(struct diffctx *c, const char *s, size_t n)
{
	if (c->nnl == c->capnl) {
		c->capnl = c->capnl ? 2 * c->capnl : 256;
		c->nl = xrealloc(c->nl, sizeof(*c->nl) * (size_t)c->capnl);
	}
	c->nl[c->nnl++] = (struct lref){s, n, hash_line(s, n)};
}

static void push_change(struct diffctx *c, int oa, int on, int nfirst, int nn)
{
	if (!on && !nn)
		return;
	if (c->nfc == c->capfc) {
		c->capfc = c->capfc ? 2 * c->capfc : 16;
		c->fc = xrealloc(c->fc, sizeof(*c->fc) * (size_t)c->capfc);
	}
	c->fc[c->nfc++] = (struct fchange){oa, on, nfirst, nn};
}

static int same_line(const struct diffctx *c, int x, const struct lref *y)
{
	size_t n = c->start[x + 1] - c->start[x];
	return c->hash[x] == y->h && n == y->n && !memcmp(c->buf + c->start[x], y->s, n);
}

/* Myers' greedy diff of old lines [a, a + n) against new lines nl[b, b + m).
 * Adds the changes, or returns -1 (adding none) when more than MAX_D lines
 * differ. */
static int myers(struct diffctx *c, int a, int n, int b, int m)
{
	int max = n + m < MAX_D ? n + m : MAX_D;
	/* trace[d]: V after step d, for diagonals -d..d (offset by d). */
	int **trace = xrealloc(NULL, sizeof(*trace) * ((size_t)max + 1));
	int *v = xrealloc(NULL, sizeof(*v) * (2 * (size_t)max + 3));
	int off = max + 1, found = -1, ntrace = 0;
	v[off + 1] = 0;
	for (int d = 0; d <= max && found < 0; d++) {
		for (int k = -d; k <= d; k += 2) {
			int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
			                ? v[off + k + 1]
			                : v[off + k - 1] + 1;
			int y = x - k;
			while (x < n && y < m && same_line(c, a + x, &c->nl[b + y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= n && y >= m)
				found = d;
		}
		trace[d] = xrealloc(NULL, sizeof(int) * (2 * (size_t)d + 1));
		ntrace++;
		for (int k = -d; k <= d; k++)
			trace[d][k + d] = v[off + k];
	}
	int rc = -1;
	if (found >= 0) {
		/* Walk back from (n, m): each step d came from diagonal k +- 1 of
		 * step d - 1. ops[] records the moves backwards. */
		char *ops = xrealloc(NULL, (size_t)(n + m) + 1);
		int nops = 0, x = n, y = m;
		for (int d = found; d > 0; d--) {
			int k = x - y;
			const int *pv = trace[d - 1];
			int pk = (k == -d || (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]))
			                 ? k + 1
			                 : k - 1;
			int px = pv[pk + d - 1], py = px - pk;
			while (x > px && y > py) {
				ops[nops++] = '=';
				x--;
				y--;
			}
			ops[nops++] = x == px ? '+' : '-';
			x = px;
			y = py;
		}
		while (x > 0 && y > 0) {
			ops[nops++] = '=';
			x--;
			y--;
		}
		/* Forwards: each run of '-' and '+' is one change. */
		int i = nops - 1;
		while (i >= 0) {
			if (ops[i] == '=') {
				x++;
				y++;
				i--;
				continue;
			}
			int ox = x, oy = y;
			for (; i >= 0 && ops[i] != '='; i--) {
				if (ops[i] == '-')
					x++;
				else
					y++;
			}
			push_change(c, a + ox, x - ox, b + oy, y - oy);
		}
		free(ops);
		rc = 0;
	}
	for (int d = 0; d < ntrace; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return rc;
}

/* The new lines of a change, split into lrefs; returns the first index. */
static int push_text(struct diffctx *c, const char *t, size_t n)
{
	int first = c->nnl;
	while (n) {
		size_t ll = line_len(t, n);
		push_line(c, t, ll);
		t += ll;
		n -= ll;
	}
	return first;
}

/* The changes that share a hunk, diffed again line by line. */
static void refine(struct diffctx *c, int context)
{
	int *firsts = xrealloc(NULL, sizeof(int) * ((size_t)c->nch + 1));
	int k = 0;
	while (k < c->nch) {
		int last = k;
		while (last + 1 < c->nch &&
		       c->ch[last + 1].oa - (c->ch[last].oa + c->ch[last].on) <= 2 * context)
			last++;
		int a = c->ch[k].oa, e = c->ch[last].oa + c->ch[last].on;
		int b = c->nnl;
		for (int m = k; m <= last; m++) {
			if (m > k)
				for (int x = c->ch[m - 1].oa + c->ch[m - 1].on; x < c->ch[m].oa;
				     x++)
					push_line(c, c->buf + c->start[x],
					          c->start[x + 1] - c->start[x]);
			firsts[m] = push_text(c, c->big.s + c->ch[m].toff, c->ch[m].tlen);
		}
		if (myers(c, a, e - a, b, c->nnl - b))
			for (int m = k; m <= last; m++)
				push_change(c, c->ch[m].oa, c->ch[m].on, firsts[m], c->ch[m].nn);
		k = last + 1;
	}
	free(firsts);
}

static void put_line(struct strbuf *out, char mark, const char *s, size_t n)
{
	strbuf_addn(out, &mark, 1);
	strbuf_addn(out, s, n);
	if (!n || s[n - 1] != '\n')
		strbuf_adds(out, "\n\\ No newline at end of file\n");
}

static void put_old(struct strbuf *out, const struct diffctx *c, char mark, int from, int to)
{
	for (int k = from; k < to; k++)
		put_line(out, mark, c->buf + c->start[k], c->start[k + 1] - c->start[k]);
}

/* "start,count" of a hunk range as diff -u prints it: an empty range names
 * the line before it, and a count of 1 is left out. */
static void put_range(struct strbuf *out, int start, int count)
{
	if (count == 0)
		strbuf_addf(out, "%d,0", start);
	else if (count == 1)
		strbuf_addf(out, "%d", start + 1);
	else
		strbuf_addf(out, "%d,%d", start + 1, count);
}

void unidiff(struct strbuf *out, const char *old_name, const char *new_name, const char *buf,
             size_t len, const struct edit_list *l, int context)
{
	struct diffctx c;
	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.len = len;
	strbuf_init(&c.big);
	index_lines(&c);
	collect_changes(&c, l);
	c.hash = xrealloc(NULL, sizeof(*c.hash) * ((size_t)c.nlines + 1));
	for (int i = 0; i < c.nlines; i++)
		c.hash[i] = hash_line(buf + c.start[i], c.start[i + 1] - c.start[i]);
	refine(&c, context);
	if (c.nfc)
		strbuf_addf(out, "--- %s\n+++ %s\n", old_name, new_name);
	int delta = 0; /* new minus old lines before the current change */
	int k = 0;
	while (k < c.nfc) {
		int last = k;
		while (last + 1 < c.nfc &&
		       c.fc[last + 1].oa - (c.fc[last].oa + c.fc[last].on) <= 2 * context)
			last++;
		int ob = c.fc[k].oa - context < 0 ? 0 : c.fc[k].oa - context;
		int oe = c.fc[last].oa + c.fc[last].on + context;
		if (oe > c.nlines)
			oe = c.nlines;
		int grow = 0;
		for (int m = k; m <= last; m++)
			grow += c.fc[m].nn - c.fc[m].on;
		strbuf_adds(out, "@@ -");
		put_range(out, ob, oe - ob);
		strbuf_adds(out, " +");
		put_range(out, ob + delta, oe - ob + grow);
		strbuf_adds(out, " @@\n");
		int pos = ob;
		for (int m = k; m <= last; m++) {
			const struct fchange *ch = &c.fc[m];
			put_old(out, &c, ' ', pos, ch->oa);
			put_old(out, &c, '-', ch->oa, ch->oa + ch->on);
			for (int i = ch->nfirst; i < ch->nfirst + ch->nn; i++)
				put_line(out, '+', c.nl[i].s, c.nl[i].n);
			pos = ch->oa + ch->on;
			delta += ch->nn - ch->on;
		}
		put_old(out, &c, ' ', pos, oe);
		k = last + 1;
	}
	free(c.ch);
	free(c.fc);
	free(c.nl);
	free(c.hash);
	free(c.start);
	strbuf_exit(&c.big);
}

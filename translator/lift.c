/* The lifter: libclang cursors -> loop IR (ir.h).
 *
 * One pass over the translation unit collects the macro expansions (so a node
 * produced by a macro can be widened to the whole macro use) and the function
 * definitions; each definition is then lifted with a fresh variable table.
 * Spans are byte offsets of expansion locations in the file holding the
 * definition: the main file for main-file functions, the header's own bytes
 * for functions defined in headers.
 *
 * A body is visited once, recursively, into a table of nodes (struct node):
 * libclang's visits and location queries cost far more than the lifting
 * itself, so children and extents are asked once per node, and offsets in the
 * definition's file are read off the locations without a query where that is
 * safe (plain_offset).
 *
 * Anything not modelled becomes an OTHER node; its operands are still walked
 * ("scanned") so the variable table and the ADDR_TAKEN / ASSIGNED flags stay
 * complete. */
#include "frontend.h"

#include <clang-c/Index.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where a memory node stands: decides its access mark. */
enum ctx {
	C_READ, /* rvalue */
	C_WRITE, /* left side of '=' */
	C_RW, /* left side of 'op=', operand of ++/-- */
	C_ADDR, /* operand of '&' */
	C_DOTBASE, /* base of a '.' member access */
	C_INDEXBASE, /* pointer/array operand of [] (read, but an array does not escape) */
};

struct cursor_list {
	CXCursor *v;
	int n;
	int cap;
};

/* A cursor of the body being lifted, with what lifting asks about it more
 * than once. Nodes are in visiting order (pre-order), so a subtree is the
 * range [i, end). */
struct node {
	CXCursor c;
	int parent; /* -1 for a root */
	int kid0; /* children: lift.kidv[kid0 .. kid0 + nkids) */
	int nkids;
	int end; /* one past the last descendant */
	unsigned has_ext : 1;
	unsigned has_span : 1; /* span and macro */
	unsigned has_loc : 1;
	unsigned macro : 1;
	CXSourceRange ext;
	struct ir_span span;
	struct ir_loc loc;
};

/* The children of a node, copied out: the node table may grow (tree_add)
 * while they are lifted. */
struct kids {
	int *v;
	int n;
	int small[6];
};

struct macro_use {
	CXFile file;
	unsigned begin;
	unsigned end;
};

struct macro_list {
	struct macro_use *v;
	size_t n;
	size_t cap;
};

struct var_slot {
	CXCursor decl; /* canonical declaration */
	unsigned hash;
	struct ir_var *var;
};

/* A declaration already looked up in this function (var_for). */
struct var_alias {
	const void *decl; /* the declaration, as a cursor names it (data[0]) */
	unsigned gen; /* lift.gen of the function it was met in */
	struct ir_var *var;
};

struct type_slot {
	const void *key;
	int kind;
	const struct ir_type *type;
};

/* The visitor state: everything lifting one translation unit needs. */
struct lift {
	struct arena *a;
	struct ir_unit *unit;
	CXTranslationUnit tu;
	CXFile main_file;
	unsigned ptr_size;

	struct macro_list macros; /* every macro expansion of the TU */
	struct cursor_list fdefs; /* function definitions, source order */
	struct ptrvec funcs; /* lifted functions */

	/* types, for the whole unit */
	struct type_slot *types;
	size_t ntypes, types_cap;
	struct ir_type *invalid_type;

	/* the file of the function being lifted */
	CXFile file;
	const char *buf;
	size_t len;
	struct macro_use *fmacros; /* outermost macro uses in that file, sorted, disjoint */
	size_t nfmacros;
	unsigned base; /* its offset 0 as a raw location (plain_offset); 0: unknown */
	const void *sm; /* the source manager of base */
	unsigned *lines; /* offsets where its lines start, when base is known */
	size_t nlines, lines_cap;
	size_t line_hint; /* the line of the last line_col answer */

	/* the body being lifted */
	struct node *nodes;
	int nnodes, nodes_cap;
	int *kidv;
	int nkidv, kidv_cap;
	int *stack; /* tree_visit: the path from the root */
	int nstack, stack_cap;
	int tree_failed;

	/* the function being lifted */
	struct ir_func *fn;
	struct ptrvec vars;
	struct var_slot *vtab;
	size_t vtab_cap;
	struct var_alias alias[256];
	unsigned gen; /* counts functions: alias entries of older ones are stale */
	int nstmts;
	int quiet; /* > 0: inside sizeof/_Alignof: register variables, set no flags */
};

static struct ir_expr *lift_expr(struct lift *L, int n, enum ctx ctx);
static struct ir_stmt *lift_stmt(struct lift *L, int n, struct ir_stmt *parent);
static void scan(struct lift *L, int n);

/* ---- small helpers ---- */

static void oom(void)
{
	fputs("daec: out of memory\n", stderr);
	abort();
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q)
		oom();
	return q;
}

static enum CXChildVisitResult collect_kid(CXCursor c, CXCursor parent, CXClientData data)
{
	struct cursor_list *k = data;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = xrealloc(k->v, sizeof(*k->v) * (size_t)k->cap);
	}
	k->v[k->n++] = c;
	return CXChildVisit_Continue;
}

static void cursor_kids(CXCursor c, struct cursor_list *k)
{
	k->v = NULL;
	k->n = k->cap = 0;
	clang_visitChildren(c, collect_kid, k);
}

static void cursor_kids_free(struct cursor_list *k)
{
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

/* ---- the node table ---- */

static inline CXCursor cur(const struct lift *L, int n)
{
	return L->nodes[n].c;
}

static inline enum CXCursorKind kind_of(const struct lift *L, int n)
{
	return L->nodes[n].c.kind; /* clang_getCursorKind, without the call */
}

static inline int kid(const struct lift *L, int n, int i)
{
	return L->kidv[L->nodes[n].kid0 + i];
}

static void kids_get(const struct lift *L, int n, struct kids *k)
{
	k->n = L->nodes[n].nkids;
	k->v = k->n <= (int)(sizeof(k->small) / sizeof(k->small[0]))
	               ? k->small
	               : xrealloc(NULL, sizeof(*k->v) * (size_t)k->n);
	memcpy(k->v, L->kidv + L->nodes[n].kid0, sizeof(*k->v) * (size_t)k->n);
}

static void kids_free(struct kids *k)
{
	if (k->v != k->small)
		free(k->v);
	k->v = NULL;
	k->n = 0;
}

static inline int node_add(struct lift *L, CXCursor c, int parent)
{
	if (L->nnodes == L->nodes_cap) {
		L->nodes_cap = L->nodes_cap ? L->nodes_cap * 2 : 256;
		L->nodes = xrealloc(L->nodes, sizeof(*L->nodes) * (size_t)L->nodes_cap);
	}
	struct node *d = &L->nodes[L->nnodes];
	d->c = c;
	d->parent = parent;
	d->kid0 = d->nkids = d->end = 0;
	d->has_ext = d->has_span = d->has_loc = d->macro = 0;
	if (parent >= 0)
		L->nodes[parent].nkids++;
	return L->nnodes++;
}

static inline void stack_push(struct lift *L, int n)
{
	if (L->nstack == L->stack_cap) {
		L->stack_cap = L->stack_cap ? L->stack_cap * 2 : 64;
		L->stack = xrealloc(L->stack, sizeof(*L->stack) * (size_t)L->stack_cap);
	}
	L->stack[L->nstack++] = n;
}

/* Whether a and b are the same node. A statement or expression cursor also
 * carries the declaration it was reached from (data[0]), which a visit
 * started at a statement leaves out: the statement itself (data[1]) says. */
static int same_cursor(const CXCursor *a, const CXCursor *b)
{
	if (a->data[1] != b->data[1] || a->kind != b->kind || a->xdata != b->xdata ||
	    a->data[2] != b->data[2])
		return 0;
	return a->data[0] == b->data[0] ||
	       (a->kind >= CXCursor_FirstExpr && a->kind <= CXCursor_LastExpr) ||
	       (a->kind >= CXCursor_FirstStmt && a->kind <= CXCursor_LastStmt);
}

static enum CXChildVisitResult tree_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct lift *L = data;
	/* A ConstantExpr (a case label) or a PseudoObjectExpr shows as the
	 * expression it wraps, which a recursive visit then meets again as its
	 * own child; a direct visit of that cursor does not, and lifting must see
	 * the children a direct visit gives. */
	if (same_cursor(&c, &parent))
		return CXChildVisit_Recurse;
	while (L->nstack && !same_cursor(&L->nodes[L->stack[L->nstack - 1]].c, &parent)) {
		L->nodes[L->stack[L->nstack - 1]].end = L->nnodes;
		L->nstack--;
	}
	if (!L->nstack) {
		L->tree_failed = 1;
		return CXChildVisit_Break;
	}
	stack_push(L, node_add(L, c, L->stack[L->nstack - 1]));
	return CXChildVisit_Recurse;
}

/* The same tree from one direct visit per node: the fallback should a
 * recursive visit ever name a parent off the current path. */
static void tree_direct(struct lift *L, int n)
{
	struct cursor_list k;
	cursor_kids(L->nodes[n].c, &k);
	for (int i = 0; i < k.n; i++)
		tree_direct(L, node_add(L, k.v[i], n));
	cursor_kids_free(&k);
	L->nodes[n].end = L->nnodes;
}

/* Adds the subtree of c to the node table (one recursive visit); returns its
 * root. */
static int tree_add(struct lift *L, CXCursor c)
{
	int root = node_add(L, c, -1);
	L->nstack = 0;
	L->tree_failed = 0;
	stack_push(L, root);
	clang_visitChildren(c, tree_visit, L);
	while (L->nstack)
		L->nodes[L->stack[--L->nstack]].end = L->nnodes;
	if (L->tree_failed) {
		L->nnodes = root + 1;
		L->nodes[root].nkids = 0;
		tree_direct(L, root);
	}
	/* children lists, in visiting order */
	size_t need = (size_t)L->nkidv + (size_t)(L->nnodes - root);
	if (need > (size_t)L->kidv_cap) {
		while ((size_t)L->kidv_cap < need)
			L->kidv_cap = L->kidv_cap ? L->kidv_cap * 2 : 256;
		L->kidv = xrealloc(L->kidv, sizeof(*L->kidv) * (size_t)L->kidv_cap);
	}
	for (int i = root; i < L->nnodes; i++) {
		L->nodes[i].kid0 = L->nkidv;
		L->nkidv += L->nodes[i].nkids;
		L->nodes[i].nkids = 0;
	}
	for (int i = root + 1; i < L->nnodes; i++) {
		struct node *p = &L->nodes[L->nodes[i].parent];
		L->kidv[p->kid0 + p->nkids++] = i;
	}
	return root;
}

/* A copy of a libclang string in the arena; the CXString is disposed here. */
static const char *take_string(struct lift *L, CXString s)
{
	const char *c = clang_getCString(s);
	const char *r = arena_strdup(L->a, c ? c : "");
	clang_disposeString(s);
	return r;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Skips whitespace, line splices and comments from pos; returns the offset of
 * the next significant character (or len). */
static unsigned skip_blank(const struct lift *L, unsigned pos)
{
	const char *b = L->buf;
	size_t n = L->len;
	while (pos < n) {
		if (is_space(b[pos])) {
			pos++;
		} else if (b[pos] == '\\' && pos + 1 < n &&
		           (b[pos + 1] == '\n' || b[pos + 1] == '\r')) {
			pos++;
		} else if (b[pos] == '/' && pos + 1 < n && b[pos + 1] == '*') {
			const char *e = NULL;
			for (size_t i = pos + 2; i + 1 < n; i++) {
				if (b[i] == '*' && b[i + 1] == '/') {
					e = b + i;
					break;
				}
			}
			if (!e)
				return (unsigned)n;
			pos = (unsigned)(e - b) + 2;
		} else if (b[pos] == '/' && pos + 1 < n && b[pos + 1] == '/') {
			while (pos < n && b[pos] != '\n')
				pos++;
		} else {
			break;
		}
	}
	return pos;
}

/* Skips a string or character literal starting at pos (the quote); returns
 * the offset after its closing quote. */
static unsigned skip_literal(const struct lift *L, unsigned pos)
{
	char q = L->buf[pos++];
	while (pos < L->len && L->buf[pos] != q && L->buf[pos] != '\n') {
		if (L->buf[pos] == '\\')
			pos++;
		pos++;
	}
	return pos < L->len ? pos + 1 : (unsigned)L->len;
}

/* buf[open] is '('; finds the matching ')' and the ';' at depth one (for
 * headers). Returns 0 on success. */
static int match_paren(const struct lift *L, unsigned open, unsigned *close, unsigned *semis,
                       int *nsemis)
{
	const char *b = L->buf;
	int depth = 0;
	if (nsemis)
		*nsemis = 0;
	if (open >= L->len || b[open] != '(')
		return -1;
	unsigned p = open;
	while (p < L->len) {
		char c = b[p];
		if (c == '/' && p + 1 < L->len && (b[p + 1] == '*' || b[p + 1] == '/')) {
			p = skip_blank(L, p);
			continue;
		}
		if (c == '"' || c == '\'') {
			p = skip_literal(L, p);
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (--depth == 0) {
				if (c != ')')
					return -1;
				*close = p;
				return 0;
			}
		} else if (c == ';' && depth == 1 && nsemis) {
			if (*nsemis < 2)
				semis[*nsemis] = p;
			(*nsemis)++;
		}
		p++;
	}
	return -1;
}

static int word_at(const struct lift *L, unsigned pos, const char *w)
{
	size_t n = strlen(w);
	if (pos + n > L->len || memcmp(L->buf + pos, w, n) != 0)
		return 0;
	if (pos > 0 && is_ident(L->buf[pos - 1]))
		return 0;
	return pos + n == L->len || !is_ident(L->buf[pos + n]);
}

/* ---- locations and spans ---- */

struct xloc {
	CXFile file;
	unsigned off;
	unsigned line;
	unsigned col;
	int macro; /* spelling location differs from expansion location */
};

static void get_xloc(CXSourceLocation l, struct xloc *x)
{
	CXFile sf;
	unsigned sl, sc, so;
	clang_getExpansionLocation(l, &x->file, &x->line, &x->col, &x->off);
	clang_getSpellingLocation(l, &sf, &sl, &sc, &so);
	x->macro = !clang_File_isEqual(x->file, sf) || so != x->off;
}

/* clang's SourceLocation encoding, which CXSourceLocation.int_data carries:
 * a location inside a macro expansion has this bit set; a file location is
 * the file's start in the source manager's address space plus the offset. */
#define RAW_MACRO_BIT 0x80000000u

/* The expansion offset of l in L->file without asking libclang, when l is a
 * file location of the very inclusion whose start is L->base (a macro
 * location, or one of another file, returns 0: ask libclang). Such a location
 * is its own expansion and spelling location, so it is never in a macro. */
static int plain_offset(const struct lift *L, CXSourceLocation l, unsigned *off)
{
	unsigned raw = l.int_data;
	if (!L->base || l.ptr_data[0] != L->sm || (raw & RAW_MACRO_BIT) || raw < L->base ||
	    raw - L->base > L->len)
		return 0;
	*off = raw - L->base;
	return 1;
}

/* Line and column of offset off (l's plain_offset) as clang_getExpansionLocation
 * gives them: lines start after '\n', '\r' and "\r\n" (clang's line table),
 * columns count bytes from 1. Offsets on a line break or past the end are
 * left to libclang, whose column rules differ there. */
static void line_col(struct lift *L, CXSourceLocation l, unsigned off, unsigned *line,
                     unsigned *col)
{
	if (!L->nlines || off >= L->len || L->buf[off] == '\n' || L->buf[off] == '\r') {
		clang_getExpansionLocation(l, NULL, line, col, NULL);
		return;
	}
	size_t h = L->line_hint;
	if (h >= L->nlines || L->lines[h] > off || (h + 1 < L->nlines && L->lines[h + 1] <= off)) {
		size_t lo = 0, hi = L->nlines; /* the first line starting after off */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (L->lines[mid] <= off)
				lo = mid + 1;
			else
				hi = mid;
		}
		h = lo - 1;
		L->line_hint = h;
	}
	*line = (unsigned)h + 1;
	*col = off - L->lines[h] + 1;
}

/* Makes plain_offset and line_col work for L->file: its start as a raw
 * location, checked against libclang at both ends of the file (a libclang
 * encoding locations otherwise leaves L->base 0, and every query to it). */
static void set_file_base(struct lift *L)
{
	L->base = 0;
	L->nlines = 0;
	L->line_hint = 0;
	if (!L->file || !L->len || L->len >= RAW_MACRO_BIT)
		return;
	CXSourceLocation s = clang_getLocationForOffset(L->tu, L->file, 0);
	CXSourceLocation e = clang_getLocationForOffset(L->tu, L->file, (unsigned)L->len);
	CXFile fs = NULL, fe = NULL;
	unsigned os = 1, oe = 0;
	clang_getExpansionLocation(s, &fs, NULL, NULL, &os);
	clang_getExpansionLocation(e, &fe, NULL, NULL, &oe);
	if (!s.int_data || (s.int_data & RAW_MACRO_BIT) ||
	    (uint64_t)e.int_data != (uint64_t)s.int_data + L->len || os != 0 || oe != L->len ||
	    !fs || !fe || !clang_File_isEqual(fs, L->file) || !clang_File_isEqual(fe, L->file) ||
	    s.ptr_data[0] != e.ptr_data[0] || !s.ptr_data[0])
		return;
	const unsigned char *b = (const unsigned char *)L->buf;
	L->nlines = 0;
	if (!memchr(b, '\r', L->len)) {
		/* no '\r' (the common case): lines start after each '\n' */
		const unsigned char *p = b, *end = b + L->len;
		for (;;) {
			if (L->nlines == L->lines_cap) {
				L->lines_cap = L->lines_cap ? L->lines_cap * 2 : 1024;
				L->lines = xrealloc(L->lines, sizeof(*L->lines) * L->lines_cap);
			}
			L->lines[L->nlines++] = (unsigned)(p - b);
			p = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
			if (!p)
				break;
			p++;
		}
		L->base = s.int_data;
		L->sm = s.ptr_data[0];
		return;
	}
	for (size_t i = 0; i <= L->len; i++) {
		/* line i starts at 0 and after each '\n', lone '\r' or "\r\n" */
		if (i > 0 && (b[i - 1] > '\r' || (b[i - 1] != '\n' && b[i - 1] != '\r') ||
		              (b[i - 1] == '\r' && i < L->len && b[i] == '\n')))
			continue;
		if (L->nlines == L->lines_cap) {
			L->lines_cap = L->lines_cap ? L->lines_cap * 2 : 1024;
			L->lines = xrealloc(L->lines, sizeof(*L->lines) * L->lines_cap);
		}
		L->lines[L->nlines++] = (unsigned)i;
	}
	L->base = s.int_data;
	L->sm = s.ptr_data[0];
}

/* Widens [*b, *e) to the outermost macro uses it touches. */
static void widen_to_macros(const struct lift *L, unsigned *b, unsigned *e)
{
	const struct macro_use *m = L->fmacros;
	size_t lo = 0, hi = L->nfmacros;
	/* the last use starting at or before *b */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].begin <= *b)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && *b < m[lo - 1].end) {
		*b = m[lo - 1].begin;
		if (*e < m[lo - 1].end)
			*e = m[lo - 1].end;
	}
	/* the use holding the last character */
	unsigned last = *e > *b ? *e - 1 : *e;
	lo = 0;
	hi = L->nfmacros;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].begin <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && last < m[lo - 1].end) {
		if (*e < m[lo - 1].end)
			*e = m[lo - 1].end;
		if (*b > m[lo - 1].begin)
			*b = m[lo - 1].begin;
	}
}

/* Whether off lies in, or right next to, a macro use of L's file. */
static int near_macro(const struct lift *L, unsigned off)
{
	const struct macro_use *m = L->fmacros;
	size_t lo = 0, hi = L->nfmacros;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].begin <= off + 1)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && off <= m[lo - 1].end;
}

/* get_xloc for the nodes of a function body: a plain location of the
 * function's file needs no query at all; otherwise the spelling location (the
 * only way to tell a macro's tokens) is asked only near a macro use, which
 * most nodes are not; lifting then costs one location query per end. */
static void get_xloc_fast(struct lift *L, CXSourceLocation l, struct xloc *x, int linecol)
{
	/* Line and column cost a line-table search each: only when wanted. */
	x->line = x->col = 0;
	if (plain_offset(L, l, &x->off)) {
		x->file = L->file;
		x->macro = 0;
		if (linecol)
			line_col(L, l, x->off, &x->line, &x->col);
		return;
	}
	clang_getExpansionLocation(l, &x->file, linecol ? &x->line : NULL, linecol ? &x->col : NULL,
	                           &x->off);
	x->macro = 0;
	if (!L->nfmacros || (clang_File_isEqual(x->file, L->file) && !near_macro(L, x->off)))
		return;
	CXFile sf;
	unsigned sl, sc, so;
	clang_getSpellingLocation(l, &sf, &sl, &sc, &so);
	x->macro = !clang_File_isEqual(x->file, sf) || so != x->off;
}

/* The span and location of a source range; returns 1 when it touches a macro
 * expansion (the span then covers the whole macro use). */
static int range_span(struct lift *L, CXSourceRange r, struct ir_span *sp, struct ir_loc *loc)
{
	/* both ends plain locations of the file (get_xloc_fast without the calls) */
	if (L->base && r.ptr_data[0] == L->sm && !(r.begin_int_data & RAW_MACRO_BIT) &&
	    !(r.end_int_data & RAW_MACRO_BIT) && r.begin_int_data >= L->base &&
	    r.end_int_data >= L->base && r.begin_int_data - L->base <= L->len &&
	    r.end_int_data - L->base <= L->len) {
		unsigned begin = r.begin_int_data - L->base, end = r.end_int_data - L->base;
		if (end < begin)
			end = begin;
		sp->begin = begin;
		sp->end = end;
		if (loc) {
			unsigned line, col;
			line_col(L, clang_getRangeStart(r), begin, &line, &col);
			loc->line = (int)line;
			loc->col = (int)col;
		}
		return 0;
	}
	struct xloc b, e;
	get_xloc_fast(L, clang_getRangeStart(r), &b, loc != NULL);
	get_xloc_fast(L, clang_getRangeEnd(r), &e, 0);
	unsigned begin = b.off, end = e.off;
	if (end < begin)
		end = begin;
	int macro = b.macro || e.macro;
	if (macro)
		widen_to_macros(L, &begin, &end);
	if (end > L->len)
		end = (unsigned)L->len;
	if (begin > end)
		begin = end;
	sp->begin = begin;
	sp->end = end;
	if (loc) {
		loc->line = (int)b.line;
		loc->col = (int)b.col;
	}
	return macro;
}

static int cursor_span(struct lift *L, CXCursor c, struct ir_span *sp, struct ir_loc *loc)
{
	return range_span(L, clang_getCursorExtent(c), sp, loc);
}

/* Extents computed here rather than by libclang, which measures the last
 * token again (relexing it) and walks an expression's operands down to their
 * first and last tokens once per node. Each follows clang's own definition of
 * the node's range (BinaryOperator: its left operand's start to its right
 * operand's end, and so on), so reusing the operands' extents gives exactly
 * libclang's answer; a token looked up in the source (a ']', a name, a
 * literal) is only trusted when it is plainly spelled in the lifted file
 * (plain_offset) with nothing but blanks and comments before it. Anything
 * else returns 0, and libclang is asked. */

/* The raw location of offset off in L->file (the inverse of plain_offset). */
static unsigned raw_at(const struct lift *L, unsigned off)
{
	return L->base + off;
}

static int raw_plain(const struct lift *L, const void *sm, unsigned raw, unsigned *off)
{
	CXSourceLocation l = {{sm, NULL}, raw};
	return plain_offset(L, l, off);
}

/* The offset of token tok right after offset off (blanks and comments
 * between), or 0. */
static unsigned token_after(const struct lift *L, unsigned off, const char *tok)
{
	unsigned p = skip_blank(L, off);
	size_t n = strlen(tok);
	if (p == 0 || p + n > L->len || memcmp(L->buf + p, tok, n) != 0)
		return 0;
	return p;
}

/* Whether the character at off could continue a token in a way the checks
 * here do not follow ('$', a line splice, a UCN, UTF-8, a trigraph). */
static int odd_char(const struct lift *L, unsigned off)
{
	if (off >= L->len)
		return 0;
	unsigned char ch = (unsigned char)L->buf[off];
	return ch == '$' || ch == '\\' || ch >= 0x80 || ch == '\'' ||
	       (ch == '?' && off + 1 < L->len && L->buf[off + 1] == '?');
}

/* Length of the identifier at off, 0 when it is not a plain one. */
static unsigned ident_len(const struct lift *L, unsigned off)
{
	if (off >= L->len || !is_ident(L->buf[off]) || (L->buf[off] >= '0' && L->buf[off] <= '9'))
		return 0;
	unsigned e = off;
	while (e < L->len && is_ident(L->buf[e]))
		e++;
	return odd_char(L, e) ? 0 : e - off;
}

/* Length of the number or character constant at off, 0 when unsure. */
static unsigned literal_len(const struct lift *L, unsigned off, enum CXCursorKind k)
{
	const char *b = L->buf;
	unsigned e = off;
	if (k == CXCursor_CharacterLiteral) {
		if (e < L->len && (b[e] == 'L' || b[e] == 'U'))
			e++;
		else if (e < L->len && b[e] == 'u')
			e += e + 1 < L->len && b[e + 1] == '8' ? 2 : 1;
		if (e >= L->len || b[e] != '\'')
			return 0;
		for (e++; e < L->len && b[e] != '\''; e++) {
			if (b[e] == '\n' || b[e] == '\r' ||
			    (b[e] == '?' && e + 1 < L->len && b[e + 1] == '?'))
				return 0;
			if (b[e] == '\\') {
				if (e + 1 >= L->len || b[e + 1] == '\n' || b[e + 1] == '\r')
					return 0;
				e++;
			}
		}
		return e < L->len ? e + 1 - off : 0;
	}
	/* a preprocessing number: digits, letters, '_', '.', and a sign after e/E */
	if (e >= L->len || !((b[e] >= '0' && b[e] <= '9') || b[e] == '.'))
		return 0;
	while (e < L->len) {
		char c = b[e];
		if (is_ident(c) || c == '.') {
			e++;
		} else if ((c == '+' || c == '-') && (b[e - 1] == 'e' || b[e - 1] == 'E')) {
			e++;
		} else if ((c == '+' || c == '-') && (b[e - 1] == 'p' || b[e - 1] == 'P')) {
			return 0;
		} else {
			break;
		}
	}
	return odd_char(L, e) ? 0 : e - off;
}

/* r = [a's begin, b's end] when both are real ranges of the same unit. */
static int join(CXSourceRange a, CXSourceRange b, CXSourceRange *r)
{
	if (clang_Range_isNull(a) || clang_Range_isNull(b) || a.ptr_data[0] != b.ptr_data[0] ||
	    a.ptr_data[1] != b.ptr_data[1])
		return 0;
	*r = a;
	r->end_int_data = b.end_int_data;
	return 1;
}

/* r = [l, b's end] for a begin location l. */
static int join_loc(CXSourceLocation l, CXSourceRange b, CXSourceRange *r)
{
	if (!l.int_data || clang_Range_isNull(b) || l.ptr_data[0] != b.ptr_data[0] ||
	    l.ptr_data[1] != b.ptr_data[1])
		return 0;
	*r = b;
	r->begin_int_data = l.int_data;
	return 1;
}

/* r = [a's begin, the end of token tok right after last's end]. An end next
 * to a macro use may be that use's end standing for a token inside it (which
 * is how libclang reports ends in macros): the token found after it would
 * then not be the one wanted. */
static int join_token(const struct lift *L, CXSourceRange a, CXSourceRange last, const char *tok,
                      CXSourceRange *r)
{
	unsigned off, p;
	if (clang_Range_isNull(a) || clang_Range_isNull(last) ||
	    a.ptr_data[0] != last.ptr_data[0] ||
	    !raw_plain(L, last.ptr_data[0], last.end_int_data, &off) || near_macro(L, off) ||
	    !(p = token_after(L, off, tok)))
		return 0;
	*r = a;
	r->end_int_data = raw_at(L, p + (unsigned)strlen(tok));
	return 1;
}

/* r = [l, l + len] for a token of len bytes at l (0: unknown length). */
static int token_ext(struct lift *L, CXSourceLocation l, unsigned len, CXSourceRange *r)
{
	if (!len)
		return 0;
	r->ptr_data[0] = l.ptr_data[0];
	r->ptr_data[1] = l.ptr_data[1];
	r->begin_int_data = l.int_data;
	r->end_int_data = l.int_data + len;
	return 1;
}

static int is_expr(enum CXCursorKind k)
{
	return k >= CXCursor_FirstExpr && k <= CXCursor_LastExpr; /* clang_isExpression */
}

static CXSourceRange node_ext(struct lift *L, int n);

/* The extent of node n built from its children's, or 0. */
static int compose_ext(struct lift *L, int n, CXSourceRange *r)
{
	CXCursor c = cur(L, n);
	int nk = L->nodes[n].nkids;
	int k0 = nk > 0 ? kid(L, n, 0) : -1, kl = nk > 0 ? kid(L, n, nk - 1) : -1;
	CXSourceLocation l;
	unsigned off;
	switch (c.kind) {
	case CXCursor_DeclRefExpr:
		l = clang_getCursorLocation(c);
		return plain_offset(L, l, &off) && token_ext(L, l, ident_len(L, off), r);
	case CXCursor_IntegerLiteral:
	case CXCursor_FloatingLiteral:
	case CXCursor_CharacterLiteral:
		l = clang_getCursorLocation(c);
		return plain_offset(L, l, &off) && token_ext(L, l, literal_len(L, off, c.kind), r);
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator: /* LHS start .. RHS end */
		return nk == 2 && is_expr(kind_of(L, k0)) && is_expr(kind_of(L, kl)) &&
		       join(node_ext(L, k0), node_ext(L, kl), r);
	case CXCursor_ConditionalOperator: /* condition start .. RHS end */
		return nk == 3 && is_expr(kind_of(L, k0)) && is_expr(kind_of(L, kl)) &&
		       join(node_ext(L, k0), node_ext(L, kl), r);
	case CXCursor_ArraySubscriptExpr: /* LHS start .. ']' */
		return nk == 2 && is_expr(kind_of(L, k0)) && is_expr(kind_of(L, kl)) &&
		       join_token(L, node_ext(L, k0), node_ext(L, kl), "]", r);
	case CXCursor_ParenExpr: { /* '(' .. ')' */
		if (nk != 1 || !is_expr(kind_of(L, k0)))
			return 0;
		CXSourceRange in = node_ext(L, k0), whole;
		return join_loc(clang_getCursorLocation(c), in, &whole) &&
		       join_token(L, whole, in, ")", r);
	}
	case CXCursor_CStyleCastExpr: { /* '(' .. operand end */
		int op = -1;
		for (int i = 0; i < nk; i++)
			if (is_expr(kind_of(L, kid(L, n, i))))
				op = kid(L, n, i);
		return op >= 0 && join_loc(clang_getCursorLocation(c), node_ext(L, op), r);
	}
	case CXCursor_UnaryOperator:
		if (nk != 1 || !is_expr(kind_of(L, k0)))
			return 0;
		switch (clang_getCursorUnaryOperatorKind(c)) {
		case CXUnaryOperator_PostInc: /* operand start .. operator */
			return join_token(L, node_ext(L, k0), node_ext(L, k0), "++", r);
		case CXUnaryOperator_PostDec:
			return join_token(L, node_ext(L, k0), node_ext(L, k0), "--", r);
		default: /* operator .. operand end */
			return join_loc(clang_getCursorLocation(c), node_ext(L, k0), r);
		}
	case CXCursor_MemberRefExpr: { /* base start .. member name */
		if (nk != 1 || !is_expr(kind_of(L, k0)))
			return 0;
		CXSourceRange base = node_ext(L, k0), name;
		l = clang_getCursorLocation(c);
		return plain_offset(L, l, &off) && token_ext(L, l, ident_len(L, off), &name) &&
		       join(base, name, r);
	}
	case CXCursor_ForStmt:
	case CXCursor_WhileStmt:
	case CXCursor_IfStmt: /* keyword .. last statement's end */
		return nk >= 2 && (is_expr(kind_of(L, kl)) || clang_isStatement(kind_of(L, kl))) &&
		       join_loc(clang_getCursorLocation(c), node_ext(L, kl), r);
	case CXCursor_ReturnStmt: /* keyword .. value end */
		return nk == 1 && is_expr(kind_of(L, k0)) &&
		       join_loc(clang_getCursorLocation(c), node_ext(L, k0), r);
	case CXCursor_BreakStmt:
	case CXCursor_ContinueStmt: {
		const char *w = c.kind == CXCursor_BreakStmt ? "break" : "continue";
		l = clang_getCursorLocation(c);
		return plain_offset(L, l, &off) && ident_len(L, off) == strlen(w) &&
		       memcmp(L->buf + off, w, strlen(w)) == 0 &&
		       token_ext(L, l, (unsigned)strlen(w), r);
	}
	default:
		return 0;
	}
}

static CXSourceRange node_ext(struct lift *L, int n)
{
	if (L->nodes[n].has_ext)
		return L->nodes[n].ext;
	CXSourceRange r;
	if (!compose_ext(L, n, &r))
		r = clang_getCursorExtent(cur(L, n));
	L->nodes[n].ext = r;
	L->nodes[n].has_ext = 1;
	return r;
}

/* cursor_span of a node, asked of libclang once. */
static int node_span(struct lift *L, int n, struct ir_span *sp, struct ir_loc *loc)
{
	struct node *d = &L->nodes[n];
	if (!d->has_span || (loc && !d->has_loc)) {
		CXSourceRange r = node_ext(L, n);
		d->macro = range_span(L, r, &d->span, loc ? &d->loc : NULL) != 0;
		d->has_span = 1;
		d->has_loc |= loc != NULL;
	}
	*sp = d->span;
	if (loc)
		*loc = d->loc;
	return d->macro;
}

static int in_file(const struct lift *L, CXSourceLocation l)
{
	CXFile f;
	clang_getExpansionLocation(l, &f, NULL, NULL, NULL);
	return clang_File_isEqual(f, L->file);
}

/* Extends a statement span over its terminating ';' (blanks and comments may
 * come first). */
static void span_through_semi(const struct lift *L, struct ir_span *sp)
{
	if (sp->end > sp->begin && L->buf[sp->end - 1] == ';')
		return;
	unsigned p = skip_blank(L, sp->end);
	if (p < L->len && L->buf[p] == ';')
		sp->end = p + 1;
}

static const char *span_text(struct lift *L, struct ir_span sp)
{
	if (sp.end > L->len || sp.begin > sp.end)
		return arena_strdup(L->a, "");
	return arena_strndup(L->a, L->buf + sp.begin, sp.end - sp.begin);
}

/* The text of a #pragma on the line(s) directly before offset pos (blank and
 * '//' comment lines may come between), normalised to single spaces without
 * comments: "omp parallel for schedule(static)". NULL when there is none. */
static const char *pragma_before(struct lift *L, unsigned pos)
{
	const char *b = L->buf;
	unsigned p = pos;
	while (p > 0 && (b[p - 1] == ' ' || b[p - 1] == '\t'))
		p--;
	if (p == 0 || b[p - 1] != '\n')
		return NULL;
	for (;;) {
		/* the previous physical line is [ls, le) */
		unsigned le = p - 1;
		if (le == 0)
			return NULL;
		unsigned ls = le;
		while (ls > 0 && b[ls - 1] != '\n')
			ls--;
		/* back to the start of a logical line spliced with '\' */
		while (ls >= 2 &&
		       (b[ls - 2] == '\\' || (ls >= 3 && b[ls - 2] == '\r' && b[ls - 3] == '\\'))) {
			ls--;
			while (ls > 0 && b[ls - 1] != '\n')
				ls--;
		}
		unsigned q = ls;
		while (q < le && (b[q] == ' ' || b[q] == '\t' || b[q] == '\r'))
			q++;
		if (q == le || (q + 1 < le && b[q] == '/' && b[q + 1] == '/')) {
			p = ls;
			if (p == 0)
				return NULL;
			continue;
		}
		if (b[q] != '#')
			return NULL;
		q++;
		while (q < le && (b[q] == ' ' || b[q] == '\t'))
			q++;
		if (!(q + 6 < le && memcmp(b + q, "pragma", 6) == 0 &&
		      (b[q + 6] == ' ' || b[q + 6] == '\t')))
			return NULL;
		q += 6;
		struct strbuf sb;
		strbuf_init(&sb);
		int space = 0;
		while (q < le) {
			char c = b[q];
			if (c == '\\' && q + 1 <= le && (b[q + 1] == '\n' || b[q + 1] == '\r')) {
				space = 1;
				q++;
				continue;
			}
			if (c == '/' && q + 1 < le && b[q + 1] == '/') {
				while (q < le && b[q] != '\n')
					q++;
				continue;
			}
			if (c == '/' && q + 1 < le && b[q + 1] == '*') {
				q += 2;
				while (q + 1 < le && !(b[q] == '*' && b[q + 1] == '/'))
					q++;
				q += 2;
				space = 1;
				continue;
			}
			if (is_space(c)) {
				space = 1;
				q++;
				continue;
			}
			if (space && sb.len)
				strbuf_addn(&sb, " ", 1);
			space = 0;
			if (c == '"' || c == '\'') {
				unsigned e = skip_literal(L, q);
				if (e > le)
					e = le;
				strbuf_addn(&sb, b + q, e - q);
				q = e;
				continue;
			}
			strbuf_addn(&sb, &c, 1);
			q++;
		}
		const char *r = sb.len ? arena_strdup(L->a, sb.s) : NULL;
		strbuf_exit(&sb);
		return r;
	}
}

/* ---- types ---- */

static enum ir_type_class type_class(enum CXTypeKind k)
{
	switch (k) {
	case CXType_Void:
		return IR_T_VOID;
	case CXType_Bool:
		return IR_T_BOOL;
	case CXType_Char_S:
	case CXType_SChar:
	case CXType_Short:
	case CXType_Int:
	case CXType_Long:
	case CXType_LongLong:
	case CXType_Int128:
		return IR_T_SINT;
	case CXType_Char_U:
	case CXType_UChar:
	case CXType_UShort:
	case CXType_UInt:
	case CXType_ULong:
	case CXType_ULongLong:
	case CXType_UInt128:
		return IR_T_UINT;
	case CXType_Enum:
		return IR_T_ENUM;
	case CXType_Float:
		return IR_T_FLOAT;
	case CXType_Double:
		return IR_T_DOUBLE;
	case CXType_LongDouble:
		return IR_T_LDOUBLE;
	case CXType_Pointer:
		return IR_T_PTR;
	case CXType_ConstantArray:
	case CXType_IncompleteArray:
	case CXType_VariableArray:
	case CXType_DependentSizedArray:
		return IR_T_ARRAY;
	case CXType_Record:
		return IR_T_STRUCT;
	case CXType_FunctionProto:
	case CXType_FunctionNoProto:
		return IR_T_FUNC;
	default:
		return IR_T_OTHER;
	}
}

/* One step of sugar off (typedef, elaborated, attributed, paren); the
 * canonical type when there is nothing left to peel. */
static CXType desugar(CXType t)
{
	switch (t.kind) {
	case CXType_Elaborated:
		return clang_Type_getNamedType(t);
	case CXType_Typedef:
		return clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
	case CXType_Attributed:
		return clang_Type_getModifiedType(t);
	default:
		return clang_getCanonicalType(t);
	}
}

/* The pointee (PTR) or element (ARRAY) type, keeping typedef names when the
 * type is written with them. */
static CXType inner_type(CXType t, int ptr)
{
	for (int i = 0; i < 16 && t.kind != CXType_Invalid; i++) {
		CXType r = ptr ? clang_getPointeeType(t) : clang_getArrayElementType(t);
		if (r.kind != CXType_Invalid)
			return r;
		t = desugar(t);
	}
	return ptr ? clang_getPointeeType(clang_getCanonicalType(t))
	           : clang_getArrayElementType(clang_getCanonicalType(t));
}

static int variably_modified(CXType canon)
{
	for (int i = 0; i < 64; i++) {
		switch (canon.kind) {
		case CXType_VariableArray:
		case CXType_DependentSizedArray:
			return 1;
		case CXType_Pointer:
			canon = clang_getCanonicalType(clang_getPointeeType(canon));
			break;
		case CXType_ConstantArray:
		case CXType_IncompleteArray:
			canon = clang_getCanonicalType(clang_getArrayElementType(canon));
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static const struct ir_type *invalid_type(struct lift *L)
{
	if (!L->invalid_type) {
		struct ir_type *t = ARENA_NEW(L->a, struct ir_type);
		t->cls = IR_T_OTHER;
		t->spelling = t->unqual = t->canonical = "";
		L->invalid_type = t;
	}
	return L->invalid_type;
}

static size_t type_hash(const void *key, int kind)
{
	uintptr_t h = (uintptr_t)key;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h ^ (uintptr_t)kind);
}

static const struct ir_type *lift_type(struct lift *L, CXType t)
{
	if (t.kind == CXType_Invalid)
		return invalid_type(L);
	if (L->ntypes * 2 >= L->types_cap) {
		size_t cap = L->types_cap ? L->types_cap * 2 : 256;
		struct type_slot *nt = calloc(cap, sizeof(*nt));
		if (!nt)
			oom();
		for (size_t i = 0; i < L->types_cap; i++) {
			if (!L->types[i].type)
				continue;
			size_t j = type_hash(L->types[i].key, L->types[i].kind) & (cap - 1);
			while (nt[j].type)
				j = (j + 1) & (cap - 1);
			nt[j] = L->types[i];
		}
		free(L->types);
		L->types = nt;
		L->types_cap = cap;
	}
	size_t mask = L->types_cap - 1;
	size_t j = type_hash(t.data[0], t.kind) & mask;
	while (L->types[j].type) {
		if (L->types[j].key == t.data[0] && L->types[j].kind == (int)t.kind)
			return L->types[j].type;
		j = (j + 1) & mask;
	}

	struct ir_type *ty = ARENA_NEW(L->a, struct ir_type);
	CXType canon = clang_getCanonicalType(t);
	ty->cls = type_class(canon.kind);
	if (clang_isConstQualifiedType(t) || clang_isConstQualifiedType(canon))
		ty->flags |= IR_TYPE_CONST;
	if (clang_isVolatileQualifiedType(t) || clang_isVolatileQualifiedType(canon))
		ty->flags |= IR_TYPE_VOLATILE;
	if (clang_isRestrictQualifiedType(t) || clang_isRestrictQualifiedType(canon))
		ty->flags |= IR_TYPE_RESTRICT;
	if (canon.kind == CXType_Char_S || canon.kind == CXType_Char_U ||
	    canon.kind == CXType_SChar || canon.kind == CXType_UChar)
		ty->flags |= IR_TYPE_CHAR;
	if (variably_modified(canon))
		ty->flags |= IR_TYPE_VLA;
	long long size = clang_Type_getSizeOf(t);
	ty->size = size > 0 ? (unsigned)size : 0;
	ty->spelling = take_string(L, clang_getTypeSpelling(t));
	ty->unqual = take_string(L, clang_getTypeSpelling(clang_getUnqualifiedType(t)));
	ty->canonical = take_string(L, clang_getTypeSpelling(clang_getUnqualifiedType(canon)));
	if (ty->cls == IR_T_PTR) {
		ty->elem = lift_type(L, inner_type(t, 1));
	} else if (ty->cls == IR_T_ARRAY) {
		ty->elem = lift_type(L, inner_type(t, 0));
		if (canon.kind == CXType_ConstantArray) {
			long long n = clang_getArraySize(canon);
			ty->count = n > 0 ? n : 0;
		}
	}

	/* the table may have grown through the recursion */
	mask = L->types_cap - 1;
	j = type_hash(t.data[0], t.kind) & mask;
	while (L->types[j].type)
		j = (j + 1) & mask;
	L->types[j].key = t.data[0];
	L->types[j].kind = (int)t.kind;
	L->types[j].type = ty;
	L->ntypes++;
	return ty;
}

/* "T" -> the spelling of a pointer to T, in clang's style: "float *",
 * "float (*)[64]", "int (*)(int)"; a __typeof__ form when T is exotic. */
static const char *pointer_spelling(struct lift *L, const char *t)
{
	const char *br = strchr(t, '[');
	const char *pa = strchr(t, '(');
	if (!br && !pa) {
		size_t n = strlen(t);
		return arena_printf(L->a, "%s%s*", t, n && t[n - 1] == '*' ? "" : " ");
	}
	if (br && !pa) {
		size_t k = (size_t)(br - t);
		while (k > 0 && t[k - 1] == ' ')
			k--;
		return arena_printf(L->a, "%.*s (*)%s", (int)k, t, br);
	}
	if (pa && !br && !strchr(pa + 1, '(')) {
		size_t k = (size_t)(pa - t);
		while (k > 0 && t[k - 1] == ' ')
			k--;
		return arena_printf(L->a, "%.*s (*)%s", (int)k, t, pa);
	}
	return arena_printf(L->a, "__typeof__(%s) *", t);
}

/* Qualifiers written inside the brackets of an array parameter ("float
 * a[restrict static 4]" adjusts to "float *restrict"). */
static unsigned bracket_quals(struct lift *L, CXCursor parm)
{
	struct ir_span sp;
	if (cursor_span(L, parm, &sp, NULL))
		return 0;
	CXSourceLocation nl = clang_getCursorLocation(parm);
	struct xloc x;
	get_xloc(nl, &x);
	unsigned p = x.off >= sp.begin && x.off <= sp.end ? x.off : sp.begin;
	while (p < sp.end && L->buf[p] != '[')
		p++;
	if (p >= sp.end)
		return 0;
	unsigned flags = 0;
	for (p = skip_blank(L, p + 1); p < sp.end && is_ident(L->buf[p]); p = skip_blank(L, p)) {
		unsigned e = p;
		while (e < sp.end && is_ident(L->buf[e]))
			e++;
		size_t n = e - p;
		const char *w = L->buf + p;
		if ((n == 8 && !memcmp(w, "restrict", 8)) ||
		    (n == 10 && !memcmp(w, "__restrict", 10)) ||
		    (n == 12 && !memcmp(w, "__restrict__", 12)))
			flags |= IR_TYPE_RESTRICT;
		else if (n == 5 && !memcmp(w, "const", 5))
			flags |= IR_TYPE_CONST;
		else if (n == 8 && !memcmp(w, "volatile", 8))
			flags |= IR_TYPE_VOLATILE;
		else if (!(n == 6 && !memcmp(w, "static", 6)))
			break;
		p = e;
	}
	return flags;
}

/* libclang reports a parameter's type as written ("float[][64]"); the IR
 * wants the adjusted type ("float (*)[64]"), built here from the parts. */
static const struct ir_type *param_type(struct lift *L, CXCursor parm)
{
	CXType t = clang_getCursorType(parm);
	const struct ir_type *w = lift_type(L, t);
	if (w->cls != IR_T_ARRAY && w->cls != IR_T_FUNC)
		return w;
	struct ir_type *p = ARENA_NEW(L->a, struct ir_type);
	p->cls = IR_T_PTR;
	p->size = L->ptr_size;
	p->elem = w->cls == IR_T_ARRAY ? w->elem : w;
	/* a VLA parameter keeps the flag even when only its outer bound was variable */
	p->flags = w->flags & IR_TYPE_VLA;
	if (w->cls == IR_T_ARRAY)
		p->flags |= bracket_quals(L, parm);
	const char *unqual = pointer_spelling(L, p->elem->spelling);
	p->unqual = unqual;
	p->canonical = pointer_spelling(L, p->elem->canonical);
	/* qualifiers go after the '*': "float *const restrict", "float (*restrict)[4]" */
	const char *star = strstr(unqual, "(*)");
	size_t at = star ? (size_t)(star - unqual) + 2 : strlen(unqual);
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_addn(&sb, unqual, at);
	static const struct {
		unsigned flag;
		const char *word;
	} quals[] = {{IR_TYPE_CONST, "const"},
	             {IR_TYPE_VOLATILE, "volatile"},
	             {IR_TYPE_RESTRICT, "restrict"}};
	const char *sep = "";
	for (size_t i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
		if (p->flags & quals[i].flag) {
			strbuf_addf(&sb, "%s%s", sep, quals[i].word);
			sep = " ";
		}
	}
	strbuf_adds(&sb, unqual + at);
	p->spelling = arena_strdup(L->a, sb.s);
	strbuf_exit(&sb);
	return p;
}

/* ---- variables ---- */

static void var_flag(struct lift *L, struct ir_var *v, unsigned flag)
{
	if (v && !L->quiet)
		v->flags |= flag;
}

static struct ir_var *find_var(struct lift *L, CXCursor decl, unsigned *hash, size_t *slot)
{
	*hash = clang_hashCursor(decl);
	size_t mask = L->vtab_cap - 1;
	size_t j = *hash & mask;
	while (L->vtab[j].var) {
		if (L->vtab[j].hash == *hash && clang_equalCursors(L->vtab[j].decl, decl))
			return L->vtab[j].var;
		j = (j + 1) & mask;
	}
	*slot = j;
	return NULL;
}

/* The variable of a VarDecl/ParmDecl, added to the function's table on first
 * sight. */
static struct ir_var *var_lookup(struct lift *L, CXCursor decl)
{
	decl = clang_getCanonicalCursor(decl);
	if ((size_t)L->vars.n * 2 + 2 >= L->vtab_cap) {
		size_t cap = L->vtab_cap ? L->vtab_cap * 2 : 64;
		struct var_slot *nt = calloc(cap, sizeof(*nt));
		if (!nt)
			oom();
		for (size_t i = 0; i < L->vtab_cap; i++) {
			if (!L->vtab[i].var)
				continue;
			size_t j = L->vtab[i].hash & (cap - 1);
			while (nt[j].var)
				j = (j + 1) & (cap - 1);
			nt[j] = L->vtab[i];
		}
		free(L->vtab);
		L->vtab = nt;
		L->vtab_cap = cap;
	}
	unsigned hash;
	size_t slot = 0;
	struct ir_var *v = find_var(L, decl, &hash, &slot);
	if (v)
		return v;

	v = ARENA_NEW(L->a, struct ir_var);
	v->id = L->vars.n;
	v->name = take_string(L, clang_getCursorSpelling(decl));
	enum CXCursorKind k = clang_getCursorKind(decl);
	if (k == CXCursor_ParmDecl) {
		v->kind = IR_VAR_PARAM;
		v->type = param_type(L, decl);
	} else {
		CXCursor sp = clang_getCursorSemanticParent(decl);
		if (clang_getCursorKind(sp) == CXCursor_TranslationUnit ||
		    clang_Cursor_hasVarDeclExternalStorage(decl) == 1) {
			v->kind = IR_VAR_GLOBAL;
		} else {
			v->kind = IR_VAR_LOCAL;
			if (clang_Cursor_hasVarDeclGlobalStorage(decl) == 1)
				v->flags |= IR_VAR_STATIC;
		}
		v->type = lift_type(L, clang_getCursorType(decl));
	}
	CXSourceLocation nl = clang_getCursorLocation(decl);
	unsigned off, line, col;
	if (plain_offset(L, nl, &off)) {
		cursor_span(L, decl, &v->decl_span, NULL);
		line_col(L, nl, off, &line, &col);
		v->loc.line = (int)line;
		v->loc.col = (int)col;
	} else if (in_file(L, nl)) {
		cursor_span(L, decl, &v->decl_span, NULL);
		struct xloc x;
		get_xloc(nl, &x);
		v->loc.line = (int)x.line;
		v->loc.col = (int)x.col;
	}
	L->vtab[slot].decl = decl;
	L->vtab[slot].hash = hash;
	L->vtab[slot].var = v;
	ptrvec_push(L->a, &L->vars, v);
	return v;
}

/* var_lookup, remembered by declaration: a variable is named many times in a
 * function, and the canonical cursor and its hash cost a libclang call each. */
static struct ir_var *var_for(struct lift *L, CXCursor decl)
{
	struct var_alias *al = &L->alias[((uintptr_t)decl.data[0] >> 4) & 255];
	if (al->gen == L->gen && al->decl == decl.data[0])
		return al->var;
	struct ir_var *v = var_lookup(L, decl);
	al->decl = decl.data[0];
	al->gen = L->gen;
	al->var = v;
	return v;
}

/* The variable whose storage an lvalue designates, through parentheses,
 * '.' members and indexing of arrays (not through pointers). */
static struct ir_var *lvalue_root(struct ir_expr *e)
{
	while (e) {
		switch (e->kind) {
		case IR_E_VAR:
			return e->var;
		case IR_E_PAREN:
			e = e->a;
			break;
		case IR_E_MEMBER:
			if (e->arrow)
				return NULL;
			e = e->a;
			break;
		case IR_E_INDEX:
			if (!e->a || !e->a->type || e->a->type->cls != IR_T_ARRAY)
				return NULL;
			e = e->a;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

/* ---- expressions ---- */

static struct ir_expr *new_expr(struct lift *L, enum ir_expr_kind kind, int n)
{
	struct ir_expr *e = ARENA_NEW(L->a, struct ir_expr);
	e->kind = kind;
	e->in_macro = node_span(L, n, &e->span, &e->loc);
	e->type = lift_type(L, clang_getCursorType(cur(L, n)));
	return e;
}

static void scan_kids(struct lift *L, int n)
{
	for (int i = 0; i < L->nodes[n].nkids; i++)
		scan(L, kid(L, n, i));
}

static struct ir_expr *other_expr(struct lift *L, int n, const char *what)
{
	struct ir_expr *e = new_expr(L, IR_E_OTHER, n);
	e->text = what;
	scan_kids(L, n);
	return e;
}

/* The expression children of n, in source order. */
static void expr_kids(const struct lift *L, int n, struct kids *k)
{
	kids_get(L, n, k);
	int m = 0;
	for (int i = 0; i < k->n; i++)
		if (clang_isExpression(kind_of(L, k->v[i])))
			k->v[m++] = k->v[i];
	k->n = m;
}

static void set_access(struct ir_expr *e, enum ctx ctx)
{
	if (e->type && e->type->cls == IR_T_ARRAY) {
		e->access = IR_ACC_NONE;
		return;
	}
	switch (ctx) {
	case C_READ:
	case C_INDEXBASE:
		e->access = IR_ACC_READ;
		break;
	case C_WRITE:
		e->access = IR_ACC_WRITE;
		break;
	case C_RW:
		e->access = IR_ACC_RW;
		break;
	case C_ADDR:
	case C_DOTBASE:
		e->access = IR_ACC_NONE;
		break;
	}
}

/* An array-typed lvalue used other than as the operand of [] or '.' decays:
 * its variable's address escapes. */
static void note_decay(struct lift *L, struct ir_expr *e, enum ctx ctx)
{
	if (e->type && e->type->cls == IR_T_ARRAY && ctx != C_INDEXBASE && ctx != C_DOTBASE)
		var_flag(L, lvalue_root(e), IR_VAR_ADDR_TAKEN);
}

static int is_pointerish(const struct lift *L, int n)
{
	enum CXTypeKind k = clang_getCanonicalType(clang_getCursorType(cur(L, n))).kind;
	return k == CXType_Pointer || k == CXType_ConstantArray || k == CXType_IncompleteArray ||
	       k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

static enum ir_op binary_op(enum CXBinaryOperatorKind k, int *assign)
{
	*assign = 0;
	switch (k) {
	case CXBinaryOperator_Mul:
		return IR_OP_MUL;
	case CXBinaryOperator_Div:
		return IR_OP_DIV;
	case CXBinaryOperator_Rem:
		return IR_OP_REM;
	case CXBinaryOperator_Add:
		return IR_OP_ADD;
	case CXBinaryOperator_Sub:
		return IR_OP_SUB;
	case CXBinaryOperator_Shl:
		return IR_OP_SHL;
	case CXBinaryOperator_Shr:
		return IR_OP_SHR;
	case CXBinaryOperator_LT:
		return IR_OP_LT;
	case CXBinaryOperator_GT:
		return IR_OP_GT;
	case CXBinaryOperator_LE:
		return IR_OP_LE;
	case CXBinaryOperator_GE:
		return IR_OP_GE;
	case CXBinaryOperator_EQ:
		return IR_OP_EQ;
	case CXBinaryOperator_NE:
		return IR_OP_NE;
	case CXBinaryOperator_And:
		return IR_OP_AND;
	case CXBinaryOperator_Xor:
		return IR_OP_XOR;
	case CXBinaryOperator_Or:
		return IR_OP_OR;
	case CXBinaryOperator_LAnd:
		return IR_OP_LAND;
	case CXBinaryOperator_LOr:
		return IR_OP_LOR;
	case CXBinaryOperator_Comma:
		return IR_OP_COMMA;
	case CXBinaryOperator_Assign:
		*assign = 1;
		return IR_OP_NONE;
	case CXBinaryOperator_MulAssign:
		*assign = 1;
		return IR_OP_MUL;
	case CXBinaryOperator_DivAssign:
		*assign = 1;
		return IR_OP_DIV;
	case CXBinaryOperator_RemAssign:
		*assign = 1;
		return IR_OP_REM;
	case CXBinaryOperator_AddAssign:
		*assign = 1;
		return IR_OP_ADD;
	case CXBinaryOperator_SubAssign:
		*assign = 1;
		return IR_OP_SUB;
	case CXBinaryOperator_ShlAssign:
		*assign = 1;
		return IR_OP_SHL;
	case CXBinaryOperator_ShrAssign:
		*assign = 1;
		return IR_OP_SHR;
	case CXBinaryOperator_AndAssign:
		*assign = 1;
		return IR_OP_AND;
	case CXBinaryOperator_XorAssign:
		*assign = 1;
		return IR_OP_XOR;
	case CXBinaryOperator_OrAssign:
		*assign = 1;
		return IR_OP_OR;
	default:
		*assign = -1; /* ->*, .*, <=> */
		return IR_OP_NONE;
	}
}

static struct ir_expr *lift_binary(struct lift *L, int n)
{
	int assign;
	enum ir_op op = binary_op(clang_getCursorBinaryOperatorKind(cur(L, n)), &assign);
	struct kids k;
	expr_kids(L, n, &k);
	if (assign < 0 || k.n != 2) {
		kids_free(&k);
		return other_expr(L, n, "unsupported binary operator");
	}
	struct ir_expr *e = new_expr(L, assign ? IR_E_ASSIGN : IR_E_BINARY, n);
	e->op = op;
	if (assign) {
		e->a = lift_expr(L, k.v[0], op == IR_OP_NONE ? C_WRITE : C_RW);
		var_flag(L, lvalue_root(e->a), IR_VAR_ASSIGNED);
	} else {
		e->a = lift_expr(L, k.v[0], C_READ);
	}
	e->b = lift_expr(L, k.v[1], C_READ);
	kids_free(&k);
	return e;
}

static struct ir_expr *lift_unary(struct lift *L, int n, enum ctx ctx)
{
	struct kids k;
	expr_kids(L, n, &k);
	if (k.n != 1) {
		kids_free(&k);
		return other_expr(L, n, "unsupported unary operator");
	}
	int sub = k.v[0];
	kids_free(&k);
	struct ir_expr *e;
	switch (clang_getCursorUnaryOperatorKind(cur(L, n))) {
	case CXUnaryOperator_PostInc:
	case CXUnaryOperator_PostDec:
	case CXUnaryOperator_PreInc:
	case CXUnaryOperator_PreDec: {
		enum CXUnaryOperatorKind uk = clang_getCursorUnaryOperatorKind(cur(L, n));
		e = new_expr(L, IR_E_INCDEC, n);
		e->op = uk == CXUnaryOperator_PostInc   ? IR_OP_POSTINC
		        : uk == CXUnaryOperator_PostDec ? IR_OP_POSTDEC
		        : uk == CXUnaryOperator_PreInc  ? IR_OP_PREINC
		                                        : IR_OP_PREDEC;
		e->a = lift_expr(L, sub, C_RW);
		var_flag(L, lvalue_root(e->a), IR_VAR_ASSIGNED);
		return e;
	}
	case CXUnaryOperator_AddrOf:
		e = new_expr(L, IR_E_ADDROF, n);
		e->a = lift_expr(L, sub, C_ADDR);
		var_flag(L, lvalue_root(e->a), IR_VAR_ADDR_TAKEN);
		return e;
	case CXUnaryOperator_Deref:
		e = new_expr(L, IR_E_DEREF, n);
		e->a = lift_expr(L, sub, C_READ);
		set_access(e, ctx);
		return e;
	case CXUnaryOperator_Plus:
	case CXUnaryOperator_Minus:
	case CXUnaryOperator_Not:
	case CXUnaryOperator_LNot: {
		enum CXUnaryOperatorKind uk = clang_getCursorUnaryOperatorKind(cur(L, n));
		e = new_expr(L, IR_E_UNARY, n);
		e->op = uk == CXUnaryOperator_Plus    ? IR_OP_PLUS
		        : uk == CXUnaryOperator_Minus ? IR_OP_NEG
		        : uk == CXUnaryOperator_Not   ? IR_OP_BNOT
		                                      : IR_OP_NOT;
		e->a = lift_expr(L, sub, C_READ);
		return e;
	}
	case CXUnaryOperator_Real:
		return other_expr(L, n, "__real__");
	case CXUnaryOperator_Imag:
		return other_expr(L, n, "__imag__");
	case CXUnaryOperator_Extension:
		return other_expr(L, n, "__extension__");
	default:
		return other_expr(L, n, "unsupported unary operator");
	}
}

static struct ir_expr *lift_subscript(struct lift *L, int n, enum ctx ctx)
{
	struct kids k;
	expr_kids(L, n, &k);
	if (k.n != 2) {
		kids_free(&k);
		return other_expr(L, n, "array subscript");
	}
	struct ir_expr *e = new_expr(L, IR_E_INDEX, n);
	/* i[a]: the pointer operand is the base whatever the order */
	if (!is_pointerish(L, k.v[0]) && is_pointerish(L, k.v[1])) {
		e->b = lift_expr(L, k.v[0], C_READ);
		e->a = lift_expr(L, k.v[1], C_INDEXBASE);
	} else {
		e->a = lift_expr(L, k.v[0], C_INDEXBASE);
		e->b = lift_expr(L, k.v[1], C_READ);
	}
	kids_free(&k);
	set_access(e, ctx);
	return e;
}

static struct ir_expr *lift_member(struct lift *L, int n, enum ctx ctx)
{
	struct kids k;
	expr_kids(L, n, &k);
	if (k.n != 1) {
		kids_free(&k);
		return other_expr(L, n, "member access without a base");
	}
	struct ir_expr *e = new_expr(L, IR_E_MEMBER, n);
	e->text = take_string(L, clang_getCursorSpelling(cur(L, n)));
	/* '.' or '->': the token after the base; the base's type when macros hide it */
	struct ir_span bs;
	int arrow = is_pointerish(L, k.v[0]);
	if (!node_span(L, k.v[0], &bs, NULL) && !e->in_macro) {
		unsigned p = skip_blank(L, bs.end);
		if (p + 1 < L->len && L->buf[p] == '-' && L->buf[p + 1] == '>')
			arrow = 1;
		else if (p < L->len && L->buf[p] == '.')
			arrow = 0;
	}
	e->arrow = (unsigned)arrow;
	e->a = lift_expr(L, k.v[0], arrow ? C_READ : C_DOTBASE);
	kids_free(&k);
	set_access(e, ctx);
	return e;
}

static struct ir_expr *lift_cast(struct lift *L, int n)
{
	struct kids k;
	expr_kids(L, n, &k);
	if (k.n < 1) {
		kids_free(&k);
		return other_expr(L, n, "cast");
	}
	struct ir_expr *e = new_expr(L, IR_E_CAST, n);
	unsigned close;
	if (!e->in_macro && e->span.begin < L->len && L->buf[e->span.begin] == '(' &&
	    !match_paren(L, e->span.begin, &close, NULL, NULL)) {
		unsigned b = skip_blank(L, e->span.begin + 1), end = close;
		while (end > b && is_space(L->buf[end - 1]))
			end--;
		e->text = arena_strndup(L->a, L->buf + b, end - b);
	} else {
		e->text = e->type->spelling;
	}
	e->a = lift_expr(L, k.v[k.n - 1], C_READ);
	kids_free(&k);
	return e;
}

/* The declaration a callee expression names, looking through implicit
 * conversions; a null cursor when it is not a plain function name. */
static CXCursor callee_function(const struct lift *L, int callee)
{
	for (int i = 0; i < 8; i++) {
		enum CXCursorKind k = kind_of(L, callee);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(cur(L, callee));
			if (clang_getCursorKind(d) == CXCursor_FunctionDecl)
				return d;
			break;
		}
		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
			break;
		if (L->nodes[callee].nkids != 1)
			break;
		callee = kid(L, callee, 0);
	}
	return clang_getNullCursor();
}

/* Argument i of call n: its child after the callee (a call's children are
 * its callee and its arguments), else a subtree of its own. */
static int call_arg(struct lift *L, int n, const struct kids *k, int i)
{
	CXCursor a = clang_Cursor_getArgument(cur(L, n), (unsigned)i);
	if (i + 1 < k->n) {
		CXCursor c = cur(L, k->v[i + 1]);
		if (c.kind == a.kind && c.data[1] == a.data[1])
			return k->v[i + 1];
	}
	return tree_add(L, a);
}

static struct ir_expr *lift_call(struct lift *L, int n)
{
	struct kids k;
	expr_kids(L, n, &k);
	CXCursor fd = k.n ? callee_function(L, k.v[0]) : clang_getNullCursor();
	int nargs = clang_Cursor_getNumArguments(cur(L, n));
	if (clang_Cursor_isNull(fd) || nargs < 0) {
		kids_free(&k);
		return other_expr(L, n, "call through a function pointer");
	}
	struct ir_expr *e = new_expr(L, IR_E_CALL, n);
	e->text = take_string(L, clang_getCursorSpelling(fd));
	e->nargs = nargs;
	e->args = arena_alloc(L->a, sizeof(*e->args) * (size_t)(nargs ? nargs : 1));
	for (int i = 0; i < nargs; i++)
		e->args[i] = lift_expr(L, call_arg(L, n, &k, i), C_READ);
	kids_free(&k);
	return e;
}

static struct ir_expr *lift_declref(struct lift *L, int n, enum ctx ctx)
{
	CXCursor d = clang_getCursorReferenced(cur(L, n));
	switch (clang_getCursorKind(d)) {
	case CXCursor_VarDecl:
	case CXCursor_ParmDecl: {
		struct ir_expr *e = ARENA_NEW(L->a, struct ir_expr);
		e->kind = IR_E_VAR;
		e->in_macro = node_span(L, n, &e->span, &e->loc);
		e->var = var_for(L, d);
		e->type = e->var->type;
		note_decay(L, e, ctx);
		return e;
	}
	case CXCursor_EnumConstantDecl: {
		struct ir_expr *e = new_expr(L, IR_E_CONST, n);
		e->text = take_string(L, clang_getCursorSpelling(d));
		return e;
	}
	case CXCursor_FunctionDecl:
		return other_expr(L, n, "function designator");
	default:
		return other_expr(L, n, "reference");
	}
}

static struct ir_expr *lift_expr(struct lift *L, int n, enum ctx ctx)
{
	struct ir_expr *e;
	struct kids k;
	switch (kind_of(L, n)) {
	case CXCursor_UnexposedExpr:
		/* implicit conversions (and other invisible wrappers) span exactly their operand */
		if (L->nodes[n].nkids == 1 && clang_isExpression(kind_of(L, kid(L, n, 0))) &&
		    clang_equalRanges(node_ext(L, n), node_ext(L, kid(L, n, 0))))
			return lift_expr(L, kid(L, n, 0), ctx);
		return other_expr(L, n, "unsupported expression");
	case CXCursor_DeclRefExpr:
		return lift_declref(L, n, ctx);
	case CXCursor_IntegerLiteral:
	case CXCursor_FloatingLiteral:
	case CXCursor_CharacterLiteral:
	case CXCursor_ImaginaryLiteral:
	case CXCursor_FixedPointLiteral:
	case CXCursor_CXXBoolLiteralExpr: /* C23 true, false */
	case CXCursor_CXXNullPtrLiteralExpr: /* C23 nullptr */
		e = new_expr(L, IR_E_CONST, n);
		e->text = span_text(L, e->span);
		return e;
	case CXCursor_UnaryExpr:
		/* sizeof, _Alignof: a constant; the operand is not evaluated */
		e = new_expr(L, IR_E_CONST, n);
		e->text = span_text(L, e->span);
		L->quiet++;
		scan_kids(L, n);
		L->quiet--;
		return e;
	case CXCursor_StringLiteral:
		return other_expr(L, n, "string literal");
	case CXCursor_ParenExpr:
		expr_kids(L, n, &k);
		if (k.n != 1) {
			kids_free(&k);
			return other_expr(L, n, "parenthesized expression");
		}
		e = new_expr(L, IR_E_PAREN, n);
		e->a = lift_expr(L, k.v[0], ctx);
		kids_free(&k);
		e->type = e->a->type; /* a parameter's adjusted type, like the operand */
		return e;
	case CXCursor_UnaryOperator:
		return lift_unary(L, n, ctx);
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
		return lift_binary(L, n);
	case CXCursor_ArraySubscriptExpr:
		e = lift_subscript(L, n, ctx);
		if (e->kind == IR_E_INDEX)
			note_decay(L, e, ctx);
		return e;
	case CXCursor_MemberRefExpr:
		e = lift_member(L, n, ctx);
		if (e->kind == IR_E_MEMBER)
			note_decay(L, e, ctx);
		return e;
	case CXCursor_CStyleCastExpr:
		return lift_cast(L, n);
	case CXCursor_CallExpr:
		return lift_call(L, n);
	case CXCursor_ConditionalOperator:
		expr_kids(L, n, &k);
		if (k.n != 3) {
			kids_free(&k);
			return other_expr(L, n, "conditional operator");
		}
		e = new_expr(L, IR_E_COND, n);
		e->a = lift_expr(L, k.v[0], C_READ);
		e->b = lift_expr(L, k.v[1], C_READ);
		e->c = lift_expr(L, k.v[2], C_READ);
		kids_free(&k);
		return e;
	case CXCursor_InitListExpr:
		return other_expr(L, n, "initializer list");
	case CXCursor_CompoundLiteralExpr:
		return other_expr(L, n, "compound literal");
	case CXCursor_StmtExpr:
		return other_expr(L, n, "statement expression");
	case CXCursor_GenericSelectionExpr:
		return other_expr(L, n, "_Generic selection");
	case CXCursor_BlockExpr:
		return other_expr(L, n, "block literal");
	case CXCursor_AddrLabelExpr:
		return other_expr(L, n, "label address");
	default:
		return other_expr(L, n, "unsupported expression");
	}
}

/* ---- statements ---- */

static struct ir_stmt *new_stmt(struct lift *L, enum ir_stmt_kind kind, int n,
                                struct ir_stmt *parent)
{
	struct ir_stmt *s = ARENA_NEW(L->a, struct ir_stmt);
	s->kind = kind;
	s->id = L->nstmts++;
	s->parent = parent;
	node_span(L, n, &s->span, &s->loc);
	return s;
}

/* Walks a construct the IR does not model, so that its variables are still
 * registered and flagged. */
static void scan(struct lift *L, int n)
{
	enum CXCursorKind k = kind_of(L, n);
	if (clang_isExpression(k)) {
		lift_expr(L, n, C_READ);
		return;
	}
	if (k == CXCursor_VarDecl)
		var_for(L, cur(L, n));
	scan_kids(L, n);
}

/* OpenMP directives hide their statement from libclang (a CapturedStmt shows
 * only the captured variables): assume the worst for every one of them,
 * everywhere under n, in visiting order. */
static void scan_captures(struct lift *L, int n)
{
	for (int i = n + 1; i < L->nodes[n].end; i++) {
		if (kind_of(L, i) == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(cur(L, i));
			enum CXCursorKind dk = clang_getCursorKind(d);
			if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)
				var_flag(L, var_for(L, d), IR_VAR_ADDR_TAKEN | IR_VAR_ASSIGNED);
		} else if (kind_of(L, i) == CXCursor_VarDecl) {
			var_for(L, cur(L, i));
		}
	}
}

/* Whether a statement ends with a ';' its extent leaves out: an expression
 * statement, do, return, goto, ... or a statement ending with one of those. */
static int needs_semi(const struct lift *L, int n)
{
	for (int depth = 0; depth < 64; depth++) {
		enum CXCursorKind k = kind_of(L, n);
		if (clang_isExpression(k))
			return 1;
		switch (k) {
		case CXCursor_DoStmt:
		case CXCursor_ReturnStmt:
		case CXCursor_BreakStmt:
		case CXCursor_ContinueStmt:
		case CXCursor_GotoStmt:
		case CXCursor_IndirectGotoStmt:
		case CXCursor_GCCAsmStmt:
		case CXCursor_MSAsmStmt:
			return 1;
		case CXCursor_ForStmt:
		case CXCursor_WhileStmt:
		case CXCursor_IfStmt:
		case CXCursor_SwitchStmt:
		case CXCursor_LabelStmt:
		case CXCursor_CaseStmt:
		case CXCursor_DefaultStmt:
		case CXCursor_UnexposedStmt: {
			/* the statement it ends with */
			if (L->nodes[n].nkids == 0)
				return 0;
			n = kid(L, n, L->nodes[n].nkids - 1);
			break;
		}
		default:
			return 0; /* compound statement, declaration (';' included), ... */
		}
	}
	return 0;
}

static struct ir_stmt *other_stmt(struct lift *L, int n, struct ir_stmt *parent, const char *what)
{
	struct ir_stmt *s = new_stmt(L, IR_S_OTHER, n, parent);
	s->text = what;
	if (needs_semi(L, n))
		span_through_semi(L, &s->span);
	scan_kids(L, n);
	return s;
}

static const char *other_stmt_text(enum CXCursorKind k)
{
	switch (k) {
	case CXCursor_SwitchStmt:
		return "switch statement";
	case CXCursor_CaseStmt:
		return "case label";
	case CXCursor_DefaultStmt:
		return "default label";
	case CXCursor_GotoStmt:
		return "goto statement";
	case CXCursor_IndirectGotoStmt:
		return "computed goto";
	case CXCursor_LabelStmt:
		return "label";
	case CXCursor_GCCAsmStmt:
	case CXCursor_MSAsmStmt:
		return "inline assembly";
	case CXCursor_SEHTryStmt:
	case CXCursor_SEHExceptStmt:
	case CXCursor_SEHFinallyStmt:
	case CXCursor_SEHLeaveStmt:
		return "structured exception handling";
	default:
		return "unsupported statement";
	}
}

static int is_omp_directive(enum CXCursorKind k)
{
	return k >= CXCursor_OMPParallelDirective && k <= CXCursor_OMPInterchangeDirective;
}

static struct ir_stmt *lift_decl(struct lift *L, int n, struct ir_stmt *parent)
{
	struct ir_stmt *s = new_stmt(L, IR_S_DECL, n, parent);
	span_through_semi(L, &s->span);
	struct kids k;
	kids_get(L, n, &k);
	int nv = 0;
	for (int i = 0; i < k.n; i++)
		if (kind_of(L, k.v[i]) == CXCursor_VarDecl)
			nv++;
	s->vars = arena_alloc(L->a, sizeof(*s->vars) * (size_t)(nv ? nv : 1));
	s->inits = arena_alloc(L->a, sizeof(*s->inits) * (size_t)(nv ? nv : 1));
	for (int i = 0; i < k.n; i++) {
		int vd = k.v[i];
		if (kind_of(L, vd) != CXCursor_VarDecl)
			continue;
		struct ir_var *v = var_for(L, cur(L, vd));
		CXCursor init = clang_Cursor_getVarDeclInitializer(cur(L, vd));
		int has_init =
		        !clang_Cursor_isNull(init) && clang_isExpression(clang_getCursorKind(init));
		struct kids vk;
		kids_get(L, vd, &vk);
		/* the initializer is one of the declaration's children */
		int in = -1;
		for (int j = 0; has_init && in < 0 && j < vk.n; j++) {
			CXCursor c = cur(L, vk.v[j]);
			if (c.kind == init.kind && c.data[1] == init.data[1])
				in = vk.v[j];
		}
		if (has_init && in < 0)
			in = tree_add(L, init);
		/* array bounds (VLAs) read variables too */
		for (int j = 0; j < vk.n; j++) {
			if (has_init && (vk.v[j] == in ||
			                 clang_equalRanges(node_ext(L, vk.v[j]), node_ext(L, in))))
				continue;
			scan(L, vk.v[j]);
		}
		kids_free(&vk);
		s->vars[s->nvars] = v;
		s->inits[s->nvars] = has_init ? lift_expr(L, in, C_READ) : NULL;
		s->nvars++;
	}
	kids_free(&k);
	return s;
}

/* The "(...)" after a keyword at kw: header = [kw, ')' + 1). */
static int keyword_header(struct lift *L, unsigned kw, const char *word, struct ir_span *header,
                          unsigned *semis, int *nsemis)
{
	if (!word_at(L, kw, word))
		return -1;
	unsigned open = skip_blank(L, kw + (unsigned)strlen(word)), close;
	if (match_paren(L, open, &close, semis, nsemis))
		return -1;
	header->begin = kw;
	header->end = close + 1;
	return 0;
}

static struct ir_stmt *lift_for(struct lift *L, int n, struct ir_stmt *parent)
{
	struct ir_span sp;
	node_span(L, n, &sp, NULL);
	struct ir_span header;
	unsigned semis[2];
	int nsemis;
	if (keyword_header(L, sp.begin, "for", &header, semis, &nsemis) || nsemis != 2)
		return other_stmt(L, n, parent, "for loop with a macro-generated header");
	struct kids k;
	kids_get(L, n, &k);
	if (k.n < 1) {
		kids_free(&k);
		return other_stmt(L, n, parent, "for loop");
	}
	/* libclang omits absent parts: place each child by the ';' it follows */
	int slot[3] = {-1, -1, -1};
	for (int i = 0; i < k.n - 1; i++) {
		struct ir_span cs;
		node_span(L, k.v[i], &cs, NULL);
		int which = cs.begin < semis[0] ? 0 : cs.begin < semis[1] ? 1 : 2;
		if (slot[which] >= 0 || cs.begin >= header.end) {
			kids_free(&k);
			return other_stmt(L, n, parent, "for loop");
		}
		slot[which] = i;
	}
	if ((slot[1] >= 0 && !clang_isExpression(kind_of(L, k.v[slot[1]]))) ||
	    (slot[2] >= 0 && !clang_isExpression(kind_of(L, k.v[slot[2]])))) {
		kids_free(&k);
		return other_stmt(L, n, parent, "for loop");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_FOR, n, parent);
	s->header = header;
	if (slot[0] >= 0) {
		int ic = k.v[slot[0]];
		if (kind_of(L, ic) == CXCursor_DeclStmt) {
			s->init = lift_decl(L, ic, s);
		} else if (clang_isExpression(kind_of(L, ic))) {
			s->init = new_stmt(L, IR_S_EXPR, ic, s);
			s->init->expr = lift_expr(L, ic, C_READ);
			s->init->span = s->init->expr->span;
			span_through_semi(L, &s->init->span);
		} else {
			s->init = other_stmt(L, ic, s, "for loop initializer");
		}
	}
	if (slot[1] >= 0)
		s->expr = lift_expr(L, k.v[slot[1]], C_READ);
	if (slot[2] >= 0)
		s->inc = lift_expr(L, k.v[slot[2]], C_READ);
	s->body = lift_stmt(L, k.v[k.n - 1], s);
	kids_free(&k);
	return s;
}

static struct ir_stmt *lift_while(struct lift *L, int n, struct ir_stmt *parent)
{
	struct ir_span sp, header;
	node_span(L, n, &sp, NULL);
	struct kids k;
	kids_get(L, n, &k);
	if (keyword_header(L, sp.begin, "while", &header, NULL, NULL) || k.n != 2 ||
	    !clang_isExpression(kind_of(L, k.v[0]))) {
		kids_free(&k);
		return other_stmt(L, n, parent, "while loop with a macro-generated header");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_WHILE, n, parent);
	s->header = header;
	s->expr = lift_expr(L, k.v[0], C_READ);
	s->body = lift_stmt(L, k.v[1], s);
	kids_free(&k);
	return s;
}

static struct ir_stmt *lift_do(struct lift *L, int n, struct ir_stmt *parent)
{
	struct kids k;
	kids_get(L, n, &k);
	struct ir_span bs = {0, 0}, header;
	int ok = k.n == 2 && clang_isExpression(kind_of(L, k.v[1])) &&
	         !node_span(L, k.v[0], &bs, NULL);
	unsigned semi = 0;
	if (ok) {
		unsigned w = skip_blank(L, bs.end);
		ok = !keyword_header(L, w, "while", &header, NULL, NULL);
		if (ok) {
			semi = skip_blank(L, header.end);
			ok = semi < L->len && L->buf[semi] == ';';
		}
	}
	if (!ok) {
		kids_free(&k);
		return other_stmt(L, n, parent, "do loop with a macro-generated tail");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_DO, n, parent);
	header.end = semi + 1;
	s->header = header;
	s->span.end = semi + 1;
	s->body = lift_stmt(L, k.v[0], s);
	s->expr = lift_expr(L, k.v[1], C_READ);
	kids_free(&k);
	return s;
}

static struct ir_stmt *lift_if(struct lift *L, int n, struct ir_stmt *parent)
{
	struct kids k;
	kids_get(L, n, &k);
	if ((k.n != 2 && k.n != 3) || !clang_isExpression(kind_of(L, k.v[0]))) {
		kids_free(&k);
		return other_stmt(L, n, parent, "if statement");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_IF, n, parent);
	s->expr = lift_expr(L, k.v[0], C_READ);
	s->then_s = lift_stmt(L, k.v[1], s);
	if (k.n == 3)
		s->else_s = lift_stmt(L, k.v[2], s);
	kids_free(&k);
	return s;
}

/* An OpenMP directive (only when parsing with -fopenmp: frontend_parse
 * normally parses without it so loops stay visible). libclang does not expose
 * the associated statement, so this is always OTHER. */
static struct ir_stmt *lift_omp(struct lift *L, int n, struct ir_stmt *parent)
{
	struct ir_stmt *s = new_stmt(L, IR_S_OTHER, n, parent);
	s->text = "OpenMP directive";
	scan_captures(L, n);
	return s;
}

static struct ir_stmt *lift_stmt_kind(struct lift *L, int n, struct ir_stmt *parent)
{
	enum CXCursorKind kind = kind_of(L, n);
	struct ir_stmt *s;
	struct kids k;

	struct ir_span sp;
	int macro = node_span(L, n, &sp, NULL);
	switch (kind) {
	case CXCursor_CompoundStmt:
	case CXCursor_ForStmt:
	case CXCursor_WhileStmt:
	case CXCursor_DoStmt:
	case CXCursor_IfStmt:
		if (macro)
			return other_stmt(L, n, parent, "statement from a macro expansion");
		break;
	default:
		break;
	}

	if (clang_isExpression(kind)) {
		s = new_stmt(L, IR_S_EXPR, n, parent);
		s->expr = lift_expr(L, n, C_READ);
		s->span = s->expr->span;
		span_through_semi(L, &s->span);
		return s;
	}
	if (is_omp_directive(kind))
		return lift_omp(L, n, parent);
	switch (kind) {
	case CXCursor_CompoundStmt:
		s = new_stmt(L, IR_S_BLOCK, n, parent);
		kids_get(L, n, &k);
		s->kids = arena_alloc(L->a, sizeof(*s->kids) * (size_t)(k.n ? k.n : 1));
		for (int i = 0; i < k.n; i++)
			s->kids[s->nkids++] = lift_stmt(L, k.v[i], s);
		kids_free(&k);
		return s;
	case CXCursor_DeclStmt:
		return lift_decl(L, n, parent);
	case CXCursor_ForStmt:
		return lift_for(L, n, parent);
	case CXCursor_WhileStmt:
		return lift_while(L, n, parent);
	case CXCursor_DoStmt:
		return lift_do(L, n, parent);
	case CXCursor_IfStmt:
		return lift_if(L, n, parent);
	case CXCursor_ReturnStmt:
		s = new_stmt(L, IR_S_RETURN, n, parent);
		expr_kids(L, n, &k);
		if (k.n == 1)
			s->expr = lift_expr(L, k.v[0], C_READ);
		kids_free(&k);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_BreakStmt:
		s = new_stmt(L, IR_S_BREAK, n, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_ContinueStmt:
		s = new_stmt(L, IR_S_CONTINUE, n, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_NullStmt:
		s = new_stmt(L, IR_S_NULL, n, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_UnexposedStmt:
		/* an attributed statement ("#pragma clang loop ...", __attribute__((...)) stmt):
		 * the statement itself, when it is the only child and ends the construct */
		kids_get(L, n, &k);
		if (k.n == 1 && clang_isStatement(kind_of(L, k.v[0]))) {
			struct ir_span ks;
			node_span(L, k.v[0], &ks, NULL);
			if (ks.end == sp.end && ks.begin >= sp.begin) {
				int sub = k.v[0];
				kids_free(&k);
				return lift_stmt(L, sub, parent);
			}
		}
		kids_free(&k);
		return other_stmt(L, n, parent, "unsupported statement");
	default:
		return other_stmt(L, n, parent, other_stmt_text(kind));
	}
}

static struct ir_stmt *lift_stmt(struct lift *L, int n, struct ir_stmt *parent)
{
	struct ir_stmt *s = lift_stmt_kind(L, n, parent);
	/* libclang stops a compound statement before the ';' of its last part */
	const struct ir_stmt *last = NULL;
	if (s->kind == IR_S_FOR || s->kind == IR_S_WHILE)
		last = s->body;
	else if (s->kind == IR_S_IF)
		last = s->else_s ? s->else_s : s->then_s;
	if (last && last->span.end > s->span.end)
		s->span.end = last->span.end;
	if (s->span.begin <= L->len && !s->pragma) {
		struct ir_span sp;
		if (!node_span(L, n, &sp, NULL))
			s->pragma = pragma_before(L, s->span.begin);
	}
	return s;
}

/* ---- functions ---- */

static int macro_cmp(const void *x, const void *y)
{
	const struct macro_use *a = x, *b = y;
	if (a->begin != b->begin)
		return a->begin < b->begin ? -1 : 1;
	return a->end < b->end ? 1 : a->end > b->end ? -1 : 0;
}

/* Selects the macro uses of L->file, outermost only, sorted. */
static void select_file_macros(struct lift *L)
{
	free(L->fmacros);
	L->fmacros = NULL;
	L->nfmacros = 0;
	size_t n = 0;
	for (size_t i = 0; i < L->macros.n; i++)
		if (clang_File_isEqual(L->macros.v[i].file, L->file))
			n++;
	if (!n)
		return;
	struct macro_use *m = xrealloc(NULL, sizeof(*m) * n);
	n = 0;
	for (size_t i = 0; i < L->macros.n; i++)
		if (clang_File_isEqual(L->macros.v[i].file, L->file))
			m[n++] = L->macros.v[i];
	qsort(m, n, sizeof(*m), macro_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (out && m[i].begin < m[out - 1].end) {
			if (m[i].end > m[out - 1].end)
				m[out - 1].end = m[i].end;
			continue;
		}
		m[out++] = m[i];
	}
	L->fmacros = m;
	L->nfmacros = out;
}

static void set_unsupported(struct ir_func *fn, const char *why, struct ir_loc loc)
{
	if (!fn->unsupported) {
		fn->unsupported = why;
		fn->unsupported_loc = loc;
	}
}

/* int f(a, b) int a; int b; { ... }: clang gives such a definition a
 * prototype, but its parameters are declared after the ')'. */
static int knr_definition(struct lift *L, const struct ir_func *fn)
{
	unsigned open = skip_blank(L, fn->name_span.end), close;
	if (match_paren(L, open, &close, NULL, NULL))
		return 0;
	for (int i = 0; i < fn->nparams; i++)
		if (fn->params[i]->decl_span.begin > close)
			return 1;
	return 0;
}

static void lift_function(struct lift *L, CXCursor fc)
{
	struct ir_func *fn = ARENA_NEW(L->a, struct ir_func);
	CXSourceLocation nl = clang_getCursorLocation(fc);
	CXFile file;
	clang_getExpansionLocation(nl, &file, NULL, NULL, NULL);
	if (!L->file || !clang_File_isEqual(file, L->file)) {
		L->file = file;
		size_t len = 0;
		const char *buf = file ? clang_getFileContents(L->tu, file, &len) : NULL;
		L->buf = buf ? buf : "";
		L->len = buf ? len : 0;
		select_file_macros(L);
		set_file_base(L);
	}
	L->fn = fn;
	L->nstmts = 0;
	L->quiet = 0;
	L->vars.v = NULL;
	L->vars.n = L->vars.cap = 0;
	if (L->vtab)
		memset(L->vtab, 0, sizeof(*L->vtab) * L->vtab_cap);
	L->nnodes = 0;
	L->nkidv = 0;
	L->gen++;

	fn->name = take_string(L, clang_getCursorSpelling(fc));
	fn->file = file ? take_string(L, clang_getFileName(file)) : L->unit->path;
	/* by the expansion: a definition made by a macro in the main file is in it */
	fn->in_main_file = L->main_file ? clang_File_isEqual(file, L->main_file) != 0
	                                : clang_Location_isFromMainFile(nl) != 0;
	cursor_span(L, fc, &fn->span, NULL); /* a macro among the specifiers is fine */
	struct xloc x;
	get_xloc(nl, &x);
	fn->loc.line = (int)x.line;
	fn->loc.col = (int)x.col;
	int macro =
	        range_span(L, clang_Cursor_getSpellingNameRange(fc, 0, 0), &fn->name_span, NULL);
	fn->is_static = clang_Cursor_getStorageClass(fc) == CX_SC_Static;
	fn->is_inline = clang_Cursor_isFunctionInlined(fc) != 0;
	fn->is_variadic = clang_Cursor_isVariadic(fc) != 0;
	CXType ft = clang_getCursorType(fc);
	fn->ret_type = lift_type(L, clang_getResultType(ft));

	int np = clang_Cursor_getNumArguments(fc);
	if (np < 0)
		np = 0;
	fn->nparams = np;
	fn->params = arena_alloc(L->a, sizeof(*fn->params) * (size_t)(np ? np : 1));
	for (int i = 0; i < np; i++)
		fn->params[i] = var_for(L, clang_Cursor_getArgument(fc, (unsigned)i));
	if (np > 0 && knr_definition(L, fn))
		set_unsupported(fn, "K&R-style definition", fn->loc);
	if (macro)
		set_unsupported(fn, "function name comes from a macro expansion", fn->loc);

	struct cursor_list k;
	cursor_kids(fc, &k);
	for (int i = k.n - 1; i >= 0; i--) {
		if (clang_getCursorKind(k.v[i]) != CXCursor_CompoundStmt)
			continue;
		int body = tree_add(L, k.v[i]);
		if (node_span(L, body, &fn->body_span, NULL))
			set_unsupported(fn, "body comes from a macro expansion", fn->loc);
		fn->body = lift_stmt(L, body, NULL);
		break;
	}
	cursor_kids_free(&k);
	if (!fn->body)
		set_unsupported(fn, "definition without a body", fn->loc);
	fn->vars = (struct ir_var **)L->vars.v;
	fn->nvars = L->vars.n;
	if (!fn->vars)
		fn->vars = arena_alloc(L->a, sizeof(*fn->vars));
	fn->nstmts = L->nstmts;
	ptrvec_push(L->a, &L->funcs, fn);
}

static enum CXChildVisitResult top_level(CXCursor c, CXCursor parent, CXClientData data)
{
	struct lift *L = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k == CXCursor_MacroExpansion) {
		CXSourceRange r = clang_getCursorExtent(c);
		CXFile bf, ef;
		unsigned b, e;
		clang_getExpansionLocation(clang_getRangeStart(r), &bf, NULL, NULL, &b);
		clang_getExpansionLocation(clang_getRangeEnd(r), &ef, NULL, NULL, &e);
		if (!bf || !clang_File_isEqual(bf, ef) || e < b)
			return CXChildVisit_Continue;
		if (L->macros.n == L->macros.cap) {
			L->macros.cap = L->macros.cap ? L->macros.cap * 2 : 256;
			L->macros.v = xrealloc(L->macros.v, sizeof(*L->macros.v) * L->macros.cap);
		}
		L->macros.v[L->macros.n].file = bf;
		L->macros.v[L->macros.n].begin = b;
		L->macros.v[L->macros.n].end = e;
		L->macros.n++;
	} else if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(c) &&
	           !clang_Location_isInSystemHeader(clang_getCursorLocation(c))) {
		collect_kid(c, parent, &L->fdefs);
	}
	return CXChildVisit_Continue;
}

void frontend_lift(struct CXTranslationUnitImpl *tu, struct arena *a, struct ir_unit *unit)
{
	struct lift L;
	memset(&L, 0, sizeof(L));
	L.a = a;
	L.unit = unit;
	L.tu = tu;
	L.main_file = clang_getFile(tu, unit->path);
	L.ptr_size = (unsigned)sizeof(void *);
	CXTargetInfo ti = clang_getTranslationUnitTargetInfo(tu);
	if (ti) {
		int w = clang_TargetInfo_getPointerWidth(ti);
		if (w > 0)
			L.ptr_size = (unsigned)w / 8;
		clang_TargetInfo_dispose(ti);
	}
	clang_visitChildren(clang_getTranslationUnitCursor(tu), top_level, &L);
	for (int i = 0; i < L.fdefs.n; i++)
		lift_function(&L, L.fdefs.v[i]);
	unit->funcs = (struct ir_func **)L.funcs.v;
	unit->nfuncs = L.funcs.n;
	if (!unit->funcs)
		unit->funcs = arena_alloc(a, sizeof(*unit->funcs));
	cursor_kids_free(&L.fdefs);
	free(L.macros.v);
	free(L.fmacros);
	free(L.types);
	free(L.vtab);
	free(L.lines);
	free(L.nodes);
	free(L.kidv);
	free(L.stack);
}

/* The lifter: libclang cursors -> loop IR (ir.h).
 *
 * One pass over the translation unit collects the macro expansions (so a node
 * produced by a macro can be widened to the whole macro use) and the function
 * definitions; each definition is then lifted with a fresh variable table.
 * Spans are byte offsets of expansion locations in the file holding the
 * definition: the main file for main-file functions, the header's own bytes
 * for functions defined in headers.
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

	/* the function being lifted */
	struct ir_func *fn;
	struct ptrvec vars;
	struct var_slot *vtab;
	size_t vtab_cap;
	int nstmts;
	int quiet; /* > 0: inside sizeof/_Alignof: register variables, set no flags */
};

static struct ir_expr *lift_expr(struct lift *L, CXCursor c, enum ctx ctx);
static struct ir_stmt *lift_stmt(struct lift *L, CXCursor c, struct ir_stmt *parent);
static void scan(struct lift *L, CXCursor c);

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

static void kids_get(CXCursor c, struct cursor_list *k)
{
	k->v = NULL;
	k->n = k->cap = 0;
	clang_visitChildren(c, collect_kid, k);
}

static void kids_free(struct cursor_list *k)
{
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
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

/* The span and location of a source range; returns 1 when it touches a macro
 * expansion (the span then covers the whole macro use). */
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

/* get_xloc for the nodes of a function body: the spelling location (the
 * only way to tell a macro's tokens) is asked only near a macro use, which
 * most nodes are not; lifting then costs one location query per end. */
static void get_xloc_fast(const struct lift *L, CXSourceLocation l, struct xloc *x, int linecol)
{
	/* Line and column cost a line-table search each: only when wanted. */
	x->line = x->col = 0;
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

static int range_span(const struct lift *L, CXSourceRange r, struct ir_span *sp, struct ir_loc *loc)
{
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

static int cursor_span(const struct lift *L, CXCursor c, struct ir_span *sp, struct ir_loc *loc)
{
	return range_span(L, clang_getCursorExtent(c), sp, loc);
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
static struct ir_var *var_for(struct lift *L, CXCursor decl)
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
	if (in_file(L, nl)) {
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

static struct ir_expr *new_expr(struct lift *L, enum ir_expr_kind kind, CXCursor c)
{
	struct ir_expr *e = ARENA_NEW(L->a, struct ir_expr);
	e->kind = kind;
	e->in_macro = cursor_span(L, c, &e->span, &e->loc);
	e->type = lift_type(L, clang_getCursorType(c));
	return e;
}

static void scan_kids(struct lift *L, CXCursor c)
{
	struct cursor_list k;
	kids_get(c, &k);
	for (int i = 0; i < k.n; i++)
		scan(L, k.v[i]);
	kids_free(&k);
}

static struct ir_expr *other_expr(struct lift *L, CXCursor c, const char *what)
{
	struct ir_expr *e = new_expr(L, IR_E_OTHER, c);
	e->text = what;
	scan_kids(L, c);
	return e;
}

/* The expression children of c, in source order. */
static void expr_kids(CXCursor c, struct cursor_list *k)
{
	kids_get(c, k);
	int n = 0;
	for (int i = 0; i < k->n; i++)
		if (clang_isExpression(clang_getCursorKind(k->v[i])))
			k->v[n++] = k->v[i];
	k->n = n;
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

static int is_pointerish(CXCursor c)
{
	enum CXTypeKind k = clang_getCanonicalType(clang_getCursorType(c)).kind;
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

static struct ir_expr *lift_binary(struct lift *L, CXCursor c)
{
	int assign;
	enum ir_op op = binary_op(clang_getCursorBinaryOperatorKind(c), &assign);
	struct cursor_list k;
	expr_kids(c, &k);
	if (assign < 0 || k.n != 2) {
		kids_free(&k);
		return other_expr(L, c, "unsupported binary operator");
	}
	struct ir_expr *e = new_expr(L, assign ? IR_E_ASSIGN : IR_E_BINARY, c);
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

static struct ir_expr *lift_unary(struct lift *L, CXCursor c, enum ctx ctx)
{
	struct cursor_list k;
	expr_kids(c, &k);
	if (k.n != 1) {
		kids_free(&k);
		return other_expr(L, c, "unsupported unary operator");
	}
	CXCursor sub = k.v[0];
	kids_free(&k);
	struct ir_expr *e;
	switch (clang_getCursorUnaryOperatorKind(c)) {
	case CXUnaryOperator_PostInc:
	case CXUnaryOperator_PostDec:
	case CXUnaryOperator_PreInc:
	case CXUnaryOperator_PreDec: {
		enum CXUnaryOperatorKind uk = clang_getCursorUnaryOperatorKind(c);
		e = new_expr(L, IR_E_INCDEC, c);
		e->op = uk == CXUnaryOperator_PostInc   ? IR_OP_POSTINC
		        : uk == CXUnaryOperator_PostDec ? IR_OP_POSTDEC
		        : uk == CXUnaryOperator_PreInc  ? IR_OP_PREINC
		                                        : IR_OP_PREDEC;
		e->a = lift_expr(L, sub, C_RW);
		var_flag(L, lvalue_root(e->a), IR_VAR_ASSIGNED);
		return e;
	}
	case CXUnaryOperator_AddrOf:
		e = new_expr(L, IR_E_ADDROF, c);
		e->a = lift_expr(L, sub, C_ADDR);
		var_flag(L, lvalue_root(e->a), IR_VAR_ADDR_TAKEN);
		return e;
	case CXUnaryOperator_Deref:
		e = new_expr(L, IR_E_DEREF, c);
		e->a = lift_expr(L, sub, C_READ);
		set_access(e, ctx);
		return e;
	case CXUnaryOperator_Plus:
	case CXUnaryOperator_Minus:
	case CXUnaryOperator_Not:
	case CXUnaryOperator_LNot: {
		enum CXUnaryOperatorKind uk = clang_getCursorUnaryOperatorKind(c);
		e = new_expr(L, IR_E_UNARY, c);
		e->op = uk == CXUnaryOperator_Plus    ? IR_OP_PLUS
		        : uk == CXUnaryOperator_Minus ? IR_OP_NEG
		        : uk == CXUnaryOperator_Not   ? IR_OP_BNOT
		                                      : IR_OP_NOT;
		e->a = lift_expr(L, sub, C_READ);
		return e;
	}
	case CXUnaryOperator_Real:
		return other_expr(L, c, "__real__");
	case CXUnaryOperator_Imag:
		return other_expr(L, c, "__imag__");
	case CXUnaryOperator_Extension:
		return other_expr(L, c, "__extension__");
	default:
		return other_expr(L, c, "unsupported unary operator");
	}
}

static struct ir_expr *lift_subscript(struct lift *L, CXCursor c, enum ctx ctx)
{
	struct cursor_list k;
	expr_kids(c, &k);
	if (k.n != 2) {
		kids_free(&k);
		return other_expr(L, c, "array subscript");
	}
	struct ir_expr *e = new_expr(L, IR_E_INDEX, c);
	/* i[a]: the pointer operand is the base whatever the order */
	if (!is_pointerish(k.v[0]) && is_pointerish(k.v[1])) {
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

static struct ir_expr *lift_member(struct lift *L, CXCursor c, enum ctx ctx)
{
	struct cursor_list k;
	expr_kids(c, &k);
	if (k.n != 1) {
		kids_free(&k);
		return other_expr(L, c, "member access without a base");
	}
	struct ir_expr *e = new_expr(L, IR_E_MEMBER, c);
	e->text = take_string(L, clang_getCursorSpelling(c));
	/* '.' or '->': the token after the base; the base's type when macros hide it */
	struct ir_span bs;
	int arrow = is_pointerish(k.v[0]);
	if (!cursor_span(L, k.v[0], &bs, NULL) && !e->in_macro) {
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

static struct ir_expr *lift_cast(struct lift *L, CXCursor c)
{
	struct cursor_list k;
	expr_kids(c, &k);
	if (k.n < 1) {
		kids_free(&k);
		return other_expr(L, c, "cast");
	}
	struct ir_expr *e = new_expr(L, IR_E_CAST, c);
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
static CXCursor callee_function(CXCursor callee)
{
	for (int i = 0; i < 8; i++) {
		enum CXCursorKind k = clang_getCursorKind(callee);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(callee);
			if (clang_getCursorKind(d) == CXCursor_FunctionDecl)
				return d;
			break;
		}
		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
			break;
		struct cursor_list kids;
		kids_get(callee, &kids);
		int ok = kids.n == 1;
		if (ok)
			callee = kids.v[0];
		kids_free(&kids);
		if (!ok)
			break;
	}
	return clang_getNullCursor();
}

static struct ir_expr *lift_call(struct lift *L, CXCursor c)
{
	struct cursor_list k;
	expr_kids(c, &k);
	CXCursor fd = k.n ? callee_function(k.v[0]) : clang_getNullCursor();
	kids_free(&k);
	int nargs = clang_Cursor_getNumArguments(c);
	if (clang_Cursor_isNull(fd) || nargs < 0)
		return other_expr(L, c, "call through a function pointer");
	struct ir_expr *e = new_expr(L, IR_E_CALL, c);
	e->text = take_string(L, clang_getCursorSpelling(fd));
	e->nargs = nargs;
	e->args = arena_alloc(L->a, sizeof(*e->args) * (size_t)(nargs ? nargs : 1));
	for (int i = 0; i < nargs; i++)
		e->args[i] = lift_expr(L, clang_Cursor_getArgument(c, (unsigned)i), C_READ);
	return e;
}

static struct ir_expr *lift_declref(struct lift *L, CXCursor c, enum ctx ctx)
{
	CXCursor d = clang_getCursorReferenced(c);
	switch (clang_getCursorKind(d)) {
	case CXCursor_VarDecl:
	case CXCursor_ParmDecl: {
		struct ir_expr *e = ARENA_NEW(L->a, struct ir_expr);
		e->kind = IR_E_VAR;
		e->in_macro = cursor_span(L, c, &e->span, &e->loc);
		e->var = var_for(L, d);
		e->type = e->var->type;
		note_decay(L, e, ctx);
		return e;
	}
	case CXCursor_EnumConstantDecl: {
		struct ir_expr *e = new_expr(L, IR_E_CONST, c);
		e->text = take_string(L, clang_getCursorSpelling(d));
		return e;
	}
	case CXCursor_FunctionDecl:
		return other_expr(L, c, "function designator");
	default:
		return other_expr(L, c, "reference");
	}
}

static struct ir_expr *lift_expr(struct lift *L, CXCursor c, enum ctx ctx)
{
	struct ir_expr *e;
	struct cursor_list k;
	switch (clang_getCursorKind(c)) {
	case CXCursor_UnexposedExpr:
		/* implicit conversions (and other invisible wrappers) span exactly their operand */
		kids_get(c, &k);
		if (k.n == 1 && clang_isExpression(clang_getCursorKind(k.v[0])) &&
		    clang_equalRanges(clang_getCursorExtent(c), clang_getCursorExtent(k.v[0]))) {
			CXCursor sub = k.v[0];
			kids_free(&k);
			return lift_expr(L, sub, ctx);
		}
		kids_free(&k);
		return other_expr(L, c, "unsupported expression");
	case CXCursor_DeclRefExpr:
		return lift_declref(L, c, ctx);
	case CXCursor_IntegerLiteral:
	case CXCursor_FloatingLiteral:
	case CXCursor_CharacterLiteral:
	case CXCursor_ImaginaryLiteral:
	case CXCursor_FixedPointLiteral:
	case CXCursor_CXXBoolLiteralExpr: /* C23 true, false */
	case CXCursor_CXXNullPtrLiteralExpr: /* C23 nullptr */
		e = new_expr(L, IR_E_CONST, c);
		e->text = span_text(L, e->span);
		return e;
	case CXCursor_UnaryExpr:
		/* sizeof, _Alignof: a constant; the operand is not evaluated */
		e = new_expr(L, IR_E_CONST, c);
		e->text = span_text(L, e->span);
		L->quiet++;
		scan_kids(L, c);
		L->quiet--;
		return e;
	case CXCursor_StringLiteral:
		return other_expr(L, c, "string literal");
	case CXCursor_ParenExpr:
		expr_kids(c, &k);
		if (k.n != 1) {
			kids_free(&k);
			return other_expr(L, c, "parenthesized expression");
		}
		e = new_expr(L, IR_E_PAREN, c);
		e->a = lift_expr(L, k.v[0], ctx);
		kids_free(&k);
		e->type = e->a->type; /* a parameter's adjusted type, like the operand */
		return e;
	case CXCursor_UnaryOperator:
		return lift_unary(L, c, ctx);
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
		return lift_binary(L, c);
	case CXCursor_ArraySubscriptExpr:
		e = lift_subscript(L, c, ctx);
		if (e->kind == IR_E_INDEX)
			note_decay(L, e, ctx);
		return e;
	case CXCursor_MemberRefExpr:
		e = lift_member(L, c, ctx);
		if (e->kind == IR_E_MEMBER)
			note_decay(L, e, ctx);
		return e;
	case CXCursor_CStyleCastExpr:
		return lift_cast(L, c);
	case CXCursor_CallExpr:
		return lift_call(L, c);
	case CXCursor_ConditionalOperator:
		expr_kids(c, &k);
		if (k.n != 3) {
			kids_free(&k);
			return other_expr(L, c, "conditional operator");
		}
		e = new_expr(L, IR_E_COND, c);
		e->a = lift_expr(L, k.v[0], C_READ);
		e->b = lift_expr(L, k.v[1], C_READ);
		e->c = lift_expr(L, k.v[2], C_READ);
		kids_free(&k);
		return e;
	case CXCursor_InitListExpr:
		return other_expr(L, c, "initializer list");
	case CXCursor_CompoundLiteralExpr:
		return other_expr(L, c, "compound literal");
	case CXCursor_StmtExpr:
		return other_expr(L, c, "statement expression");
	case CXCursor_GenericSelectionExpr:
		return other_expr(L, c, "_Generic selection");
	case CXCursor_BlockExpr:
		return other_expr(L, c, "block literal");
	case CXCursor_AddrLabelExpr:
		return other_expr(L, c, "label address");
	default:
		return other_expr(L, c, "unsupported expression");
	}
}

/* ---- statements ---- */

static struct ir_stmt *new_stmt(struct lift *L, enum ir_stmt_kind kind, CXCursor c,
                                struct ir_stmt *parent)
{
	struct ir_stmt *s = ARENA_NEW(L->a, struct ir_stmt);
	s->kind = kind;
	s->id = L->nstmts++;
	s->parent = parent;
	cursor_span(L, c, &s->span, &s->loc);
	return s;
}

/* Walks a construct the IR does not model, so that its variables are still
 * registered and flagged. */
static void scan(struct lift *L, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	if (clang_isExpression(k)) {
		lift_expr(L, c, C_READ);
		return;
	}
	if (k == CXCursor_VarDecl)
		var_for(L, c);
	scan_kids(L, c);
}

/* OpenMP directives hide their statement from libclang (a CapturedStmt shows
 * only the captured variables): assume the worst for every one of them. */
static enum CXChildVisitResult scan_captures(CXCursor c, CXCursor parent, CXClientData data)
{
	struct lift *L = data;
	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(c);
		enum CXCursorKind dk = clang_getCursorKind(d);
		if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)
			var_flag(L, var_for(L, d), IR_VAR_ADDR_TAKEN | IR_VAR_ASSIGNED);
	} else if (clang_getCursorKind(c) == CXCursor_VarDecl) {
		var_for(L, c);
	}
	return CXChildVisit_Recurse;
}

/* Whether a statement ends with a ';' its extent leaves out: an expression
 * statement, do, return, goto, ... or a statement ending with one of those. */
static int needs_semi(CXCursor c)
{
	for (int depth = 0; depth < 64; depth++) {
		enum CXCursorKind k = clang_getCursorKind(c);
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
			struct cursor_list kids;
			kids_get(c, &kids);
			int ok = kids.n > 0;
			if (ok)
				c = kids.v[kids.n - 1];
			kids_free(&kids);
			if (!ok)
				return 0;
			break;
		}
		default:
			return 0; /* compound statement, declaration (';' included), ... */
		}
	}
	return 0;
}

static struct ir_stmt *other_stmt(struct lift *L, CXCursor c, struct ir_stmt *parent,
                                  const char *what)
{
	struct ir_stmt *s = new_stmt(L, IR_S_OTHER, c, parent);
	s->text = what;
	if (needs_semi(c))
		span_through_semi(L, &s->span);
	scan_kids(L, c);
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

static struct ir_stmt *lift_decl(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct ir_stmt *s = new_stmt(L, IR_S_DECL, c, parent);
	span_through_semi(L, &s->span);
	struct cursor_list k;
	kids_get(c, &k);
	int n = 0;
	for (int i = 0; i < k.n; i++)
		if (clang_getCursorKind(k.v[i]) == CXCursor_VarDecl)
			n++;
	s->vars = arena_alloc(L->a, sizeof(*s->vars) * (size_t)(n ? n : 1));
	s->inits = arena_alloc(L->a, sizeof(*s->inits) * (size_t)(n ? n : 1));
	for (int i = 0; i < k.n; i++) {
		CXCursor vd = k.v[i];
		if (clang_getCursorKind(vd) != CXCursor_VarDecl)
			continue;
		struct ir_var *v = var_for(L, vd);
		CXCursor init = clang_Cursor_getVarDeclInitializer(vd);
		int has_init =
		        !clang_Cursor_isNull(init) && clang_isExpression(clang_getCursorKind(init));
		/* array bounds (VLAs) read variables too */
		struct cursor_list vk;
		kids_get(vd, &vk);
		for (int j = 0; j < vk.n; j++) {
			if (has_init && (clang_equalCursors(vk.v[j], init) ||
			                 clang_equalRanges(clang_getCursorExtent(vk.v[j]),
			                                   clang_getCursorExtent(init))))
				continue;
			scan(L, vk.v[j]);
		}
		kids_free(&vk);
		s->vars[s->nvars] = v;
		s->inits[s->nvars] = has_init ? lift_expr(L, init, C_READ) : NULL;
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

static struct ir_stmt *lift_for(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct ir_span sp;
	cursor_span(L, c, &sp, NULL);
	struct ir_span header;
	unsigned semis[2];
	int nsemis;
	if (keyword_header(L, sp.begin, "for", &header, semis, &nsemis) || nsemis != 2)
		return other_stmt(L, c, parent, "for loop with a macro-generated header");
	struct cursor_list k;
	kids_get(c, &k);
	if (k.n < 1) {
		kids_free(&k);
		return other_stmt(L, c, parent, "for loop");
	}
	/* libclang omits absent parts: place each child by the ';' it follows */
	int slot[3] = {-1, -1, -1};
	for (int i = 0; i < k.n - 1; i++) {
		struct ir_span cs;
		cursor_span(L, k.v[i], &cs, NULL);
		int which = cs.begin < semis[0] ? 0 : cs.begin < semis[1] ? 1 : 2;
		if (slot[which] >= 0 || cs.begin >= header.end) {
			kids_free(&k);
			return other_stmt(L, c, parent, "for loop");
		}
		slot[which] = i;
	}
	if ((slot[1] >= 0 && !clang_isExpression(clang_getCursorKind(k.v[slot[1]]))) ||
	    (slot[2] >= 0 && !clang_isExpression(clang_getCursorKind(k.v[slot[2]])))) {
		kids_free(&k);
		return other_stmt(L, c, parent, "for loop");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_FOR, c, parent);
	s->header = header;
	if (slot[0] >= 0) {
		CXCursor ic = k.v[slot[0]];
		if (clang_getCursorKind(ic) == CXCursor_DeclStmt) {
			s->init = lift_decl(L, ic, s);
		} else if (clang_isExpression(clang_getCursorKind(ic))) {
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

static struct ir_stmt *lift_while(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct ir_span sp, header;
	cursor_span(L, c, &sp, NULL);
	struct cursor_list k;
	kids_get(c, &k);
	if (keyword_header(L, sp.begin, "while", &header, NULL, NULL) || k.n != 2 ||
	    !clang_isExpression(clang_getCursorKind(k.v[0]))) {
		kids_free(&k);
		return other_stmt(L, c, parent, "while loop with a macro-generated header");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_WHILE, c, parent);
	s->header = header;
	s->expr = lift_expr(L, k.v[0], C_READ);
	s->body = lift_stmt(L, k.v[1], s);
	kids_free(&k);
	return s;
}

static struct ir_stmt *lift_do(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct cursor_list k;
	kids_get(c, &k);
	struct ir_span bs = {0, 0}, header;
	int ok = k.n == 2 && clang_isExpression(clang_getCursorKind(k.v[1])) &&
	         !cursor_span(L, k.v[0], &bs, NULL);
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
		return other_stmt(L, c, parent, "do loop with a macro-generated tail");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_DO, c, parent);
	header.end = semi + 1;
	s->header = header;
	s->span.end = semi + 1;
	s->body = lift_stmt(L, k.v[0], s);
	s->expr = lift_expr(L, k.v[1], C_READ);
	kids_free(&k);
	return s;
}

static struct ir_stmt *lift_if(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct cursor_list k;
	kids_get(c, &k);
	if ((k.n != 2 && k.n != 3) || !clang_isExpression(clang_getCursorKind(k.v[0]))) {
		kids_free(&k);
		return other_stmt(L, c, parent, "if statement");
	}
	struct ir_stmt *s = new_stmt(L, IR_S_IF, c, parent);
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
static struct ir_stmt *lift_omp(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct ir_stmt *s = new_stmt(L, IR_S_OTHER, c, parent);
	s->text = "OpenMP directive";
	clang_visitChildren(c, scan_captures, L);
	return s;
}

static struct ir_stmt *lift_stmt_kind(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct ir_stmt *s;
	struct cursor_list k;

	struct ir_span sp;
	int macro = cursor_span(L, c, &sp, NULL);
	switch (kind) {
	case CXCursor_CompoundStmt:
	case CXCursor_ForStmt:
	case CXCursor_WhileStmt:
	case CXCursor_DoStmt:
	case CXCursor_IfStmt:
		if (macro)
			return other_stmt(L, c, parent, "statement from a macro expansion");
		break;
	default:
		break;
	}

	if (clang_isExpression(kind)) {
		s = new_stmt(L, IR_S_EXPR, c, parent);
		s->expr = lift_expr(L, c, C_READ);
		s->span = s->expr->span;
		span_through_semi(L, &s->span);
		return s;
	}
	if (is_omp_directive(kind))
		return lift_omp(L, c, parent);
	switch (kind) {
	case CXCursor_CompoundStmt:
		s = new_stmt(L, IR_S_BLOCK, c, parent);
		kids_get(c, &k);
		s->kids = arena_alloc(L->a, sizeof(*s->kids) * (size_t)(k.n ? k.n : 1));
		for (int i = 0; i < k.n; i++)
			s->kids[s->nkids++] = lift_stmt(L, k.v[i], s);
		kids_free(&k);
		return s;
	case CXCursor_DeclStmt:
		return lift_decl(L, c, parent);
	case CXCursor_ForStmt:
		return lift_for(L, c, parent);
	case CXCursor_WhileStmt:
		return lift_while(L, c, parent);
	case CXCursor_DoStmt:
		return lift_do(L, c, parent);
	case CXCursor_IfStmt:
		return lift_if(L, c, parent);
	case CXCursor_ReturnStmt:
		s = new_stmt(L, IR_S_RETURN, c, parent);
		expr_kids(c, &k);
		if (k.n == 1)
			s->expr = lift_expr(L, k.v[0], C_READ);
		kids_free(&k);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_BreakStmt:
		s = new_stmt(L, IR_S_BREAK, c, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_ContinueStmt:
		s = new_stmt(L, IR_S_CONTINUE, c, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_NullStmt:
		s = new_stmt(L, IR_S_NULL, c, parent);
		span_through_semi(L, &s->span);
		return s;
	case CXCursor_UnexposedStmt:
		/* an attributed statement ("#pragma clang loop ...", __attribute__((...)) stmt):
		 * the statement itself, when it is the only child and ends the construct */
		kids_get(c, &k);
		if (k.n == 1 && clang_isStatement(clang_getCursorKind(k.v[0]))) {
			struct ir_span ks;
			cursor_span(L, k.v[0], &ks, NULL);
			if (ks.end == sp.end && ks.begin >= sp.begin) {
				CXCursor sub = k.v[0];
				kids_free(&k);
				return lift_stmt(L, sub, parent);
			}
		}
		kids_free(&k);
		return other_stmt(L, c, parent, "unsupported statement");
	default:
		return other_stmt(L, c, parent, other_stmt_text(kind));
	}
}

static struct ir_stmt *lift_stmt(struct lift *L, CXCursor c, struct ir_stmt *parent)
{
	struct ir_stmt *s = lift_stmt_kind(L, c, parent);
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
		if (!cursor_span(L, c, &sp, NULL))
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
	}
	L->fn = fn;
	L->nstmts = 0;
	L->quiet = 0;
	L->vars.v = NULL;
	L->vars.n = L->vars.cap = 0;
	if (L->vtab)
		memset(L->vtab, 0, sizeof(*L->vtab) * L->vtab_cap);

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
	kids_get(fc, &k);
	for (int i = k.n - 1; i >= 0; i--) {
		if (clang_getCursorKind(k.v[i]) != CXCursor_CompoundStmt)
			continue;
		if (cursor_span(L, k.v[i], &fn->body_span, NULL))
			set_unsupported(fn, "body comes from a macro expansion", fn->loc);
		fn->body = lift_stmt(L, k.v[i], NULL);
		break;
	}
	kids_free(&k);
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
		struct xloc b, e;
		get_xloc(clang_getRangeStart(r), &b);
		get_xloc(clang_getRangeEnd(r), &e);
		if (!b.file || !clang_File_isEqual(b.file, e.file) || e.off < b.off)
			return CXChildVisit_Continue;
		if (L->macros.n == L->macros.cap) {
			L->macros.cap = L->macros.cap ? L->macros.cap * 2 : 256;
			L->macros.v = xrealloc(L->macros.v, sizeof(*L->macros.v) * L->macros.cap);
		}
		L->macros.v[L->macros.n].file = b.file;
		L->macros.v[L->macros.n].begin = b.off;
		L->macros.v[L->macros.n].end = e.off;
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
	kids_free(&L.fdefs);
	free(L.macros.v);
	free(L.fmacros);
	free(L.types);
	free(L.vtab);
}

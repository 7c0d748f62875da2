#include "ir_util.h"

#include <string.h>

void ir_expr_walk(struct ir_expr *e, ir_expr_fn fn, void *ctx)
{
	if (!e)
		return;
	fn(e, ctx);
	ir_expr_walk(e->a, fn, ctx);
	ir_expr_walk(e->b, fn, ctx);
	ir_expr_walk(e->c, fn, ctx);
	for (int i = 0; i < e->nargs; i++)
		ir_expr_walk(e->args[i], fn, ctx);
}

void ir_stmt_roots(struct ir_stmt *s, ir_expr_fn fn, void *ctx)
{
	switch (s->kind) {
	case IR_S_DECL:
		for (int i = 0; i < s->nvars; i++)
			if (s->inits[i])
				fn(s->inits[i], ctx);
		break;
	case IR_S_FOR:
		if (s->expr)
			fn(s->expr, ctx);
		if (s->inc)
			fn(s->inc, ctx);
		break;
	case IR_S_EXPR:
	case IR_S_RETURN:
	case IR_S_IF:
	case IR_S_WHILE:
	case IR_S_DO:
		if (s->expr)
			fn(s->expr, ctx);
		break;
	default:
		break;
	}
}

struct walk_all {
	ir_expr_fn fn;
	void *ctx;
};

static void walk_root(struct ir_expr *e, void *arg)
{
	struct walk_all *w = arg;
	ir_expr_walk(e, w->fn, w->ctx);
}

void ir_stmt_exprs(struct ir_stmt *s, ir_expr_fn fn, void *ctx)
{
	struct walk_all w = {fn, ctx};
	ir_stmt_roots(s, walk_root, &w);
}

int ir_stmt_kids(struct ir_stmt *s, struct ir_stmt **out, int max)
{
	int n = 0;
#define ADD(x)                                                                                     \
	do {                                                                                       \
		if ((x) && n < max)                                                                \
			out[n++] = (x);                                                            \
	} while (0)
	switch (s->kind) {
	case IR_S_BLOCK:
		for (int i = 0; i < s->nkids; i++)
			ADD(s->kids[i]);
		break;
	case IR_S_FOR:
		ADD(s->init);
		ADD(s->body);
		break;
	case IR_S_WHILE:
	case IR_S_DO:
		ADD(s->body);
		break;
	case IR_S_IF:
		ADD(s->then_s);
		ADD(s->else_s);
		break;
	default:
		break;
	}
#undef ADD
	return n;
}

void ir_stmt_walk(struct ir_stmt *s, ir_stmt_fn fn, void *ctx)
{
	if (!s)
		return;
	fn(s, ctx);
	if (s->kind == IR_S_BLOCK) {
		for (int i = 0; i < s->nkids; i++)
			ir_stmt_walk(s->kids[i], fn, ctx);
		return;
	}
	struct ir_stmt *kids[2];
	int n = ir_stmt_kids(s, kids, 2);
	for (int i = 0; i < n; i++)
		ir_stmt_walk(kids[i], fn, ctx);
}

int ir_is_loop(const struct ir_stmt *s)
{
	return s && (s->kind == IR_S_FOR || s->kind == IR_S_WHILE || s->kind == IR_S_DO);
}

int ir_is_memory(const struct ir_expr *e)
{
	return e && (e->kind == IR_E_INDEX || e->kind == IR_E_DEREF || e->kind == IR_E_MEMBER);
}

int ir_is_read(const struct ir_expr *e)
{
	return ir_is_memory(e) && (e->access == IR_ACC_READ || e->access == IR_ACC_RW);
}

int ir_is_write(const struct ir_expr *e)
{
	return ir_is_memory(e) && (e->access == IR_ACC_WRITE || e->access == IR_ACC_RW);
}

int ir_expr_contains(struct ir_expr *e, const struct ir_expr *needle)
{
	if (!e)
		return 0;
	if (e == needle)
		return 1;
	if (ir_expr_contains(e->a, needle) || ir_expr_contains(e->b, needle) ||
	    ir_expr_contains(e->c, needle))
		return 1;
	for (int i = 0; i < e->nargs; i++)
		if (ir_expr_contains(e->args[i], needle))
			return 1;
	return 0;
}

int ir_addr_parts(struct ir_expr *m, struct ir_expr **out, int max)
{
	int n = 0;
	if (max < 2)
		return 0;
	switch (m->kind) {
	case IR_E_INDEX:
		out[n++] = m->a;
		out[n++] = m->b;
		break;
	case IR_E_DEREF:
		out[n++] = m->a;
		break;
	case IR_E_MEMBER:
		if (m->arrow) {
			out[n++] = m->a;
		} else {
			/* a.f lives inside a: its address is a's address. */
			struct ir_expr *a = m->a;
			while (a && a->kind == IR_E_PAREN)
				a = a->a;
			if (ir_is_memory(a))
				return ir_addr_parts(a, out, max);
		}
		break;
	default:
		break;
	}
	return n;
}

struct ir_expr *ir_unparen(struct ir_expr *e)
{
	while (e && e->kind == IR_E_PAREN)
		e = e->a;
	return e;
}

struct ir_var *ir_base_var(struct ir_expr *e)
{
	while (e) {
		switch (e->kind) {
		case IR_E_VAR:
			return e->var;
		case IR_E_PAREN:
		case IR_E_CAST:
			e = e->a;
			break;
		case IR_E_INDEX:
		case IR_E_DEREF:
			/* An array-typed element (t[i] of float t[][D]) is still t's memory;
			 * a loaded pointer is not based on a variable. */
			if (e->access != IR_ACC_NONE)
				return NULL;
			if (e->kind == IR_E_DEREF)
				return NULL;
			e = e->a;
			break;
		case IR_E_MEMBER:
			if (e->arrow || e->access != IR_ACC_NONE)
				return NULL;
			e = e->a;
			break;
		case IR_E_BINARY:
			if (e->op == IR_OP_ADD || e->op == IR_OP_SUB) {
				/* p + i, i + p, p - i: follow the pointer operand. */
				if (e->a && e->a->type &&
				    (e->a->type->cls == IR_T_PTR || e->a->type->cls == IR_T_ARRAY))
					e = e->a;
				else if (e->b && e->b->type &&
				         (e->b->type->cls == IR_T_PTR ||
				          e->b->type->cls == IR_T_ARRAY))
					e = e->b;
				else
					return NULL;
				break;
			}
			return NULL;
		case IR_E_ADDROF:
			e = e->a;
			break;
		case IR_E_INCDEC:
			/* *p++: the pointer p, bumped. */
			e = e->a;
			break;
		case IR_E_ASSIGN:
			/* *(p += k): p's memory. */
			if (e->op == IR_OP_ADD || e->op == IR_OP_SUB || e->op == IR_OP_NONE)
				e = e->op == IR_OP_NONE ? e->b : e->a;
			else
				return NULL;
			break;
		default:
			return NULL;
		}
	}
	return NULL;
}

struct ir_stmt *ir_enclosing_loop(struct ir_stmt *s)
{
	for (struct ir_stmt *p = s->parent; p; p = p->parent)
		if (ir_is_loop(p))
			return p;
	return NULL;
}

int ir_stmt_within(const struct ir_stmt *s, const struct ir_stmt *anc)
{
	for (; s; s = s->parent)
		if (s == anc)
			return 1;
	return 0;
}

char *ir_span_text(struct arena *a, const struct ir_unit *u, struct ir_span sp)
{
	if (sp.end < sp.begin || sp.end > u->len)
		return arena_strdup(a, "");
	return arena_strndup(a, u->buf + sp.begin, sp.end - sp.begin);
}

unsigned ir_line_start(const struct ir_unit *u, unsigned off)
{
	unsigned i = off;
	while (i > 0 && u->buf[i - 1] != '\n')
		i--;
	return i;
}

char *ir_decl_text(struct arena *a, const struct ir_type *t, const char *name, int keep_qualifiers)
{
	if (!t || (t->flags & IR_TYPE_VLA))
		return NULL;
	if (t->cls == IR_T_ARRAY) {
		if (t->count <= 0 || !t->elem)
			return NULL;
		return ir_decl_text(a, t->elem, arena_printf(a, "%s[%lld]", name, t->count), 1);
	}
	const char *s = keep_qualifiers ? t->spelling : t->unqual;
	if (!s)
		return NULL;
	const char *paren = strstr(s, "(*");
	if (paren) {
		/* Pointer to array or function: the name goes inside "(*...)". */
		const char *close = strchr(paren, ')');
		if (!close)
			return NULL;
		return arena_printf(a, "%.*s%s%s", (int)(close - s), s, name, close);
	}
	size_t n = strlen(s);
	if (n && s[n - 1] == '*')
		return arena_printf(a, "%s%s", s, name);
	return arena_printf(a, "%s %s", s, name);
}

const char *ir_op_spelling(enum ir_op op)
{
	static const char *const names[] = {
	        [IR_OP_NONE] = "=",     [IR_OP_ADD] = "+",     [IR_OP_SUB] = "-",
	        [IR_OP_MUL] = "*",      [IR_OP_DIV] = "/",     [IR_OP_REM] = "%",
	        [IR_OP_SHL] = "<<",     [IR_OP_SHR] = ">>",    [IR_OP_AND] = "&",
	        [IR_OP_OR] = "|",       [IR_OP_XOR] = "^",     [IR_OP_LAND] = "&&",
	        [IR_OP_LOR] = "||",     [IR_OP_LT] = "<",      [IR_OP_GT] = ">",
	        [IR_OP_LE] = "<=",      [IR_OP_GE] = ">=",     [IR_OP_EQ] = "==",
	        [IR_OP_NE] = "!=",      [IR_OP_COMMA] = ",",   [IR_OP_NEG] = "-",
	        [IR_OP_PLUS] = "+",     [IR_OP_NOT] = "!",     [IR_OP_BNOT] = "~",
	        [IR_OP_PREINC] = "++",  [IR_OP_PREDEC] = "--", [IR_OP_POSTINC] = "++",
	        [IR_OP_POSTDEC] = "--",
	};
	if ((unsigned)op < sizeof(names) / sizeof(names[0]) && names[op])
		return names[op];
	return "?";
}

static int is_var(struct ir_expr *e, const struct ir_var *v)
{
	e = ir_unparen(e);
	return e && e->kind == IR_E_VAR && (!v || e->var == v);
}

struct defscan {
	const struct ir_var *v;
	const struct ir_stmt *skip1, *skip2;
	int found;
};

static void def_expr(struct ir_expr *e, void *arg)
{
	struct defscan *d = arg;
	if ((e->kind == IR_E_ASSIGN || e->kind == IR_E_INCDEC) && is_var(e->a, d->v))
		d->found = 1;
}

static void def_stmt(struct ir_stmt *s, void *arg)
{
	struct defscan *d = arg;
	if (s == d->skip1 || s == d->skip2)
		return;
	ir_stmt_exprs(s, def_expr, d);
	if (s->kind == IR_S_DECL)
		for (int i = 0; i < s->nvars; i++)
			if (s->vars[i] == d->v && s->inits[i])
				d->found = 1;
}

int ir_var_defined_in(const struct ir_var *v, struct ir_stmt *s)
{
	struct defscan d = {v, NULL, NULL, 0};
	ir_stmt_walk(s, def_stmt, &d);
	return d.found;
}

int ir_var_declared_in(const struct ir_var *v, const struct ir_stmt *s)
{
	return v->decl_span.begin >= s->span.begin && v->decl_span.end <= s->span.end;
}

int ir_same_text(const struct ir_unit *u, const struct ir_expr *a, const struct ir_expr *b)
{
	if (!a || !b || a->span.end - a->span.begin != b->span.end - b->span.begin)
		return 0;
	return !memcmp(u->buf + a->span.begin, u->buf + b->span.begin, a->span.end - a->span.begin);
}

struct ir_var *ir_counted_for(struct ir_stmt *s, struct ir_expr **lo, struct ir_expr **hi,
                              int *inclusive)
{
	if (!s || s->kind != IR_S_FOR || !s->init || !s->expr || !s->inc)
		return NULL;
	struct ir_var *v = NULL;
	struct ir_expr *init = NULL;
	if (s->init->kind == IR_S_DECL && s->init->nvars == 1) {
		v = s->init->vars[0];
		init = s->init->inits[0];
	} else if (s->init->kind == IR_S_EXPR) {
		struct ir_expr *x = ir_unparen(s->init->expr);
		if (x && x->kind == IR_E_ASSIGN && x->op == IR_OP_NONE && is_var(x->a, NULL)) {
			v = ir_unparen(x->a)->var;
			init = x->b;
		}
	}
	if (!v || !init)
		return NULL;
	struct ir_expr *c = ir_unparen(s->expr);
	if (!c || c->kind != IR_E_BINARY)
		return NULL;
	if ((c->op == IR_OP_LT || c->op == IR_OP_LE) && is_var(c->a, v)) {
		*hi = c->b;
		*inclusive = c->op == IR_OP_LE;
	} else if ((c->op == IR_OP_GT || c->op == IR_OP_GE) && is_var(c->b, v)) {
		*hi = c->a;
		*inclusive = c->op == IR_OP_GE;
	} else {
		return NULL;
	}
	struct ir_expr *inc = ir_unparen(s->inc);
	int step = 0;
	if (inc->kind == IR_E_INCDEC && (inc->op == IR_OP_PREINC || inc->op == IR_OP_POSTINC))
		step = is_var(inc->a, v);
	else if (inc->kind == IR_E_ASSIGN && inc->op == IR_OP_ADD && ir_unparen(inc->b) &&
	         ir_unparen(inc->b)->kind == IR_E_CONST && ir_unparen(inc->b)->text &&
	         !strcmp(ir_unparen(inc->b)->text, "1"))
		step = is_var(inc->a, v);
	if (!step)
		return NULL;
	/* The step must be the only change to v inside the loop. */
	struct defscan d = {v, s, s->init, 0};
	ir_stmt_walk(s->body, def_stmt, &d);
	if (d.found)
		return NULL;
	*lo = init;
	return v;
}

char *ir_param_decl_text(struct arena *a, const struct ir_type *t, const char *name)
{
	if (t && (t->flags & IR_TYPE_VLA) && t->cls == IR_T_PTR && t->spelling &&
	    strstr(t->spelling, "(*")) {
		/* A pointer to a variably modified array: spelled as written; the
		 * sizes it names are declared before it by the caller. */
		const char *paren = strstr(t->spelling, "(*");
		const char *close = strchr(paren, ')');
		if (!close)
			return NULL;
		return arena_printf(a, "%.*s%s%s", (int)(close - t->spelling), t->spelling, name,
		                    close);
	}
	return ir_decl_text(a, t, name, 1);
}

int ir_param_index(const struct ir_func *f, const struct ir_var *v)
{
	for (int i = 0; i < f->nparams; i++)
		if (f->params[i] == v)
			return i;
	return -1;
}

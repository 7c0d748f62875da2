/* The access side's loads, written DAE_LD(x) so that a -DDAE_TRACE build of
 * the generated file records them for the timing model (include/dae/trace.h)
 * without translating again; in any other build DAE_LD(x) is (x), the same
 * load. Only scalar reads outside macros are wrapped: DAE_LD's trace form
 * takes the address of its operand, which a bit-field or a macro's inside
 * would not allow. */
#include <stdlib.h>

#include "emit_c.h"
#include "ir_util.h"

struct wrap {
	struct arena *a;
	const struct ir_unit *u;
	struct slc_subst *subs;
	int n, cap;
	int failed;
};

static int traced_read(const struct ir_expr *e)
{
	if ((e->kind != IR_E_INDEX && e->kind != IR_E_DEREF) || e->access != IR_ACC_READ ||
	    e->in_macro || !e->type)
		return 0;
	switch (e->type->cls) {
	case IR_T_BOOL:
	case IR_T_SINT:
	case IR_T_UINT:
	case IR_T_ENUM:
	case IR_T_FLOAT:
	case IR_T_DOUBLE:
	case IR_T_LDOUBLE:
	case IR_T_PTR:
		return 1;
	default:
		return 0;
	}
}

static char *wrapped(struct arena *a, const struct ir_unit *u, struct ir_expr *e,
                     const char *macro);

/* Adds a substitution for every outermost traced read under e. */
static void collect(struct wrap *w, struct ir_expr *e)
{
	if (!e || w->failed)
		return;
	if (traced_read(e)) {
		char *t = wrapped(w->a, w->u, e, "DAE_LD");
		if (!t) {
			w->failed = 1;
			return;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 8;
			w->subs = realloc(w->subs, sizeof(*w->subs) * (size_t)w->cap);
		}
		w->subs[w->n++] = (struct slc_subst){e, NULL, t};
		return;
	}
	collect(w, e->a);
	collect(w, e->b);
	collect(w, e->c);
	for (int i = 0; i < e->nargs; i++)
		collect(w, e->args[i]);
}

static void collect_root(struct ir_expr *e, void *arg)
{
	collect(arg, e);
}

static void collect_roots(struct ir_stmt *s, void *arg)
{
	ir_stmt_roots(s, collect_root, arg);
}

static void collect_stmt(struct wrap *w, struct ir_stmt *s)
{
	if (s)
		ir_stmt_walk(s, collect_roots, w);
}

static char *splice(struct wrap *w, struct ir_span sp, struct ir_expr **exprs, int nexprs,
                    struct ir_stmt **stmts, int nstmts)
{
	/* Substitutions already in w->subs come first, so they win over a
	 * wrapper for the same node (the finder takes the first match). */
	for (int i = 0; i < nexprs; i++)
		collect(w, exprs[i]);
	for (int i = 0; i < nstmts; i++)
		collect_stmt(w, stmts[i]);
	char *t = w->failed
	                  ? NULL
	                  : slc_splice(w->a, w->u, sp, exprs, nexprs, stmts, nstmts, w->subs, w->n);
	free(w->subs);
	return t;
}

/* macro(text of e), with the reads inside e wrapped in turn. */
static char *wrapped(struct arena *a, const struct ir_unit *u, struct ir_expr *e, const char *macro)
{
	struct wrap w = {a, u, NULL, 0, 0, 0};
	struct ir_expr *kids[3] = {e->a, e->b, e->c};
	int n = 0;
	for (int i = 0; i < 3; i++)
		if (kids[i])
			kids[n++] = kids[i];
	char *t = splice(&w, e->span, kids, n, NULL, 0);
	return t ? arena_printf(a, "%s(%s)", macro, t) : NULL;
}

char *emit_traced_text(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                       struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts)
{
	return emit_traced_subst(a, u, sp, exprs, nexprs, stmts, nstmts, NULL);
}

char *emit_traced_subst(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                        struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts,
                        const struct slc_subst *sub)
{
	struct wrap w = {a, u, NULL, 0, 0, 0};
	if (sub) {
		w.subs = malloc(sizeof(*w.subs) * 8);
		w.cap = 8;
		w.subs[w.n++] = *sub;
	}
	char *t = splice(&w, sp, exprs, nexprs, stmts, nstmts);
	if (t)
		return t;
	return sub ? NULL : ir_span_text(a, u, sp);
}

/* ---- gathers: loads whose address comes from a loaded value ---- */

struct gather {
	const struct ir_func *f;
	const struct ir_var *v; /* the local being asked about */
	int yes;
};

static void find_read(struct ir_expr *e, void *arg)
{
	struct gather *g = arg;
	if (ir_is_read(e))
		g->yes = 1;
}

static int reads(struct ir_expr *e)
{
	struct gather g = {0};
	if (e)
		ir_expr_walk(e, find_read, &g);
	return g.yes;
}

static void find_loading_assign(struct ir_expr *e, void *arg)
{
	struct gather *g = arg;
	if (e->kind == IR_E_ASSIGN && e->a && e->a->kind == IR_E_VAR && e->a->var == g->v &&
	    reads(e->b))
		g->yes = 1;
}

static void find_loading_def(struct ir_stmt *s, void *arg)
{
	struct gather *g = arg;
	if (s->kind == IR_S_DECL)
		for (int k = 0; k < s->nvars; k++)
			if (s->vars[k] == g->v && reads(s->inits[k]))
				g->yes = 1;
	ir_stmt_exprs(s, find_loading_assign, g);
}

static void find_step(struct ir_expr *e, void *arg)
{
	struct gather *g = arg;
	if ((e->kind == IR_E_INCDEC || (e->kind == IR_E_ASSIGN && e->op != IR_OP_NONE)) && e->a &&
	    e->a->kind == IR_E_VAR && e->a->var == g->v)
		g->yes = 1;
}

static void find_stepping(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, find_step, arg);
}

/* v holds a value read from memory somewhere in f (an index). A cursor that
 * starts at a loaded value and then steps (j = offsets[b]; j++) walks a
 * stream: what it addresses is not a gather. */
static int loaded_local(const struct ir_func *f, const struct ir_var *v)
{
	if (ir_param_index(f, v) >= 0)
		return 0;
	struct gather g = {f, v, 0}, step = {f, v, 0};
	ir_stmt_walk(f->body, find_loading_def, &g);
	if (g.yes)
		ir_stmt_walk(f->body, find_stepping, &step);
	return g.yes && !step.yes;
}

static void find_gather(struct ir_expr *e, void *arg)
{
	struct gather *g = arg;
	if (ir_is_read(e) || (e->kind == IR_E_VAR && e->var && loaded_local(g->f, e->var)))
		g->yes = 1;
}

int emit_is_gather(const struct ir_func *f, struct ir_expr *e)
{
	struct gather g = {f, NULL, 0};
	if (e->kind == IR_E_INDEX || e->kind == IR_E_DEREF) {
		ir_expr_walk(e->a, find_gather, &g);
		if (e->b)
			ir_expr_walk(e->b, find_gather, &g);
	}
	return g.yes;
}

char *emit_traced_load(struct arena *a, const struct ir_unit *u, struct ir_expr *e, int row)
{
	char *t = NULL;
	if (traced_read(e))
		t = wrapped(a, u, e, row ? "DAE_ROW_LD" : "DAE_LD");
	return t ? t : emit_traced_text(a, u, e->span, &e, 1, NULL, 0);
}

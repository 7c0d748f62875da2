/* Lanes: may the iterations of the function's outer loop run on several
 * threads at once? libdae's lanes mode (dae_run_range) runs consecutive
 * chunks of them as separate access/execute pairs, so every iteration must
 * compute the same whatever ran before it or runs beside it:
 *
 *  - the function is declarations, then the one loop, then nothing: no work
 *    before or after it that a chunk would repeat or miss;
 *  - the loop is counted ("for (i = lo; i < n; i++)", lo and n constants or
 *    unassigned parameters) and nothing leaves it early (break, return);
 *  - no call, no global or static variable, no volatile access, no
 *    parameter assigned: nothing a thread other than the caller's could see
 *    differently;
 *  - a local declared outside the loop and assigned inside is assigned
 *    before it is read in every iteration (an inner loop's counter, a
 *    temporary): nothing is carried from one iteration to the next;
 *  - every array written is written, and read, only in the iteration's own
 *    row: A[i] or A[i * S + j] inside "for (j = 0; j < S; j++)", S
 *    invariant, so rows of different iterations are disjoint;
 *  - a row read of another array of a compatible type could be a row some
 *    other iteration writes: unless one of the two pointers is restrict,
 *    their extents are compared at run time (guard.c), chunk by chunk as
 *    the lanes take them: the rows a chunk reads against the rows the whole
 *    call writes. libdae runs a chunk in a lane once it and every chunk
 *    before it passed, and the rest of the call in order after the first
 *    that fails. */
#include <stdint.h>
#include <string.h>

#include "guard.h"
#include "ir_util.h"
#include "slc.h"

struct lanes_ctx {
	struct arena *a;
	struct slc_program *p;
	struct ir_stmt *loop;
	struct ir_var *iv;
	const char *why; /* the first reason the lanes are off */
	struct ptrvec mems; /* struct ir_expr *: memory nodes, in order */
	struct ptrvec mem_stmts; /* struct ir_stmt *: the statement owning each */
	struct ir_stmt *cur;
};

static void refuse(struct lanes_ctx *c, const char *why)
{
	if (!c->why)
		c->why = why;
}

/* ---- what the body may contain -------------------------------------------- */

static void check_expr(struct ir_expr *e, void *arg)
{
	struct lanes_ctx *c = arg;

	switch (e->kind) {
	case IR_E_CALL:
		refuse(c,
		       arena_printf(c->a, "the loop calls %s", e->text ? e->text : "a function"));
		break;
	case IR_E_OTHER:
		refuse(c, "the loop has an expression daec does not model");
		break;
	case IR_E_VAR:
		if (e->var->kind == IR_VAR_GLOBAL)
			refuse(c,
			       arena_printf(c->a, "the loop uses the global '%s'", e->var->name));
		else if (e->var->flags & IR_VAR_STATIC)
			refuse(c,
			       arena_printf(c->a, "the loop uses the static '%s'", e->var->name));
		break;
	case IR_E_ASSIGN:
	case IR_E_INCDEC: {
		struct ir_expr *t = ir_unparen(e->a);
		if (t && t->kind == IR_E_VAR && t->var->kind == IR_VAR_PARAM)
			refuse(c, arena_printf(c->a, "the loop assigns the parameter '%s'",
			                       t->var->name));
		break;
	}
	default:
		break;
	}
	if (ir_is_memory(e)) {
		if (e->type && (e->type->flags & IR_TYPE_VOLATILE))
			refuse(c, "the loop has a volatile access");
		if (e->access != IR_ACC_NONE) {
			ptrvec_push(c->a, &c->mems, e);
			ptrvec_push(c->a, &c->mem_stmts, c->cur);
		}
	}
}

static void check_stmt(struct ir_stmt *s, void *arg)
{
	struct lanes_ctx *c = arg;

	switch (s->kind) {
	case IR_S_RETURN:
		refuse(c, "the loop returns from the function");
		break;
	case IR_S_BREAK:
		if (ir_enclosing_loop(s) == c->loop)
			refuse(c, "the loop ends early (break)");
		break;
	case IR_S_OTHER:
		refuse(c, "the loop has a statement daec does not model");
		break;
	default:
		break;
	}
	c->cur = s;
	ir_stmt_exprs(s, check_expr, c);
}

/* ---- nothing carried from one iteration to the next ------------------------ */

/* Locals of the enclosing scope assigned so far in this iteration, on every
 * path: a branch's or an inner loop's assignments do not count after it. */
struct flow {
	struct lanes_ctx *c;
	struct ptrvec defined;
};

static int carried(struct lanes_ctx *c, const struct ir_var *v)
{
	return v->kind == IR_VAR_LOCAL && v != c->iv && !ir_var_declared_in(v, c->loop) &&
	       ir_var_defined_in(v, c->loop->body);
}

static void flow_use(struct flow *f, const struct ir_var *v)
{
	if (carried(f->c, v) && !ptrvec_contains(&f->defined, v))
		refuse(f->c, arena_printf(f->c->a,
		                          "'%s' may carry a value from one iteration to the next",
		                          v->name));
}

static void flow_expr(struct flow *f, struct ir_expr *e);

static void flow_uses(struct ir_expr *e, void *arg)
{
	struct flow *f = arg;
	if (e->kind == IR_E_VAR)
		flow_use(f, e->var);
}

/* Reads before the assignment they are part of; "v = e" defines v after. */
static void flow_expr(struct flow *f, struct ir_expr *e)
{
	struct ir_expr *x = ir_unparen(e);
	if (!x)
		return;
	if (x->kind == IR_E_ASSIGN && x->op == IR_OP_NONE && ir_unparen(x->a) &&
	    ir_unparen(x->a)->kind == IR_E_VAR) {
		flow_expr(f, x->b);
		ptrvec_push(f->c->a, &f->defined, ir_unparen(x->a)->var);
		return;
	}
	if (x->kind == IR_E_BINARY && x->op == IR_OP_COMMA) {
		flow_expr(f, x->a);
		flow_expr(f, x->b);
		return;
	}
	ir_expr_walk(x, flow_uses, f);
}

static void flow_stmt(struct flow *f, struct ir_stmt *s);

/* s runs zero or more times: checked with what is defined now, adds nothing. */
static void flow_maybe(struct flow *f, struct ir_stmt *s)
{
	struct flow inner = {f->c, {0}};
	for (int i = 0; i < f->defined.n; i++)
		ptrvec_push(f->c->a, &inner.defined, f->defined.v[i]);
	flow_stmt(&inner, s);
}

static void flow_stmt(struct flow *f, struct ir_stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case IR_S_BLOCK:
		for (int i = 0; i < s->nkids; i++)
			flow_stmt(f, s->kids[i]);
		break;
	case IR_S_DECL:
		for (int i = 0; i < s->nvars; i++)
			if (s->inits[i])
				flow_expr(f, s->inits[i]);
		break;
	case IR_S_EXPR:
	case IR_S_RETURN:
		flow_expr(f, s->expr);
		break;
	case IR_S_IF:
		flow_expr(f, s->expr);
		flow_maybe(f, s->then_s);
		flow_maybe(f, s->else_s);
		break;
	case IR_S_FOR:
		/* The init always runs. The step follows a body that may have
		 * ended in continue, so it can count on the init only. */
		flow_stmt(f, s->init);
		flow_expr(f, s->expr);
		flow_maybe(f, s->body);
		flow_expr(f, s->inc);
		break;
	case IR_S_WHILE:
		flow_expr(f, s->expr);
		flow_maybe(f, s->body);
		break;
	case IR_S_DO:
		flow_maybe(f, s->body);
		/* The test follows a body that may have ended in continue. */
		flow_expr(f, s->expr);
		break;
	default:
		break;
	}
}

/* ---- every write in the iteration's own row --------------------------------- */

static int same_text(struct lanes_ctx *c, struct ir_expr *x, struct ir_expr *y)
{
	x = ir_unparen(x);
	y = ir_unparen(y);
	if (!x || !y)
		return 0;
	if (x->kind == IR_E_VAR || y->kind == IR_E_VAR)
		return x->kind == y->kind && x->var == y->var;
	const char *a = ir_span_text(c->a, c->p->unit, x->span);
	const char *b = ir_span_text(c->a, c->p->unit, y->span);
	return !strcmp(a, b);
}

static int is_iv(struct lanes_ctx *c, struct ir_expr *e)
{
	e = ir_unparen(e);
	return e && e->kind == IR_E_VAR && e->var == c->iv;
}

/* j in "for (j = 0; j < S; j++)" enclosing at, inside the loop. */
static int column_of(struct lanes_ctx *c, struct ir_expr *j, struct ir_expr *size,
                     struct ir_stmt *at)
{
	j = ir_unparen(j);
	if (!j || j->kind != IR_E_VAR)
		return 0;
	for (struct ir_stmt *s = at; s && s != c->loop; s = s->parent) {
		struct ir_expr *lo, *hi;
		int incl;
		if (s->kind != IR_S_FOR || ir_counted_for(s, &lo, &hi, &incl) != j->var)
			continue;
		lo = ir_unparen(lo);
		return !incl && lo && lo->kind == IR_E_CONST && lo->text &&
		       !strcmp(lo->text, "0") && same_text(c, hi, size);
	}
	return 0;
}

/* i * S or S * i, S invariant: sets *size. */
static int row_start(struct lanes_ctx *c, struct ir_expr *e, struct ir_expr **size)
{
	e = ir_unparen(e);
	if (!e || e->kind != IR_E_BINARY || e->op != IR_OP_MUL)
		return 0;
	if (is_iv(c, e->a) && slc_invariant(e->b))
		*size = e->b;
	else if (is_iv(c, e->b) && slc_invariant(e->a))
		*size = e->a;
	else
		return 0;
	return 1;
}

/* A[i], or A[i * S + j] / A[j + i * S] with j a column of the row. */
static int own_row(struct lanes_ctx *c, struct ir_expr *m, struct ir_stmt *at)
{
	if (m->kind != IR_E_INDEX || !ir_unparen(m->a) || ir_unparen(m->a)->kind != IR_E_VAR)
		return 0;
	struct ir_expr *x = ir_unparen(m->b), *size;
	if (is_iv(c, x))
		return 1;
	if (!x || x->kind != IR_E_BINARY || x->op != IR_OP_ADD)
		return 0;
	if (row_start(c, x->a, &size) && column_of(c, x->b, size, at))
		return 1;
	return row_start(c, x->b, &size) && column_of(c, x->a, size, at);
}

/* Element types a write and a read of two arrays may share (C's aliasing). */
static int may_alias(const struct slc_program *p, const struct ir_expr *w, const struct ir_expr *r)
{
	if (p->unit->no_strict_aliasing || !w->type || !r->type)
		return 1;
	if ((w->type->flags & IR_TYPE_CHAR) || (r->type->flags & IR_TYPE_CHAR))
		return 1;
	return !w->type->canonical || !r->type->canonical ||
	       !strcmp(w->type->canonical, r->type->canonical);
}

static int restricted(const struct ir_var *v)
{
	return v && v->type && (v->type->flags & IR_TYPE_RESTRICT);
}

/* Uses of v other than as the array of a[...]: a pointer made from it could
 * reach another row. */
struct stray {
	const struct ir_var *v;
	int uses, indexed;
};

static void count_uses(struct ir_expr *e, void *arg)
{
	struct stray *s = arg;
	if (e->kind == IR_E_VAR && e->var == s->v)
		s->uses++;
	if (e->kind == IR_E_INDEX && ir_unparen(e->a) && ir_unparen(e->a)->kind == IR_E_VAR &&
	    ir_unparen(e->a)->var == s->v)
		s->indexed++;
}

static void count_stmt(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, count_uses, arg);
}

static void check_rows(struct lanes_ctx *c, struct slc_lanes *l)
{
	struct ptrvec written = {0};

	for (int i = 0; i < c->mems.n; i++) {
		struct ir_expr *m = c->mems.v[i];
		if (!ir_is_write(m))
			continue;
		struct ir_var *v = ir_base_var(m->a);
		if (!v || v->kind != IR_VAR_PARAM || !own_row(c, m, c->mem_stmts.v[i]) ||
		    (v->flags & IR_VAR_ASSIGNED)) {
			refuse(c, arena_printf(c->a,
			                       "the write at line %d is not shown to stay in the "
			                       "iteration's own row",
			                       m->loc.line));
			return;
		}
		if (!ptrvec_contains(&written, v))
			ptrvec_push(c->a, &written, v);
	}
	/* Two arrays written, each in its own rows, could still be one array
	 * seen at two offsets: another lane's row of the one could be this
	 * lane's row of the other. Compared like a read against a write. */
	for (int i = 0; i < c->mems.n; i++)
		for (int j = 0; j < c->mems.n; j++) {
			struct ir_expr *a = c->mems.v[i], *b = c->mems.v[j];
			struct ir_var *av, *bv;
			if (!ir_is_write(a) || !ir_is_write(b))
				continue;
			av = ir_base_var(a->a);
			bv = ir_base_var(b->a);
			if (av == bv || (intptr_t)av > (intptr_t)bv || !may_alias(c->p, b, a) ||
			    restricted(av) || restricted(bv))
				continue;
			struct slc_guard *g = ARENA_NEW(c->a, struct slc_guard);
			g->read = a;
			g->write = b;
			g->read_stmt = c->mem_stmts.v[i];
			g->write_stmt = c->mem_stmts.v[j];
			ptrvec_push(c->a, &l->guards, g);
		}
	for (int k = 0; k < written.n; k++) {
		struct stray s = {written.v[k], 0, 0};
		ir_stmt_walk(c->loop->body, count_stmt, &s);
		if (s.uses != s.indexed) {
			refuse(c, arena_printf(c->a, "a pointer into '%s' is made in the loop",
			                       ((struct ir_var *)written.v[k])->name));
			return;
		}
	}
	for (int i = 0; i < c->mems.n; i++) {
		struct ir_expr *r = c->mems.v[i];
		if (!ir_is_read(r))
			continue;
		struct ir_var *v = ir_base_var(r->a);
		/* The access side's reads (indices, offsets) are already kept
		 * apart from every write, by proof or by the run-time check
		 * made before any lane starts: only the callbacks' reads can
		 * meet another lane's writes. */
		int in_callback = 0;
		for (int k = 0; k < c->p->callbacks.n && !in_callback; k++) {
			const struct slc_callback *cb = c->p->callbacks.v[k];
			for (int t = 0; t < cb->stmts.n && !in_callback; t++)
				in_callback = ir_stmt_within(c->mem_stmts.v[i], cb->stmts.v[t]);
		}
		if (v && ptrvec_contains(&written, v)) {
			if (!own_row(c, r, c->mem_stmts.v[i]))
				refuse(c, arena_printf(
				                  c->a,
				                  "the read at line %d may be another iteration's "
				                  "row of '%s'",
				                  r->loc.line, v->name));
			continue;
		}
		for (int j = 0; j < c->mems.n && in_callback; j++) {
			struct ir_expr *w = c->mems.v[j];
			struct ir_var *wv = ir_base_var(w->a);
			if (!ir_is_write(w) || !may_alias(c->p, w, r) || restricted(wv) ||
			    restricted(v))
				continue;
			/* The run-time check sees the parameters only. */
			if (!v || v->kind != IR_VAR_PARAM) {
				refuse(c,
				       arena_printf(c->a,
				                    "the read at line %d is through a pointer the "
				                    "run-time check cannot see",
				                    r->loc.line));
				return;
			}
			struct slc_guard *g = ARENA_NEW(c->a, struct slc_guard);
			g->read = r;
			g->write = w;
			g->read_stmt = c->mem_stmts.v[i];
			g->write_stmt = c->mem_stmts.v[j];
			ptrvec_push(c->a, &l->guards, g);
		}
	}
}

/* ---- the pass ------------------------------------------------------------------ */

/* The one loop at the top, after declarations only; NULL otherwise. */
static struct slc_node *outer_loop(struct lanes_ctx *c)
{
	struct slc_node *loop = NULL;
	for (int i = 0; i < c->p->top.n; i++) {
		struct slc_node *n = c->p->top.v[i];
		if (n->kind == SLC_ACCESS && n->stmt && n->stmt->kind == IR_S_DECL && !loop)
			continue;
		if (n->kind == SLC_LOOP && !loop) {
			loop = n;
			continue;
		}
		if (n->kind == SLC_RETURN && !n->cb && loop && i == c->p->top.n - 1)
			continue;
		refuse(c, "the function does work outside its outer loop");
		return NULL;
	}
	if (!loop)
		refuse(c, "the function has no outer loop");
	return loop;
}

int slc_lanes(struct arena *a, struct slc_program *p)
{
	struct lanes_ctx c = {a, p, NULL, NULL, NULL, {0}, {0}, NULL};
	struct slc_node *n = outer_loop(&c);
	struct ir_expr *lo = NULL, *hi = NULL;
	const char *trip = NULL;
	int incl = 0;

	if (n) {
		c.loop = n->stmt;
		c.iv = ir_counted_for(n->stmt, &lo, &hi, &incl);
		trip = c.iv ? slc_trip_text(a, p->unit, n->stmt) : NULL;
		if (!trip || !slc_invariant(lo) || !slc_invariant(hi) || n->vec)
			refuse(&c, "the outer loop is not a counted loop with invariant bounds");
		for (int i = 0; i < p->func->nparams && !c.why; i++)
			if (p->func->params[i]->flags & IR_VAR_ADDR_TAKEN)
				refuse(&c, "a parameter's address is taken");
	}
	if (!c.why) {
		ir_stmt_walk(c.loop->body, check_stmt, &c);
		struct flow f = {&c, {0}};
		flow_stmt(&f, c.loop->body);
	}
	struct slc_lanes *l = ARENA_NEW(a, struct slc_lanes);
	if (!c.why)
		check_rows(&c, l);
	if (!c.why && l->guards.n) {
		/* By chunk: each lane checks the iterations it takes (libdae's
		 * dae_range_program.apart). */
		const struct guard_chunk chunk = {c.iv, ir_span_text(a, p->unit, lo->span)};
		const char *err = NULL;
		l->check = guard_emit_pairs(a, p, &l->guards, "lanes_overlap",
		                            "may be a row another lane writes:", &chunk, &err);
		if (!l->check)
			refuse(&c, "rows read and rows written may overlap and cannot be bounded");
	}
	if (c.why) {
		p->lanes_note = arena_printf(a, "one lane: %s", c.why);
		return 0;
	}
	l->loop = n;
	l->iv = c.iv;
	l->lo = ir_span_text(a, p->unit, lo->span);
	l->trip = trip;
	l->how = l->guards.n ? "rows written checked against rows read at run time"
	                     : "each iteration writes only its own rows";
	p->lanes = l;
	p->lanes_note = arena_printf(a, "lanes: %s", l->how);
	return 1;
}

/* Bufferisation (-O3), Ember's bufferise step: after queue alignment a bag
 * arrives as one segment token and a run of lookups, and the user's code adds
 * each looked-up row into the output row element by element:
 *
 *     for (d = 0; d < dim; d++)
 *             out[b * dim + d] += table[idx * dim + d];
 *
 * which loads, adds and stores the output row once per lookup. Once a chunk
 * of the segment's lookups has been popped, the two loops can be swapped:
 * a block of columns of the output row stays in registers while every
 * lookup of the chunk is added to it, in bag order. Each column then sees the
 * same additions in the same order, so the result is bit-identical, provided
 * nothing the chunk reads lies in the row it writes; the execute side checks
 * that for every lookup (an address comparison) and runs the chunk as written
 * when it does not hold.
 *
 * The callback qualifies when its statements are declarations with pure
 * initialisers, ifs on pure conditions, blocks, and column loops
 * "for (d = lo; d < hi; d++) W[X + d] op= E;" (op is + or -), where:
 *  - every column loop has the same d, lo, hi and written element W[X + d];
 *  - lo, hi and X do not change during the segment (no per-lookup value);
 *  - W's elements are float or double, and E is made of + - * / and
 *    parentheses over rows R[Y + d] and scalars (no d), all of W's type,
 *    so that E is the same arithmetic on a vector of columns;
 *  - d is assigned by the loop's header and counts with a test whose trip
 *    count is exact (slc_trip_kind).
 * Memory read outside the column loops (a weight vals[e]) is checked like
 * the rows. Rows sent by value use the queue's row slots per lookup and are
 * left alone, as are callbacks of -O1 strips. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct buf_ctx {
	struct slc_program *p;
	struct slc_callback *cb;
	struct slc_buffer *b;
	struct arena *a;
	const char *why; /* the first reason the callback does not qualify */
	struct ir_var *iv; /* the column loop being looked at */
};

static void refuse(struct buf_ctx *c, const char *why)
{
	if (!c->why)
		c->why = why;
}

static int hoisted(const struct buf_ctx *c, const struct ir_expr *e)
{
	for (int i = 0; i < c->cb->ops.n; i++)
		if (((const struct slc_operand *)c->cb->ops.v[i])->load == e)
			return 1;
	return 0;
}

static int column_var(const struct buf_ctx *c, const struct ir_var *v)
{
	return v == c->iv || ptrvec_contains(&c->b->ivs, v);
}

/* A variable the callback changes from one lookup to the next. */
static int per_lookup(const struct buf_ctx *c, const struct ir_var *v)
{
	if (column_var(c, v) || ptrvec_contains(&c->b->locals, v))
		return 1;
	for (int i = 0; i < c->cb->ops.n; i++)
		if (((const struct slc_operand *)c->cb->ops.v[i])->var == v)
			return 1;
	return 0;
}

enum { PURE_READS = 1, PURE_INVARIANT = 2 };

struct pure_walk {
	struct buf_ctx *c;
	unsigned how;
	struct ptrvec *reads; /* PURE_READS: memory read (not hoisted) is collected here */
	int ok;
	int mentions_iv;
};

static void pure_node(struct ir_expr *e, void *arg)
{
	struct pure_walk *w = arg;
	struct buf_ctx *c = w->c;
	if (e->kind == IR_E_VAR) {
		if (column_var(c, e->var))
			w->mentions_iv = 1;
		if (e->var->kind == IR_VAR_GLOBAL || (e->var->flags & IR_VAR_STATIC))
			w->ok = 0;
		if ((w->how & PURE_INVARIANT) && per_lookup(c, e->var))
			w->ok = 0;
	}
	if (e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN || e->kind == IR_E_INCDEC ||
	    e->kind == IR_E_OTHER)
		w->ok = 0;
	/* Integer division can trap; the vector path may run a statement more
	 * or fewer times than the original. */
	if (e->kind == IR_E_BINARY && (e->op == IR_OP_DIV || e->op == IR_OP_REM) && e->type &&
	    e->type->cls != IR_T_FLOAT && e->type->cls != IR_T_DOUBLE)
		w->ok = 0;
	/* A variably modified type would make the helper's parameters depend
	 * on one another; volatile must be read exactly as often as written. */
	if (e->type && (e->type->flags & (IR_TYPE_VOLATILE | IR_TYPE_VLA)))
		w->ok = 0;
	if (ir_is_memory(e) && !hoisted(c, e)) {
		if ((w->how & PURE_INVARIANT) || !(w->how & PURE_READS) || e->kind != IR_E_INDEX ||
		    e->access != IR_ACC_READ)
			w->ok = 0;
		else if (!ptrvec_contains(w->reads, e))
			ptrvec_push(c->a, w->reads, e);
	}
}

/* Whether e has no effect but its value; with PURE_INVARIANT also the same
 * for every lookup of a segment. Sets *iv when it mentions d. */
static int pure(struct buf_ctx *c, struct ir_expr *e, unsigned how, struct ptrvec *reads, int *iv)
{
	struct pure_walk w = {c, how, reads, 1, 0};
	if (e)
		ir_expr_walk(e, pure_node, &w);
	if (iv)
		*iv = w.mentions_iv;
	return w.ok;
}

static int is_iv(const struct buf_ctx *c, struct ir_expr *e)
{
	e = ir_unparen(e);
	return e && e->kind == IR_E_VAR && column_var(c, e->var);
}

/* An index "X + d", "d + X" or "d" with X free of d: the element walks the
 * row with the columns. *x gets X (NULL for "d"). */
static int row_index(struct buf_ctx *c, struct ir_expr *ix, struct ir_expr **x)
{
	ix = ir_unparen(ix);
	*x = NULL;
	if (is_iv(c, ix))
		return 1;
	if (!ix || ix->kind != IR_E_BINARY || ix->op != IR_OP_ADD)
		return 0;
	struct ir_expr *other = is_iv(c, ix->a) ? ix->b : is_iv(c, ix->b) ? ix->a : NULL;
	int iv = 1;
	if (!other || !pure(c, other, 0, NULL, &iv) || iv)
		return 0;
	*x = other;
	return 1;
}

static int same_class(const struct ir_type *t, const struct ir_type *elem)
{
	return t && t->cls == elem->cls;
}

/* E: + - * / and parentheses over rows R[Y + d] and scalars, all of W's type. */
static int column_expr(struct buf_ctx *c, struct ir_expr *e)
{
	const struct ir_type *elem = c->b->elem;
	if (!e || !same_class(e->type, elem))
		return 0;
	switch (e->kind) {
	case IR_E_PAREN:
		return column_expr(c, e->a);
	case IR_E_BINARY:
		if (e->op != IR_OP_ADD && e->op != IR_OP_SUB && e->op != IR_OP_MUL &&
		    e->op != IR_OP_DIV)
			break;
		return column_expr(c, e->a) && column_expr(c, e->b);
	case IR_E_UNARY:
		if (e->op != IR_OP_NEG && e->op != IR_OP_PLUS)
			break;
		return column_expr(c, e->a);
	default:
		break;
	}
	int iv = 0;
	if (!pure(c, e, PURE_READS, &c->b->scalars, &iv))
		return 0;
	if (!iv)
		return 1; /* a scalar: the same for every column */
	/* A row element: R[Y + d], R a variable. */
	struct ir_expr *base = e->kind == IR_E_INDEX ? ir_unparen(e->a) : NULL, *y;
	if (!base || base->kind != IR_E_VAR || e->access != IR_ACC_READ || hoisted(c, e) ||
	    !row_index(c, e->b, &y))
		return 0;
	/* pure() took it for a scalar read: it is a row. */
	for (int i = 0; i < c->b->scalars.n; i++)
		if (c->b->scalars.v[i] == e) {
			c->b->scalars.v[i] = c->b->scalars.v[--c->b->scalars.n];
			break;
		}
	ptrvec_push(c->a, &c->b->reads, e);
	return 1;
}

static char *text(struct buf_ctx *c, struct ir_expr *e)
{
	return ir_span_text(c->a, c->p->unit, e->span);
}

/* "for (d = lo; d < hi; d++) W[X + d] op= E;", the same d, lo, hi and W[X + d]
 * as the first such loop of the callback. */
static void column_loop(struct buf_ctx *c, struct ir_stmt *s)
{
	struct slc_buffer *b = c->b;
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *iv = ir_counted_for(s, &lo, &hi, &incl);
	if (!iv || incl) {
		refuse(c, "a loop of the callback is not \"for (d = lo; d < hi; d++)\"");
		return;
	}
	int declared = s->init->kind == IR_S_DECL;
	if (b->iv && (declared != b->declared ||
	              (declared ? strcmp(slc_exec_name(c->p, iv), slc_exec_name(c->p, b->iv)) ||
	                                  strcmp(iv->type->canonical, b->iv->type->canonical)
	                        : iv != b->iv))) {
		refuse(c, "the column loops count with different variables");
		return;
	}
	c->iv = iv;
	if (!ptrvec_contains(&b->ivs, iv))
		ptrvec_push(c->a, &b->ivs, iv);
	if (slc_trip_kind(iv->type, hi->type) == SLC_TRIP_NONE) {
		refuse(c, "the column loop's test mixes signed and unsigned");
		return;
	}
	struct ir_stmt *body = s->body;
	if (body->kind == IR_S_BLOCK && body->nkids == 1)
		body = body->kids[0];
	struct ir_expr *x = body->kind == IR_S_EXPR ? ir_unparen(body->expr) : NULL;
	if (!x || x->kind != IR_E_ASSIGN || (x->op != IR_OP_ADD && x->op != IR_OP_SUB) || !x->a ||
	    x->a->kind != IR_E_INDEX) {
		refuse(c, "a column loop's body is not one \"W[X + d] += E;\"");
		return;
	}
	struct ir_expr *w = x->a;
	if (!b->iv) {
		b->iv = iv;
		b->declared = declared;
		b->first = s;
		b->lo = lo;
		b->hi = hi;
		b->write = w;
		b->elem = w->type;
	} else if (strcmp(text(c, lo), text(c, b->lo)) || strcmp(text(c, hi), text(c, b->hi)) ||
	           strcmp(text(c, w), text(c, b->write))) {
		refuse(c, "the column loops differ in their bounds or in the element they add to");
		return;
	}
	if (!b->elem || (b->elem->cls != IR_T_FLOAT && b->elem->cls != IR_T_DOUBLE) ||
	    (b->elem->flags & IR_TYPE_VOLATILE)) {
		refuse(c, "the element added to is not a float or a double");
		return;
	}
	b->vector = (int)(64 / b->elem->size);
	struct ir_expr *base = ir_unparen(w->a), *wx;
	if (!base || base->kind != IR_E_VAR || !row_index(c, w->b, &wx) ||
	    !pure(c, lo, PURE_INVARIANT, NULL, NULL) || !pure(c, hi, PURE_INVARIANT, NULL, NULL) ||
	    !pure(c, base, PURE_INVARIANT, NULL, NULL) ||
	    (wx && !pure(c, wx, PURE_INVARIANT, NULL, NULL))) {
		refuse(c, "the row added to, or the columns, change from one lookup to the next");
		return;
	}
	if (!column_expr(c, x->b)) {
		refuse(c, "the value added is not + - * / over rows and scalars of the "
		          "element's type");
		return;
	}
	ptrvec_push(c->a, &b->loops, s);
}

static void callback_stmt(struct buf_ctx *c, struct ir_stmt *s)
{
	switch (s->kind) {
	case IR_S_DECL:
		for (int k = 0; k < s->nvars; k++) {
			ptrvec_push(c->a, &c->b->locals, s->vars[k]);
			int iv = 0;
			if (s->inits[k] &&
			    (!pure(c, s->inits[k], PURE_READS, &c->b->scalars, &iv) || iv))
				refuse(c, "a declaration of the callback has an effect");
		}
		return;
	case IR_S_IF: {
		int iv = 0;
		if (!pure(c, s->expr, 0, NULL, &iv) || iv)
			refuse(c, "a condition of the callback reads memory or has an effect");
		callback_stmt(c, s->then_s);
		if (s->else_s)
			callback_stmt(c, s->else_s);
		return;
	}
	case IR_S_BLOCK:
		for (int k = 0; k < s->nkids; k++)
			callback_stmt(c, s->kids[k]);
		return;
	case IR_S_FOR:
		column_loop(c, s);
		return;
	case IR_S_NULL:
		return;
	default:
		refuse(c, "the callback has statements other than declarations, ifs and column "
		          "loops");
	}
}

/* Sets cb->buf when the callback qualifies; otherwise returns why not. */
static const char *bufferise_callback(struct arena *a, struct slc_program *p,
                                      struct slc_callback *cb)
{
	if (cb->vec || cb->fence || cb->ret || cb->local_loads.n)
		return "the lookup's callback is a strip, a fence or returns";
	for (int i = 0; i < cb->pfs.n; i++)
		if (((const struct slc_prefetch *)cb->pfs.v[i])->data)
			return "rows travel by value";
	struct buf_ctx c = {p, cb, ARENA_NEW(a, struct slc_buffer), a, NULL, NULL};
	for (int i = 0; i < cb->stmts.n && !c.why; i++)
		callback_stmt(&c, cb->stmts.v[i]);
	if (!c.why && !c.b->loops.n)
		c.why = "the lookup's callback has no loop over columns";
	if (!c.why && !c.b->declared && ptrvec_contains(&c.b->locals, c.b->iv))
		c.why = "the column variable is declared in the callback";
	if (c.why)
		return c.why;
	cb->buf = c.b;
	return NULL;
}

static void find_segments(struct arena *a, struct slc_program *p, const struct ptrvec *nodes,
                          int *n, const char **why)
{
	for (int i = 0; i < nodes->n; i++) {
		struct slc_node *node = nodes->v[i];
		if (node->kind == SLC_LOOP && node->align && node->align->inner &&
		    node->align->iter) {
			const char *w = bufferise_callback(a, p, node->align->iter);
			if (w && !*why)
				*why = w;
			*n += !w;
		}
		find_segments(a, p, &node->body, n, why);
		find_segments(a, p, &node->else_body, n, why);
	}
}

int slc_bufferise(struct arena *a, struct slc_program *p)
{
	int n = 0;
	const char *why = NULL;
	find_segments(a, p, &p->top, &n, &why);
	if (n)
		p->buffer_note = arena_printf(
		        a,
		        "bufferised: up to DAE_BUFFER_ROWS lookups summed a block of columns at a "
		        "time in registers");
	else if (why)
		p->buffer_note = arena_printf(a, "not bufferised: %s", why);
	return n;
}

/* Queue alignment, Ember's last optimisation (-O3): the execute side keeps
 * the induction variables it can reconstruct instead of receiving them, and
 * a lookup loop whose trip count is known when it starts is sent as one
 * token per segment carrying the count, instead of one token per lookup.
 *
 * An induction variable can be kept when its loop runs at most once (it is
 * at the top of the function), counts up by one from a value the execute
 * side can compute (constants and parameters nobody assigns), and opens every
 * iteration with a callback before anything could skip it: the execute side
 * then advances its own copy at that callback. No callback outside the loop
 * may read the variable, since the two copies differ once the loop ends. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct params {
	struct arena *a;
	struct ptrvec *out;
};

static void collect_params(struct ir_expr *e, void *arg)
{
	struct params *ps = arg;
	if (e->kind == IR_E_VAR && e->var->kind == IR_VAR_PARAM &&
	    !ptrvec_contains(ps->out, e->var))
		ptrvec_push(ps->a, ps->out, e->var);
}

static int uses_var(const struct slc_callback *cb, const struct ir_var *v)
{
	for (int i = 0; i < cb->ops.n; i++)
		if (((const struct slc_operand *)cb->ops.v[i])->var == v)
			return 1;
	return 0;
}

static void collect_callbacks(const struct ptrvec *nodes, struct ptrvec *out, struct arena *a)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->cb)
			ptrvec_push(a, out, n->cb);
		collect_callbacks(&n->body, out, a);
		collect_callbacks(&n->else_body, out, a);
	}
}

static void drop_operand(struct slc_callback *cb, const struct ir_var *v)
{
	int k = 0;
	for (int i = 0; i < cb->ops.n; i++) {
		struct slc_operand *o = cb->ops.v[i];
		if (o->var != v)
			cb->ops.v[k++] = o;
	}
	cb->ops.n = k;
}

/* The first node of an iteration that is not an access statement. */
static struct slc_node *first_non_access(const struct ptrvec *body, int *index)
{
	for (int i = 0; i < body->n; i++) {
		struct slc_node *n = body->v[i];
		if (n->kind != SLC_ACCESS) {
			*index = i;
			return n;
		}
	}
	return NULL;
}

static int only_access_then(const struct ptrvec *body, enum slc_node_kind last)
{
	if (!body->n || ((struct slc_node *)body->v[body->n - 1])->kind != last)
		return 0;
	for (int i = 0; i + 1 < body->n; i++)
		if (((struct slc_node *)body->v[i])->kind != SLC_ACCESS)
			return 0;
	return 1;
}

static int align_loop(struct arena *a, struct slc_program *p, struct slc_node *n)
{
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *iv = ir_counted_for(n->stmt, &lo, &hi, &incl);
	if (!iv || !slc_invariant(lo) || lo->in_macro)
		return 0;
	int at;
	struct slc_node *head = first_non_access(&n->body, &at);
	if (!head || head->kind != SLC_CALLBACK)
		return 0;
	/* Callbacks after the loop would see a different value of iv. */
	struct ptrvec inside = {0}, all = {0};
	collect_callbacks(&n->body, &inside, a);
	collect_callbacks(&p->top, &all, a);
	for (int i = 0; i < all.n; i++)
		if (!ptrvec_contains(&inside, all.v[i]) && uses_var(all.v[i], iv))
			return 0;

	/* The execute side computes the first value from parameters it must read. */
	struct params ps = {a, &p->execute_vars};
	ir_expr_walk(lo, collect_params, &ps);

	struct slc_align *al = ARENA_NEW(a, struct slc_align);
	al->iv = iv;
	al->iv_init = ir_span_text(a, p->unit, lo->span);
	al->head = head->cb;
	/* Only a copy the execute side reads needs keeping. */
	if (ptrvec_contains(&p->exec_received, iv))
		head->cb->advances = al;
	for (int i = 0; i < inside.n; i++)
		drop_operand(inside.v[i], iv);
	n->align = al;

	/* Segment fusion: [access...] head inner [end]. */
	int rest = n->body.n - at - 1;
	if (rest < 1 || rest > 2)
		return 1;
	struct slc_node *inner = n->body.v[at + 1];
	struct slc_node *end = rest == 2 ? n->body.v[at + 2] : NULL;
	if (inner->kind != SLC_LOOP || (end && end->kind != SLC_CALLBACK))
		return 1;
	if (!only_access_then(&inner->body, SLC_CALLBACK))
		return 1;
	const char *count = slc_trip_text(a, p->unit, inner->stmt);
	if (!count)
		return 1;
	al->inner = inner;
	al->iter = ((struct slc_node *)inner->body.v[inner->body.n - 1])->cb;
	al->end = end ? end->cb : NULL;
	al->count = count;
	al->head->fused = al;
	al->iter->fused = al;
	if (al->end)
		al->end->fused = al;
	return 1;
}

int slc_align(struct arena *a, struct slc_program *p)
{
	int n = 0;
	/* Only loops that run at most once: those at the top of the function. */
	for (int i = 0; i < p->top.n; i++) {
		struct slc_node *x = p->top.v[i];
		if (x->kind == SLC_LOOP)
			n += align_loop(a, p, x);
	}
	slc_settle_params(a, p->func, &p->execute_vars);
	return n;
}

/* Vectorisation, Ember's first optimisation (-O1): under data marshalling
 * (-O0) every row element is loaded by the access side and sent with its own
 * token. Here an access loop that only sends elements, one callback per
 * iteration, is walked in strips of up to W iterations instead: one token
 * per strip carries the strip's length, each row element the callback reads
 * at the loop's variable travels as one vector of the strip's elements
 * (read by the access side in one go, as a hardware access unit's vector
 * load would), and the other operands travel once per strip.
 *
 * A loop qualifies when it is "for (iv = lo; iv < hi; iv++)" with iv and hi
 * both signed, or both unsigned of one size (so the strip length, computed
 * in unsigned arithmetic, is exactly what the loop's own test gives), its
 * body is the one callback, and every operand of the callback is either iv,
 * a value the iteration does not change, or a load base[x + iv] whose base
 * and x the iteration does not change. The last strip is shorter: the tail
 * is peeled by the length, never read past. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct uses {
	const struct ir_stmt *loop;
	const struct ir_var *iv;
	int iv_seen; /* the expression reads iv */
	int varies; /* ... or something else an iteration may change */
};

static void scan_use(struct ir_expr *e, void *arg)
{
	struct uses *u = arg;
	if (e->kind == IR_E_VAR) {
		if (e->var == u->iv)
			u->iv_seen = 1;
		else if (ir_var_defined_in(e->var, u->loop->body))
			u->varies = 1;
	}
	if (e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN || e->kind == IR_E_INCDEC ||
	    e->kind == IR_E_OTHER)
		u->varies = 1;
}

static struct uses uses_of(struct ir_expr *e, const struct ir_stmt *loop, const struct ir_var *iv)
{
	struct uses u = {loop, iv, 0, 0};
	if (e)
		ir_expr_walk(e, scan_use, &u);
	return u;
}

static struct ir_expr *bare(struct ir_expr *e)
{
	while (e && e->kind == IR_E_PAREN)
		e = e->a;
	return e;
}

/* base[iv], base[x + iv] or base[iv + x], base and x free of iv. */
static int strided_by_iv(struct ir_expr *m, const struct ir_stmt *loop, const struct ir_var *iv)
{
	if (m->kind != IR_E_INDEX || m->in_macro)
		return 0;
	struct uses b = uses_of(m->a, loop, iv);
	if (b.iv_seen || b.varies)
		return 0;
	struct ir_expr *i = bare(m->b), *x = NULL;
	if (!i)
		return 0;
	if (i->kind == IR_E_VAR && i->var == iv)
		return 1;
	if (i->kind != IR_E_BINARY || i->op != IR_OP_ADD)
		return 0;
	struct ir_expr *l = bare(i->a), *r = bare(i->b);
	if (r && r->kind == IR_E_VAR && r->var == iv)
		x = i->a;
	else if (l && l->kind == IR_E_VAR && l->var == iv)
		x = i->b;
	if (!x)
		return 0;
	struct uses xu = uses_of(x, loop, iv);
	return !xu.iv_seen && !xu.varies;
}

static int scalar_size(const struct ir_type *t)
{
	if (!t || t->size < 1 || t->size > 8 || !t->unqual)
		return 0;
	switch (t->cls) {
	case IR_T_BOOL:
	case IR_T_SINT:
	case IR_T_UINT:
	case IR_T_ENUM:
	case IR_T_FLOAT:
	case IR_T_DOUBLE:
	case IR_T_PTR:
		return (int)t->size;
	default:
		return 0;
	}
}

/* Iterations left from iv to hi, as the loop's own test counts them. */
static const char *strip_count(struct arena *a, const struct ir_unit *u, struct ir_stmt *loop,
                               struct ir_var *iv, struct ir_expr *hi)
{
	enum slc_trip kind = slc_trip_kind(iv->type, hi->type);
	if (kind == SLC_TRIP_NONE || hi->in_macro)
		return NULL;
	/* The test reads the bound at every iteration: it must not change. */
	struct uses b = uses_of(hi, loop, iv);
	if (b.iv_seen || b.varies)
		return NULL;
	char *h = ir_span_text(a, u, hi->span);
	if (!h || strchr(h, '\n'))
		return NULL;
	return arena_printf(a, "%s(%s, %s)",
	                    kind == SLC_TRIP_UNSIGNED ? "dae_trip_count_u" : "dae_trip_count",
	                    iv->name, h);
}

static int vectorise_loop(struct arena *a, struct slc_program *p, struct slc_node *n,
                          int vector_bytes)
{
	if (n->stmt->kind != IR_S_FOR || n->align || n->body.n != 1)
		return 0;
	struct slc_node *only = n->body.v[0];
	struct slc_callback *cb = only->kind == SLC_CALLBACK ? only->cb : NULL;
	if (!cb || cb->event != SLC_EV_ITER || cb->fence || cb->fused || cb->advances ||
	    cb->pfs.n || cb->ret)
		return 0;
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *iv = ir_counted_for(n->stmt, &lo, &hi, &incl);
	/* "<=" could run to the type's last value, where iv++ would wrap in
	 * the original but a strip would not. */
	if (!iv || incl)
		return 0;
	const char *count = strip_count(a, p->unit, n->stmt, iv, hi);
	if (!count)
		return 0;
	int widest = 0, nvec = 0;
	for (int i = 0; i < cb->ops.n; i++) {
		struct slc_operand *o = cb->ops.v[i];
		if (o->var) {
			if (o->var != iv && ir_var_defined_in(o->var, n->stmt->body))
				return 0;
			continue;
		}
		if (o->cond)
			return 0;
		struct uses u = uses_of(o->load, n->stmt, iv);
		if (!u.iv_seen && !u.varies)
			continue; /* the same value all strip long: sent once */
		int size = scalar_size(o->load->type);
		if (!size || !strided_by_iv(o->load, n->stmt, iv))
			return 0;
		widest = size > widest ? size : widest;
		nvec++;
	}
	/* A loop that reads no element through iv (out[b * dim + d] = 0) still
	 * sends one token per strip instead of one per element. */
	if (!nvec)
		widest = 4;
	for (int i = 0; i < cb->ops.n; i++) {
		struct slc_operand *o = cb->ops.v[i];
		if (!o->load)
			continue;
		struct uses u = uses_of(o->load, n->stmt, iv);
		if (u.iv_seen || u.varies) {
			o->vector = 1;
			o->etype = o->load->type->unqual;
		}
	}
	struct slc_vector *v = ARENA_NEW(a, struct slc_vector);
	v->iv = iv;
	v->width = vector_bytes / widest > 0 ? vector_bytes / widest : 1;
	v->count = count;
	v->hi = hi;
	v->n_name = arena_printf(a, "dae_n%d", cb->id);
	v->cb = cb;
	n->vec = v;
	cb->vec = v;
	return 1;
}

static int walk(struct arena *a, struct slc_program *p, struct ptrvec *nodes, int vector_bytes)
{
	int k = 0;
	for (int i = 0; i < nodes->n; i++) {
		struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_LOOP && vectorise_loop(a, p, n, vector_bytes)) {
			k++;
			continue;
		}
		k += walk(a, p, &n->body, vector_bytes);
		k += walk(a, p, &n->else_body, vector_bytes);
	}
	return k;
}

int slc_vectorise(struct arena *a, struct slc_program *p, int vector_bytes)
{
	if (!p->marshal_data || vector_bytes < 1)
		return 0;
	return walk(a, p, &p->top, vector_bytes);
}

/* Fusion of the lanes (-O3, after slc_lanes): on a CPU whose every core
 * runs a lane, the queue between a lane's access and execute sides costs
 * more than the split gains (bench/sidebyside/README.md, "Fused lanes": on
 * the 1 GiB embedding bag the lanes of pairs reached 79% of the gather
 * limit, fused lanes 86-88%).
 * A fused lane runs its chunk as one loop: NAME__walk walks an iteration
 * ahead as the access side does, sending nothing and finding where the
 * segment's index elements lie, NAME__row prefetches one lookup's row at
 * the lane's pace (include/dae/lane.h), and NAME__direct runs the
 * iteration as written, except that the bufferised segment's lookups are
 * summed by its helper straight from the index array, with no copy:
 *
 *     for (d = 0; d < dim; d++)                 NAME__rows1_set(dim, out, b,
 *             out[b * dim + d] = 0.0f;   =>         table, &indices[j], m);
 *     for (j = offsets[b]; ...; j++) {
 *             int64_t idx = indices[j];
 *             for (d = 0; d < dim; d++)
 *                     out[b * dim + d] += table[idx * dim + d];
 *     }
 *
 * The helper's sums start from the value the loop just before the segment
 * stores in the same row (the zeroing, folded away), so the row is written
 * once per bag. Every column still adds its rows in bag order, starting
 * from the same value, so every bit is the user's.
 *
 * A program qualifies when:
 *  - it has lanes, rows by reference, no renamed variable, no fence, no
 *    return: the lanes' proof (lanes.c) already says any chunk of
 *    iterations may run alone, and the execute side's writes never touch
 *    what the access side reads (decouple), so reading indices ahead is
 *    what the pair does too;
 *  - the lanes loop's body is a block with the segment loop as one of its
 *    statements, and that segment's lookup is "T v = A[j];" (A's elements
 *    of type T, j the segment's counter) and its bufferised callback: the
 *    index array is then the buffer;
 *  - no variable of the loop is static or an array declared outside it:
 *    the direct function declares the outer locals afresh, which the lanes'
 *    proof allows (each is assigned before it is read in every iteration).
 * The zeroing is folded only when it is the statement right before the
 * segment, in the head callback, walks the same columns as the segment's
 * column loops (same d, bounds and step as written) and stores one
 * constant in the element they add to. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct fuse_ctx {
	struct slc_program *p;
	const char *why;
};

static void refuse(struct fuse_ctx *c, const char *why)
{
	if (!c->why)
		c->why = why;
}

/* A return or a fence anywhere under the nodes: the access side would stop
 * or wait, which a prefetch walk cannot. */
static void check_nodes(struct fuse_ctx *c, const struct ptrvec *nodes)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_RETURN)
			refuse(c, "the loop returns");
		if (n->cb && n->cb->fence)
			refuse(c, "a callback writes what the access side reads (fence)");
		if (n->vec)
			refuse(c, "a loop is vectorised");
		check_nodes(c, &n->body);
		check_nodes(c, &n->else_body);
	}
}

struct var_ctx {
	struct fuse_ctx *c;
	struct ir_stmt *loop;
	const struct ir_var *iv;
};

/* The direct function declares the loop's outer locals afresh: each must
 * be a scalar the iteration assigns before reading it (lanes.c proved the
 * order for those assigned in the loop; one only read would carry a value
 * in from before the loop). */
static void check_var(struct ir_expr *e, void *arg)
{
	struct var_ctx *v = arg;
	if (e->kind != IR_E_VAR)
		return;
	if (e->var->flags & IR_VAR_STATIC)
		refuse(v->c, "a static local");
	if (e->var->kind != IR_VAR_LOCAL || ir_var_declared_in(e->var, v->loop) || e->var == v->iv)
		return;
	if (!e->var->type || e->var->type->cls == IR_T_ARRAY || e->var->type->cls == IR_T_STRUCT ||
	    (e->var->type->flags & IR_TYPE_VLA))
		refuse(v->c, "an array or struct declared outside the loop");
	if (!ir_var_defined_in(e->var, v->loop->body))
		refuse(v->c, "a local from before the loop is read in it");
}

static void check_stmt_vars(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, check_var, arg);
}

/* The segment's lookup: "T v = A[j];" then the callback. Returns A[j]. */
static struct ir_expr *lookup_load(struct fuse_ctx *c, const struct slc_node *seg,
                                   const struct slc_callback *cb)
{
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *j = ir_counted_for(seg->stmt, &lo, &hi, &incl);
	if (!j || incl || seg->body.n != 2 || cb->ops.n != 1)
		goto refused;
	const struct slc_node *acc = seg->body.v[0], *call = seg->body.v[1];
	const struct slc_operand *o = cb->ops.v[0];
	if (acc->kind != SLC_ACCESS || acc->text || call->kind != SLC_CALLBACK || call->cb != cb ||
	    acc->stmt->kind != IR_S_DECL || acc->stmt->nvars != 1 || !o->var ||
	    acc->stmt->vars[0] != o->var || !acc->stmt->inits[0])
		goto refused;
	struct ir_expr *ld = ir_unparen(acc->stmt->inits[0]);
	struct ir_expr *ix = ld->kind == IR_E_INDEX ? ir_unparen(ld->b) : NULL;
	const struct ir_type *base = ld->kind == IR_E_INDEX && ld->a->type ? ld->a->type : NULL;
	if (!ix || ix->kind != IR_E_VAR || ix->var != j || ld->in_macro || !base ||
	    (base->cls != IR_T_PTR && base->cls != IR_T_ARRAY) || !base->elem || !o->var->type ||
	    !base->elem->canonical || !o->var->type->canonical ||
	    strcmp(base->elem->canonical, o->var->type->canonical))
		goto refused;
	return ld;
refused:
	refuse(c, "the segment's lookup is not one index load");
	return NULL;
}

/* "for (d = lo; d < hi; d++) W = C;" over b's columns, storing in b's row. */
static struct ir_stmt *zeroing(struct fuse_ctx *c, struct ir_stmt *s, const struct slc_buffer *b,
                               struct ir_expr **value)
{
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *d = s && s->kind == IR_S_FOR ? ir_counted_for(s, &lo, &hi, &incl) : NULL;
	if (!d || incl || d != b->iv || !s->expr || s->expr->in_macro ||
	    !ir_same_text(c->p->unit, lo, b->lo) || !ir_same_text(c->p->unit, hi, b->hi) ||
	    !ir_same_text(c->p->unit, s->inc, b->first->inc) ||
	    (s->init && s->init->kind == IR_S_DECL) !=
	            (b->first->init && b->first->init->kind == IR_S_DECL))
		return NULL;
	struct ir_stmt *body = s->body;
	if (body->kind == IR_S_BLOCK && body->nkids == 1)
		body = body->kids[0];
	if (body->kind != IR_S_EXPR)
		return NULL;
	struct ir_expr *asg = ir_unparen(body->expr);
	if (asg->kind != IR_E_ASSIGN || asg->op != IR_OP_NONE || asg->in_macro ||
	    ir_unparen(asg->b)->kind != IR_E_CONST || !ir_same_text(c->p->unit, asg->a, b->write))
		return NULL;
	*value = asg->b;
	return s;
}

int slc_fuse(struct arena *a, struct slc_program *p)
{
	struct fuse_ctx c = {p, NULL};
	struct slc_lanes *l = p->lanes;
	if (!l)
		return 0;
	const struct slc_node *L = l->loop;
	const struct slc_align *al = L->align;
	const struct slc_node *seg = al ? al->inner : NULL;
	struct slc_callback *cb = al ? al->iter : NULL;
	if (!cb || !cb->buf)
		refuse(&c, "no bufferised segment in the lanes loop");
	if (p->marshal_data || p->marshal_rows)
		refuse(&c, "rows travel as data");
	if (p->renames.n)
		refuse(&c, "a variable is renamed on the execute side");
	check_nodes(&c, &p->top);
	struct ir_stmt *block = L->stmt->kind == IR_S_FOR ? L->stmt->body : NULL;
	int at = -1;
	for (int i = 0; block && block->kind == IR_S_BLOCK && seg && i < block->nkids; i++)
		if (block->kids[i] == seg->stmt)
			at = i;
	if (at < 0)
		refuse(&c, "the segment is not a statement of the loop's body block");
	struct ir_expr *load = c.why ? NULL : lookup_load(&c, seg, cb);
	for (int i = 1; at >= 0 && i < block->nkids; i++)
		if (block->kids[i]->span.begin < block->kids[i - 1]->span.end)
			refuse(&c, "statements of the loop's body share a macro expansion");
	if (at >= 0 && (!seg->stmt->expr || seg->stmt->expr->in_macro))
		refuse(&c, "the segment's loop header is a macro's");
	struct var_ctx vc = {&c, L->stmt, l->iv};
	ir_stmt_walk(L->stmt, check_stmt_vars, &vc);
	if (c.why) {
		l->fused_note = arena_printf(a, "not fused: %s", c.why);
		/* Worth a word in the remark only where a bufferised segment
		 * could have been. */
		if (cb && cb->buf)
			p->lanes_note = arena_printf(a, "%s; %s", p->lanes_note, l->fused_note);
		return 0;
	}
	struct slc_fused *f = ARENA_NEW(a, struct slc_fused);
	f->seg = seg;
	f->cb = cb;
	f->block = block;
	f->load = load;
	if (at > 0 && ptrvec_contains(&al->head->stmts, block->kids[at - 1]))
		f->zero = zeroing(&c, block->kids[at - 1], cb->buf, &f->zero_value);
	l->fused = f;
	l->fused_note = f->zero ? "fused (no queue), the row's first value folded into the sums"
	                        : "fused (no queue)";
	p->lanes_note = arena_printf(a, "%s; %s", p->lanes_note, l->fused_note);
	return 1;
}

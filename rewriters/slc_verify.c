/* Invariants of a lookup-compute program, checked before it is lowered:
 * callbacks are numbered densely in the order they appear in the skeleton,
 * each appears exactly once, and every operand has a name and a type. */
#include "slc.h"

struct seen {
	const struct slc_program *p;
	unsigned char *mark;
	int next;
	const char *msg;
};

static void walk(struct seen *s, const struct ptrvec *nodes)
{
	for (int i = 0; i < nodes->n && !s->msg; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_CALLBACK && !n->cb) {
			s->msg = "callback node without a callback";
			return;
		}
		if (n->cb) {
			if (n->cb->id < 1 || n->cb->id > s->p->callbacks.n) {
				s->msg = "callback id out of range";
				return;
			}
			if (s->mark[n->cb->id - 1]++) {
				s->msg = "callback appears twice in the skeleton";
				return;
			}
			if (n->cb->id != ++s->next) {
				s->msg = "callbacks are not numbered in skeleton order";
				return;
			}
			if (n->kind == SLC_CALLBACK && !n->cb->stmts.n) {
				s->msg = "empty callback";
				return;
			}
			for (int k = 0; k < n->cb->ops.n; k++) {
				const struct slc_operand *o = n->cb->ops.v[k];
				if (!o->name || !o->ctype || (!o->var == !o->load)) {
					s->msg = "malformed operand";
					return;
				}
			}
		}
		if ((n->kind == SLC_LOOP || n->kind == SLC_IF || n->kind == SLC_ACCESS ||
		     n->kind == SLC_RETURN || n->kind == SLC_JUMP || n->kind == SLC_BLOCK) &&
		    !n->stmt) {
			s->msg = "skeleton node without its statement";
			return;
		}
		if (n->vec && (n->kind != SLC_LOOP || n->body.n != 1 ||
		               ((const struct slc_node *)n->body.v[0])->cb != n->vec->cb ||
		               n->vec->cb->vec != n->vec || n->vec->width < 1)) {
			s->msg = "a vectorised loop is not one strip callback";
			return;
		}
		if (n->cb && n->cb->buf &&
		    (!n->cb->fused || n->cb->fused->iter != n->cb || !n->cb->buf->loops.n ||
		     n->cb->vec)) {
			s->msg = "a bufferised callback is not the lookup of a fused segment";
			return;
		}
		if (n->cb && n->cb->vec && n->cb->fused) {
			s->msg = "a strip callback is also part of a fused segment";
			return;
		}
		walk(s, &n->body);
		walk(s, &n->else_body);
	}
}

/* Fused lanes: the segment is the lanes loop's, bufferised, a statement of
 * the loop's body, and a folded zeroing stands right before it. */
static const char *fused_invariants(const struct slc_program *p)
{
	const struct slc_fused *f = p->lanes ? p->lanes->fused : NULL;
	if (!f)
		return NULL;
	const struct slc_align *al = p->lanes->loop->align;
	if (!al || f->seg != al->inner || f->cb != al->iter || !f->cb->buf || !f->load)
		return "fused lanes without the lanes loop's bufferised segment";
	if (f->block != p->lanes->loop->stmt->body || f->block->kind != IR_S_BLOCK)
		return "fused lanes without the lanes loop's body block";
	int at = -1;
	for (int i = 0; i < f->block->nkids; i++)
		if (f->block->kids[i] == f->seg->stmt)
			at = i;
	if (at < 0)
		return "the fused segment is not a statement of the loop's body";
	if (f->zero && (at == 0 || f->block->kids[at - 1] != f->zero || !f->zero_value))
		return "a folded zeroing that is not right before the segment";
	return NULL;
}

int slc_verify(const struct slc_program *p, const char **msg)
{
	unsigned char mark[4096] = {0};
	if (p->callbacks.n > (int)sizeof(mark)) {
		*msg = "too many callbacks";
		return -1;
	}
	struct seen s = {p, mark, 0, NULL};
	walk(&s, &p->top);
	if (!s.msg && s.next != p->callbacks.n)
		s.msg = "a callback is not reachable from the skeleton";
	if (!s.msg)
		s.msg = fused_invariants(p);
	*msg = s.msg;
	return s.msg ? -1 : 0;
}

/* Invariants of a decoupled program. Every callback is announced exactly
 * once in the access program: by its own token (followed by exactly the
 * operands its case pops, in order and kind), or, inside a fused segment, by
 * a group of pushes with no token of its own, which the segment's case pops.
 * A mismatch would desynchronise the queue at run time, so it is a hard
 * error. */
#include <stdlib.h>
#include <string.h>

#include "dlc.h"

struct vstate {
	const struct dlc_program *d;
	const char *msg;
	int *tokens; /* per callback id: token sites */
	int *groups; /* per callback id: token-less push groups */
};

static int same_ops(const struct ptrvec *ops, const struct ptrvec *aops, int from, int *next,
                    const struct slc_callback *cb)
{
	int k = 0, i = from;
	while (i < aops->n && ((const struct dlc_aop *)aops->v[i])->kind == DLC_A_PUSH &&
	       ((const struct dlc_aop *)aops->v[i])->cb == cb) {
		if (k >= ops->n || ops->v[k] != ((const struct dlc_aop *)aops->v[i])->opd)
			return 0;
		k++;
		i++;
	}
	/* Then the rows sent by value, in the order the case pops them. */
	for (int r = 0; r < cb->pfs.n; r++) {
		const struct slc_prefetch *pf = cb->pfs.v[r];
		if (!pf->data || pf->same)
			continue;
		const struct dlc_aop *o = i < aops->n ? aops->v[i] : NULL;
		if (!o || o->kind != DLC_A_PUSH_ROW || o->cb != cb || o->pf != pf)
			return 0;
		i++;
	}
	*next = i;
	return k == ops->n;
}

/* Whether announcing cb pushes anything besides a token. */
static int sends(const struct slc_callback *cb)
{
	int rows = 0;
	for (int i = 0; i < cb->pfs.n; i++)
		rows += ((const struct slc_prefetch *)cb->pfs.v[i])->data &&
		        !((const struct slc_prefetch *)cb->pfs.v[i])->same;
	return cb->ops.n || rows;
}

static void check(struct vstate *v, const struct ptrvec *ops)
{
	for (int i = 0; i < ops->n && !v->msg; i++) {
		const struct dlc_aop *o = ops->v[i];
		if (o->kind == DLC_A_TOKEN) {
			const struct slc_callback *cb = o->cb;
			if (!cb || o->token != cb->id || o->token >= (1 << 16)) {
				v->msg = "token does not name its callback";
				return;
			}
			if (cb->fused && cb->fused->head != cb) {
				v->msg = "a fused callback sends a token of its own";
				return;
			}
			if (!!o->count != (cb->fused || cb->vec)) {
				v->msg = "a segment token without its count";
				return;
			}
			if (cb->vec && strcmp(o->count, cb->vec->n_name)) {
				v->msg = "a strip's token does not carry the strip's length";
				return;
			}
			int next;
			if (!same_ops(&cb->ops, ops, i + 1, &next, cb)) {
				v->msg = "pushed operands differ from the popped ones";
				return;
			}
			v->tokens[cb->id]++;
			i = next - 1;
			continue;
		}
		int group = o->cb && o->cb->fused && o->cb->fused->head != o->cb;
		if (o->kind == DLC_A_PUSH_ROW && !group) {
			v->msg = "row pushed without a token";
			return;
		}
		if (o->kind == DLC_A_STRIP &&
		    (!o->vec || o->body.n < 1 ||
		     ((const struct dlc_aop *)o->body.v[o->body.n - 1])->cb != o->vec->cb)) {
			v->msg = "a strip loop without its callback";
			return;
		}
		if (o->kind == DLC_A_PUSH || o->kind == DLC_A_PUSH_ROW) {
			const struct slc_callback *cb = o->cb;
			if (!cb || !cb->fused || cb->fused->head == cb) {
				v->msg = "operand pushed without a token";
				return;
			}
			int next;
			if (!same_ops(&cb->ops, ops, i, &next, cb)) {
				v->msg = "a fused callback's pushes differ from its pops";
				return;
			}
			v->groups[cb->id]++;
			i = next - 1;
			continue;
		}
		check(v, &o->body);
		check(v, &o->else_body);
	}
}

int dlc_verify(const struct dlc_program *d, const char **msg)
{
	const struct ptrvec *cbs = &d->slc->callbacks;
	struct vstate v = {d, NULL, calloc((size_t)cbs->n + 2, sizeof(int)),
	                   calloc((size_t)cbs->n + 2, sizeof(int))};
	check(&v, &d->access);
	for (int i = 0; i < cbs->n && !v.msg; i++) {
		const struct slc_callback *cb = cbs->v[i];
		if (cb->id != i + 1)
			v.msg = "callbacks are not numbered densely";
		else if (cb->fused && cb->fused->head != cb)
			v.msg = v.tokens[cb->id] || v.groups[cb->id] > 1 ||
			                        (sends(cb) && v.groups[cb->id] != 1)
			                ? "a fused callback is announced more than once"
			                : NULL;
		else if (v.tokens[cb->id] != 1)
			v.msg = v.tokens[cb->id] ? "token pushed at two places"
			                         : "callback never pushed";
	}
	int ncases = 0;
	for (int i = 0; i < d->cases.n && !v.msg; i++) {
		const struct dlc_case *c = d->cases.v[i];
		if (c->token != c->cb->id || (c->cb->fused && c->cb->fused->head != c->cb))
			v.msg = "a case for a callback without a token";
		else if (c->pops.n != c->cb->ops.n)
			v.msg = "a case pops other operands than its token carries";
		for (int k = 0; !v.msg && k < c->pops.n; k++)
			if (c->pops.v[k] != c->cb->ops.v[k])
				v.msg = "a case pops other operands than its token carries";
		ncases++;
	}
	for (int i = 0; i < cbs->n && !v.msg; i++) {
		const struct slc_callback *cb = cbs->v[i];
		if (cb->fused && cb->fused->head != cb)
			continue;
		int found = 0;
		for (int k = 0; k < d->cases.n; k++)
			found += ((const struct dlc_case *)d->cases.v[k])->cb == cb;
		if (found != 1)
			v.msg = "a token without exactly one case";
	}
	free(v.tokens);
	free(v.groups);
	*msg = v.msg;
	return v.msg ? -1 : 0;
}

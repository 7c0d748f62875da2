/* Invariants of a decoupled program: every token has exactly one case, and
 * the operands pushed after a token are exactly the ones its case pops, in
 * the same order and of the same kind. A mismatch here would desynchronise
 * the queue at run time, so it is a hard error. */
#include "dlc.h"

struct vstate {
	const struct dlc_program *d;
	const char *msg;
	int pushed[4096];
};

static void check(struct vstate *v, const struct ptrvec *ops)
{
	for (int i = 0; i < ops->n && !v->msg; i++) {
		const struct dlc_aop *o = ops->v[i];
		switch (o->kind) {
		case DLC_A_TOKEN: {
			if (o->token < 1 || o->token > v->d->cases.n) {
				v->msg = "token without a case";
				return;
			}
			const struct dlc_case *c = v->d->cases.v[o->token - 1];
			if (c->token != o->token) {
				v->msg = "cases are not indexed by token";
				return;
			}
			int k = 0;
			while (i + 1 < ops->n &&
			       ((const struct dlc_aop *)ops->v[i + 1])->kind == DLC_A_PUSH) {
				const struct dlc_aop *p = ops->v[++i];
				if (k >= c->pops.n || c->pops.v[k] != p->opd) {
					v->msg = "pushed operands differ from the popped ones";
					return;
				}
				k++;
			}
			if (k != c->pops.n) {
				v->msg = "fewer operands pushed than popped";
				return;
			}
			if (o->token < 4096)
				v->pushed[o->token]++;
			break;
		}
		case DLC_A_PUSH:
			v->msg = "operand pushed without a token";
			return;
		default:
			break;
		}
		check(v, &o->body);
		check(v, &o->else_body);
	}
}

int dlc_verify(const struct dlc_program *d, const char **msg)
{
	struct vstate v;
	v.d = d;
	v.msg = NULL;
	for (int i = 0; i < 4096; i++)
		v.pushed[i] = 0;
	check(&v, &d->access);
	for (int t = 1; !v.msg && t <= d->cases.n && t < 4096; t++)
		if (v.pushed[t] != 1)
			v.msg = v.pushed[t] ? "token pushed at two places" : "case never pushed";
	*msg = v.msg;
	return v.msg ? -1 : 0;
}

/* Differential driver of kg/transe_l1.c (see corpus.h): triples = all lookups of the case,
 * entities = rows, relations = rows / 7 + 1. */
#include "corpus.h"

CC_BOTH(void, transe_l1_batch,
        (const float *ent, const float *rel, int dim, const int *heads, const int *rels,
         const int *tails, int n, float *scores));

static void t_l1(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), nrel = s->rows / 7 + 1;
	int *h = cc_as(c, cc_indices(c, n), n, sizeof(int));
	int *r = cc_as(c, cc_indices_below(c, n, nrel), n, sizeof(int));
	int *t = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(float) * (size_t)n;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	orig_transe_l1_batch(E, R, (int)s->dim, h, r, t, (int)n, want);
	CC_DAE(c, dae_transe_l1_batch(E, R, (int)s->dim, h, r, t, (int)n, got));
	cc_same_f32(c, "scores", want, got, n);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"transe_l1_batch", t_l1}};
	return cc_main(argc, argv, "transe_l1", tests, 1);
}

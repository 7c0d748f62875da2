/* Differential driver of kg/kg_negative_tails.c (see corpus.h): bags = positive triples,
 * K = pool (0 .. 30), so the large cases score 20k+ triples. */
#include "corpus.h"

CC_BOTH(void, transe_neg_sampling,
        (const float *E, const float *R, int dim, const int *h, const int *r, const int *t,
         const int *neg, int K, int n, float *scores));

static void t_neg(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n = s->bags, K = s->fixed_len >= 0 ? s->fixed_len : s->pool, nrel = 11;
	int *h = cc_as(c, cc_indices(c, n), n, sizeof(int));
	int *r = cc_as(c, cc_indices_below(c, n, nrel), n, sizeof(int));
	int *t = cc_as(c, cc_indices(c, n), n, sizeof(int));
	int *neg = cc_as(c, cc_indices(c, n * K), n * K, sizeof(int));
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * (K + 1));
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	cc_notef(c, "K=%" PRId64, K);
	orig_transe_neg_sampling(E, R, (int)s->dim, h, r, t, neg, (int)K, (int)n, want);
	CC_DAE(c, dae_transe_neg_sampling(E, R, (int)s->dim, h, r, t, neg, (int)K, (int)n, got));
	cc_same_f32(c, "scores", want, got, n * (K + 1));
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"transe_neg_sampling", t_neg}};
	return cc_main(argc, argv, "kg_negative_tails", tests, 1);
}

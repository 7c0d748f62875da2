/* Differential driver of embedding_bag/eb_sls_mean.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, sparse_lengths_mean,
        (int32_t block, int32_t nseg, const float *data, const int32_t *ind,
         const int32_t *lengths, float *out));

static void t_mean(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *len32 = cc_as(c, len, s->bags, 4);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_sparse_lengths_mean((int32_t)s->dim, (int32_t)s->bags, w, ix, len32, want);
	CC_DAE(c, dae_sparse_lengths_mean((int32_t)s->dim, (int32_t)s->bags, w, ix, len32, got));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"sparse_lengths_mean", t_mean}};
	return cc_main(argc, argv, "eb_sls_mean", tests, 1);
}

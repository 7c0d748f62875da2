/* Differential driver of embedding_bag/eb_omp_mean_dynamic.c (see corpus.h); OMP_NUM_THREADS=2. */
#include "corpus.h"

CC_BOTH(void, EmbeddingBagMeanForward,
        (const float *weight, int embedding_dim, const int *indices, const int64_t *offsets,
         int num_bags, float *output));

static void t_mean(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int *ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_EmbeddingBagMeanForward(w, (int)s->dim, ix, off, (int)s->bags, want);
	CC_DAE(c, dae_EmbeddingBagMeanForward(w, (int)s->dim, ix, off, (int)s->bags, got));
	cc_same_f32(c, "output", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"EmbeddingBagMeanForward", t_mean}};
	return cc_main(argc, argv, "eb_omp_mean_dynamic", tests, 1);
}

/* Differential driver of embedding_bag/eb_max_ifcompare.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, EmbBagMaxPool,
        (const float *pTable, int32_t nDim, const int32_t *pIdx, const int32_t *pOffsets,
         int32_t nBags, float *pOut));

static void t_max(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, 4);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_EmbBagMaxPool(w, (int32_t)s->dim, ix, off, (int32_t)s->bags, want);
	CC_DAE(c, dae_EmbBagMaxPool(w, (int32_t)s->dim, ix, off, (int32_t)s->bags, got));
	cc_same_f32(c, "pOut", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"EmbBagMaxPool", t_max}};
	return cc_main(argc, argv, "eb_max_ifcompare", tests, 1);
}

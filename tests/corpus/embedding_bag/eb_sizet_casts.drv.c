/* Differential driver of embedding_bag/eb_sizet_casts.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, gather_reduce_sizet,
        (const float *weights, size_t emb_dim, const size_t *idx, const size_t *offs,
         size_t n_bags, float *pooled));

static void t_sum(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	size_t *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(size_t));
	size_t *ix = cc_as(c, cc_indices(c, n), n, sizeof(size_t));
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_gather_reduce_sizet(w, (size_t)s->dim, ix, off, (size_t)s->bags, want);
	CC_DAE(c, dae_gather_reduce_sizet(w, (size_t)s->dim, ix, off, (size_t)s->bags, got));
	cc_same_f32(c, "pooled", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gather_reduce_sizet", t_sum}};
	return cc_main(argc, argv, "eb_sizet_casts", tests, 1);
}

/* Differential driver of embedding_bag/eb_sum_no_last_offset.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, embedding_bag_sum_nolast,
        (const float *W, int64_t D, const int64_t *indices, int64_t num_indices,
         const int64_t *offsets, int64_t B, float *Y));

static void t_sum(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags); /* only the first B entries are passed on */
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	off[s->bags] = -12345; /* must not be read */
	orig_embedding_bag_sum_nolast(w, s->dim, ix, n, off, s->bags, want);
	CC_DAE(c, dae_embedding_bag_sum_nolast(w, s->dim, ix, n, off, s->bags, got));
	cc_same_f32(c, "Y", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"embedding_bag_sum_nolast", t_sum}};
	return cc_main(argc, argv, "eb_sum_no_last_offset", tests, 1);
}

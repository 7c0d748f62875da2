/* Differential driver of embedding_bag/eb_sum_int_offsets.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, emb_bag_sum_i32,
        (const float *weight, int num_embeddings, int embedding_dim, const int *input,
         const int *offsets, int num_bags, float *output));

static void t_sum(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(int));
	int *ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_emb_bag_sum_i32(w, (int)s->rows, (int)s->dim, ix, off, (int)s->bags, want);
	CC_DAE(c, dae_emb_bag_sum_i32(w, (int)s->rows, (int)s->dim, ix, off, (int)s->bags, got));
	cc_same_f32(c, "output", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"emb_bag_sum_i32", t_sum}};
	return cc_main(argc, argv, "eb_sum_int_offsets", tests, 1);
}

/* Differential driver of embedding_bag/eb_mean_long_memset.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, bag_mean_long,
        (const float *emb, long n_rows, long width, const long *idx, const long *off,
         long n_bags, float *res));

static void t_mean(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	long *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(long));
	long *ix = cc_as(c, cc_indices(c, n), n, sizeof(long));
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_bag_mean_long(w, s->rows, s->dim, ix, off, s->bags, want);
	CC_DAE(c, dae_bag_mean_long(w, s->rows, s->dim, ix, off, s->bags, got));
	cc_same_f32(c, "res", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"bag_mean_long", t_mean}};
	return cc_main(argc, argv, "eb_mean_long_memset", tests, 1);
}

/* Differential driver of embedding_bag/eb_do_while.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, bag_sum_do,
        (const float *tab, int dim, const int64_t *idx, const int *off, int nb, float *dst));

static void t_do(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(int));
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_bag_sum_do(w, (int)s->dim, ix, off, (int)s->bags, want);
	CC_DAE(c, dae_bag_sum_do(w, (int)s->dim, ix, off, (int)s->bags, got));
	cc_same_f32(c, "dst", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"bag_sum_do", t_do}};
	return cc_main(argc, argv, "eb_do_while", tests, 1);
}

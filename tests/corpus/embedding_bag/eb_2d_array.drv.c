/* Differential driver of embedding_bag/eb_2d_array.c (see corpus.h); width fixed at 64. */
#include "corpus.h"

CC_BOTH(void, bag_sum_2d,
        (int n_bags, const long offsets[], const long indices[], const float table[][64],
         float out[][64]));

static void t_2d(struct cc *c)
{
	struct cc_shape *s = &c->s;
	int64_t n, *len, *off64;
	long *off, *ix;
	float *w, *want, *got;
	size_t bytes;

	s->dim = 64;
	len = cc_lengths(c, &n);
	off64 = cc_offsets(c, len, s->bags);
	off = cc_as(c, off64, s->bags + 1, sizeof(long));
	ix = cc_as(c, cc_indices(c, n), n, sizeof(long));
	w = cc_f32(c, s->rows * 64);
	bytes = sizeof(float) * (size_t)(s->bags * 64);
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);

	orig_bag_sum_2d((int)s->bags, off, ix, (const float(*)[64])w, (float(*)[64])want);
	CC_DAE(c, dae_bag_sum_2d((int)s->bags, off, ix, (const float(*)[64])w, (float(*)[64])got));
	cc_same_f32(c, "out", want, got, s->bags * 64);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"bag_sum_2d", t_2d}};
	return cc_main(argc, argv, "eb_2d_array", tests, 1);
}

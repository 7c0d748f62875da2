/* Differential driver of sparse_dot/sdot_hashed.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(float, hashed_dot,
        (const uint32_t *keys, const float *vals, int n, const float *w, unsigned log2_size));

static void t_hash(struct cc *c)
{
	int64_t n, *len = cc_lengths(c, &n);
	uint32_t *keys = cc_as(c, cc_indices_below(c, n, INT32_MAX), n, 4);
	unsigned lg = (unsigned)dc_range(&c->r, 1, 16);
	float *v = cc_weights(c, n), *w = cc_f32(c, (int64_t)1 << lg);
	float rw, rg;

	(void)len;
	cc_notef(c, "log2_size=%u", lg);
	rw = orig_hashed_dot(keys, v, (int)n, w, lg);
	CC_DAE(c, rg = dae_hashed_dot(keys, v, (int)n, w, lg));
	cc_same_ret_f32(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"hashed_dot", t_hash}};
	return cc_main(argc, argv, "sdot_hashed", tests, 1);
}

/* Differential driver of sparse_dot/sdot_basic.c (see corpus.h): nnz = all lookups of the
 * case, x has rows entries. */
#include "corpus.h"

CC_BOTH(float, sparse_dot, (int nnz, const int *idx, const float *val, const float *x));

static void t_dot(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *val = cc_weights(c, n), *x = cc_f32(c, s->rows);
	float rw, rg;

	(void)len;
	rw = orig_sparse_dot((int)n, ix, val, x);
	CC_DAE(c, rg = dae_sparse_dot((int)n, ix, val, x));
	cc_same_ret_f32(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"sparse_dot", t_dot}};
	return cc_main(argc, argv, "sdot_basic", tests, 1);
}

/* Differential driver of sparse_dot/sdot_bumped_ptr.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(double, spdot_ptr,
        (const unsigned *ind, const unsigned *ind_end, const float *vals, const double *dense));

static void t_ptr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	unsigned *ix = cc_as(c, cc_indices(c, n), n, sizeof(unsigned));
	float *v = cc_weights(c, n);
	double *x = cc_f64(c, s->rows);
	double rw, rg;

	(void)len;
	rw = orig_spdot_ptr(ix, ix + n, v, x);
	CC_DAE(c, rg = dae_spdot_ptr(ix, ix + n, v, x));
	cc_same_ret_f64(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"spdot_ptr", t_ptr}};
	return cc_main(argc, argv, "sdot_bumped_ptr", tests, 1);
}

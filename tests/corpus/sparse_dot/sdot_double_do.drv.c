/* Differential driver of sparse_dot/sdot_double_do.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(double, ddoti, (long nz, const double *x, const long *indx, const double *y));

static void t_doti(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	long *ix = cc_as(c, cc_indices(c, n), n, sizeof(long));
	double *x = cc_f64(c, n), *y = cc_f64(c, s->rows);
	double rw, rg;

	(void)len;
	rw = orig_ddoti(n, x, ix, y);
	CC_DAE(c, rg = dae_ddoti(n, x, ix, y));
	cc_same_ret_f64(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"ddoti", t_doti}};
	return cc_main(argc, argv, "sdot_double_do", tests, 1);
}

/* Differential driver of graph/csr_spmv_axpby.c (see corpus.h): y is in/out. */
#include "corpus.h"

CC_BOTH(void, dcsrmv_axpby,
        (long m, double alpha, const double *a, const long *ja, const long *ia, const double *x,
         double beta, double *y));

static void t_mv(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	long *ia = cc_as(c, cc_offsets(c, deg, s->bags), s->bags + 1, sizeof(long));
	long *ja = cc_as(c, cc_indices(c, nnz), nnz, sizeof(long));
	double *a = cc_f64(c, nnz), *x = cc_f64(c, s->rows), *y0 = cc_f64(c, s->bags);
	double alpha = (double)dc_float(&c->r), beta = c->id % 3 == 0 ? 0.0 : (double)dc_float(&c->r);
	size_t bytes = sizeof(double) * (size_t)s->bags;
	double *want = cc_out(c, bytes), *got;

	memcpy(want, y0, bytes);
	got = cc_twin(c, want, bytes);
	orig_dcsrmv_axpby(s->bags, alpha, a, ja, ia, x, beta, want);
	CC_DAE(c, dae_dcsrmv_axpby(s->bags, alpha, a, ja, ia, x, beta, got));
	cc_same_f64(c, "y", want, got, s->bags);
	cc_need_decoupled(c, nnz > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"dcsrmv_axpby", t_mv}};
	return cc_main(argc, argv, "csr_spmv_axpby", tests, 1);
}

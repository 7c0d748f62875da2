/* Differential driver of graph/csr_spmv_double.c (see corpus.h); dimension 1. */
#include "corpus.h"

CC_BOTH(void, spmv_csr,
        (int n, const int *rowptr, const int *colind, const double *val, const double *x,
         double *y));

static void t_spmv(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	int *rp = cc_as(c, cc_offsets(c, deg, s->bags), s->bags + 1, sizeof(int));
	int *ci = cc_as(c, cc_indices(c, nnz), nnz, sizeof(int));
	double *val = cc_f64(c, nnz), *x = cc_f64(c, s->rows);
	size_t bytes = sizeof(double) * (size_t)s->bags;
	double *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_spmv_csr((int)s->bags, rp, ci, val, x, want);
	CC_DAE(c, dae_spmv_csr((int)s->bags, rp, ci, val, x, got));
	cc_same_f64(c, "y", want, got, s->bags);
	cc_need_decoupled(c, nnz > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"spmv_csr", t_spmv}};
	return cc_main(argc, argv, "csr_spmv_double", tests, 1);
}

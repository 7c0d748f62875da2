/* Differential driver of graph/csr_spmm_optional_vals.c (see corpus.h): bags =
 * CSR rows, lookups = nonzeros, rows = columns of A (rows of X), dim = F; once
 * with weights and once without. */
#include <stddef.h>

#include "corpus.h"

CC_BOTH(void, csr_spmm_opt,
        (long n_rows, long F, const long *row_ptr, const int *col_idx, const float *vals,
         const float *X, float *Y));

static void t_spmm(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	long *rp = cc_as(c, cc_offsets(c, deg, s->bags), s->bags + 1, sizeof(long));
	int *ci = cc_as(c, cc_indices(c, nnz), nnz, sizeof(int));
	float *vals = cc_weights(c, nnz);
	float *X = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	for (int weighted = 0; weighted < 2; weighted++) {
		const float *v = weighted ? vals : NULL;
		orig_csr_spmm_opt(s->bags, s->dim, rp, ci, v, X, want);
		CC_DAE(c, dae_csr_spmm_opt(s->bags, s->dim, rp, ci, v, X, got));
		cc_same_f32(c, weighted ? "Y (weighted)" : "Y (unweighted)", want, got,
		            s->bags * s->dim);
	}
	cc_need_decoupled(c, nnz > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"csr_spmm_opt", t_spmm}};
	return cc_main(argc, argv, "csr_spmm_optional_vals", tests, 1);
}

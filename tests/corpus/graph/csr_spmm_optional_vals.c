// daec-expect: csr_spmm_opt decoupled op~=spmm
/*
 * Y = A * X with A sparse in CSR; vals may be NULL, every edge then weighs
 * 1. The weight is declared inside the branch that reads it, and both
 * branches add into the same row of Y.
 */
#include <stddef.h>

void csr_spmm_opt(long n_rows, long F, const long *row_ptr, const int *col_idx, const float *vals,
                  const float *X, float *Y)
{
	long i, e, f;

	for (i = 0; i < n_rows; i++) {
		for (f = 0; f < F; f++)
			Y[i * F + f] = 0.0f;
		for (e = row_ptr[i]; e < row_ptr[i + 1]; e++) {
			long j = col_idx[e];
			if (vals != NULL) {
				float a = vals[e];
				for (f = 0; f < F; f++)
					Y[i * F + f] += a * X[j * F + f];
			} else {
				for (f = 0; f < F; f++)
					Y[i * F + f] += X[j * F + f];
			}
		}
	}
}

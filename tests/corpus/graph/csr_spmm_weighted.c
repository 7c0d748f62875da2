// daec-expect: csr_spmm decoupled op~=spmm
/*
 * Y = A * X with A sparse in CSR (row_ptr, col_idx, vals) and X dense,
 * row-major n_cols x F.  Y is n_rows x F and is overwritten.
 */

void csr_spmm(int n_rows, int F, const int *row_ptr, const int *col_idx,
              const float *vals, const float *X, float *Y)
{
	int i, e, f;

	for (i = 0; i < n_rows; i++) {
		for (f = 0; f < F; f++)
			Y[i * F + f] = 0.0f;
		for (e = row_ptr[i]; e < row_ptr[i + 1]; e++) {
			int j = col_idx[e];
			float a = vals[e];
			for (f = 0; f < F; f++)
				Y[i * F + f] += a * X[j * F + f];
		}
	}
}

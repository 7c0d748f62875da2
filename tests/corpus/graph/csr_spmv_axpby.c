// daec-expect: dcsrmv_axpby decoupled op~=spmv
/*
 * y := alpha * A * x + beta * y (Sparse BLAS "csrmv"), long indices,
 * zero-based, the nonzeros of a row walked with a while loop.
 */

void dcsrmv_axpby(long m, double alpha, const double *a, const long *ja,
                  const long *ia, const double *x, double beta, double *y)
{
	long i;
	for (i = 0; i < m; ++i) {
		double t = 0.0;
		long k = ia[i];
		const long kend = ia[i + 1];
		while (k < kend) {
			t += a[k] * x[ja[k]];
			++k;
		}
		y[i] = alpha * t + beta * y[i];
	}
}

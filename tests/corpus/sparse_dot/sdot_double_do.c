// daec-expect: ddoti decoupled op~=sparse-dot
/*
 * Sparse BLAS level 1 "doti": x sparse (nz values, long indices), y dense,
 * written with a do/while loop after an early return for nz <= 0.
 */

double ddoti(long nz, const double *x, const long *indx, const double *y)
{
	double dot = 0.0;
	long i = 0;

	if (nz <= 0)
		return 0.0;
	do {
		dot += x[i] * y[indx[i]];
		i++;
	} while (i < nz);
	return dot;
}

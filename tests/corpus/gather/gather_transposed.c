// daec-expect: gather_cols_major decoupled op~=gather
// daec-expect: gather_strided decoupled op~=gather
/*
 * Gathers into non-contiguous outputs:
 *  - gather_cols_major writes the gathered rows as columns of a column-major
 *    dim x n matrix (feeding a BLAS call that wants the transpose);
 *  - gather_strided writes row i at out + i * ld (ld >= dim: padded rows).
 */

void gather_cols_major(const float *emb, int dim, const long *ix, int n, float *outT)
{
	int i, d;
	for (i = 0; i < n; i++) {
		long r = ix[i];
		for (d = 0; d < dim; d++)
			outT[(long)d * n + i] = emb[r * dim + d];
	}
}

void gather_strided(const float *emb, int dim, const long *ix, int n, float *out, int ld)
{
	int i, d;
	for (i = 0; i < n; i++)
		for (d = 0; d < dim; d++)
			out[(long)i * ld + d] = emb[ix[i] * dim + d];
}

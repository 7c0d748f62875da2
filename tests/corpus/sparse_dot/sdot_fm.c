// daec-expect: fm_linear decoupled op~=sparse-dot
// daec-expect: fm_pairwise decoupled
/*
 * Factorization machine scoring of one sparse example (nnz features with
 * values x[j] and ids idx[j]):
 *   fm_linear:   w0 + sum_j w[idx[j]] * x[j]
 *   fm_pairwise: 1/2 sum_f ((sum_j v_{idx[j],f} x_j)^2 - sum_j (v_{idx[j],f} x_j)^2)
 * V is row-major n_features x k.  fm_pairwise walks the factors in the outer
 * loop, so every factor re-reads the ids.
 */

float fm_linear(float w0, const float *w, int nnz, const int *idx, const float *x)
{
	float y = w0;
	int j;
	for (j = 0; j < nnz; j++)
		y += w[idx[j]] * x[j];
	return y;
}

float fm_pairwise(const float *V, int k, int nnz, const int *idx, const float *x)
{
	float acc = 0.0f;
	int f, j;

	for (f = 0; f < k; f++) {
		float s = 0.0f, s2 = 0.0f;
		for (j = 0; j < nnz; j++) {
			float v = V[idx[j] * k + f] * x[j];
			s += v;
			s2 += v * v;
		}
		acc += s * s - s2;
	}
	return 0.5f * acc;
}

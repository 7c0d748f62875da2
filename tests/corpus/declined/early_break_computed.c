// daec-expect: sparse_dot_capped declined reason~=computed
/*
 * Sparse dot that stops as soon as the running sum exceeds a limit: the
 * exit depends on computed values, which the access side does not have.
 */

float sparse_dot_capped(int nnz, const int *idx, const float *val, const float *x, float limit)
{
	float acc = 0.0f;
	int k;
	for (k = 0; k < nnz; k++) {
		acc += val[k] * x[idx[k]];
		if (acc > limit)
			break;
	}
	return acc;
}

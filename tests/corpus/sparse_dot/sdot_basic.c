// daec-expect: sparse_dot decoupled op~=sparse-dot
/* Dot product of a sparse vector (nnz index/value pairs) with a dense one. */

float sparse_dot(int nnz, const int *idx, const float *val, const float *x)
{
	float s = 0.0f;
	int k;

	for (k = 0; k < nnz; k++)
		s += val[k] * x[idx[k]];
	return s;
}

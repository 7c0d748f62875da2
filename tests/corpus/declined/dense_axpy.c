// daec-expect: saxpy declined reason~=indirect
// daec-expect: dense_gemv declined reason~=indirect
/* Dense kernels: no loaded value decides an address. */

void saxpy(int n, float a, const float *x, float *y)
{
	int i;
	for (i = 0; i < n; i++)
		y[i] += a * x[i];
}

void dense_gemv(int m, int n, const float *A, const float *x, float *y)
{
	int i, j;
	for (i = 0; i < m; i++) {
		float s = 0.0f;
		for (j = 0; j < n; j++)
			s += A[i * n + j] * x[j];
		y[i] = s;
	}
}

/*
 * Nothing here is an indirect lookup, or it cannot be decoupled safely:
 * daec must leave this file byte for byte as it is.
 */
#include <stdint.h>

float unknown_scale(float x);

/* A dense loop: no index is loaded, so there is nothing to decouple. */
void axpy(int n, float a, const float *x, float *y)
{
	for (int i = 0; i < n; i++)
		y[i] += a * x[i];
}

/* The loop writes the index array it reads ahead. */
void gather_and_clear(const float *table, int *indices, int n, float *out)
{
	for (int i = 0; i < n; i++) {
		out[i] = table[indices[i]];
		indices[i] = 0;
	}
}

/* A call daec knows nothing about. */
void gather_scaled(const float *table, const int *indices, int n, float *out)
{
	for (int i = 0; i < n; i++)
		out[i] = unknown_scale(table[indices[i]]);
}

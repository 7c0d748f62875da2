// daec-expect: eb_fwd_sum decoupled op~=sum
// daec-expect: eb_fwd_mean decoupled op~=mean
// daec-expect: eb_fwd_weighted decoupled op~=weighted
/*
 * One file, one function per pooling mode, sharing a small helper that has
 * no loop.  Offsets have a trailing entry.
 */
#include <stdint.h>

typedef int64_t idx_t;

static inline idx_t bag_len(const idx_t *offsets, idx_t b)
{
	return offsets[b + 1] - offsets[b];
}

void eb_fwd_sum(const float *W, idx_t D, const idx_t *I, const idx_t *O, idx_t B, float *Y)
{
	idx_t b, j, d;
	for (b = 0; b < B; b++) {
		for (d = 0; d < D; d++)
			Y[b * D + d] = 0.0f;
		for (j = O[b]; j < O[b + 1]; j++)
			for (d = 0; d < D; d++)
				Y[b * D + d] += W[I[j] * D + d];
	}
}

void eb_fwd_mean(const float *W, idx_t D, const idx_t *I, const idx_t *O, idx_t B, float *Y)
{
	idx_t b, j, d;
	for (b = 0; b < B; b++) {
		idx_t n = bag_len(O, b);
		for (d = 0; d < D; d++)
			Y[b * D + d] = 0.0f;
		for (j = O[b]; j < O[b + 1]; j++)
			for (d = 0; d < D; d++)
				Y[b * D + d] += W[I[j] * D + d];
		if (n > 0)
			for (d = 0; d < D; d++)
				Y[b * D + d] = Y[b * D + d] / (float)n;
	}
}

void eb_fwd_weighted(const float *W, idx_t D, const idx_t *I, const float *P, const idx_t *O,
                     idx_t B, float *Y)
{
	idx_t b, j, d;
	for (b = 0; b < B; b++) {
		for (d = 0; d < D; d++)
			Y[b * D + d] = 0.0f;
		for (j = O[b]; j < O[b + 1]; j++)
			for (d = 0; d < D; d++)
				Y[b * D + d] += P[j] * W[I[j] * D + d];
	}
}

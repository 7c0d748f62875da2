// daec-expect: transe_l2sq_split decoupled op~=kg
// daec-expect: margin_ranking_loss decoupled op~=kg
/*
 * Hand-"vectorised" TransE (squared L2): two partial sums over the even and
 * odd dimensions, added at the end; an odd last dimension goes to the first
 * sum.  The order of the additions is part of the result and must be kept.
 *
 * margin_ranking_loss: sum over the batch of max(0, margin + d(pos) - d(neg))
 * where d is the same squared distance; a reduction over triples into one
 * scalar.
 */
#include <stdint.h>

void transe_l2sq_split(const float *E, const float *R, int64_t dim,
                       const int32_t *h, const int32_t *r, const int32_t *t,
                       int64_t n, float *dist)
{
	for (int64_t i = 0; i < n; i++) {
		const float *a = E + h[i] * dim, *b = R + r[i] * dim, *c = E + t[i] * dim;
		float s0 = 0.0f, s1 = 0.0f;
		int64_t d = 0;
		for (; d + 1 < dim; d += 2) {
			float x0 = a[d] + b[d] - c[d];
			float x1 = a[d + 1] + b[d + 1] - c[d + 1];
			s0 += x0 * x0;
			s1 += x1 * x1;
		}
		if (d < dim) {
			float x0 = a[d] + b[d] - c[d];
			s0 += x0 * x0;
		}
		dist[i] = s0 + s1;
	}
}

float margin_ranking_loss(const float *E, const float *R, int64_t dim, float margin,
                          const int32_t *h, const int32_t *r, const int32_t *t_pos,
                          const int32_t *t_neg, int64_t n)
{
	float loss = 0.0f;
	for (int64_t i = 0; i < n; i++) {
		float dp = 0.0f, dn = 0.0f;
		for (int64_t d = 0; d < dim; d++) {
			float base = E[h[i] * dim + d] + R[r[i] * dim + d];
			float xp = base - E[t_pos[i] * dim + d];
			float xn = base - E[t_neg[i] * dim + d];
			dp += xp * xp;
			dn += xn * xn;
		}
		float l = margin + dp - dn;
		if (l > 0.0f)
			loss += l;
	}
	return loss;
}

// daec-expect: qr_hash_bag decoupled op~=qr
/*
 * Quotient-remainder trick on hashed ids: the quotient table is itself
 * folded ((id / m) % nq), product combination, the bag result scaled by
 * per-bag weights (e.g. 1/len computed by the caller).
 */
#include <stdint.h>

void qr_hash_bag(const float *Q, int64_t nq, const float *R, int64_t m, int64_t D,
                 const uint64_t *hashed_ids, const int64_t *bag_off, const float *bag_scale,
                 int64_t B, float *Y)
{
	int64_t b, i, d;

	for (b = 0; b < B; ++b) {
		float *y = &Y[b * D];
		for (d = 0; d < D; ++d)
			y[d] = 0.0f;
		for (i = bag_off[b]; i < bag_off[b + 1]; ++i) {
			uint64_t h = hashed_ids[i];
			int64_t qi = (int64_t)((h / (uint64_t)m) % (uint64_t)nq);
			int64_t ri = (int64_t)(h % (uint64_t)m);
			for (d = 0; d < D; ++d)
				y[d] += Q[qi * D + d] * R[ri * D + d];
		}
		for (d = 0; d < D; ++d)
			y[d] *= bag_scale[b];
	}
}

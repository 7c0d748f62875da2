// daec-expect: qr_embedding_bag_mult decoupled op~=qr
/*
 * Quotient-remainder embedding ("compositional embeddings", Shi et al.):
 * id -> Q[id / m] * R[id % m] (element-wise product), pooled by sum per bag.
 * Q has ceil(N / m) rows, R has m rows; offsets have num_bags + 1 entries.
 */
#include <stdint.h>

void qr_embedding_bag_mult(const float *Q, const float *R, int64_t m, int64_t dim,
                           const int64_t *ids, const int64_t *offsets, int64_t num_bags,
                           float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t id = ids[j];
			int64_t q = id / m;
			int64_t r = id % m;
			for (d = 0; d < dim; d++)
				out[b * dim + d] += Q[q * dim + d] * R[r * dim + d];
		}
	}
}

// daec-expect: embedding_bag_max decoupled op~=max
/*
 * EmbeddingBag, mode "max": element-wise maximum over the rows of each bag.
 * The accumulator starts at -inf; a bag without rows yields zeros (as the
 * reference framework does), detected by its length.
 */
#include <math.h>
#include <stdint.h>

void embedding_bag_max(const float *table, int64_t num_rows, int64_t dim,
                       const int64_t *indices, const int64_t *offsets,
                       int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		float *acc = out + b * dim;

		for (d = 0; d < dim; d++)
			acc[d] = -INFINITY;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *row = table + indices[j] * dim;
			for (d = 0; d < dim; d++)
				acc[d] = fmaxf(acc[d], row[d]);
		}
		if (offsets[b + 1] == offsets[b]) {
			for (d = 0; d < dim; d++)
				acc[d] = 0.0f;
		}
	}
}

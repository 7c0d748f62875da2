/* Embedding bag, mean pooling. Sum the rows, then scale by the reciprocal
 * of the bag length (one divide per bag instead of per element). Empty
 * bags give zeros. 32-bit offsets, 64-bit indices. */
#include <stdint.h>
#include <string.h>

void eb_mean_recip(const float *table, int64_t dim, const int64_t *indices,
                   const int32_t *offsets, int64_t num_bags, float *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		float *row_out = out + b * dim;
		int32_t start = offsets[b], end = offsets[b + 1];
		int32_t len = end - start;
		memset(row_out, 0, dim * sizeof(float));
		for (int32_t j = start; j < end; j++) {
			const float *src = table + indices[j] * dim;
			for (int64_t d = 0; d < dim; d++)
				row_out[d] += src[d];
		}
		if (len > 0) {
			float inv = 1.0f / len;
			for (int64_t d = 0; d < dim; d++)
				row_out[d] *= inv;
		}
	}
}

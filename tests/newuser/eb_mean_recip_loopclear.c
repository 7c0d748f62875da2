/* Mean bag via reciprocal, int offsets/indices, output row cleared by a
 * loop, while loop over the bag. */
#include <stdint.h>

void eb_mean_recip_loopclear(const float *table, int dim, const int *indices,
                             const int *offsets, int num_bags, float *out)
{
	for (int b = 0; b < num_bags; b++) {
		float *row_out = out + (int64_t)b * dim;
		for (int d = 0; d < dim; d++)
			row_out[d] = 0.0f;
		int j = offsets[b];
		while (j < offsets[b + 1]) {
			const float *src = table + (int64_t)indices[j] * dim;
			for (int d = 0; d < dim; d++)
				row_out[d] += src[d];
			j++;
		}
		int len = offsets[b + 1] - offsets[b];
		if (len > 0) {
			float inv = 1.0f / len;
			for (int d = 0; d < dim; d++)
				row_out[d] *= inv;
		}
	}
}

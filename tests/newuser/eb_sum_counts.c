/* Sum bag that also records how many lookups each bag had (for a later
 * mean in another kernel). The counts are int64 like the offsets. */
#include <stdint.h>

void eb_sum_counts(const float *table, int64_t dim, const int64_t *indices,
                   const int64_t *offsets, int64_t num_bags, float *out,
                   int64_t *counts)
{
	for (int64_t b = 0; b < num_bags; b++) {
		float *row_out = out + b * dim;
		for (int64_t d = 0; d < dim; d++)
			row_out[d] = 0.0f;
		counts[b] = offsets[b + 1] - offsets[b];
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *row = table + indices[j] * dim;
			for (int64_t d = 0; d < dim; d++)
				row_out[d] += row[d];
		}
	}
}

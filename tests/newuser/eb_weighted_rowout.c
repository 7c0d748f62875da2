/* Embedding bag with per-sample weights (per_sample_weights in PyTorch
 * terms): out[b] = sum_j w[j] * table[idx[j]]. */
#include <stdint.h>

void eb_weighted_rowout(const float *table, int64_t dim, const int64_t *indices,
                        const int64_t *offsets, const float *per_sample_weights,
                        int64_t num_bags, float *out)
{
	for (int64_t b = 0; b < num_bags; ++b) {
		float *row_out = out + b * dim;
		for (int64_t d = 0; d < dim; ++d)
			row_out[d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; ++j) {
			const float w = per_sample_weights[j];
			const float *row = table + indices[j] * dim;
			for (int64_t d = 0; d < dim; ++d)
				row_out[d] += w * row[d];
		}
	}
}

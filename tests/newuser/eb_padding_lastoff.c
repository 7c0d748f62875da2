/* PyTorch-like bag: offsets has num_bags entries (no trailing offset; the
 * last bag runs to num_indices) and padding_idx rows are skipped. Weighted
 * inner product written straight into out[b * dim + d]. */
#include <stdint.h>

void eb_padding_lastoff(const float *weight, int64_t dim, const int64_t *indices,
                        int64_t num_indices, const int64_t *offsets, int64_t num_bags,
                        const float *psw, int64_t padding_idx, float *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		int64_t start = offsets[b];
		int64_t end = (b + 1 < num_bags) ? offsets[b + 1] : num_indices;
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = start; j < end; j++) {
			if (indices[j] == padding_idx)
				continue;
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += psw[j] * weight[indices[j] * dim + d];
		}
	}
}

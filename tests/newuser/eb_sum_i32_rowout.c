/* Embedding bag with 32-bit indices and offsets (the format our feature
 * pipeline writes). Each output row is cleared with memset. */
#include <stdint.h>
#include <string.h>

void eb_sum_i32_rowout(const float *emb, int32_t emb_dim, const int32_t *idx,
                       const int32_t *off, int32_t n_bags, float *out)
{
	for (int32_t b = 0; b < n_bags; b++) {
		float *row_out = out + (int64_t)b * emb_dim;
		memset(row_out, 0, (size_t)emb_dim * sizeof(float));
		int32_t start = off[b];
		int32_t end = off[b + 1];
		for (int32_t j = start; j < end; j++) {
			const float *row = emb + (int64_t)idx[j] * emb_dim;
			for (int32_t d = 0; d < emb_dim; d++)
				row_out[d] += row[d];
		}
	}
}

// daec-expect: dlrm_embedding_forward decoupled op~=sum
/*
 * DLRM-style sparse forward: one EmbeddingBag per table, all tables in one
 * call.  The pooled rows are written interleaved as ly[b][t][:] so that the
 * interaction layer reads one contiguous block per sample.
 */
#include <stdint.h>

void dlrm_embedding_forward(int num_tables, const float *const *tables, int dim,
                            const int64_t *const *indices, const int64_t *const *offsets,
                            int batch, float *ly)
{
	int t, b, d;
	int64_t j;

	for (t = 0; t < num_tables; t++) {
		const float *W = tables[t];
		const int64_t *I = indices[t];
		const int64_t *O = offsets[t];

		for (b = 0; b < batch; b++) {
			float *y = ly + ((int64_t)b * num_tables + t) * dim;
			for (d = 0; d < dim; d++)
				y[d] = 0.0f;
			for (j = O[b]; j < O[b + 1]; j++) {
				const float *row = W + I[j] * dim;
				for (d = 0; d < dim; d++)
					y[d] += row[d];
			}
		}
	}
}

/*
 * embedding_bag_weighted.c - reference implementation of EmbeddingBag (mode
 * "sum") with per-sample weights.
 *
 * Same layout as embedding_bag_sum: a row-major num_rows x dim table, one
 * packed index array and num_bags + 1 offsets delimiting the bags.  Each
 * lookup j carries its own weight weights[j] (one weight per index, not per
 * column), which scales the table row before it is added:
 *
 *     out[b * dim + d] = sum over j in bag b of weights[j] * table[indices[j] * dim + d]
 *
 * Empty bags produce zero rows.
 *
 * Preconditions: every index is in [0, num_rows); weights has as many
 * entries as indices; out has room for num_bags * dim floats and does not
 * overlap the inputs.
 */
#include <stdint.h>

void embedding_bag_weighted(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const float *weights, const int64_t *offsets,
                            int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			float w = weights[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += w * table[idx * dim + d];
			}
		}
	}
}

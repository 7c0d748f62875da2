/*
 * embedding_bag_mean.c - reference implementation of EmbeddingBag (mode
 * "mean").
 *
 * Same layout as embedding_bag_sum: a row-major num_rows x dim table, one
 * packed index array and num_bags + 1 offsets delimiting the bags.  The rows
 * of a bag are summed in order and the sum is then divided by the number of
 * rows in the bag:
 *
 *     out[b * dim + d] = (sum over j in bag b of table[indices[j] * dim + d]) / len(b)
 *
 * An empty bag has no mean; as in the reference framework its output row is
 * all zeros (the division is skipped).
 *
 * Preconditions: every index is in [0, num_rows); out has room for
 * num_bags * dim floats and does not overlap the inputs.
 */
#include <stdint.h>

void embedding_bag_mean(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                        const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		int64_t start = offsets[b];
		int64_t end = offsets[b + 1];
		int64_t len = end - start;

		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (j = start; j < end; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
		if (len != 0) {
			for (d = 0; d < dim; d++) {
				out[b * dim + d] /= (float)len;
			}
		}
	}
}

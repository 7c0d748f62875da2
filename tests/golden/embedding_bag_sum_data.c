/*
 * embedding_bag_sum.c - reference implementation of EmbeddingBag (mode "sum").
 *
 * The embedding table is a dense, row-major matrix of num_rows x dim floats.
 * The lookups of all bags are packed into one index array; bag b owns the
 * indices indices[offsets[b]] .. indices[offsets[b + 1] - 1], so offsets has
 * num_bags + 1 entries, offsets[0] == 0 and offsets is non-decreasing.  A bag
 * may be empty (offsets[b] == offsets[b + 1]); its output row is all zeros.
 *
 * For every bag b and every column d:
 *
 *     out[b * dim + d] = sum over j in bag b of table[indices[j] * dim + d]
 *
 * The rows are accumulated in the order they appear in the bag.
 *
 * Preconditions: every index is in [0, num_rows); out has room for
 * num_bags * dim floats and does not overlap the inputs.
 */
#include <stdint.h>

void embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		/* Clear the output row of this bag. */
		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		/* Add the table row of every index of the bag. */
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
	}
}

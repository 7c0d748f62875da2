/*
 * sparse_lengths_sum.c - reference implementation of SparseLengthsSum.
 *
 * As in the Caffe2 operator of the same name: the segments (bags) are given
 * by their lengths rather than by offsets.  Segment s takes the next
 * lengths[s] entries of indices, so the indices are consumed with a running
 * cursor and sum(lengths) entries of indices are read in total.
 *
 * For every segment s and every column d:
 *
 *     out[s * dim + d] = sum over the lengths[s] indices i of segment s
 *                        of table[i * dim + d]
 *
 * Unlike EmbeddingBag, this operator validates its indices.  Segments are
 * processed in order; when an index outside [0, num_rows) is met the function
 * stops at once and returns -1.  The segments before the bad index are
 * complete, the current segment holds the sum of the rows read so far and
 * the later segments are left untouched.  On success it returns 0.
 *
 * Preconditions: every length is >= 0; indices has sum(lengths) entries;
 * out has room for num_segments * dim floats and does not overlap the inputs.
 */
#include <stdint.h>

int sparse_lengths_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                       const int64_t *lengths, int64_t num_segments, float *out)
{
	int64_t pos = 0;
	int64_t s, k, d;

	for (s = 0; s < num_segments; s++) {
		float *dst = out + s * dim;

		for (d = 0; d < dim; d++) {
			dst[d] = 0.0f;
		}
		for (k = 0; k < lengths[s]; k++) {
			int64_t idx = indices[pos];
			if (idx < 0 || idx >= num_rows) {
				return -1;
			}
			for (d = 0; d < dim; d++) {
				dst[d] += table[idx * dim + d];
			}
			pos++;
		}
	}
	return 0;
}

/*
 * Lookups whose outputs have the element type of their index arrays, so
 * that an overlap between them is legal C and must behave exactly as in the
 * original: daec checks such overlaps at run time (gather_i64) or fences
 * writes made before the first lookup (the memset in bag_counts).
 */
#include <stdint.h>
#include <string.h>

/* Copies rows of int64 values: out may overlap indices. */
void gather_i64(const int64_t *table, int64_t dim, const int64_t *indices, int64_t n, int64_t *out)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t idx = indices[i];
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] = table[idx * dim + d];
	}
}

/* Clears a scratch area, then sums the bags. The scratch area may overlap
 * the offsets: the bags then read the cleared offsets, as in the original. */
void bag_after_clear(const float *table, int64_t dim, const int64_t *indices,
                     const int64_t *offsets, int64_t num_bags, float *out, unsigned char *scratch,
                     size_t scratch_bytes)
{
	memset(scratch, 0, scratch_bytes);
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

/* bag_after_clear without the clearing: the function is its loop, so
 * that lanes may split it (checking out against the table at run time), and
 * each bag's lookups are tested per row for the row they add to unless that
 * check has found them apart. */
void bag_in_table(const float *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
                  int64_t num_bags, float *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

/* Sums int64 rows by bags: out has the element type of the indices, and the
 * range of indices read is only known by scanning the offsets. */
void bag_i64(const int64_t *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
             int64_t num_bags, int64_t *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

/* Copies row idx, then adds to it the sum of `reach` rows from row idx: two
 * reads of the same text whose columns run over different loops, so that a
 * run-time check bounding the first only would miss the second. */
void row_reach(const float *table, int64_t dim, const int64_t *indices, int64_t n, int64_t reach,
               float *out)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t idx = indices[i];
		float s = 0.0f;
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] = table[idx * dim + d];
		for (int64_t d = 0; d < reach * dim; d++)
			s += table[idx * dim + d];
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] += s;
	}
}

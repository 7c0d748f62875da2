/* Sum bag; whole output cleared with a single memset up front, then
 * indexed as out[b * dim + d]. */
#include <stdint.h>
#include <string.h>

void eb_memset_all_i64(const float *table, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, float *out)
{
	memset(out, 0, (size_t)num_bags * (size_t)dim * sizeof(float));
	for (int64_t b = 0; b < num_bags; b++)
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++)
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[indices[j] * dim + d];
}

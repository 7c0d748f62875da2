/* Validating sum bag: returns -1 on the first bad index, 0 otherwise.
 * int32 indices and offsets, output row cleared by a loop. */
#include <stdint.h>

int eb_checked_loopclear(const float *table, int32_t num_rows, int32_t dim,
                         const int32_t *indices, const int32_t *offsets,
                         int32_t num_bags, float *out)
{
	for (int32_t b = 0; b < num_bags; b++) {
		float *row_out = out + (int64_t)b * dim;
		for (int32_t d = 0; d < dim; d++)
			row_out[d] = 0.0f;
		for (int32_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int32_t idx = indices[j];
			if (idx < 0 || idx >= num_rows)
				return -1;
			const float *row = table + (int64_t)idx * dim;
			for (int32_t d = 0; d < dim; d++)
				row_out[d] += row[d];
		}
	}
	return 0;
}

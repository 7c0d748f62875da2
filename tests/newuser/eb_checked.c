/* Embedding bag, sum pooling, with index validation: returns 0 on success
 * and -1 as soon as an index is outside [0, num_rows). Rows already
 * produced stay in out. */
#include <stdint.h>
#include <string.h>

int eb_checked(const float *table, int64_t num_rows, int64_t dim,
               const int64_t *indices, const int64_t *offsets,
               int64_t num_bags, float *out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		float *row_out = out + b * dim;
		memset(row_out, 0, sizeof(float) * dim);
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			if (idx < 0 || idx >= num_rows)
				return -1;
			const float *row = table + idx * dim;
			for (int64_t d = 0; d < dim; d++)
				row_out[d] += row[d];
		}
	}
	return 0;
}

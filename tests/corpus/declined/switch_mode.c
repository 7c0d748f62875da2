// daec-expect: embedding_bag_any declined reason~=switch
/* One function for every pooling mode, selected by a switch inside the loops. */
#include <stdint.h>

enum pool_mode { POOL_SUM = 0, POOL_MEAN = 1, POOL_MAX = 2 };

void embedding_bag_any(const float *table, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, int mode, float *out)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		int64_t n = offsets[b + 1] - offsets[b];
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *row = table + indices[j] * dim;
			for (d = 0; d < dim; d++) {
				switch (mode) {
				case POOL_MAX:
					if (j == offsets[b] || row[d] > out[b * dim + d])
						out[b * dim + d] = row[d];
					break;
				default:
					out[b * dim + d] += row[d];
					break;
				}
			}
		}
		if (mode == POOL_MEAN && n > 0)
			for (d = 0; d < dim; d++)
				out[b * dim + d] /= (float)n;
	}
}

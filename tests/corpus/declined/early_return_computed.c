// daec-expect: bag_sum_checked declined reason~=computed
/*
 * Embedding bag that gives up (returns -1) when a partial sum becomes
 * infinite or NaN: a return decided by a computed value inside the loops.
 */
#include <math.h>
#include <stdint.h>

int bag_sum_checked(const float *table, int64_t dim, const int64_t *indices,
                    const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		float *o = out + b * dim;
		for (d = 0; d < dim; d++)
			o[d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *row = table + indices[j] * dim;
			for (d = 0; d < dim; d++) {
				o[d] += row[d];
				if (!isfinite(o[d]))
					return -1;
			}
		}
	}
	return 0;
}

// daec-expect: bag_sum_shared declined reason~=volatile
/*
 * Indices live in a buffer shared with a producer (another process writes
 * it, declared volatile): every read must happen exactly when the original
 * does it, so it cannot be read ahead.
 */
#include <stdint.h>

void bag_sum_shared(const float *table, int dim, const volatile int32_t *indices,
                    const int32_t *offsets, int nbags, float *out)
{
	int b, j, d;
	for (b = 0; b < nbags; b++) {
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int32_t r = indices[j];
			for (d = 0; d < dim; d++)
				out[b * dim + d] += table[r * dim + d];
		}
	}
}

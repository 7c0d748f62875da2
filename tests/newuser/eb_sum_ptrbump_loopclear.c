/* Sum bag, bumped output pointer, row cleared by a loop (no memset). */
#include <stdint.h>

void eb_sum_ptrbump_loopclear(const float *weight, int64_t dim, const int64_t *indices,
                              const int64_t *offsets, int64_t num_bags, float *out)
{
	float *o = out;
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t k = 0; k < dim; k++)
			o[k] = 0.0f;
		for (int64_t i = offsets[b]; i < offsets[b + 1]; i++) {
			const float *src = weight + indices[i] * dim;
			for (int64_t k = 0; k < dim; k++)
				o[k] += src[k];
		}
		o += dim;
	}
}

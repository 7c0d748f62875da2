/* Embedding bag, sum pooling. Legacy style: the output is cleared with
 * memset up front and walked with a bumped pointer. */
#include <stdint.h>
#include <string.h>

void eb_sum_ptrbump(const float *weight, int64_t dim, const int64_t *indices,
                    const int64_t *offsets, int64_t num_bags, float *out)
{
	float *o = out;
	int64_t b, i, k;

	memset(out, 0, sizeof(float) * num_bags * dim);
	for (b = 0; b < num_bags; b++) {
		for (i = offsets[b]; i < offsets[b + 1]; i++) {
			const float *src = weight + indices[i] * dim;
			for (k = 0; k < dim; k++)
				o[k] += src[k];
		}
		o += dim;
	}
}

/* SparseLengthsWeightedMean-ish: lengths + running position, per-sample
 * weights, mean by reciprocal, 32-bit indices and lengths, pointer-bumped
 * output. */
#include <stdint.h>
#include <stddef.h>

void sls_weighted_mean_len(const float *table, int32_t dim, const int32_t *indices,
                           const int32_t *lengths, const float *weights,
                           int32_t num_segments, float *out)
{
	int32_t pos = 0;
	float *o = out;
	for (int32_t s = 0; s < num_segments; s++) {
		int32_t len = lengths[s];
		for (int32_t d = 0; d < dim; d++)
			o[d] = 0.0f;
		for (int32_t i = 0; i < len; i++) {
			const float *row = table + (size_t)indices[pos] * dim;
			float w = weights[pos];
			for (int32_t d = 0; d < dim; d++)
				o[d] += w * row[d];
			pos++;
		}
		if (len) {
			const float inv = 1.0f / (float)len;
			for (int32_t d = 0; d < dim; d++)
				o[d] = o[d] * inv;
		}
		o += dim;
	}
}

// daec-expect: ebag_weighted_sum decoupled op~=weighted
/*
 * EmbeddingBag with per_sample_weights (mode "sum"), int32 indices and
 * offsets.  Pre-increment loops, restrict-qualified pointers.
 */
#include <stdint.h>

void ebag_weighted_sum(const float *restrict tbl, int32_t D,
                       const int32_t *restrict ind, const int32_t *restrict offs,
                       const float *restrict psw, int32_t nbag,
                       float *restrict y)
{
	for (int32_t b = 0; b < nbag; ++b) {
		for (int32_t k = 0; k < D; ++k)
			y[(int64_t)b * D + k] = 0.0f;
		for (int32_t i = offs[b]; i < offs[b + 1]; ++i) {
			const int64_t r = (int64_t)ind[i];
			const float wt = psw[i];
			for (int32_t k = 0; k < D; ++k)
				y[(int64_t)b * D + k] += wt * tbl[r * D + k];
		}
	}
}

// daec-expect: dequant_gather_8bit decoupled op~=gather
/*
 * 8-bit row-wise quantised table: row r is q[r*dim .. r*dim+dim) as uint8,
 * with its own scale and bias.  Gathering a token dequantises its row:
 *     out[i][d] = scale[r] * q[r][d] + bias[r]
 */
#include <stdint.h>

void dequant_gather_8bit(const uint8_t *q, const float *scale, const float *bias,
                         int32_t dim, const int32_t *tokens, int32_t ntok,
                         float *out)
{
	for (int32_t i = 0; i < ntok; i++) {
		int32_t idx = tokens[i];
		for (int32_t d = 0; d < dim; d++)
			out[(int64_t)i * dim + d] = scale[idx] * (float)q[(int64_t)idx * dim + d] + bias[idx];
	}
}

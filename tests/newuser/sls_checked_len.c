/* SparseLengthsSum with bounds checking: error code 1 if an index is out
 * of range, 2 if the lengths run past the index array, 0 otherwise. The
 * output is cleared with memset first. */
#include <stdint.h>
#include <string.h>
#include <stddef.h>

int sls_checked_len(const float *data, int64_t rows, int64_t block,
                    const int32_t *indices, int64_t index_size,
                    const int32_t *lengths, int64_t out_size, float *out)
{
	int64_t cur = 0;
	memset(out, 0, sizeof(float) * (size_t)(out_size * block));
	for (int64_t m = 0; m < out_size; m++) {
		if (cur + lengths[m] > index_size)
			return 2;
		for (int32_t i = 0; i < lengths[m]; i++, cur++) {
			int32_t idx = indices[cur];
			if (idx < 0 || idx >= rows)
				return 1;
			const float *src = data + (int64_t)idx * block;
			float *dst = out + m * block;
			for (int64_t k = 0; k < block; k++)
				dst[k] += src[k];
		}
	}
	return 0;
}

/* SparseLengthsSum: segments given by lengths, consumed with a running
 * position into the index array. int indices, size_t loop counters. */
#include <stddef.h>
#include <stdint.h>

void sls_lengths_sizet(const float *data, size_t block_size, const int *indices,
                       const int *lengths, size_t output_size, float *output)
{
	size_t pos = 0;
	for (size_t m = 0; m < output_size; ++m) {
		float *dst = output + m * block_size;
		for (size_t k = 0; k < block_size; ++k)
			dst[k] = 0.f;
		for (int i = 0; i < lengths[m]; ++i) {
			const float *src = data + (size_t)indices[pos] * block_size;
			for (size_t k = 0; k < block_size; ++k)
				dst[k] += src[k];
			++pos;
		}
	}
}

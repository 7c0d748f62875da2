// daec-expect: lengths_sum_goto declined reason~=goto
/* SparseLengthsSum with C-style error handling through goto. */
#include <stdint.h>

int lengths_sum_goto(const float *data, int64_t rows, int64_t dim, const int64_t *ind,
                     const int32_t *len, int32_t nseg, float *out)
{
	int64_t pos = 0, k;
	int32_t s, i;

	for (s = 0; s < nseg; s++) {
		for (k = 0; k < dim; k++)
			out[s * dim + k] = 0.0f;
		for (i = 0; i < len[s]; i++) {
			int64_t r = ind[pos++];
			if (r < 0 || r >= rows)
				goto bad_index;
			for (k = 0; k < dim; k++)
				out[s * dim + k] += data[r * dim + k];
		}
	}
	return 0;
bad_index:
	return -1;
}

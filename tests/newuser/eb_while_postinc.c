/* Old hand-tuned version: while loops everywhere and a post-incremented
 * output pointer. */
#include <stdint.h>

void eb_while_postinc(const float *table, int dim, const int64_t *indices,
                      const int64_t *offsets, int num_bags, float *out)
{
	float *o = out;
	int b = 0;
	while (b < num_bags) {
		int d = 0;
		while (d < dim) {
			*o++ = 0.0f;
			d++;
		}
		o -= dim;
		int64_t j = offsets[b];
		while (j < offsets[b + 1]) {
			const float *row = table + indices[j] * dim;
			d = 0;
			while (d < dim) {
				o[d] += row[d];
				d++;
			}
			j++;
		}
		o += dim;
		b++;
	}
}

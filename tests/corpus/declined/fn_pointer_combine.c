// daec-expect: bag_reduce_fn declined reason~=pointer|call
/*
 * Generic pooling: the combining operation is a function pointer chosen by
 * the caller; a call through a pointer may do anything.
 */
#include <stdint.h>

typedef float (*combine_fn)(float acc, float x);

void bag_reduce_fn(const float *table, int64_t dim, const int64_t *indices,
                   const int64_t *offsets, int64_t num_bags, combine_fn combine, float *out)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t r = indices[j];
			for (d = 0; d < dim; d++)
				out[b * dim + d] = combine(out[b * dim + d], table[r * dim + d]);
		}
	}
}

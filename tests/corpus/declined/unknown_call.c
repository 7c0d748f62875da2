// daec-expect: bag_sum_activated declined reason~=unknown function
// daec-expect: gather_traced declined reason~=unknown function
/*
 * Calls to functions daec knows nothing about (defined in another file):
 * they may read or write anything, including the index arrays.
 */
#include <stdint.h>

float activation(float x);
void trace_lookup(int64_t table_id, int64_t row);

void bag_sum_activated(const float *table, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++)
			for (d = 0; d < dim; d++)
				out[b * dim + d] += activation(table[indices[j] * dim + d]);
	}
}

void gather_traced(const float *table, int64_t dim, const int64_t *ids, int64_t n, float *out)
{
	int64_t i, d;
	for (i = 0; i < n; i++) {
		trace_lookup(7, ids[i]);
		for (d = 0; d < dim; d++)
			out[i * dim + d] = table[ids[i] * dim + d];
	}
}

// daec-expect: embedding_bag_sum_omp decoupled op~=sum todo: OpenMP parallel loops are declined until libdae runs lanes (one access/execute pair per thread)
/*
 * The bag loop is parallelised with OpenMP, as in most CPU inference code.
 * Each bag is written by one thread, in order, so the result does not depend
 * on the number of threads; a translation must give the same output.
 */
#include <stdint.h>

void embedding_bag_sum_omp(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *offsets,
                           int64_t num_bags, float *out)
{
	int64_t b;

#pragma omp parallel for
	for (b = 0; b < num_bags; b++) {
		int64_t j, d;
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

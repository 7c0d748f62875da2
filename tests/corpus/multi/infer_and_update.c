// daec-expect: emb_forward decoupled op~=sum
// daec-expect: emb_sgd_update decoupled
// daec-expect: remap_ids_inplace declined reason~=index array
/*
 * A small embedding module: forward (sum pooling), the sparse SGD step of
 * its backward pass, and the id remapping done before both.
 *
 * emb_sgd_update writes the rows it gathers: table[idx] -= lr * grad[bag].
 * Repeated ids update the same row in order; the row reads and writes are
 * floats and never decide an address, so the lookups can run ahead.
 * remap_ids_inplace rewrites the ids it reads: must be left alone.
 */
#include <stdint.h>

void emb_forward(const float *table, int64_t dim, const int64_t *indices,
                 const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

void emb_sgd_update(float *table, int64_t dim, const int64_t *indices,
                    const int64_t *offsets, int64_t num_bags, const float *grad_out, float lr)
{
	int64_t b, j, d;
	for (b = 0; b < num_bags; b++) {
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++)
				table[idx * dim + d] -= lr * grad_out[b * dim + d];
		}
	}
}

void remap_ids_inplace(int64_t *ids, int64_t n, const int64_t *remap)
{
	int64_t i;
	for (i = 0; i < n; i++)
		ids[i] = remap[ids[i]];
}

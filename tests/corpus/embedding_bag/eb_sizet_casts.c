// daec-expect: gather_reduce_sizet decoupled op~=sum
/*
 * size_t everywhere, with the casts an author adds to silence warnings;
 * the index is read inline, restrict on every pointer, pre-increments.
 */
#include <stddef.h>
#include <stdint.h>

void gather_reduce_sizet(const float *restrict weights, size_t emb_dim,
                         const size_t *restrict idx, const size_t *restrict offs,
                         size_t n_bags, float *restrict pooled)
{
	for (size_t bag = 0; bag < n_bags; ++bag) {
		for (size_t c = 0; c < emb_dim; ++c)
			pooled[bag * emb_dim + c] = (float)0;
		for (size_t k = offs[bag]; k < offs[bag + 1]; ++k)
			for (size_t c = 0; c < emb_dim; ++c)
				pooled[(size_t)bag * emb_dim + c] +=
				        weights[(size_t)idx[k] * (size_t)emb_dim + (size_t)c];
	}
}

// daec-expect: gather_rows decoupled op~=gather
/*
 * Row gather (torch.index_select on dim 0 / nn.Embedding forward): one
 * output row per token, copied element by element.
 */
#include <stdint.h>

void gather_rows(const float *src, int64_t num_rows, int64_t dim,
                 const int64_t *ids, int64_t n, float *dst)
{
	int64_t i, d;

	for (i = 0; i < n; i++) {
		const int64_t id = ids[i];
		for (d = 0; d < dim; d++)
			dst[i * dim + d] = src[id * dim + d];
	}
}

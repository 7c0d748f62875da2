// daec-expect: gin_aggregate_u32 decoupled op~=spmm
/*
 * GIN aggregation: h[v] = (1 + eps) * x[v] + sum_{u in N(v)} x[u].
 * Unsigned 32-bit CSR (graphs below 4G edges), the neighbour read inline.
 */
#include <stdint.h>

void gin_aggregate_u32(uint32_t num_nodes, uint32_t dim, float eps,
                       const uint32_t *offsets, const uint32_t *neighbors,
                       const float *x, float *h)
{
	uint32_t v, i, k;
	const float one_eps = 1.0f + eps;

	for (v = 0; v < num_nodes; v++) {
		for (k = 0; k < dim; k++)
			h[(uint64_t)v * dim + k] = one_eps * x[(uint64_t)v * dim + k];
		for (i = offsets[v]; i < offsets[v + 1]; i++)
			for (k = 0; k < dim; k++)
				h[(uint64_t)v * dim + k] += x[(uint64_t)neighbors[i] * dim + k];
	}
}

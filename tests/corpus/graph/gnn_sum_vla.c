// daec-expect: aggregate_sum decoupled op~=spmm
/*
 * GNN neighbourhood aggregation, "sum" reducer (GIN / GraphConv without
 * normalisation): h[v] = sum over neighbours u of x[u].  Features are C99
 * variable-length 2-D arrays x[num_src][F]; indptr/indices are int64 as
 * produced by PyG / DGL.
 */
#include <stdint.h>

void aggregate_sum(int64_t num_dst, int64_t num_src, int64_t F,
                   const int64_t *indptr, const int64_t *indices,
                   const float x[num_src][F], float h[num_dst][F])
{
	for (int64_t v = 0; v < num_dst; v++) {
		for (int64_t f = 0; f < F; f++)
			h[v][f] = 0.0f;
		for (int64_t e = indptr[v]; e < indptr[v + 1]; e++) {
			int64_t u = indices[e];
			for (int64_t f = 0; f < F; f++)
				h[v][f] += x[u][f];
		}
	}
}

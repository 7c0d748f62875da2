// daec-expect: mp_sum_in_edges decoupled op~=spmm todo: recognised op is named sparse-lengths-max: CSR arrays reached through a struct member are not recognised by name
/*
 * Message passing over in-edges (CSC of the edge list, sorted by
 * destination): node v receives, for every in-edge e = (src -> v), the
 * message w_e * h[src]; messages are summed, then ReLU.
 */
#include <math.h>
#include <stdint.h>

struct graph_csc {
	int32_t num_nodes;
	const int64_t *in_ptr; /* num_nodes + 1 */
	const int32_t *in_src; /* num_edges */
	const float *edge_w; /* num_edges */
};

void mp_sum_in_edges(const struct graph_csc *g, int32_t hidden, const float *h, float *h_out)
{
	int32_t v, k;
	int64_t e;

	for (v = 0; v < g->num_nodes; v++) {
		float *acc = &h_out[(int64_t)v * hidden];
		for (k = 0; k < hidden; k++)
			acc[k] = 0.0f;
		for (e = g->in_ptr[v]; e < g->in_ptr[v + 1]; e++) {
			const int32_t u = g->in_src[e];
			const float we = g->edge_w[e];
			for (k = 0; k < hidden; k++)
				acc[k] += we * h[(int64_t)u * hidden + k];
		}
		for (k = 0; k < hidden; k++)
			acc[k] = fmaxf(acc[k], 0.0f);
	}
}

/* Differential driver of graph/message_passing_in_edges.c (see corpus.h). */
#include "corpus.h"

struct graph_csc {
	int32_t num_nodes;
	const int64_t *in_ptr;
	const int32_t *in_src;
	const float *edge_w;
};

CC_BOTH(void, mp_sum_in_edges,
        (const struct graph_csc *g, int32_t hidden, const float *h, float *h_out));

static void t_mp(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t ne, *deg = cc_lengths(c, &ne);
	int64_t n = s->bags > s->rows ? s->bags : s->rows; /* nodes: destinations and sources */
	int64_t *in_ptr = cc_alloc(c, sizeof(int64_t) * (size_t)(n + 1));
	struct graph_csc g;
	float *h, *want, *got;
	size_t bytes;
	int64_t v;

	/* destinations 0 .. bags-1 have the generated degrees, the others none */
	in_ptr[0] = 0;
	for (v = 0; v < n; v++) {
		in_ptr[v + 1] = in_ptr[v] + (v < s->bags ? deg[v] : 0);
	}
	g.num_nodes = (int32_t)n;
	g.in_ptr = in_ptr;
	g.in_src = cc_as(c, cc_indices(c, ne), ne, 4);
	g.edge_w = cc_weights(c, ne);
	h = cc_f32(c, n * s->dim);
	bytes = sizeof(float) * (size_t)(n * s->dim);
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);

	orig_mp_sum_in_edges(&g, (int32_t)s->dim, h, want);
	CC_DAE(c, dae_mp_sum_in_edges(&g, (int32_t)s->dim, h, got));
	cc_same_f32(c, "h_out", want, got, n * s->dim);
	cc_need_decoupled(c, ne > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"mp_sum_in_edges", t_mp}};
	return cc_main(argc, argv, "message_passing_in_edges", tests, 1);
}

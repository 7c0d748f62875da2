/* Differential driver of graph/graphsage_mean.c (see corpus.h): square graph with
 * n = bags nodes; neighbours in [0, n). */
#include "corpus.h"

CC_BOTH(void, sage_mean_concat,
        (int n, int F, const int *adj_ptr, const int *adj, const float *x, float *out));

static void t_sage(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	int64_t n = s->bags;
	int *ap = cc_as(c, cc_offsets(c, deg, n), n + 1, sizeof(int));
	int *adj = cc_as(c, n > 0 ? cc_indices_below(c, nnz, n) : cc_indices(c, 0), nnz, sizeof(int));
	float *X = cc_f32(c, n * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * 2 * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_sage_mean_concat((int)n, (int)s->dim, ap, adj, X, want);
	CC_DAE(c, dae_sage_mean_concat((int)n, (int)s->dim, ap, adj, X, got));
	cc_same_f32(c, "out", want, got, n * 2 * s->dim);
	cc_need_decoupled(c, nnz > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"sage_mean_concat", t_sage}};
	return cc_main(argc, argv, "graphsage_mean", tests, 1);
}

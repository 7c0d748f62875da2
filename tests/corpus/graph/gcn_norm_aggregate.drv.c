/* Differential driver of graph/gcn_norm_aggregate.c (see corpus.h): square graph. */
#include "corpus.h"

CC_BOTH(void, gcn_aggregate,
        (int num_nodes, int feat, const int *rowptr, const int *colidx, const float *dinv,
         const float *x, float *out));

static void t_gcn(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	int64_t n = s->bags;
	int *rp = cc_as(c, cc_offsets(c, deg, n), n + 1, sizeof(int));
	int *ci = cc_as(c, cc_indices_below(c, nnz, n > 0 ? n : 1), nnz, sizeof(int));
	float *dinv = cc_f32(c, n), *x = cc_f32(c, n * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_gcn_aggregate((int)n, (int)s->dim, rp, ci, dinv, x, want);
	CC_DAE(c, dae_gcn_aggregate((int)n, (int)s->dim, rp, ci, dinv, x, got));
	cc_same_f32(c, "out", want, got, n * s->dim);
	cc_need_decoupled(c, nnz > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gcn_aggregate", t_gcn}};
	return cc_main(argc, argv, "gcn_norm_aggregate", tests, 1);
}

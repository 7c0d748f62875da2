/* Differential driver of graph/gnn_sum_vla.c (see corpus.h). */
#include "corpus.h"

void orig_aggregate_sum(int64_t num_dst, int64_t num_src, int64_t F, const int64_t *indptr,
                        const int64_t *indices, const float *x, float *h);
void dae_aggregate_sum(int64_t num_dst, int64_t num_src, int64_t F, const int64_t *indptr,
                       const int64_t *indices, const float *x, float *h);

static void t_sum(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	/* Array sizes must be positive (C11 6.7.6.2p5): with F or num_src 0 the
	 * original's parameter types are undefined already. */
	if (s->dim <= 0 || s->rows <= 0) {
		c->skipped = 1;
		return;
	}
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	int64_t *ip = cc_offsets(c, deg, s->bags);
	int64_t *ix = cc_indices(c, nnz);
	float *X = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_aggregate_sum(s->bags, s->rows, s->dim, ip, ix, X, want);
	CC_DAE(c, dae_aggregate_sum(s->bags, s->rows, s->dim, ip, ix, X, got));
	cc_same_f32(c, "h", want, got, s->bags * s->dim);
	cc_need_decoupled(c, nnz > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"aggregate_sum", t_sum}};
	return cc_main(argc, argv, "gnn_sum_vla", tests, 1);
}

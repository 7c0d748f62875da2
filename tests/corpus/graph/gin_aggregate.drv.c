/* Differential driver of graph/gin_aggregate.c (see corpus.h): square graph. */
#include "corpus.h"

CC_BOTH(void, gin_aggregate_u32,
        (uint32_t num_nodes, uint32_t dim, float eps, const uint32_t *offsets,
         const uint32_t *neighbors, const float *x, float *h));

static void t_gin(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nnz, *deg = cc_lengths(c, &nnz);
	int64_t n = s->bags;
	uint32_t *off = cc_as(c, cc_offsets(c, deg, n), n + 1, 4);
	uint32_t *nb = cc_as(c, cc_indices_below(c, nnz, n > 0 ? n : 1), nnz, 4);
	float *x = cc_f32(c, n * s->dim);
	float eps = dc_float(&c->r);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_gin_aggregate_u32((uint32_t)n, (uint32_t)s->dim, eps, off, nb, x, want);
	CC_DAE(c, dae_gin_aggregate_u32((uint32_t)n, (uint32_t)s->dim, eps, off, nb, x, got));
	cc_same_f32(c, "h", want, got, n * s->dim);
	cc_need_decoupled(c, nnz > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gin_aggregate_u32", t_gin}};
	return cc_main(argc, argv, "gin_aggregate", tests, 1);
}

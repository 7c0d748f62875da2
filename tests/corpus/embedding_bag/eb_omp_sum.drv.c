/* Differential driver of embedding_bag/eb_omp_sum.c (see corpus.h); OMP_NUM_THREADS=2. */
#include "corpus.h"

CC_BOTH(void, embedding_bag_sum_omp,
        (const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
         const int64_t *offsets, int64_t num_bags, float *out));

static void t_omp(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_embedding_bag_sum_omp(w, s->rows, s->dim, ix, off, s->bags, want);
	CC_DAE(c, dae_embedding_bag_sum_omp(w, s->rows, s->dim, ix, off, s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"embedding_bag_sum_omp", t_omp}};
	return cc_main(argc, argv, "eb_omp_sum", tests, 1);
}

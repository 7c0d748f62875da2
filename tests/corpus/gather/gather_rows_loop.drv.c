/* Differential driver of gather/gather_rows_loop.c (see corpus.h): one row per lookup. */
#include "corpus.h"

CC_BOTH(void, gather_rows,
        (const float *src, int64_t num_rows, int64_t dim, const int64_t *ids, int64_t n,
         float *dst));

static void t_gather(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	orig_gather_rows(w, s->rows, s->dim, ix, n, want);
	CC_DAE(c, dae_gather_rows(w, s->rows, s->dim, ix, n, got));
	cc_same_f32(c, "dst", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gather_rows", t_gather}};
	return cc_main(argc, argv, "gather_rows_loop", tests, 1);
}

/* Differential driver of gather/gather_memcpy.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, lookup_rows_memcpy,
        (float *dst, const float *table, size_t width, const int *ids, int count));

static void t_memcpy(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	orig_lookup_rows_memcpy(want, w, (size_t)s->dim, ix, (int)n);
	CC_DAE(c, dae_lookup_rows_memcpy(got, w, (size_t)s->dim, ix, (int)n));
	cc_same_f32(c, "dst", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"lookup_rows_memcpy", t_memcpy}};
	return cc_main(argc, argv, "gather_memcpy", tests, 1);
}

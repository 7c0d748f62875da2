/* Differential driver of gather/gather_i32_rows.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, gather_int_rows,
        (const int32_t *tab, int32_t width, const int32_t *sel, int32_t n, int32_t *dst));

static void t_i32(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	int32_t *tab = cc_alloc(c, sizeof(int32_t) * (size_t)(s->rows * s->dim) + 1);
	size_t bytes = sizeof(int32_t) * (size_t)(n * s->dim);
	int32_t *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	dc_fill_bytes(&c->r, tab, sizeof(int32_t) * (size_t)(s->rows * s->dim));
	orig_gather_int_rows(tab, (int32_t)s->dim, ix, (int32_t)n, want);
	CC_DAE(c, dae_gather_int_rows(tab, (int32_t)s->dim, ix, (int32_t)n, got));
	cc_same_bytes(c, "dst", want, got, bytes, 4);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gather_int_rows", t_i32}};
	return cc_main(argc, argv, "gather_i32_rows", tests, 1);
}

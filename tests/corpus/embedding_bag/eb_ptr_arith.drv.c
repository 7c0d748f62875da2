/* Differential driver of embedding_bag/eb_ptr_arith.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, pool_rows_ptr,
        (const float *table, size_t dim, const uint32_t *ids, const uint32_t *bounds,
         size_t nbags, float *out));
CC_BOTH(void, pool_rows_cursor,
        (const float *table, size_t dim, const uint32_t *ids, const uint32_t *bounds,
         size_t nbags, float *out));

static void run(struct cc *c, int which)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	uint32_t *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, 4);
	uint32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	if (which == 0) {
		orig_pool_rows_ptr(w, (size_t)s->dim, ix, off, (size_t)s->bags, want);
		CC_DAE(c, dae_pool_rows_ptr(w, (size_t)s->dim, ix, off, (size_t)s->bags, got));
	} else {
		orig_pool_rows_cursor(w, (size_t)s->dim, ix, off, (size_t)s->bags, want);
		CC_DAE(c, dae_pool_rows_cursor(w, (size_t)s->dim, ix, off, (size_t)s->bags, got));
	}
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

static void t_ptr(struct cc *c) { run(c, 0); }
static void t_cursor(struct cc *c) { run(c, 1); }

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"pool_rows_ptr", t_ptr},
	                                       {"pool_rows_cursor", t_cursor}};
	return cc_main(argc, argv, "eb_ptr_arith", tests, 2);
}

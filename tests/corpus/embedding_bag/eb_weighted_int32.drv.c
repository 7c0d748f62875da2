/* Differential driver of embedding_bag/eb_weighted_int32.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, ebag_weighted_sum,
        (const float *tbl, int32_t D, const int32_t *ind, const int32_t *offs, const float *psw,
         int32_t nbag, float *y));

static void t_ws(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, 4);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	float *psw = cc_weights(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_ebag_weighted_sum(w, (int32_t)s->dim, ix, off, psw, (int32_t)s->bags, want);
	CC_DAE(c, dae_ebag_weighted_sum(w, (int32_t)s->dim, ix, off, psw, (int32_t)s->bags, got));
	cc_same_f32(c, "y", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"ebag_weighted_sum", t_ws}};
	return cc_main(argc, argv, "eb_weighted_int32", tests, 1);
}

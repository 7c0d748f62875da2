/* Differential driver of qr/qr_concat_mean.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, qr_concat_mean,
        (const float *Qt, const float *Rt, unsigned m, int dim, const int *ids, const int *offsets,
         int nbags, float *out));

static void t_qr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(int));
	int *ids = cc_as(c, cc_indices(c, n), n, sizeof(int));
	int64_t m = dc_range(&c->r, 1, 100), nq = (s->rows + m - 1) / m;
	float *Q = cc_f32(c, nq * s->dim), *R = cc_f32(c, m * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * 2 * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	cc_notef(c, "m=%" PRId64, m);
	orig_qr_concat_mean(Q, R, (unsigned)m, (int)s->dim, ids, off, (int)s->bags, want);
	CC_DAE(c, dae_qr_concat_mean(Q, R, (unsigned)m, (int)s->dim, ids, off, (int)s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * 2 * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"qr_concat_mean", t_qr}};
	return cc_main(argc, argv, "qr_concat_mean", tests, 1);
}

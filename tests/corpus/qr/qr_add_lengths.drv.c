/* Differential driver of qr/qr_add_lengths.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, QRSparseLengthsSum,
        (const float *q_table, const float *r_table, int32_t num_collisions, int32_t block,
         const int32_t *ids, const int32_t *lengths, int32_t num_segments, float *out));

static void t_qr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *len32 = cc_as(c, len, s->bags, 4);
	int32_t *ids = cc_as(c, cc_indices(c, n), n, 4);
	int64_t m = dc_range(&c->r, 1, 64), nq = (s->rows + m - 1) / m;
	float *Q = cc_f32(c, nq * s->dim), *R = cc_f32(c, m * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	cc_notef(c, "m=%" PRId64, m);
	orig_QRSparseLengthsSum(Q, R, (int32_t)m, (int32_t)s->dim, ids, len32, (int32_t)s->bags, want);
	CC_DAE(c, dae_QRSparseLengthsSum(Q, R, (int32_t)m, (int32_t)s->dim, ids, len32,
	                                 (int32_t)s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"QRSparseLengthsSum", t_qr}};
	return cc_main(argc, argv, "qr_add_lengths", tests, 1);
}

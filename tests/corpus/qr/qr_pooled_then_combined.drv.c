/* Differential driver of qr/qr_pooled_then_combined.c (see corpus.h): the scratch
 * buffers are outputs too and are compared. */
#include "corpus.h"

CC_BOTH(void, qr_emb_forward,
        (const float *weight_q, const float *weight_r, int64_t num_collisions, int64_t dim,
         const int64_t *input, const int64_t *offsets, int64_t num_bags, float *pooled_q,
         float *pooled_r, float *out));

static void t_qr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ids = cc_indices(c, n);
	int64_t m = dc_range(&c->r, 1, s->rows), nq = (s->rows + m - 1) / m;
	float *Q = cc_f32(c, nq * s->dim), *R = cc_f32(c, m * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	float *pqw = cc_out(c, bytes), *pqg = cc_twin(c, pqw, bytes);
	float *prw = cc_out(c, bytes), *prg = cc_twin(c, prw, bytes);

	cc_notef(c, "m=%" PRId64, m);
	orig_qr_emb_forward(Q, R, m, s->dim, ids, off, s->bags, pqw, prw, want);
	CC_DAE(c, dae_qr_emb_forward(Q, R, m, s->dim, ids, off, s->bags, pqg, prg, got));
	(void)(cc_same_f32(c, "out", want, got, s->bags * s->dim) ||
	       cc_same_f32(c, "pooled_q", pqw, pqg, s->bags * s->dim) ||
	       cc_same_f32(c, "pooled_r", prw, prg, s->bags * s->dim));
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"qr_emb_forward", t_qr}};
	return cc_main(argc, argv, "qr_pooled_then_combined", tests, 1);
}

/* Differential driver of qr/qr_hashed_mean.c (see corpus.h): ids are full 64-bit hashes. */
#include "corpus.h"

CC_BOTH(void, qr_hash_bag,
        (const float *Q, int64_t nq, const float *R, int64_t m, int64_t D,
         const uint64_t *hashed_ids, const int64_t *bag_off, const float *bag_scale, int64_t B,
         float *Y));

static void t_qr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), j;
	int64_t *off = cc_offsets(c, len, s->bags);
	uint64_t *h = cc_alloc(c, sizeof(uint64_t) * (size_t)(n + 1));
	int64_t m = dc_range(&c->r, 1, 97), nq = dc_range(&c->r, 1, s->rows);
	float *Q = cc_f32(c, nq * s->dim), *R = cc_f32(c, m * s->dim), *sc = cc_weights(c, s->bags);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	for (j = 0; j < n; j++) {
		/* duplicates when the shape asks for them */
		h[j] = s->one_row >= 0 ? (uint64_t)s->one_row * 0x9e3779b97f4a7c15ull : dc_next(&c->r);
	}
	cc_notef(c, "m=%" PRId64 " nq=%" PRId64, m, nq);
	orig_qr_hash_bag(Q, nq, R, m, s->dim, h, off, sc, s->bags, want);
	CC_DAE(c, dae_qr_hash_bag(Q, nq, R, m, s->dim, h, off, sc, s->bags, got));
	cc_same_f32(c, "Y", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"qr_hash_bag", t_qr}};
	return cc_main(argc, argv, "qr_hashed_mean", tests, 1);
}

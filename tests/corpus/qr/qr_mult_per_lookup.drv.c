/* Differential driver of qr/qr_mult_per_lookup.c (see corpus.h): ids in [0, rows),
 * m in [1, rows]. */
#include "corpus.h"

CC_BOTH(void, qr_embedding_bag_mult,
        (const float *Q, const float *R, int64_t m, int64_t dim, const int64_t *ids,
         const int64_t *offsets, int64_t num_bags, float *out));

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

	cc_notef(c, "m=%" PRId64, m);
	orig_qr_embedding_bag_mult(Q, R, m, s->dim, ids, off, s->bags, want);
	CC_DAE(c, dae_qr_embedding_bag_mult(Q, R, m, s->dim, ids, off, s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"qr_embedding_bag_mult", t_qr}};
	return cc_main(argc, argv, "qr_mult_per_lookup", tests, 1);
}

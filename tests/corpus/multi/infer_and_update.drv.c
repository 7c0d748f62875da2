/* Differential driver of multi/infer_and_update.c (see corpus.h): the two decoupled
 * functions (remap_ids_inplace is expected to be declined). */
#include "corpus.h"

CC_BOTH(void, emb_forward,
        (const float *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
         int64_t num_bags, float *out));
CC_BOTH(void, emb_sgd_update,
        (float *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
         int64_t num_bags, const float *grad_out, float lr));

static void t_fwd(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_emb_forward(w, s->dim, ix, off, s->bags, want);
	CC_DAE(c, dae_emb_forward(w, s->dim, ix, off, s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

static void t_sgd(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ix = cc_indices(c, n);
	float *grad = cc_f32(c, s->bags * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->rows * s->dim);
	float *want = cc_out(c, bytes), *got;
	float lr = dc_float(&c->r);

	memcpy(want, cc_f32(c, s->rows * s->dim), bytes);
	got = cc_twin(c, want, bytes);
	orig_emb_sgd_update(want, s->dim, ix, off, s->bags, grad, lr);
	CC_DAE(c, dae_emb_sgd_update(got, s->dim, ix, off, s->bags, grad, lr));
	cc_same_f32(c, "table", want, got, s->rows * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"emb_forward", t_fwd}, {"emb_sgd_update", t_sgd}};
	return cc_main(argc, argv, "infer_and_update", tests, 2);
}

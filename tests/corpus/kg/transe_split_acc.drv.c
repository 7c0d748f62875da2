/* Differential driver of kg/transe_split_acc.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, transe_l2sq_split,
        (const float *E, const float *R, int64_t dim, const int32_t *h, const int32_t *r,
         const int32_t *t, int64_t n, float *dist));
CC_BOTH(float, margin_ranking_loss,
        (const float *E, const float *R, int64_t dim, float margin, const int32_t *h,
         const int32_t *r, const int32_t *t_pos, const int32_t *t_neg, int64_t n));

static void run(struct cc *c, int which)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), nrel = s->rows / 4 + 1;
	int32_t *h = cc_as(c, cc_indices(c, n), n, 4);
	int32_t *r = cc_as(c, cc_indices_below(c, n, nrel), n, 4);
	int32_t *t = cc_as(c, cc_indices(c, n), n, 4);
	int32_t *tn = cc_as(c, cc_indices(c, n), n, 4);
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(float) * (size_t)n;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	if (which == 0) {
		orig_transe_l2sq_split(E, R, s->dim, h, r, t, n, want);
		CC_DAE(c, dae_transe_l2sq_split(E, R, s->dim, h, r, t, n, got));
		cc_same_f32(c, "dist", want, got, n);
	} else {
		float margin = dc_float(&c->r) * 4.0f, rw, rg;
		rw = orig_margin_ranking_loss(E, R, s->dim, margin, h, r, t, tn, n);
		CC_DAE(c, rg = dae_margin_ranking_loss(E, R, s->dim, margin, h, r, t, tn, n));
		cc_same_ret_f32(c, rw, rg);
	}
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

static void t_split(struct cc *c) { run(c, 0); }
static void t_loss(struct cc *c) { run(c, 1); }

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"transe_l2sq_split", t_split},
	                                       {"margin_ranking_loss", t_loss}};
	return cc_main(argc, argv, "transe_split_acc", tests, 2);
}

/* Differential driver of sparse_dot/sdot_rows_logreg.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, lr_score_batch,
        (int n_ex, const int *ex_ptr, const int *feat, const float *fval, const float *w,
         float bias, float *score));

static void t_lr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *ep = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(int));
	int *ft = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *fv = cc_weights(c, n), *w = cc_f32(c, s->rows);
	float bias = dc_float(&c->r);
	size_t bytes = sizeof(float) * (size_t)s->bags;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	orig_lr_score_batch((int)s->bags, ep, ft, fv, w, bias, want);
	CC_DAE(c, dae_lr_score_batch((int)s->bags, ep, ft, fv, w, bias, got));
	cc_same_f32(c, "score", want, got, s->bags);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"lr_score_batch", t_lr}};
	return cc_main(argc, argv, "sdot_rows_logreg", tests, 1);
}

/* Differential driver of embedding_bag/eb_modes.c (see corpus.h): all three functions. */
#include "corpus.h"

CC_BOTH(void, eb_fwd_sum,
        (const float *W, int64_t D, const int64_t *I, const int64_t *O, int64_t B, float *Y));
CC_BOTH(void, eb_fwd_mean,
        (const float *W, int64_t D, const int64_t *I, const int64_t *O, int64_t B, float *Y));
CC_BOTH(void, eb_fwd_weighted,
        (const float *W, int64_t D, const int64_t *I, const float *P, const int64_t *O,
         int64_t B, float *Y));

static void run(struct cc *c, int mode)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ix = cc_indices(c, n);
	float *p = cc_weights(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	if (mode == 0) {
		orig_eb_fwd_sum(w, s->dim, ix, off, s->bags, want);
		CC_DAE(c, dae_eb_fwd_sum(w, s->dim, ix, off, s->bags, got));
	} else if (mode == 1) {
		orig_eb_fwd_mean(w, s->dim, ix, off, s->bags, want);
		CC_DAE(c, dae_eb_fwd_mean(w, s->dim, ix, off, s->bags, got));
	} else {
		orig_eb_fwd_weighted(w, s->dim, ix, p, off, s->bags, want);
		CC_DAE(c, dae_eb_fwd_weighted(w, s->dim, ix, p, off, s->bags, got));
	}
	cc_same_f32(c, "Y", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

static void t_sum(struct cc *c) { run(c, 0); }
static void t_mean(struct cc *c) { run(c, 1); }
static void t_weighted(struct cc *c) { run(c, 2); }

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {
	        {"eb_fwd_sum", t_sum}, {"eb_fwd_mean", t_mean}, {"eb_fwd_weighted", t_weighted}};
	return cc_main(argc, argv, "eb_modes", tests, 3);
}

/* Differential driver of gather/gather_llm_encoder.c (see corpus.h).
 * bags = B (sequences), the lookups of a bag = T (same T for all: T = pool-ish). */
#include "corpus.h"

CC_BOTH(void, encoder_forward, (float *out, int *inp, float *wte, float *wpe, int B, int T, int C));

static void t_enc(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t B = s->bags, T, n;
	int *inp;
	float *wte, *wpe, *want, *got;
	size_t bytes;

	T = s->fixed_len >= 0 ? s->fixed_len : dc_range(&c->r, 0, 2 * s->pool + 1);
	if (B > 2000) { /* 20000 bags of one: keep it one long sequence batch */
		T = B / 1000;
		B = 1000;
	}
	n = B * T;
	inp = cc_as(c, cc_indices(c, n), n, sizeof(int));
	wte = cc_f32(c, s->rows * s->dim);
	wpe = cc_f32(c, T * s->dim);
	bytes = sizeof(float) * (size_t)(n * s->dim);
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);
	cc_notef(c, "B=%" PRId64 " T=%" PRId64, B, T);

	orig_encoder_forward(want, inp, wte, wpe, (int)B, (int)T, (int)s->dim);
	CC_DAE(c, dae_encoder_forward(got, inp, wte, wpe, (int)B, (int)T, (int)s->dim));
	cc_same_f32(c, "out", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"encoder_forward", t_enc}};
	return cc_main(argc, argv, "gather_llm_encoder", tests, 1);
}

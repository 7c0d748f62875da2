/* Differential driver of gather/gather_token_embed.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, embed_tokens,
        (float *x, const int32_t *token_ids, int n_tokens, int start_pos, const float *wte,
         const float *pos_emb, int d_model));

static void t_embed(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	int start = (int)dc_below(&c->r, 64);
	float *wte = cc_f32(c, s->rows * s->dim);
	float *pos = cc_f32(c, (n + 64) * s->dim);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	cc_notef(c, "start_pos=%d", start);
	orig_embed_tokens(want, ix, (int)n, start, wte, pos, (int)s->dim);
	CC_DAE(c, dae_embed_tokens(got, ix, (int)n, start, wte, pos, (int)s->dim));
	cc_same_f32(c, "x", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"embed_tokens", t_embed}};
	return cc_main(argc, argv, "gather_token_embed", tests, 1);
}

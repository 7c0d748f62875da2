/* Differential driver of gather/gather_dequant_u8.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, dequant_gather_8bit,
        (const uint8_t *q, const float *scale, const float *bias, int32_t dim,
         const int32_t *tokens, int32_t ntok, float *out));

static void t_dq(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int32_t *ix = cc_as(c, cc_indices(c, n), n, 4);
	uint8_t *q = cc_alloc(c, (size_t)(s->rows * s->dim) + 1);
	float *scale = cc_f32(c, s->rows), *bias = cc_f32(c, s->rows);
	size_t bytes = sizeof(float) * (size_t)(n * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	dc_fill_bytes(&c->r, q, (size_t)(s->rows * s->dim));
	orig_dequant_gather_8bit(q, scale, bias, (int32_t)s->dim, ix, (int32_t)n, want);
	CC_DAE(c, dae_dequant_gather_8bit(q, scale, bias, (int32_t)s->dim, ix, (int32_t)n, got));
	cc_same_f32(c, "out", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"dequant_gather_8bit", t_dq}};
	return cc_main(argc, argv, "gather_dequant_u8", tests, 1);
}

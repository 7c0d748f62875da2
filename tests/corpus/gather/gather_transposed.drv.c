/* Differential driver of gather/gather_transposed.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, gather_cols_major, (const float *emb, int dim, const long *ix, int n, float *outT));
CC_BOTH(void, gather_strided,
        (const float *emb, int dim, const long *ix, int n, float *out, int ld));

static void run(struct cc *c, int which)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	long *ix = cc_as(c, cc_indices(c, n), n, sizeof(long));
	float *w = cc_f32(c, s->rows * s->dim);
	int ld = (int)(s->dim + dc_below(&c->r, 5));
	size_t bytes = sizeof(float) * (size_t)(n * (which ? ld : s->dim));
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	if (which == 0) {
		orig_gather_cols_major(w, (int)s->dim, ix, (int)n, want);
		CC_DAE(c, dae_gather_cols_major(w, (int)s->dim, ix, (int)n, got));
	} else {
		cc_notef(c, "ld=%d", ld);
		orig_gather_strided(w, (int)s->dim, ix, (int)n, want, ld);
		CC_DAE(c, dae_gather_strided(w, (int)s->dim, ix, (int)n, got, ld));
	}
	cc_same_f32(c, "out", want, got, (int64_t)(bytes / sizeof(float)));
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

static void t_cols(struct cc *c) { run(c, 0); }
static void t_strided(struct cc *c) { run(c, 1); }

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"gather_cols_major", t_cols},
	                                       {"gather_strided", t_strided}};
	return cc_main(argc, argv, "gather_transposed", tests, 2);
}

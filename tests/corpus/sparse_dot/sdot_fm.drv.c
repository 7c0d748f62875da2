/* Differential driver of sparse_dot/sdot_fm.c (see corpus.h).  fm_pairwise reads
 * nnz * k rows entries: nnz is capped so that the largest cases stay quick. */
#include "corpus.h"

CC_BOTH(float, fm_linear, (float w0, const float *w, int nnz, const int *idx, const float *x));
CC_BOTH(float, fm_pairwise, (const float *V, int k, int nnz, const int *idx, const float *x));

static void t_lin(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	float *x = cc_weights(c, n), *w = cc_f32(c, s->rows);
	float w0 = dc_float(&c->r), rw, rg;

	(void)len;
	rw = orig_fm_linear(w0, w, (int)n, ix, x);
	CC_DAE(c, rg = dae_fm_linear(w0, w, (int)n, ix, x));
	cc_same_ret_f32(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

static void t_pair(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *ix;
	float *x, *V, rw, rg;

	(void)len;
	if (n * s->dim > 400000) {
		n = 400000 / (s->dim ? s->dim : 1);
	}
	ix = cc_as(c, cc_indices(c, n), n, sizeof(int));
	x = cc_weights(c, n);
	V = cc_f32(c, s->rows * s->dim);
	rw = orig_fm_pairwise(V, (int)s->dim, (int)n, ix, x);
	CC_DAE(c, rg = dae_fm_pairwise(V, (int)s->dim, (int)n, ix, x));
	cc_same_ret_f32(c, rw, rg);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"fm_linear", t_lin}, {"fm_pairwise", t_pair}};
	return cc_main(argc, argv, "sdot_fm", tests, 2);
}

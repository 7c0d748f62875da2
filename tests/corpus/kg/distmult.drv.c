/* Differential driver of kg/distmult.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, distmult_forward,
        (const int64_t triples[][3], int n, const float *E, const float *R, int D, double *score));

static void t_dm(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), nrel = s->rows / 3 + 1, i;
	int64_t(*tr)[3] = cc_alloc(c, sizeof(int64_t[3]) * (size_t)(n + 1));
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(double) * (size_t)n;
	double *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	for (i = 0; i < n; i++) {
		tr[i][0] = cc_index_below(c, s->rows);
		tr[i][1] = cc_index_below(c, nrel);
		tr[i][2] = cc_index_below(c, s->rows);
	}
	orig_distmult_forward((const int64_t(*)[3])tr, (int)n, E, R, (int)s->dim, want);
	CC_DAE(c, dae_distmult_forward((const int64_t(*)[3])tr, (int)n, E, R, (int)s->dim, got));
	cc_same_f64(c, "score", want, got, n);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"distmult_forward", t_dm}};
	return cc_main(argc, argv, "distmult", tests, 1);
}

/* Differential driver of kg/kg_rank_candidates.c (see corpus.h): candidates = all lookups. */
#include "corpus.h"

CC_BOTH(int, rank_tails_distmult,
        (const float *E, const float *R, int dim, int h, int r, const int *cand, int ncand,
         float *q, float *scores));

static void t_rank(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), nrel = 9;
	int *cand = cc_as(c, cc_indices(c, n), n, sizeof(int));
	int h = (int)cc_index_below(c, s->rows), r = (int)cc_index_below(c, nrel);
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(float) * (size_t)n, qbytes = sizeof(float) * (size_t)s->dim;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	float *qw = cc_out(c, qbytes), *qg = cc_twin(c, qw, qbytes);
	int rw, rg;

	(void)len;
	rw = orig_rank_tails_distmult(E, R, (int)s->dim, h, r, cand, (int)n, qw, want);
	CC_DAE(c, rg = dae_rank_tails_distmult(E, R, (int)s->dim, h, r, cand, (int)n, qg, got));
	cc_same_ret_i64(c, rw, rg);
	cc_same_f32(c, "scores", want, got, n);
	cc_same_f32(c, "q", qw, qg, s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"rank_tails_distmult", t_rank}};
	return cc_main(argc, argv, "kg_rank_candidates", tests, 1);
}

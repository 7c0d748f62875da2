/* Differential driver of graph/pagerank_pull.c (see corpus.h): square graph of bags nodes. */
#include "corpus.h"

CC_BOTH(double, pagerank_pull_step,
        (int n, const int *in_ptr, const int *in_src, const int *outdeg, const double *pr,
         double damping, double *next));

static void t_pr(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t ne, *deg = cc_lengths(c, &ne);
	int64_t n = s->bags, v;
	int *ip = cc_as(c, cc_offsets(c, deg, n), n + 1, sizeof(int));
	int *src = cc_as(c, cc_indices_below(c, ne, n > 0 ? n : 1), ne, sizeof(int));
	int *outdeg = cc_alloc(c, sizeof(int) * (size_t)(n + 1));
	double *pr = cc_f64(c, n);
	size_t bytes = sizeof(double) * (size_t)n;
	double *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	double rw, rg;

	for (v = 0; v < n; v++) {
		outdeg[v] = 1 + (int)dc_below(&c->r, 50);
		pr[v] = fabs(pr[v]);
	}
	rw = orig_pagerank_pull_step((int)n, ip, src, outdeg, pr, 0.85, want);
	CC_DAE(c, rg = dae_pagerank_pull_step((int)n, ip, src, outdeg, pr, 0.85, got));
	cc_same_ret_f64(c, rw, rg);
	cc_same_f64(c, "next", want, got, n);
	cc_need_decoupled(c, ne > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"pagerank_pull_step", t_pr}};
	return cc_main(argc, argv, "pagerank_pull", tests, 1);
}

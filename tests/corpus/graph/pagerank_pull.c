// daec-expect: pagerank_pull_step decoupled op~=spmv
/*
 * One pull-style PageRank iteration over in-edges:
 *   next[v] = (1 - d) / n + d * sum over in-edges (u -> v) of pr[u] / outdeg[u]
 * Returns the L1 distance between pr and next (a dense loop, no lookup).
 * Every u with an in-edge out of it has outdeg[u] >= 1.
 */
#include <math.h>

double pagerank_pull_step(int n, const int *in_ptr, const int *in_src,
                          const int *outdeg, const double *pr, double damping,
                          double *next)
{
	int v, e;
	double base = (1.0 - damping) / (double)n;
	double diff = 0.0;

	for (v = 0; v < n; v++) {
		double s = 0.0;
		for (e = in_ptr[v]; e < in_ptr[v + 1]; e++) {
			int u = in_src[e];
			s += pr[u] / (double)outdeg[u];
		}
		next[v] = base + damping * s;
	}
	for (v = 0; v < n; v++)
		diff += fabs(next[v] - pr[v]);
	return diff;
}

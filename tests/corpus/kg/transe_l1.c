// daec-expect: transe_l1_batch decoupled op~=kg
/*
 * TransE scores with the L1 norm for a batch of (head, relation, tail)
 * triples given as three parallel id arrays:
 *     score_i = -sum_d |E[h_i][d] + R[r_i][d] - E[t_i][d]|
 */
#include <math.h>

void transe_l1_batch(const float *ent, const float *rel, int dim,
                     const int *heads, const int *rels, const int *tails,
                     int n, float *scores)
{
	int i, d;

	for (i = 0; i < n; i++) {
		const float *h = ent + (long)heads[i] * dim;
		const float *r = rel + (long)rels[i] * dim;
		const float *t = ent + (long)tails[i] * dim;
		float s = 0.0f;

		for (d = 0; d < dim; d++)
			s += fabsf(h[d] + r[d] - t[d]);
		scores[i] = -s;
	}
}

// daec-expect: distmult_forward decoupled op~=kg
/*
 * DistMult: score(h, r, t) = sum_d E[h][d] * R[r][d] * E[t][d].
 * Triples as an n x 3 int64 array (h, r, t), double accumulation.
 */
#include <stdint.h>

void distmult_forward(const int64_t triples[][3], int n, const float *E, const float *R,
                      int D, double *score)
{
	int i, d;
	for (i = 0; i < n; ++i) {
		const int64_t h = triples[i][0];
		const int64_t r = triples[i][1];
		const int64_t t = triples[i][2];
		double acc = 0.0;
		for (d = 0; d < D; ++d)
			acc += (double)(E[h * D + d] * R[r * D + d]) * (double)E[t * D + d];
		score[i] = acc;
	}
}

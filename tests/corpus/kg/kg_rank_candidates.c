// daec-expect: rank_tails_distmult decoupled op~=kg todo: recognised op is named lookup: scoring one query against many candidates is not recognised as KG scoring
/*
 * Link prediction: score the query (h, r, ?) against a list of candidate
 * tails with DistMult and return the position of the best one (first on
 * ties); every score is written out.  q = E[h] * R[r] is formed once in a
 * caller-provided scratch row.
 */

int rank_tails_distmult(const float *E, const float *R, int dim, int h, int r,
                        const int *cand, int ncand, float *q, float *scores)
{
	int best = -1;
	float best_s = 0.0f;
	int k, d;

	for (d = 0; d < dim; d++)
		q[d] = E[h * dim + d] * R[r * dim + d];
	for (k = 0; k < ncand; k++) {
		const float *et = E + cand[k] * dim;
		float s = 0.0f;
		for (d = 0; d < dim; d++)
			s += q[d] * et[d];
		scores[k] = s;
		if (best < 0 || s > best_s) {
			best = k;
			best_s = s;
		}
	}
	return best;
}

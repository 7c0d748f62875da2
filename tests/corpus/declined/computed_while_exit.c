// daec-expect: accumulate_until_budget declined reason~=computed
/*
 * Adds rows of the bag until the squared norm of the accumulator reaches a
 * budget: the loop condition reads the output.  Returns the rows used.
 */

int accumulate_until_budget(const float *table, int dim, const int *ids, int n,
                            float budget, float *acc)
{
	int used = 0, d;
	float norm = 0.0f;

	for (d = 0; d < dim; d++)
		acc[d] = 0.0f;
	while (used < n && norm < budget) {
		int r = ids[used];
		norm = 0.0f;
		for (d = 0; d < dim; d++) {
			acc[d] += table[r * dim + d];
			norm += acc[d] * acc[d];
		}
		used++;
	}
	return used;
}

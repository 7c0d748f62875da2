// daec-expect: bag_sum_2d decoupled op~=sum
/*
 * Fixed-width tables declared as 2-D arrays (64 floats a row), as in code
 * generated for one model: out[b][:] = sum of table[indices[j]][:].
 */

#define WIDTH 64

void bag_sum_2d(int n_bags, const long offsets[], const long indices[],
                const float table[][WIDTH], float out[][WIDTH])
{
	int b, k;
	long j;

	for (b = 0; b < n_bags; b++) {
		for (k = 0; k < WIDTH; k++)
			out[b][k] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			long r = indices[j];
			for (k = 0; k < WIDTH; k++)
				out[b][k] += table[r][k];
		}
	}
}

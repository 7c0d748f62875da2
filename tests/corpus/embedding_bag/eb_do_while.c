// daec-expect: bag_sum_do decoupled op~=sum
/*
 * do/while loops, guarded against empty trip counts by hand, as some
 * compilers of old liked it.  int64 indices, int offsets with a trailing entry.
 */
#include <stdint.h>

void bag_sum_do(const float *tab, int dim, const int64_t *idx, const int *off,
                int nb, float *dst)
{
	int b = 0;

	if (nb <= 0)
		return;
	do {
		int j = off[b];
		int e = off[b + 1];
		int d;

		for (d = 0; d < dim; d++)
			dst[b * dim + d] = 0.0f;
		if (j < e) {
			do {
				int64_t r = idx[j];
				if (dim > 0) {
					d = 0;
					do {
						dst[b * dim + d] += tab[r * dim + d];
					} while (++d < dim);
				}
			} while (++j < e);
		}
	} while (++b < nb);
}

// daec-expect: bag_mean_long decoupled op~=mean
/*
 * Mean pooling with "long" indices and offsets (LP64), output cleared with
 * memset, mean applied as a multiplication by the reciprocal of the count.
 * Empty bags stay zero.
 */
#include <string.h>

void bag_mean_long(const float *emb, long n_rows, long width,
                   const long *idx, const long *off, long n_bags,
                   float *res)
{
	long b, p, c;

	for (b = 0; b < n_bags; b++) {
		long lo = off[b], hi = off[b + 1];

		memset(res + b * width, 0, width * sizeof(float));
		for (p = lo; p < hi; p++) {
			long r = idx[p];
			for (c = 0; c < width; c++)
				res[b * width + c] += emb[r * width + c];
		}
		if (hi > lo) {
			float inv = 1.0f / (float)(hi - lo);
			for (c = 0; c < width; c++)
				res[b * width + c] *= inv;
		}
	}
}

// daec-expect: SparseLengthsWeightedSum_f32 decoupled op~=weighted
/*
 * SparseLengthsWeightedSum: a weight per index, lengths per segment and a
 * cursor across segments.  Bad indices are reported: the function returns
 * the position of the first one (segments before it are complete, the
 * current one is partial, later ones untouched), or -1 when all are fine.
 */
#include <stdint.h>

long SparseLengthsWeightedSum_f32(const float *data, long num_rows, int block,
                                  const float *weights, const long *indices,
                                  const int *lengths, int num_segments,
                                  float *output)
{
	long current = 0;
	int seg, n, k;

	for (seg = 0; seg < num_segments; ++seg) {
		float *dst = &output[(long)seg * block];
		for (k = 0; k < block; ++k)
			dst[k] = 0;
		for (n = 0; n < lengths[seg]; ++n) {
			long idx = indices[current];
			float w;
			if (idx < 0 || idx >= num_rows)
				return current;
			w = weights[current];
			for (k = 0; k < block; ++k)
				dst[k] += w * data[idx * block + k];
			++current;
		}
	}
	return -1;
}

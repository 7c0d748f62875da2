// daec-expect: sparse_lengths_mean decoupled op~=mean
/* SparseLengthsMean: lengths (int32) and a running position; the sum of a
 * segment is scaled by 1/len when the segment is not empty. */
#include <stdint.h>

void sparse_lengths_mean(int32_t block, int32_t nseg, const float *data,
                         const int32_t *ind, const int32_t *lengths, float *out)
{
    int32_t pos = 0;
    int32_t s, i, k;

    for (s = 0; s < nseg; s++) {
        float *o = out + (int64_t)s * block;
        for (k = 0; k < block; k++) o[k] = 0.f;
        for (i = 0; i < lengths[s]; i++) {
            const float *row = data + (int64_t)ind[pos++] * block;
            for (k = 0; k < block; k++) o[k] += row[k];
        }
        if (lengths[s] > 0) {
            float scale = 1.f / lengths[s];
            for (k = 0; k < block; k++) o[k] *= scale;
        }
    }
}

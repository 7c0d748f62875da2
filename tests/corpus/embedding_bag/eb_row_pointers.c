// daec-expect: sum_bags_rowptr decoupled op~=sum
/*
 * Tables kept as arrays of row pointers (rows allocated one by one, e.g. a
 * sharded or memory-mapped table), outputs as an array of output rows.
 */
#include <stdint.h>

void sum_bags_rowptr(const float **rows, int dim, const int64_t *ids,
                     const int64_t *offsets, int nbags, float **out_rows)
{
    int b, d;
    int64_t p;

    for (b = 0; b < nbags; b++) {
        float *dst = out_rows[b];
        for (d = 0; d < dim; d++)
            dst[d] = 0.0f;
        for (p = offsets[b]; p < offsets[b + 1]; p++) {
            const float *src = rows[ids[p]];
            for (d = 0; d < dim; d++)
                dst[d] += src[d];
        }
    }
}

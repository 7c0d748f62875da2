// daec-expect: lookup_rows_memcpy decoupled op~=gather
/* Row gather with memcpy, one call per token; int ids, size_t width. */
#include <string.h>

void lookup_rows_memcpy(float *dst, const float *table, size_t width,
                        const int *ids, int count)
{
    int t;
    for (t = 0; t < count; ++t) {
        memcpy(dst + (size_t)t * width, table + (size_t)ids[t] * width,
               width * sizeof(float));
    }
}

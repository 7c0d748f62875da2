// daec-expect: pool_rows_ptr decoupled op~=sum
// daec-expect: pool_rows_cursor decoupled op~=sum
/*
 * Sum pooling through pointer arithmetic, two ways an author may write it:
 * pool_rows_ptr indexes a per-bag output pointer and a per-lookup row
 * pointer; pool_rows_cursor walks the output row with a plain cursor
 * (*o++ += ...), restarted for every lookup.
 */
#include <stddef.h>
#include <stdint.h>

void pool_rows_ptr(const float *table, size_t dim, const uint32_t *ids,
                   const uint32_t *bounds, size_t nbags, float *out)
{
	size_t b, j, d;

	for (b = 0; b < nbags; b++) {
		float *o = out + b * dim;
		for (d = 0; d < dim; d++)
			o[d] = 0.0f;
		for (j = bounds[b]; j < bounds[b + 1]; j++) {
			const float *row = table + (size_t)ids[j] * dim;
			for (d = 0; d < dim; d++)
				o[d] += row[d];
		}
	}
}

void pool_rows_cursor(const float *table, size_t dim, const uint32_t *ids,
                      const uint32_t *bounds, size_t nbags, float *out)
{
	size_t b, j, d;

	for (b = 0; b < nbags; b++) {
		float *o = out + b * dim;
		for (d = 0; d < dim; d++)
			*o++ = 0.0f;
		for (j = bounds[b]; j < bounds[b + 1]; j++) {
			const float *row = table + (size_t)ids[j] * dim;
			o = out + b * dim;
			for (d = 0; d < dim; d++)
				*o++ += row[d];
		}
	}
}

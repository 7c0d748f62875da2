// daec-expect: gather_int_rows decoupled op~=gather
/*
 * Gather of int32 rows (hashed feature ids per row) with int32 indices: the
 * output has the element type of the index array, so only a run-time check
 * can show they do not overlap.
 */
#include <stdint.h>

void gather_int_rows(const int32_t *tab, int32_t width, const int32_t *sel, int32_t n,
                     int32_t *dst)
{
	int32_t i, k;
	for (i = 0; i < n; ++i) {
		int32_t r = sel[i];
		for (k = 0; k < width; ++k)
			dst[i * width + k] = tab[r * width + k];
	}
}

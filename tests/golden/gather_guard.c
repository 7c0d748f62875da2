#include <stdint.h>
/* gather of int64 rows with int64 indices: same element type, so a run-time check */
void gather_i64(const int64_t *table, int64_t dim, const int64_t *indices, int64_t n, int64_t *out)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t idx = indices[i];
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] = table[idx * dim + d];
	}
}

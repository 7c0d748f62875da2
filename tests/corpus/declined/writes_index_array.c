// daec-expect: lookup_consume declined reason~=index array
/*
 * Gathers rows and marks every id it has used by overwriting it with -1 in
 * the id array it reads (a "consumed" marker for a streaming reader).  A
 * run-ahead access side would read ids the execute side has not written yet.
 */
#include <stdint.h>

void lookup_consume(const float *table, int dim, int64_t *ids, int n, float *out)
{
	int i, d;
	for (i = 0; i < n; i++) {
		int64_t r = ids[i];
		if (r < 0)
			continue;
		for (d = 0; d < dim; d++)
			out[i * dim + d] = table[r * dim + d];
		ids[i] = -1;
	}
}

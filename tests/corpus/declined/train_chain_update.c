// daec-expect: chained_count_update declined reason~=index array
/*
 * Training update of a hashed count table with collision chains: each row
 * is {next_row, count, ...}; the update bumps the count of every row on the
 * chain of each id.  The rows it writes are the rows it reads the next index
 * from, so nothing can be read ahead.
 */
#include <stdint.h>

void chained_count_update(int32_t *rows, int32_t width, const int32_t *heads,
                          int32_t n, int32_t delta)
{
	int32_t i;
	for (i = 0; i < n; i++) {
		int32_t r = heads[i];
		while (r >= 0) {
			rows[r * width + 1] += delta;
			r = rows[r * width + 0];
		}
	}
}

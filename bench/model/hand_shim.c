/* bench/model/hand_shim.c - the hand-written DAE embedding bag of
 * bench/yardstick/hand_ops.c under the name embag_driver.c calls, so that
 * the timing model can replay it beside daec's translation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ys_ops.h"

void dae_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                           float *out)
{
	if (hand_embedding_bag_sum(table, num_rows, dim, indices, offsets, num_bags, out) != 0) {
		fprintf(stderr, "hand_shim: the hand-written program did not run\n");
		abort();
	}
}

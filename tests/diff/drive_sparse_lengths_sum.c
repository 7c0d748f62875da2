/*
 * drive_sparse_lengths_sum.c - differential test of samples/sparse_lengths_sum.c
 * against daec's translation of it.
 *
 * orig_NAME is the sample compiled with -DNAME=orig_NAME and dae_NAME the
 * translation compiled with -DNAME=dae_NAME, NAME being sparse_lengths_sum, so that both
 * link into one program.
 * See diffcheck.h for the cases and the options.
 */
#include "diffcheck.h"

int orig_sparse_lengths_sum(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const int64_t *lengths, int64_t num_segments,
                            float *out);
int dae_sparse_lengths_sum(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *lengths, int64_t num_segments,
                           float *out);

static int call(int which, const struct dc_case *c, float *out)
{
	if (which == DC_ORIG) {
		return orig_sparse_lengths_sum(c->table, c->num_rows, c->dim, c->indices,
		                               c->lengths, c->num_bags, out);
	} else {
		return dae_sparse_lengths_sum(c->table, c->num_rows, c->dim, c->indices, c->lengths,
		                              c->num_bags, out);
	}
}

int main(int argc, char **argv)
{
	static const struct dc_spec spec = {"sparse_lengths_sum", DC_CHECKS_INDICES, call};
	return dc_main(argc, argv, &spec);
}

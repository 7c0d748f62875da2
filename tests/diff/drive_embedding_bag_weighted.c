/*
 * drive_embedding_bag_weighted.c - differential test of samples/embedding_bag_weighted.c
 * against daec's translation of it.
 *
 * orig_NAME is the sample compiled with -DNAME=orig_NAME and dae_NAME the
 * translation compiled with -DNAME=dae_NAME, NAME being embedding_bag_weighted, so that both
 * link into one program.
 * See diffcheck.h for the cases and the options.
 */
#include "diffcheck.h"

void orig_embedding_bag_weighted(const float *table, int64_t num_rows, int64_t dim,
                                 const int64_t *indices, const float *weights,
                                 const int64_t *offsets, int64_t num_bags, float *out);
void dae_embedding_bag_weighted(const float *table, int64_t num_rows, int64_t dim,
                                const int64_t *indices, const float *weights,
                                const int64_t *offsets, int64_t num_bags, float *out);

static int call(int which, const struct dc_case *c, float *out)
{
	if (which == DC_ORIG) {
		orig_embedding_bag_weighted(c->table, c->num_rows, c->dim, c->indices, c->weights,
		                            c->offsets, c->num_bags, out);
	} else {
		dae_embedding_bag_weighted(c->table, c->num_rows, c->dim, c->indices, c->weights,
		                           c->offsets, c->num_bags, out);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct dc_spec spec = {"embedding_bag_weighted", DC_WEIGHTS, call};
	return dc_main(argc, argv, &spec);
}

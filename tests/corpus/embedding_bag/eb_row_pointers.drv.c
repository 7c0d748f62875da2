/* Differential driver of embedding_bag/eb_row_pointers.c (see corpus.h).
 * Table rows are separate allocations; output rows are slices of one buffer
 * (each side its own), listed in a shuffled order. */
#include "corpus.h"

CC_BOTH(void, sum_bags_rowptr,
        (const float **rows, int dim, const int64_t *ids, const int64_t *offsets, int nbags,
         float **out_rows));

static void t_rows(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *off = cc_offsets(c, len, s->bags);
	int64_t *ix = cc_indices(c, n);
	const float **rows = cc_alloc(c, sizeof(float *) * (size_t)s->rows);
	float **ow = cc_alloc(c, sizeof(float *) * (size_t)(s->bags + 1));
	float **og = cc_alloc(c, sizeof(float *) * (size_t)(s->bags + 1));
	int64_t *perm = cc_alloc(c, sizeof(int64_t) * (size_t)(s->bags + 1));
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want, *got;
	int64_t i;

	for (i = 0; i < s->rows; i++) {
		rows[i] = cc_f32(c, s->dim);
	}
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);
	for (i = 0; i < s->bags; i++) {
		perm[i] = i;
	}
	for (i = s->bags - 1; i > 0; i--) {
		int64_t k = dc_below(&c->r, i + 1), t = perm[i];
		perm[i] = perm[k];
		perm[k] = t;
	}
	for (i = 0; i < s->bags; i++) {
		ow[i] = want + perm[i] * s->dim;
		og[i] = got + perm[i] * s->dim;
	}
	orig_sum_bags_rowptr(rows, (int)s->dim, ix, off, (int)s->bags, ow);
	CC_DAE(c, dae_sum_bags_rowptr(rows, (int)s->dim, ix, off, (int)s->bags, og));
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"sum_bags_rowptr", t_rows}};
	return cc_main(argc, argv, "eb_row_pointers", tests, 1);
}

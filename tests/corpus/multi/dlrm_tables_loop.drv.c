/* Differential driver of multi/dlrm_tables_loop.c (see corpus.h): 1..8 tables, each with
 * its own rows and its own lengths; batch = bags of the shape, split over the tables so
 * that the large cases keep 20k+ lookups in total. */
#include "corpus.h"

CC_BOTH(void, dlrm_embedding_forward,
        (int num_tables, const float *const *tables, int dim, const int64_t *const *indices,
         const int64_t *const *offsets, int batch, float *ly));

static void t_dlrm(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int T = c->id == CC_E_NO_BAGS ? 0 : (int)dc_range(&c->r, 1, 8), t;
	int64_t total = 0;
	const float **W = cc_alloc(c, sizeof(float *) * 8);
	const int64_t **I = cc_alloc(c, sizeof(int64_t *) * 8), **O = cc_alloc(c, sizeof(int64_t *) * 8);
	size_t bytes = sizeof(float) * (size_t)(s->bags * T * s->dim);
	float *want, *got;

	for (t = 0; t < T; t++) {
		int64_t n, *len = cc_lengths(c, &n);
		int64_t rows = 1 + dc_below(&c->r, s->rows);
		if (s->one_row >= 0) {
			rows = s->rows;
		}
		O[t] = cc_offsets(c, len, s->bags);
		I[t] = cc_indices_below(c, n, rows);
		W[t] = cc_f32(c, rows * s->dim);
		total += n;
	}
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);
	cc_notef(c, "tables=%d lookups=%" PRId64, T, total);
	orig_dlrm_embedding_forward(T, W, (int)s->dim, I, O, (int)s->bags, want);
	CC_DAE(c, dae_dlrm_embedding_forward(T, W, (int)s->dim, I, O, (int)s->bags, got));
	cc_same_f32(c, "ly", want, got, s->bags * T * s->dim);
	cc_need_decoupled(c, total > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"dlrm_embedding_forward", t_dlrm}};
	return cc_main(argc, argv, "dlrm_tables_loop", tests, 1);
}

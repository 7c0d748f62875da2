/* Differential driver of embedding_bag/eb_sls_cursor.c (see corpus.h).
 * Some cases carry an out-of-range index, or pass a too small index_size: the
 * function must stop at the same point with the same partial output. */
#include "corpus.h"

CC_BOTH(int, SparseLengthsSumKernel,
        (size_t block_size, size_t output_size, size_t index_size, size_t data_size,
         const float *input, const int64_t *indices, const int *lengths, float *out));

static void t_sls(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *len32 = cc_as(c, len, s->bags, sizeof(int));
	int64_t *ix = cc_indices(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t index_size = (size_t)n;
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want, *got;
	int rw, rg, bad = 0;

	if (n > 0 && c->id >= CC_NUM_EDGE && dc_below(&c->r, 5) == 0) {
		int64_t pos = dc_below(&c->r, n);
		ix[pos] = dc_below(&c->r, 2) ? -1 - dc_below(&c->r, 10) : s->rows + dc_below(&c->r, 10);
		bad = 1;
		cc_notef(c, "bad index at %" PRId64, pos);
	} else if (n > 0 && c->id >= CC_NUM_EDGE && dc_below(&c->r, 8) == 0) {
		index_size = (size_t)dc_below(&c->r, n);
		bad = 1;
		cc_notef(c, "index_size %zu of %" PRId64, index_size, n);
	}
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);
	rw = orig_SparseLengthsSumKernel((size_t)s->dim, (size_t)s->bags, index_size, (size_t)s->rows,
	                                 w, ix, len32, want);
	CC_DAE(c, rg = dae_SparseLengthsSumKernel((size_t)s->dim, (size_t)s->bags, index_size,
	                                          (size_t)s->rows, w, ix, len32, got));
	cc_same_ret_i64(c, rw, rg);
	cc_same_f32(c, "out", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0 && !bad);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"SparseLengthsSumKernel", t_sls}};
	return cc_main(argc, argv, "eb_sls_cursor", tests, 1);
}

/* Differential driver of embedding_bag/eb_sls_weighted.c (see corpus.h).
 * One random case in five has an out-of-range index. */
#include "corpus.h"

CC_BOTH(long, SparseLengthsWeightedSum_f32,
        (const float *data, long num_rows, int block, const float *weights, const long *indices,
         const int *lengths, int num_segments, float *output));

static void t_slws(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *len32 = cc_as(c, len, s->bags, sizeof(int));
	long *ix = cc_as(c, cc_indices(c, n), n, sizeof(long));
	float *p = cc_weights(c, n);
	float *w = cc_f32(c, s->rows * s->dim);
	size_t bytes = sizeof(float) * (size_t)(s->bags * s->dim);
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	long rw, rg;
	int bad = 0;

	if (n > 0 && c->id >= CC_NUM_EDGE && dc_below(&c->r, 5) == 0) {
		int64_t pos = dc_below(&c->r, n);
		ix[pos] = dc_below(&c->r, 2) ? -1 : s->rows + dc_below(&c->r, 1000);
		bad = 1;
		cc_notef(c, "bad index at %" PRId64, pos);
	}
	rw = orig_SparseLengthsWeightedSum_f32(w, s->rows, (int)s->dim, p, ix, len32, (int)s->bags,
	                                       want);
	CC_DAE(c, rg = dae_SparseLengthsWeightedSum_f32(w, s->rows, (int)s->dim, p, ix, len32,
	                                                (int)s->bags, got));
	cc_same_ret_i64(c, rw, rg);
	cc_same_f32(c, "output", want, got, s->bags * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0 && !bad);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"SparseLengthsWeightedSum_f32", t_slws}};
	return cc_main(argc, argv, "eb_sls_weighted", tests, 1);
}

/* Differential driver of gather/gather_checked_double.c (see corpus.h).
 * Random cases carry some out-of-range ids. */
#include "corpus.h"

CC_BOTH(int, take_rows_checked,
        (const double *data, long nrows, long ncols, const long *ids, long nids, double *result));

static void t_take(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t *ix64 = cc_indices(c, n);
	long *ix;
	double *w = cc_f64(c, s->rows * s->dim);
	size_t bytes = sizeof(double) * (size_t)(n * s->dim);
	double *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	int rw, rg;
	int64_t j;

	(void)len;
	if (c->id >= CC_NUM_EDGE && n > 0 && dc_below(&c->r, 3) == 0) {
		for (j = 0; j < n; j++) {
			if (dc_below(&c->r, 10) == 0) {
				ix64[j] = dc_below(&c->r, 2) ? -1 - dc_below(&c->r, 5) : s->rows + dc_below(&c->r, 5);
			}
		}
		cc_notef(c, "with bad ids");
	}
	ix = cc_as(c, ix64, n, sizeof(long));
	rw = orig_take_rows_checked(w, s->rows, s->dim, ix, n, want);
	CC_DAE(c, rg = dae_take_rows_checked(w, s->rows, s->dim, ix, n, got));
	cc_same_ret_i64(c, rw, rg);
	cc_same_f64(c, "result", want, got, n * s->dim);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"take_rows_checked", t_take}};
	return cc_main(argc, argv, "gather_checked_double", tests, 1);
}

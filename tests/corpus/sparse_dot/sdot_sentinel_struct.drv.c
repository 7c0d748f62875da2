/* Differential driver of sparse_dot/sdot_sentinel_struct.c (see corpus.h).
 * dot_sentinel: one sentinel-terminated vector with all lookups of the case;
 * dot_rows_sentinel: one vector per bag. */
#include "corpus.h"

struct entry {
	int idx;
	float val;
};

CC_BOTH(float, dot_sentinel, (const struct entry *p, const float *w));
CC_BOTH(void, dot_rows_sentinel,
        (int nrows, const struct entry *const *rows, const float *w, float *out));

/* Entries of all bags, each bag followed by its sentinel. */
static struct entry *make_entries(struct cc *c, const int64_t *len, int64_t n, int64_t bags)
{
	struct entry *e = cc_alloc(c, sizeof(struct entry) * (size_t)(n + bags + 1));
	int64_t *ix = cc_indices(c, n);
	float *v = cc_weights(c, n);
	int64_t b, k, p = 0, q = 0;
	for (b = 0; b < bags; b++) {
		for (k = 0; k < len[b]; k++, q++) {
			e[p].idx = (int)ix[q];
			e[p++].val = v[q];
		}
		e[p].idx = -1 - (int)dc_below(&c->r, 3);
		e[p++].val = dc_float(&c->r);
	}
	return e;
}

static void t_one(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t one = n;
	struct entry *e = make_entries(c, &one, n, 1);
	float *w = cc_f32(c, s->rows);
	float rw, rg;

	(void)len;
	rw = orig_dot_sentinel(e, w);
	CC_DAE(c, rg = dae_dot_sentinel(e, w));
	cc_same_ret_f32(c, rw, rg);
	cc_need_decoupled(c, n > 0);
}

static void t_rows(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	struct entry *e = make_entries(c, len, n, s->bags);
	const struct entry **rows = cc_alloc(c, sizeof(*rows) * (size_t)(s->bags + 1));
	float *w = cc_f32(c, s->rows);
	size_t bytes = sizeof(float) * (size_t)s->bags;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);
	int64_t b, p = 0;

	for (b = 0; b < s->bags; b++) {
		rows[b] = e + p;
		p += len[b] + 1;
	}
	orig_dot_rows_sentinel((int)s->bags, rows, w, want);
	CC_DAE(c, dae_dot_rows_sentinel((int)s->bags, rows, w, got));
	cc_same_f32(c, "out", want, got, s->bags);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"dot_sentinel", t_one},
	                                       {"dot_rows_sentinel", t_rows}};
	return cc_main(argc, argv, "sdot_sentinel_struct", tests, 2);
}

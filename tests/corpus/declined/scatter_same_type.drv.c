/* Differential driver of declined/scatter_same_type.c (see corpus.h): the
 * scattered counters live in the same buffer as the ids in some cases, so
 * the run-time check must send those calls to the original. */
#include "corpus.h"

CC_BOTH(void, count_hits, (const int *ids, int n, int *counts));
CC_BOTH(void, csr_col_counts, (int nnz, const int *col_idx, int *col_ptr));

/* ids and counters in one int buffer; overlapping when the case says so. */
static void t_hits(struct cc *c, int csr)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int64_t rows = s->rows > 0 ? s->rows : 1;
	int64_t words = n + rows + 2;
	size_t bytes = sizeof(int) * (size_t)words;
	int *want = cc_out(c, bytes), *got;
	int64_t ids_at = 0, cnt_at = n;
	(void)len;
	/* One case in three puts the counters over the ids. */
	if (dc_below(&c->r, 3) == 0 && n > 0)
		cnt_at = dc_below(&c->r, n);
	for (int64_t i = 0; i < words; i++)
		want[i] = 0;
	for (int64_t i = 0; i < n; i++)
		want[ids_at + i] = (int)cc_index_below(c, rows);
	got = cc_twin(c, want, bytes);
	if (csr) {
		orig_csr_col_counts((int)n, want + ids_at, want + cnt_at);
		CC_DAE(c, dae_csr_col_counts((int)n, got + ids_at, got + cnt_at));
	} else {
		orig_count_hits(want + ids_at, (int)n, want + cnt_at);
		CC_DAE(c, dae_count_hits(got + ids_at, (int)n, got + cnt_at));
	}
	cc_same_bytes(c, "ids and counters", want, got, bytes, 4);
	/* Disjoint buffers must run decoupled; overlapping ones fall back. */
	cc_need_decoupled(c, n > 0 && cnt_at == n);
}

static void t_count(struct cc *c)
{
	t_hits(c, 0);
}

static void t_csr(struct cc *c)
{
	t_hits(c, 1);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"count_hits", t_count}, {"csr_col_counts", t_csr}};
	return cc_main(argc, argv, "scatter_same_type", tests, 2);
}

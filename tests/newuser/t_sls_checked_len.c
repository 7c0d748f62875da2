#include "harness.h"
#define P(N) int N(const float *, int64_t, int64_t, const int32_t *, int64_t, const int32_t *, int64_t, float *);
P(orig_sls_checked_len) P(dae_sls_checked_len)
static int inv(int w, const struct tcase *c, float *o)
{
	int32_t *i = to32(c->idx, c->n), *l = to32(c->len, c->nb);
	int r = (w ? dae_sls_checked_len : orig_sls_checked_len)(c->table, c->rows, c->dim, i, c->index_size, l, c->nb, o);
	free(i); free(l); return r;
}
int main(void) { return run_all("sls_checked_len", inv, H_BAD_INDEX | H_SHORT_IDX, NCASES); }

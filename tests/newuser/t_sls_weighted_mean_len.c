#include "harness.h"
#define P(N) void N(const float *, int32_t, const int32_t *, const int32_t *, const float *, int32_t, float *);
P(orig_sls_weighted_mean_len) P(dae_sls_weighted_mean_len)
static int inv(int w, const struct tcase *c, float *o)
{
	int32_t *i = to32(c->idx, c->n), *l = to32(c->len, c->nb);
	(w ? dae_sls_weighted_mean_len : orig_sls_weighted_mean_len)(c->table, (int32_t)c->dim, i, l, c->w, (int32_t)c->nb, o);
	free(i); free(l); return 0;
}
int main(void) { return run_all("sls_weighted_mean_len", inv, 0, NCASES); }

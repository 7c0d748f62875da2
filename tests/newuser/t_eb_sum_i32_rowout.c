#include "harness.h"
#define P(N) void N(const float *, int32_t, const int32_t *, const int32_t *, int32_t, float *);
P(orig_eb_sum_i32_rowout) P(dae_eb_sum_i32_rowout)
static int inv(int w, const struct tcase *c, float *o)
{
	int32_t *i = to32(c->idx, c->n), *f = to32(c->off, c->nb + 1);
	(w ? dae_eb_sum_i32_rowout : orig_eb_sum_i32_rowout)(c->table, (int32_t)c->dim, i, f, (int32_t)c->nb, o);
	free(i); free(f); return 0;
}
int main(void) { return run_all("eb_sum_i32_rowout", inv, 0, NCASES); }

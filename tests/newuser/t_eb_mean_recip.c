#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int32_t *, int64_t, float *);
P(orig_eb_mean_recip) P(dae_eb_mean_recip)
static int inv(int w, const struct tcase *c, float *o)
{
	int32_t *f = to32(c->off, c->nb + 1);
	(w ? dae_eb_mean_recip : orig_eb_mean_recip)(c->table, c->dim, c->idx, f, c->nb, o);
	free(f); return 0;
}
int main(void) { return run_all("eb_mean_recip", inv, 0, NCASES); }

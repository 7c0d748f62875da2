#include "harness.h"
#define P(N) void N(const float *, int, const int *, const int *, int, float *);
P(orig_eb_mean_recip_loopclear) P(dae_eb_mean_recip_loopclear)
static int inv(int w, const struct tcase *c, float *o)
{
	int *i = toint(c->idx, c->n), *f = toint(c->off, c->nb + 1);
	(w ? dae_eb_mean_recip_loopclear : orig_eb_mean_recip_loopclear)(c->table, (int)c->dim, i, f, (int)c->nb, o);
	free(i); free(f); return 0;
}
int main(void) { return run_all("eb_mean_recip_loopclear", inv, 0, NCASES); }

#include "harness.h"
#define P(N) int N(const float *, int32_t, int32_t, const int32_t *, const int32_t *, int32_t, float *);
P(orig_eb_checked_loopclear) P(dae_eb_checked_loopclear)
static int inv(int w, const struct tcase *c, float *o)
{
	int32_t *i = to32(c->idx, c->n), *f = to32(c->off, c->nb + 1);
	int r = (w ? dae_eb_checked_loopclear : orig_eb_checked_loopclear)(c->table, (int32_t)c->rows, (int32_t)c->dim, i, f, (int32_t)c->nb, o);
	free(i); free(f); return r;
}
int main(void) { return run_all("eb_checked_loopclear", inv, H_BAD_INDEX, NCASES); }

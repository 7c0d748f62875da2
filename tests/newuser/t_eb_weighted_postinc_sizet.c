#include "harness.h"
#define P(N) void N(const float *, size_t, const size_t *, const size_t *, const float *, size_t, float *);
P(orig_eb_weighted_postinc_sizet) P(dae_eb_weighted_postinc_sizet)
static int inv(int w, const struct tcase *c, float *o)
{
	size_t *i = tosz(c->idx, c->n), *f = tosz(c->off, c->nb + 1);
	(w ? dae_eb_weighted_postinc_sizet : orig_eb_weighted_postinc_sizet)(c->table, (size_t)c->dim, i, f, c->w, (size_t)c->nb, o);
	free(i); free(f); return 0;
}
int main(void) { return run_all("eb_weighted_postinc_sizet", inv, 0, NCASES); }

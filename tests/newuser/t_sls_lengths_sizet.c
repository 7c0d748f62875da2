#include "harness.h"
#define P(N) void N(const float *, size_t, const int *, const int *, size_t, float *);
P(orig_sls_lengths_sizet) P(dae_sls_lengths_sizet)
static int inv(int w, const struct tcase *c, float *o)
{
	int *i = toint(c->idx, c->n), *l = toint(c->len, c->nb);
	(w ? dae_sls_lengths_sizet : orig_sls_lengths_sizet)(c->table, (size_t)c->dim, i, l, (size_t)c->nb, o);
	free(i); free(l); return 0;
}
int main(void) { return run_all("sls_lengths_sizet", inv, 0, NCASES); }

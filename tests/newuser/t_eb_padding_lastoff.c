#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, int64_t, const int64_t *, int64_t, const float *, int64_t, float *);
P(orig_eb_padding_lastoff) P(dae_eb_padding_lastoff)
static int inv(int w, const struct tcase *c, float *o)
{
	/* padding index: -1 (none) for a third of the cases, else a row that
	 * is likely to occur (duplicates are common) */
	int64_t pad = (c->n == 0 || c->rows % 3 == 0) ? -1 : c->idx[(c->n * 7 / 13)];
	(w ? dae_eb_padding_lastoff : orig_eb_padding_lastoff)(c->table, c->dim, c->idx, c->n, c->off, c->nb, c->w, pad, o);
	return 0;
}
int main(void) { return run_all("eb_padding_lastoff", inv, 0, NCASES); }

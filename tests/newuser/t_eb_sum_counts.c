#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *, int64_t *);
P(orig_eb_sum_counts) P(dae_eb_sum_counts)
static int inv(int w, const struct tcase *c, float *o)
{
	/* counts go into a separate buffer; fold a checksum of it into the return value */
	int64_t *cnt = malloc(sizeof(int64_t) * (size_t)(c->nb + 1));
	(w ? dae_eb_sum_counts : orig_eb_sum_counts)(c->table, c->dim, c->idx, c->off, c->nb, o, cnt);
	uint64_t s = 0; for (int64_t b = 0; b < c->nb; b++) s = s * 31 + (uint64_t)cnt[b];
	free(cnt); return (int)(s & 0x7fffffff);
}
int main(void) { return run_all("eb_sum_counts", inv, 0, NCASES); }

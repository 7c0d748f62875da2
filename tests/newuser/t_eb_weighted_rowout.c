#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int64_t *, const float *, int64_t, float *);
P(orig_eb_weighted_rowout) P(dae_eb_weighted_rowout)
static int inv(int w, const struct tcase *c, float *o)
{ (w ? dae_eb_weighted_rowout : orig_eb_weighted_rowout)(c->table, c->dim, c->idx, c->off, c->w, c->nb, o); return 0; }
int main(void) { return run_all("eb_weighted_rowout", inv, 0, NCASES); }

#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *);
P(orig_eb_sum_ptrbump_loopclear) P(dae_eb_sum_ptrbump_loopclear)
static int inv(int w, const struct tcase *c, float *o)
{ (w ? dae_eb_sum_ptrbump_loopclear : orig_eb_sum_ptrbump_loopclear)(c->table, c->dim, c->idx, c->off, c->nb, o); return 0; }
int main(void) { return run_all("eb_sum_ptrbump_loopclear", inv, 0, NCASES); }

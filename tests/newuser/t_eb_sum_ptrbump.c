#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *);
P(orig_eb_sum_ptrbump) P(dae_eb_sum_ptrbump)
static int inv(int w, const struct tcase *c, float *o)
{ (w ? dae_eb_sum_ptrbump : orig_eb_sum_ptrbump)(c->table, c->dim, c->idx, c->off, c->nb, o); return 0; }
int main(void) { return run_all("eb_sum_ptrbump", inv, 0, NCASES); }

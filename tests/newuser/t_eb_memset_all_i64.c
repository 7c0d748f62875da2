#include "harness.h"
#define P(N) void N(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *);
P(orig_eb_memset_all_i64) P(dae_eb_memset_all_i64)
static int inv(int w, const struct tcase *c, float *o)
{ (w ? dae_eb_memset_all_i64 : orig_eb_memset_all_i64)(c->table, c->dim, c->idx, c->off, c->nb, o); return 0; }
int main(void) { return run_all("eb_memset_all_i64", inv, 0, NCASES); }

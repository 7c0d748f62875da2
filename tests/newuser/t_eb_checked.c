#include "harness.h"
#define P(N) int N(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t, float *);
P(orig_eb_checked) P(dae_eb_checked)
static int inv(int w, const struct tcase *c, float *o)
{ return (w ? dae_eb_checked : orig_eb_checked)(c->table, c->rows, c->dim, c->idx, c->off, c->nb, o); }
int main(void) { return run_all("eb_checked", inv, H_BAD_INDEX, NCASES); }

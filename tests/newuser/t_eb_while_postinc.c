#include "harness.h"
#define P(N) void N(const float *, int, const int64_t *, const int64_t *, int, float *);
P(orig_eb_while_postinc) P(dae_eb_while_postinc)
static int inv(int w, const struct tcase *c, float *o)
{ (w ? dae_eb_while_postinc : orig_eb_while_postinc)(c->table, (int)c->dim, c->idx, c->off, (int)c->nb, o); return 0; }
int main(void) { return run_all("eb_while_postinc", inv, 0, NCASES); }

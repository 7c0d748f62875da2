/* The first function starts right after the include: the runtime header
 * must still come before the generated code. */
#include <stdint.h>
void bag(float *out, const float *t, const int64_t *ix, int n, int d)
{ for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) out[k] += t[ix[i] * d + k]; }

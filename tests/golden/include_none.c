void bag(float *out, const float *t, const long *ix, int n, int d)
{ for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) out[k] += t[ix[i] * d + k]; }

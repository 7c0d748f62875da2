// daec-expect: sage_mean_concat decoupled op~=spmm|mean
/*
 * GraphSAGE "mean" aggregator, output [self || mean(neighbours)]:
 *   out[v][0:F]  = x[v]
 *   out[v][F:2F] = mean over in-neighbours u of x[u]   (zeros if none)
 * Square graph: nodes are both sources and destinations.
 */

void sage_mean_concat(int n, int F, const int *adj_ptr, const int *adj,
                      const float *x, float *out)
{
    int v, k, f;

    for (v = 0; v < n; v++) {
        float *self = out + (long)v * 2 * F;
        float *agg = self + F;
        int deg = adj_ptr[v + 1] - adj_ptr[v];

        for (f = 0; f < F; f++) {
            self[f] = x[(long)v * F + f];
            agg[f] = 0.0f;
        }
        for (k = adj_ptr[v]; k < adj_ptr[v + 1]; k++) {
            const float *xu = x + (long)adj[k] * F;
            for (f = 0; f < F; f++)
                agg[f] += xu[f];
        }
        if (deg > 0) {
            float inv = 1.0f / (float)deg;
            for (f = 0; f < F; f++)
                agg[f] = agg[f] * inv;
        }
    }
}

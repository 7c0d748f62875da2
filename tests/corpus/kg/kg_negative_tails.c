// daec-expect: transe_neg_sampling decoupled op~=kg
/*
 * Training-time scoring with negative sampling: for triple i, the positive
 * (h, r, t) and K corrupted triples (h, r, neg[i*K + k]) are scored with
 * TransE-L1.  scores is n x (K + 1): the positive first.
 */
#include <math.h>

void transe_neg_sampling(const float *E, const float *R, int dim,
                         const int *h, const int *r, const int *t,
                         const int *neg, int K, int n, float *scores)
{
    int i, k, d;

    for (i = 0; i < n; i++) {
        const float *eh = &E[h[i] * dim];
        const float *er = &R[r[i] * dim];
        float *row = &scores[i * (K + 1)];
        float s = 0.0f;

        for (d = 0; d < dim; d++)
            s += fabsf(eh[d] + er[d] - E[t[i] * dim + d]);
        row[0] = -s;
        for (k = 0; k < K; k++) {
            const float *et = &E[neg[i * K + k] * dim];
            s = 0.0f;
            for (d = 0; d < dim; d++)
                s += fabsf(eh[d] + er[d] - et[d]);
            row[k + 1] = -s;
        }
    }
}

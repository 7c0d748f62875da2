// daec-expect: qr_concat_mean decoupled op~=qr
/*
 * Quotient-remainder embedding combined by concatenation, mean pooling:
 *   out[b] = [ mean Q[id / m] || mean R[id % m] ]    (2 * dim per bag)
 * int ids, unsigned modulus, offsets with a trailing entry.
 */

void qr_concat_mean(const float *Qt, const float *Rt, unsigned m, int dim,
                    const int *ids, const int *offsets, int nbags, float *out)
{
    for (int b = 0; b < nbags; b++) {
        float *oq = out + (long)b * 2 * dim;
        float *orr = oq + dim;
        int cnt = offsets[b + 1] - offsets[b];

        for (int d = 0; d < dim; d++) {
            oq[d] = 0.0f;
            orr[d] = 0.0f;
        }
        for (int j = offsets[b]; j < offsets[b + 1]; j++) {
            unsigned id = (unsigned)ids[j];
            long qi = (long)(id / m), ri = (long)(id % m);
            for (int d = 0; d < dim; d++) {
                oq[d] += Qt[qi * dim + d];
                orr[d] += Rt[ri * dim + d];
            }
        }
        if (cnt > 0) {
            for (int d = 0; d < dim; d++) {
                oq[d] /= (float)cnt;
                orr[d] /= (float)cnt;
            }
        }
    }
}

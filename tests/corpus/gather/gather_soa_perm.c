// daec-expect: permute_particles decoupled op~=gather
/*
 * Struct-of-arrays gather through a permutation (sorting particles / nodes
 * by cell): every field of the new order is read through perm[i].
 */

void permute_particles(int n, const int *perm,
                       const double *x, const double *y, const double *m,
                       double *x_new, double *y_new, double *m_new)
{
    int i;
    for (i = 0; i < n; i++) {
        int p = perm[i];
        x_new[i] = x[p];
        y_new[i] = y[p];
        m_new[i] = m[p];
    }
}

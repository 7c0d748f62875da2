// daec-expect: spmv_csr decoupled op~=spmv
/* Classic CSR sparse matrix-vector product in double precision, y = A x. */

void spmv_csr(int n, const int *rowptr, const int *colind, const double *val,
              const double *x, double *y)
{
    int i, k;
    for (i = 0; i < n; i++) {
        double sum = 0.0;
        for (k = rowptr[i]; k < rowptr[i+1]; k++)
            sum += val[k] * x[colind[k]];
        y[i] = sum;
    }
}

// daec-expect: gcn_aggregate decoupled op~=spmm
// GCN propagation with symmetric normalisation and self loops:
//   out[i] = dinv[i]^2 * x[i] + sum_{j in N(i)} dinv[i] * dinv[j] * x[j]
// dinv[v] = 1/sqrt(deg(v) + 1), precomputed.

void gcn_aggregate(int num_nodes, int feat, const int* __restrict rowptr,
                   const int* __restrict colidx, const float* __restrict dinv,
                   const float* __restrict x, float* __restrict out) {
  for (int i = 0; i < num_nodes; ++i) {
    const float di = dinv[i];
    for (int f = 0; f < feat; ++f) {
      out[i * feat + f] = di * di * x[i * feat + f];
    }
    for (int p = rowptr[i]; p < rowptr[i + 1]; ++p) {
      const int j = colidx[p];
      const float norm = di * dinv[j];
      for (int f = 0; f < feat; ++f) {
        out[i * feat + f] += norm * x[j * feat + f];
      }
    }
  }
}

// daec-expect: lr_score_batch decoupled op~=sparse-dot|spmv
/*
 * Logistic-regression scoring of a batch of sparse examples (libsvm-style
 * rows): z_i = bias + sum_k fval[k] * w[feat[k]]; score_i = z_i (the caller
 * applies the sigmoid).
 */

void lr_score_batch(int n_ex, const int *ex_ptr, const int *feat, const float *fval,
                    const float *w, float bias, float *score)
{
    for (int i = 0; i < n_ex; ++i) {
        float z = bias;
        for (int k = ex_ptr[i]; k < ex_ptr[i + 1]; ++k)
            z += fval[k] * w[feat[k]];
        score[i] = z;
    }
}

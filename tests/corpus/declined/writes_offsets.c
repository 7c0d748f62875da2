// daec-expect: pool_build_offsets declined reason~=index array
/*
 * Builds the offsets from the lengths while pooling: offsets[b + 1] is
 * written in the same loop that reads offsets[b] to find the bag.
 */

void pool_build_offsets(const float *emb, int dim, const int *idx, const int *lengths,
                        int *offsets, int nbags, float *out)
{
    int b, j, d;

    offsets[0] = 0;
    for (b = 0; b < nbags; b++) {
        offsets[b + 1] = offsets[b] + lengths[b];
        for (d = 0; d < dim; d++)
            out[b * dim + d] = 0.0f;
        for (j = offsets[b]; j < offsets[b + 1]; j++)
            for (d = 0; d < dim; d++)
                out[b * dim + d] += emb[idx[j] * dim + d];
    }
}

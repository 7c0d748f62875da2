// daec-expect: emb_bag_sum_i32 decoupled op~=embedding-bag
/*
 * EmbeddingBag, mode "sum", 32-bit ints everywhere (the layout of many CPU
 * inference stacks that never see tables above 2^31 elements).
 * offsets has num_bags + 1 entries; bag b is input[offsets[b] .. offsets[b+1]).
 */

void emb_bag_sum_i32(const float *weight, int num_embeddings, int embedding_dim,
                     const int *input, const int *offsets, int num_bags, float *output)
{
    int bag, k, col;

    for (bag = 0; bag < num_bags; bag++) {
        for (col = 0; col < embedding_dim; col++)
            output[bag * embedding_dim + col] = 0.f;

        for (k = offsets[bag]; k < offsets[bag + 1]; k++) {
            int row = input[k];
            for (col = 0; col < embedding_dim; col++)
                output[bag * embedding_dim + col] += weight[row * embedding_dim + col];
        }
    }
}

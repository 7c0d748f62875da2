// daec-expect: embed_tokens decoupled op~=gather
/*
 * Transformer input embedding: x[t] = wte[token_ids[t]] * sqrt(d_model)
 * + pos_emb[start_pos + t].  One call per decode step or per prompt chunk.
 */
#include <math.h>
#include <stdint.h>

void embed_tokens(float *x, const int32_t *token_ids, int n_tokens, int start_pos,
                  const float *wte, const float *pos_emb, int d_model)
{
    const float emb_scale = sqrtf((float)d_model);
    int t, i;

    for (t = 0; t < n_tokens; t++) {
        const float *tok_row = wte + (long)token_ids[t] * d_model;
        const float *pos_row = pos_emb + (long)(start_pos + t) * d_model;
        float *xt = x + (long)t * d_model;

        for (i = 0; i < d_model; i++)
            xt[i] = tok_row[i] * emb_scale + pos_row[i];
    }
}

// daec-expect: transe_l2_score decoupled op~=kg
/*
 * TransE with the L2 norm; triples as an array of structs with int64 ids.
 *     score = -|| h + r - t ||_2
 */
#include <math.h>
#include <stdint.h>

typedef struct {
    int64_t head, rel, tail;
} Triple;

void transe_l2_score(const Triple *batch, int64_t batch_size,
                     const float *entity_emb, const float *relation_emb,
                     int64_t dim, float *out)
{
    for (int64_t i = 0; i < batch_size; i++) {
        int64_t hh = batch[i].head, rr = batch[i].rel, tt = batch[i].tail;
        float sq = 0.0f;
        for (int64_t k = 0; k < dim; k++) {
            float diff = entity_emb[hh * dim + k] + relation_emb[rr * dim + k]
                       - entity_emb[tt * dim + k];
            sq += diff * diff;
        }
        out[i] = -sqrtf(sq);
    }
}

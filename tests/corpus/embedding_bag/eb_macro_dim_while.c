// daec-expect: emb_lookup_sum decoupled op~=sum
/* Embedding dimension fixed at compile time; while loops; the index is read
 * inline in the address.  Offsets are unsigned and have num_bags + 1 entries. */

#define EMB_DIM 32

void emb_lookup_sum(const float *table, const unsigned *indices,
                    const unsigned *offsets, unsigned num_bags, float *out)
{
    unsigned b = 0;

    while (b < num_bags) {
        unsigned j = offsets[b];
        int d = 0;

        while (d < EMB_DIM) {
            out[b * EMB_DIM + d] = 0.0f;
            d += 1;
        }
        while (j < offsets[b + 1]) {
            d = 0;
            while (d < EMB_DIM) {
                out[b * EMB_DIM + d] += table[indices[j] * EMB_DIM + d];
                d += 1;
            }
            j += 1;
        }
        b += 1;
    }
}

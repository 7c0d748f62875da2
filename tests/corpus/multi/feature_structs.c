// daec-expect: embed_sparse_features decoupled op~=sum
/*
 * Sparse features described by structs, several features sharing tables
 * (e.g. "user_id" and "clicked_user_ids" both use the user table).  Every
 * feature is a SparseLengthsSum over its table; the pooled rows of all
 * features are concatenated per sample: out[b][f * dim .. (f+1) * dim).
 */
#include <stdint.h>

struct emb_table {
	const float *weight;
	int64_t num_rows;
};

struct sparse_feature {
	const int32_t *ids; /* sum(lengths) ids */
	const int32_t *lengths; /* one per sample */
	int32_t table; /* index into the table array */
};

void embed_sparse_features(const struct emb_table *tables, int dim,
                           const struct sparse_feature *feats, int nfeat,
                           int batch, float *out)
{
	int f, b, k, d;

	for (f = 0; f < nfeat; f++) {
		const struct sparse_feature *sf = &feats[f];
		const float *w = tables[sf->table].weight;
		int64_t pos = 0;

		for (b = 0; b < batch; b++) {
			float *o = out + ((int64_t)b * nfeat + f) * dim;
			for (d = 0; d < dim; d++)
				o[d] = 0.0f;
			for (k = 0; k < sf->lengths[b]; k++) {
				int32_t id = sf->ids[pos];
				for (d = 0; d < dim; d++)
					o[d] += w[(int64_t)id * dim + d];
				pos++;
			}
		}
	}
}

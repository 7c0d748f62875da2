/* Differential driver of multi/feature_structs.c (see corpus.h). */
#include "corpus.h"

struct emb_table {
	const float *weight;
	int64_t num_rows;
};

struct sparse_feature {
	const int32_t *ids;
	const int32_t *lengths;
	int32_t table;
};

CC_BOTH(void, embed_sparse_features,
        (const struct emb_table *tables, int dim, const struct sparse_feature *feats, int nfeat,
         int batch, float *out));

static void t_feat(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int ntab = (int)dc_range(&c->r, 1, 3), nfeat = c->id == CC_E_NO_BAGS ? 0 : (int)dc_range(&c->r, 1, 5);
	struct emb_table *tabs = cc_alloc(c, sizeof(*tabs) * 3);
	struct sparse_feature *fs = cc_alloc(c, sizeof(*fs) * 5);
	size_t bytes = sizeof(float) * (size_t)(s->bags * nfeat * s->dim);
	int64_t total = 0;
	float *want, *got;
	int i;

	for (i = 0; i < ntab; i++) {
		tabs[i].num_rows = s->one_row >= 0 ? s->rows : 1 + dc_below(&c->r, s->rows);
		tabs[i].weight = cc_f32(c, tabs[i].num_rows * s->dim);
	}
	for (i = 0; i < nfeat; i++) {
		int64_t n, *len = cc_lengths(c, &n);
		fs[i].table = (int32_t)dc_below(&c->r, ntab);
		fs[i].lengths = cc_as(c, len, s->bags, 4);
		fs[i].ids = cc_as(c, cc_indices_below(c, n, tabs[fs[i].table].num_rows), n, 4);
		total += n;
	}
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);
	cc_notef(c, "tables=%d features=%d lookups=%" PRId64, ntab, nfeat, total);
	orig_embed_sparse_features(tabs, (int)s->dim, fs, nfeat, (int)s->bags, want);
	CC_DAE(c, dae_embed_sparse_features(tabs, (int)s->dim, fs, nfeat, (int)s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * nfeat * s->dim);
	cc_need_decoupled(c, total > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"embed_sparse_features", t_feat}};
	return cc_main(argc, argv, "feature_structs", tests, 1);
}

/* Differential driver of multi/two_tower.c (see corpus.h). */
#include "corpus.h"

CC_BOTH(void, two_tower_score,
        (const float *user_emb, const float *item_emb, int dim, const int *user_ids,
         const int *user_off, const int *item_ids, const int *item_off, int batch, float *u,
         float *v, float *score));

static void t_tt(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t nu, *lu = cc_lengths(c, &nu), ni, *li = cc_lengths(c, &ni);
	int64_t items = 1 + dc_below(&c->r, 3 * s->rows);
	int *uo = cc_as(c, cc_offsets(c, lu, s->bags), s->bags + 1, sizeof(int));
	int *io = cc_as(c, cc_offsets(c, li, s->bags), s->bags + 1, sizeof(int));
	int *ui = cc_as(c, cc_indices(c, nu), nu, sizeof(int));
	int *ii = cc_as(c, cc_indices_below(c, ni, items), ni, sizeof(int));
	float *U = cc_f32(c, s->rows * s->dim), *V = cc_f32(c, items * s->dim);
	size_t vb = sizeof(float) * (size_t)(s->bags * s->dim), sb = sizeof(float) * (size_t)s->bags;
	float *uw = cc_out(c, vb), *ug = cc_twin(c, uw, vb);
	float *vw = cc_out(c, vb), *vg = cc_twin(c, vw, vb);
	float *sw = cc_out(c, sb), *sg = cc_twin(c, sw, sb);

	orig_two_tower_score(U, V, (int)s->dim, ui, uo, ii, io, (int)s->bags, uw, vw, sw);
	CC_DAE(c, dae_two_tower_score(U, V, (int)s->dim, ui, uo, ii, io, (int)s->bags, ug, vg, sg));
	(void)(cc_same_f32(c, "score", sw, sg, s->bags) || cc_same_f32(c, "u", uw, ug, s->bags * s->dim) ||
	       cc_same_f32(c, "v", vw, vg, s->bags * s->dim));
	cc_need_decoupled(c, nu + ni > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"two_tower_score", t_tt}};
	return cc_main(argc, argv, "two_tower", tests, 1);
}

/* Differential driver of kg/transe_l2_struct.c (see corpus.h). */
#include "corpus.h"

typedef struct {
	int64_t head, rel, tail;
} Triple;

CC_BOTH(void, transe_l2_score,
        (const Triple *batch, int64_t batch_size, const float *entity_emb,
         const float *relation_emb, int64_t dim, float *out));

static void t_l2(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n), nrel = s->rows / 5 + 1, i;
	Triple *tr = cc_alloc(c, sizeof(Triple) * (size_t)(n + 1));
	float *E = cc_f32(c, s->rows * s->dim), *R = cc_f32(c, nrel * s->dim);
	size_t bytes = sizeof(float) * (size_t)n;
	float *want = cc_out(c, bytes), *got = cc_twin(c, want, bytes);

	(void)len;
	for (i = 0; i < n; i++) {
		tr[i].head = cc_index_below(c, s->rows);
		tr[i].rel = cc_index_below(c, nrel);
		tr[i].tail = cc_index_below(c, s->rows);
	}
	orig_transe_l2_score(tr, n, E, R, s->dim, want);
	CC_DAE(c, dae_transe_l2_score(tr, n, E, R, s->dim, got));
	cc_same_f32(c, "out", want, got, n);
	cc_need_decoupled(c, n > 0 && s->dim > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"transe_l2_score", t_l2}};
	return cc_main(argc, argv, "transe_l2_struct", tests, 1);
}

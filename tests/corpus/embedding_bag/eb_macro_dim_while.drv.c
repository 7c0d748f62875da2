/* Differential driver of embedding_bag/eb_macro_dim_while.c (see corpus.h); dim fixed at 32. */
#include "corpus.h"

CC_BOTH(void, emb_lookup_sum,
        (const float *table, const unsigned *indices, const unsigned *offsets, unsigned num_bags,
         float *out));

static void t_sum(struct cc *c)
{
	struct cc_shape *s = &c->s;
	int64_t n, *len;
	unsigned *off, *ix;
	float *w, *want, *got;
	size_t bytes;

	s->dim = 32;
	len = cc_lengths(c, &n);
	off = cc_as(c, cc_offsets(c, len, s->bags), s->bags + 1, sizeof(unsigned));
	ix = cc_as(c, cc_indices(c, n), n, sizeof(unsigned));
	w = cc_f32(c, s->rows * 32);
	bytes = sizeof(float) * (size_t)(s->bags * 32);
	want = cc_out(c, bytes);
	got = cc_twin(c, want, bytes);

	orig_emb_lookup_sum(w, ix, off, (unsigned)s->bags, want);
	CC_DAE(c, dae_emb_lookup_sum(w, ix, off, (unsigned)s->bags, got));
	cc_same_f32(c, "out", want, got, s->bags * 32);
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"emb_lookup_sum", t_sum}};
	return cc_main(argc, argv, "eb_macro_dim_while", tests, 1);
}

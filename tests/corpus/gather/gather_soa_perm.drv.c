/* Differential driver of gather/gather_soa_perm.c (see corpus.h).  perm is any index list
 * (duplicates allowed), n = number of lookups, source length = rows. */
#include "corpus.h"

CC_BOTH(void, permute_particles,
        (int n, const int *perm, const double *x, const double *y, const double *m,
         double *x_new, double *y_new, double *m_new));

static void t_perm(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	int64_t n, *len = cc_lengths(c, &n);
	int *perm = cc_as(c, cc_indices(c, n), n, sizeof(int));
	double *x = cc_f64(c, s->rows), *y = cc_f64(c, s->rows), *m = cc_f64(c, s->rows);
	size_t bytes = sizeof(double) * (size_t)n;
	double *xw = cc_out(c, bytes), *xg = cc_twin(c, xw, bytes);
	double *yw = cc_out(c, bytes), *yg = cc_twin(c, yw, bytes);
	double *mw = cc_out(c, bytes), *mg = cc_twin(c, mw, bytes);

	(void)len;
	orig_permute_particles((int)n, perm, x, y, m, xw, yw, mw);
	CC_DAE(c, dae_permute_particles((int)n, perm, x, y, m, xg, yg, mg));
	(void)(cc_same_f64(c, "x_new", xw, xg, n) || cc_same_f64(c, "y_new", yw, yg, n) ||
	       cc_same_f64(c, "m_new", mw, mg, n));
	cc_need_decoupled(c, n > 0);
}

int main(int argc, char **argv)
{
	static const struct cc_test tests[] = {{"permute_particles", t_perm}};
	return cc_main(argc, argv, "gather_soa_perm", tests, 1);
}

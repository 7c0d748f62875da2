/* Written by a new user of daec, blind to its internals, to try it on their
 * own embedding-bag code; kept as a regression suite (tests/newuser). */
/* Generic differential harness: generates embedding-bag cases in int64
 * form; each driver adapts them to its function's types. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dae/dae.h>

struct tcase {
	int64_t rows, dim, nb, n;   /* n = number of lookups */
	int64_t *off;               /* nb + 1 */
	int64_t *len;               /* nb */
	int64_t *idx;               /* n */
	float *w;                   /* n */
	float *table;               /* rows * dim */
	int64_t index_size;         /* usually n; smaller to provoke errors */
	int bad;                    /* an out-of-range index was planted */
	const char *kind;
};

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static int64_t rr(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }
static float rf(void)
{
	float m = (float)((double)(rnd() >> 11) / 9007199254740992.0) - 0.5f;
	return ldexpf(m, (int)rr(-12, 12));
}

/* flags */
#define H_BAD_INDEX 1   /* function validates indices: plant bad ones sometimes */
#define H_SHORT_IDX 2   /* function checks index_size: make it short sometimes */
#define H_NONNEG_BAD 4  /* bad indices must be >= 0 (unsigned index types) */

static void gen(struct tcase *c, int i, int flags)
{
	static const int64_t dims[] = {1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 31, 32, 64, 100};
	int64_t maxlen = 8;
	memset(c, 0, sizeof *c);
	c->rows = rr(1, 300);
	c->dim = dims[rr(0, 13)];
	c->nb = rr(0, 40);
	c->kind = "random";
	switch (i % 10) {
	case 0: c->nb = 0; c->kind = "no bags"; break;
	case 1: maxlen = 0; c->kind = "all bags empty"; break;
	case 2: c->dim = 1; c->kind = "dim 1"; break;
	case 3: c->dim = 13; c->kind = "dim 13"; break;
	case 4: c->rows = rr(1, 3); maxlen = 30; c->kind = "heavy duplicates"; break;
	case 5:
		if (i % 20 == 5) {
			c->rows = rr(20000, 100000); c->nb = rr(500, 900); maxlen = 120;
			c->dim = (i % 40 == 5) ? 13 : dims[rr(0, 13)];
			c->kind = "large";
		}
		break;
	case 6: c->nb = 1; maxlen = 200; c->kind = "one bag"; break;
	default: break;
	}
	c->off = malloc(sizeof(int64_t) * (c->nb + 1));
	c->len = malloc(sizeof(int64_t) * (c->nb + 1));
	c->off[0] = 0;
	for (int64_t b = 0; b < c->nb; b++) {
		int64_t l = (rnd() % 4 == 0) ? 0 : rr(0, maxlen);
		c->len[b] = l;
		c->off[b + 1] = c->off[b] + l;
	}
	c->n = c->off[c->nb];
	c->idx = malloc(sizeof(int64_t) * (c->n + 1));
	c->w = malloc(sizeof(float) * (c->n + 1));
	for (int64_t j = 0; j < c->n; j++) {
		c->idx[j] = (j > 0 && rnd() % 5 == 0) ? c->idx[j - 1] : rr(0, c->rows - 1);
		c->w[j] = rf();
	}
	c->table = malloc(sizeof(float) * (size_t)(c->rows * c->dim));
	for (int64_t k = 0; k < c->rows * c->dim; k++)
		c->table[k] = rf();
	c->index_size = c->n;
	if ((flags & H_BAD_INDEX) && c->n > 0 && rnd() % 4 == 0) {
		int64_t p = rr(0, c->n - 1);
		if (!(flags & H_NONNEG_BAD) && (rnd() & 1))
			c->idx[p] = -rr(1, 5);
		else
			c->idx[p] = c->rows + rr(0, 5);
		c->bad = 1;
	}
	if ((flags & H_SHORT_IDX) && c->n > 0 && rnd() % 6 == 0)
		c->index_size = rr(0, c->n - 1);
}

static void release(struct tcase *c)
{
	free(c->off); free(c->len); free(c->idx); free(c->w); free(c->table);
}

typedef int (*invoke_fn)(int which, const struct tcase *c, float *out);

static int run_all(const char *name, invoke_fn f, int flags, int ncases)
{
	int fails = 0, taken = 0, bags0_taken = 0, bags0 = 0, errs = 0;
	int64_t maxlook = 0; int nlarge = 0;
	for (int i = 0; i < ncases; i++) {
		struct tcase c;
		gen(&c, i, flags);
		size_t nout = (size_t)(c.nb * c.dim) + 64;  /* 64 guard floats */
		float *a = malloc(nout * sizeof(float)), *b = malloc(nout * sizeof(float));
		for (size_t k = 0; k < nout; k++) {
			uint32_t g = (uint32_t)rnd();
			memcpy(&a[k], &g, 4);
		}
		memcpy(b, a, nout * sizeof(float));
		int ra = f(0, &c, a);
		struct dae_stats s0, s1;
		dae_stats_get(&s0);
		int rb = f(1, &c, b);
		dae_stats_get(&s1);
		if (s1.runs > s0.runs) taken++;
		if (c.nb == 0) { bags0++; if (s1.runs > s0.runs) bags0_taken++; }
		if (ra != 0) errs++;
		if (c.n > maxlook) maxlook = c.n;
		if (c.n > 20000) nlarge++;
		if (ra != rb || memcmp(a, b, nout * sizeof(float)) != 0) {
			size_t k = 0;
			while (k < nout && memcmp(&a[k], &b[k], 4) == 0) k++;
			if (fails < 5)
				fprintf(stderr, "%s: case %d (%s) rows=%lld dim=%lld nb=%lld n=%lld bad=%d: ret %d vs %d, first diff at float %zu%s (%a vs %a)\n",
				        name, i, c.kind, (long long)c.rows, (long long)c.dim, (long long)c.nb,
				        (long long)c.n, c.bad, ra, rb, k, k >= (size_t)(c.nb * c.dim) ? " [guard]" : "",
				        k < nout ? a[k] : 0.0f, k < nout ? b[k] : 0.0f);
			fails++;
		}
		free(a); free(b);
		release(&c);
	}
	printf("%s: %d cases, %d mismatches, decoupled path taken in %d cases (%d with nb==0 of %d), %d cases returned an error, max lookups %lld, %d cases with >20000 lookups\n",
	       name, ncases, fails, taken, bags0_taken, bags0, errs, (long long)maxlook, nlarge);
	/* As a regression test: every call must take the decoupled path. */
	if (getenv("NEWUSER_REQUIRE_DECOUPLED") && taken != ncases) {
		fprintf(stderr, "%s: the decoupled path ran in %d of %d calls\n", name, taken, ncases);
		return 1;
	}
	return fails != 0;
}

/* helpers to convert arrays */
static int32_t *to32(const int64_t *v, int64_t n)
{
	int32_t *r = malloc(sizeof(int32_t) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++) r[i] = (int32_t)v[i];
	return r;
}
static int *toint(const int64_t *v, int64_t n)
{
	int *r = malloc(sizeof(int) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++) r[i] = (int)v[i];
	return r;
}
static size_t *tosz(const int64_t *v, int64_t n)
{
	size_t *r = malloc(sizeof(size_t) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++) r[i] = (size_t)v[i];
	return r;
}
#ifndef NCASES
#define NCASES 400
#endif

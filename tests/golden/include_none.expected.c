#include <dae/dae.h>

/* daec: the original bag, kept for the fallback path. */
static void bag__reference(float *out, const float *t, const long *ix, int n, int d)
{ for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) out[k] += t[ix[i] * d + k]; }

/* daec: bag decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct bag__args {
	float *out;
	const float *t;
	const long *ix;
	int n;
	int d;
};

static void bag__access(struct dae_queue *dae_q, void *dae_arg)
{
	struct bag__args *dae_a = dae_arg;
	const float *t = dae_a->t;
	const long *ix = dae_a->ix;
	int n = dae_a->n;
	int d = dae_a->d;

	for (int i = 0; i < n; i++) {
		long dae_v1_0 = 0 < d ? DAE_LD(ix[i]) : 0;
		if (0 < d)
			dae_prefetch_range(&t[dae_v1_0 * d], (size_t)d * sizeof(float));
		dae_queue_push_token(dae_q, 1);
		dae_queue_push_i64(dae_q, dae_v1_0);
	}
}

static void bag__execute(struct dae_queue *dae_q, void *dae_arg)
{
	struct bag__args *dae_a = dae_arg;
	float *out = dae_a->out;
	const float *t = dae_a->t;
	int d = dae_a->d;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			long dae_v1_0 = (long)dae_queue_pop_i64(dae_q);
			for (int k = 0; k < d; k++) out[k] += t[dae_v1_0 * d + k];
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_program bag__program = {
        .name = "bag",
        .access = bag__access,
        .execute = bag__execute,
};

void bag(float *out, const float *t, const long *ix, int n, int d)
{
	struct bag__args dae_a;

	dae_a.out = out;
	dae_a.t = t;
	dae_a.ix = ix;
	dae_a.n = n;
	dae_a.d = d;
	if (dae_run(&bag__program, &dae_a) != 0)
		bag__reference(out, t, ix, n, d);
}

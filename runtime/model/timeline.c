/* Bounded samples over time for the plot: DAE_TIMELINE_BUCKETS buckets of
 * equal width per series. Quantities are added as rates over intervals, so
 * a bucket holds, say, the word-cycles of queue occupancy in its span and
 * dividing by the width gives the mean. When an interval ends past the
 * last bucket, pairs of buckets merge and the width doubles: the buckets
 * always cover [0, width x DAE_TIMELINE_BUCKETS), and merging is exact. */
#include <string.h>

#include "model_int.h"

/* Small enough for short traces to get a detailed picture; a long run
 * doubles its way up in a few dozen merges. */
#define FIRST_WIDTH 16.0

void dae_timeline_init(struct dae_timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
	tl->width = FIRST_WIDTH;
	tl->inv_width = 1 / FIRST_WIDTH;
	tl->end = FIRST_WIDTH * DAE_TIMELINE_BUCKETS;
}

static void merge(struct dae_timeline *tl)
{
	const int n = DAE_TIMELINE_BUCKETS;

	for (int s = 0; s < DAE_TL_SERIES; s++) {
		double *b = tl->sum[s];

		for (int i = 0; i < n / 2; i++)
			b[i] = b[2 * i] + b[2 * i + 1];
		memset(b + n / 2, 0, sizeof(*b) * (size_t)(n / 2));
	}
	tl->width *= 2;
	tl->inv_width = 1 / tl->width;
	tl->end = tl->width * DAE_TIMELINE_BUCKETS;
}

void dae_timeline_add_span(struct dae_timeline *tl, int s, double a, double b, double rate)
{
	double *sum = tl->sum[s];
	double w;
	size_t i, j;

	if (!(b > a) || a < 0)
		return;
	while (b > tl->width * DAE_TIMELINE_BUCKETS)
		merge(tl);
	w = tl->width;
	/* Widths are powers of two times FIRST_WIDTH, so multiplying by the
	 * inverse is exact. */
	i = (size_t)(a * tl->inv_width);
	j = (size_t)(b * tl->inv_width);
	if (j >= DAE_TIMELINE_BUCKETS)
		j = DAE_TIMELINE_BUCKETS - 1;
	if (i >= j) {
		sum[i] += (b - a) * rate;
		return;
	}
	sum[i] += ((double)(i + 1) * w - a) * rate;
	for (size_t k = i + 1; k < j; k++)
		sum[k] += w * rate;
	sum[j] += (b - (double)j * w) * rate;
}

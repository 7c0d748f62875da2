/* The memory hierarchy of one requester group: three cache levels, a DRAM
 * channel and an optional stream prefetcher.
 *
 * Levels are looked up in order from the requester's entry level and every
 * level that missed is filled on the way back, with the time the data
 * arrives: a later request that hits a line still in flight waits for it
 * (the merge a miss-status register would do) instead of fetching it
 * again. Latencies are load-to-use from the requester, not added up level
 * by level, so a DRAM access costs dram.latency_ns whatever level it
 * entered at.
 *
 * The DRAM channel moves one line per slot of line_bytes / bytes-per-cycle
 * cycles: a request made at t is done at t + latency if the slot holding
 * that time is free, else at the start of the first free slot after it.
 * The model makes requests in trace order, which is not quite time order
 * (lanes wait for different things), so the channel is a calendar of slots
 * rather than a single "free from" time: a request that comes late in
 * trace order but early in time still finds the slots that were free then,
 * instead of queueing behind requests made after it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

/* The DRAM calendar spans about this many cycles: far more than requests
 * made in trace order stray from time order (a queue's worth of execute
 * time at most), within 1 KiB to 2 MiB of bits. A request older than the
 * calendar's start is not delayed by bandwidth at all. */
#define CHAN_WINDOW 4194304.0
#define CHAN_WORDS_MIN 128
#define CHAN_WORDS_MAX 262144

int dae_memsys_init(struct dae_memsys *ms, const struct dae_machine *m)
{
	int err;

	memset(ms, 0, sizeof(*ms));
	for (int k = 0; k < DAE_MEM_LEVELS; k++) {
		err = dae_cache_init(&ms->lv[k], &m->cache[k], m->line_bytes);
		if (err) {
			dae_memsys_exit(ms);
			return err;
		}
	}
	ms->inflight = dae_model_alloc(DAE_INFLIGHT_BUCKETS * sizeof(*ms->inflight));
	if (!ms->inflight) {
		dae_memsys_exit(ms);
		return -ENOMEM;
	}
	ms->line_bytes = m->line_bytes;
	ms->line_shift = (unsigned)__builtin_ctz(m->line_bytes);
	ms->dram_latency = m->dram_latency_ns * m->clock_ghz;
	/* GB/s over Gcycles/s: bytes per cycle. */
	ms->xfer = (double)m->line_bytes / (m->dram_bandwidth_gbs / m->clock_ghz);
	ms->inv_xfer = 1 / ms->xfer;
	/* The calendar covers about CHAN_WINDOW cycles, within bounds. */
	double words = CHAN_WINDOW / ms->xfer / 64;
	ms->chan_words = dae_pow2_at_least(words < CHAN_WORDS_MIN   ? CHAN_WORDS_MIN
	                                   : words > CHAN_WORDS_MAX ? CHAN_WORDS_MAX
	                                                            : (uint64_t)words);
	ms->chan_bits = dae_model_alloc(ms->chan_words * sizeof(*ms->chan_bits));
	if (!ms->chan_bits) {
		dae_memsys_exit(ms);
		return -ENOMEM;
	}
	ms->adjacent = m->prefetch.adjacent;
	if (m->prefetch.stream) {
		ms->nstreams = m->prefetch.streams;
		ms->distance = m->prefetch.distance_lines;
		ms->streams = calloc(ms->nstreams, sizeof(*ms->streams));
		if (!ms->streams) {
			dae_memsys_exit(ms);
			return -ENOMEM;
		}
	}
	return 0;
}

void dae_memsys_exit(struct dae_memsys *ms)
{
	for (int k = 0; k < DAE_MEM_LEVELS; k++)
		dae_cache_exit(&ms->lv[k]);
	free(ms->inflight);
	free(ms->streams);
	free(ms->chan_bits);
	ms->chan_bits = NULL;
	ms->inflight = NULL;
	ms->streams = NULL;
}

/* Moves the calendar's start so that slot k is inside it, clearing the
 * bits of the slots that are dropped (they come back as the newest). */
void dae_dram_advance(struct dae_memsys *ms, uint64_t k)
{
	uint64_t span = ms->chan_words * 64;
	uint64_t base = ((k - span + 1) + 63) & ~(uint64_t)63;

	if (base - ms->chan_base >= span) {
		memset(ms->chan_bits, 0, ms->chan_words * sizeof(*ms->chan_bits));
	} else {
		for (uint64_t w = ms->chan_base >> 6; w < base >> 6; w++)
			ms->chan_bits[w & (ms->chan_words - 1)] = 0;
	}
	ms->chan_base = base;
}

double dae_memsys_fetch(struct dae_memsys *ms, int from, uint64_t line, double t, int *served,
                        bool demand)
{
	return dae_fetch(ms, from, line, t, served, demand);
}

static void prefetch_line(struct dae_memsys *ms, int entry, uint64_t line, double t)
{
	bool hit = dae_cache_access(&ms->lv[entry], line);
	int served;

	dae_memo_looked_up(ms, line, 1u << entry);
	if (hit)
		return;
	dae_memsys_fetch(ms, entry + 1, line, t, &served, false);
	ms->prefetch_lines++;
}

/* Intel's L2 spatial prefetcher ("completes every cache line fetched to
 * the L2 with the pair line that completes it to a 128-byte aligned
 * chunk"): the pair line is requested with the demand miss, so it arrives
 * with it, or when the DRAM channel has a slot for it. The lookup refreshes
 * it in L2 when it is there, as the prefetcher's own L2 lookup would. */
void dae_memsys_adjacent(struct dae_memsys *ms, uint64_t line, double t)
{
	uint64_t pair = line ^ 1;
	bool hit = dae_cache_access(&ms->lv[DAE_MEM_L2], pair);
	int served;

	dae_memo_looked_up(ms, pair, 1u << DAE_MEM_L2);
	if (hit)
		return;
	dae_memsys_fetch(ms, DAE_MEM_LLC, pair, t, &served, false);
	ms->prefetch_lines++;
}

/* A stream is an ascending run of lines; it is confirmed by its second
 * line and from then on kept distance lines ahead of the demand loads.
 * Repeated loads of the stream's current line (8-byte indices, eight to
 * a line) only refresh it. */
void dae_memsys_train_rest(struct dae_memsys *ms, int entry, uint64_t line, double t)
{
	struct dae_stream *s, *victim = NULL;

	ms->stream_clock++;
	for (uint32_t j = 0; j < ms->nstreams; j++) {
		uint32_t i = j == 0 ? ms->last_stream : j == ms->last_stream ? 0 : j;

		s = &ms->streams[i];
		if (s->used && s->next == line + 1) {
			s->used = ms->stream_clock;
			ms->last_stream = i;
			return;
		}
		if (s->used && s->next == line) {
			s->used = ms->stream_clock;
			ms->last_stream = i;
			s->next = line + 1;
			if (!s->confirmed) {
				s->confirmed = true;
				s->ahead = line;
			}
			uint64_t p = s->ahead + 1 > line + 1 ? s->ahead + 1 : line + 1;
			for (; p <= line + ms->distance; p++)
				prefetch_line(ms, entry, p, t);
			if (line + ms->distance > s->ahead)
				s->ahead = line + ms->distance;
			return;
		}
		if (!victim || s->used < victim->used)
			victim = s;
	}
	victim->next = line + 1;
	victim->ahead = line;
	victim->used = ms->stream_clock;
	victim->confirmed = false;
	ms->last_stream = (uint32_t)(victim - ms->streams);
}

void dae_memsys_warm(const struct dae_memsys *ms, int from, uint64_t addr, uint32_t size)
{
	uint64_t first = addr >> ms->line_shift;
	uint64_t last = (addr + (size ? size - 1 : 0)) >> ms->line_shift;

	/* A few lines are enough: longer rows stream through the sets of
	 * consecutive lines, which the host prefetches by itself. */
	if (last < first || last - first > 7)
		last = first + 7;
	for (int k = from; k < DAE_MEM_LEVELS; k++) {
		const struct dae_cache *c = &ms->lv[k];

		if (!c->big)
			continue;
		for (uint64_t line = first; line <= last; line++) {
			const uint64_t *set = dae_cache_set(c, line);

			__builtin_prefetch(set, 1);
			if (c->ways > 8)
				__builtin_prefetch(set + 8, 1);
		}
	}
	for (uint64_t line = first; line <= last; line++)
		__builtin_prefetch(dae_inflight_bucket_of(ms, line), 1);
}

void dae_memsys_stats(const struct dae_memsys *ms, struct dae_model_memory_stats *out)
{
	for (int k = 0; k < DAE_MEM_LEVELS; k++)
		out->level[k] = ms->lv[k].st;
	out->dram_lines = ms->dram_lines;
	out->dram_bytes = ms->dram_lines * ms->line_bytes;
	out->prefetch_lines = ms->prefetch_lines;
	out->dram_busy_cycles = (double)ms->dram_lines * ms->xfer;
}

int dae_slots_init(struct dae_slots *s, uint32_t n)
{
	s->n = n;
	s->head = 0;
	s->mask = dae_pow2_at_least(n) - 1;
	s->t = calloc(s->mask + 1, sizeof(*s->t));
	return s->t ? 0 : -ENOMEM;
}

void dae_slots_exit(struct dae_slots *s)
{
	free(s->t);
	s->t = NULL;
}

/* ---- address translation (model_int.h) ---- */

int dae_tlb_init(struct dae_tlb *tlb, const struct dae_machine *m, int entry)
{
	int err;

	memset(tlb, 0, sizeof(*tlb));
	if (!m->tlb.entries)
		return 0;
	tlb->ways = m->tlb.ways;
	tlb->nsets = m->tlb.entries / m->tlb.ways;
	tlb->set_mask = (tlb->nsets & (tlb->nsets - 1)) == 0 ? tlb->nsets - 1 : 0;
	tlb->page_shift = (unsigned)__builtin_ctzll(m->tlb.page_bytes);
	tlb->levels = m->tlb.pte_levels;
	tlb->tables = m->tlb.tables;
	tlb->entry = entry;
	tlb->walk_cycles = m->tlb.walk_cycles;
	err = dae_slots_init(&tlb->walkers, m->tlb.walkers);
	if (err)
		return err;
	tlb->tags = calloc(m->tlb.entries, sizeof(*tlb->tags));
	tlb->ready = calloc(m->tlb.entries, sizeof(*tlb->ready));
	if (!tlb->tags || !tlb->ready) {
		dae_tlb_exit(tlb);
		return -ENOMEM;
	}
	return 0;
}

void dae_tlb_exit(struct dae_tlb *tlb)
{
	free(tlb->tags);
	free(tlb->ready);
	dae_slots_exit(&tlb->walkers);
	tlb->tags = NULL;
	tlb->ready = NULL;
}

/* The address of the entry of page vpn at level j (0: leaf) of table i. */
static inline uint64_t pte_addr(uint32_t i, uint32_t j, uint64_t vpn)
{
	uint64_t region = (UINT64_C(1) << 63) | ((uint64_t)(i * 4 + j) << 56);

	return region + (((vpn >> (9 * j)) << 3) & ((UINT64_C(1) << 56) - 1));
}

double dae_tlb_miss(struct dae_tlb *tlb, struct dae_memsys *ms, uint64_t vpn, double t)
{
	uint64_t s = tlb->set_mask ? (vpn & tlb->set_mask) : (vpn % tlb->nsets);
	uint64_t *tags = tlb->tags + s * tlb->ways;
	double *ready = tlb->ready + s * tlb->ways;
	uint32_t w, last = tlb->ways - 1;
	double r;

	for (w = 0; w < tlb->ways; w++) {
		if (tags[w] == vpn + 1)
			break;
	}
	if (w < tlb->ways) {
		tlb->hits++;
		r = ready[w];
	} else {
		/* A walk: the first free walker, then the entries, upper
		 * levels first, each load waiting for the one before. */
		double f = dae_slots_first_free(&tlb->walkers);
		double start = f > t ? f : t;
		double d = start + tlb->walk_cycles;

		tlb->misses++;
		for (uint32_t i = 0; i < tlb->tables; i++) {
			for (uint32_t j = tlb->levels; j-- > 0;) {
				int served;

				d = dae_memsys_fetch(ms, tlb->entry,
				                     pte_addr(i, j, vpn) >> ms->line_shift, d,
				                     &served, false);
			}
		}
		dae_slots_take(&tlb->walkers, d);
		tlb->walk_sum += d - t;
		r = d;
		w = last;
	}
	/* Most recent first: the entry moves to the front (a new one
	 * replaces the least recent, at the back). */
	for (; w > 0; w--) {
		tags[w] = tags[w - 1];
		ready[w] = ready[w - 1];
	}
	tags[0] = vpn + 1;
	ready[0] = r;
	tlb->last_vpn = vpn + 1;
	tlb->last_ready = r;
	return r > t ? r : t;
}

void dae_tlb_warm(const struct dae_tlb *tlb, const struct dae_memsys *ms, uint64_t addr)
{
	if (!tlb->tags || !tlb->levels)
		return;
	uint64_t vpn = addr >> tlb->page_shift;
	if (vpn + 1 == tlb->last_vpn)
		return;
	for (uint32_t i = 0; i < tlb->tables; i++)
		dae_memsys_warm(ms, tlb->entry, pte_addr(i, 0, vpn), 8);
}

void dae_tlb_stats(const struct dae_tlb *tlb, struct dae_model_memory_stats *out)
{
	out->tlb_hits += tlb->hits;
	out->tlb_misses += tlb->misses;
	out->walk_cycles += tlb->walk_sum;
}

/* The decoupled machine: access unit, queue and execute core, in one pass
 * over the trace.
 *
 * Each unit keeps the time at which it is next free. The access unit has
 * `lanes` lanes; a LOAD without DAE_TRACE_DEP starts a new lookup on the
 * next lane round-robin (never before the previous lookup started), and
 * everything up to the next such LOAD runs on that lane, in order. So a
 * lane that waits for an index does not hold up the next lookups' index
 * loads while other lanes are free, as with the TMU's lanes.
 *
 * A line request waits, in turn, for the LOAD it depends on (DEP), then on
 * a miss at the entry level for an outstanding-request slot, which it holds
 * until its data arrives. Consecutive requests of a lane to one line are
 * one request, as a vector lane's would be.
 *
 * The execute core pops words in push order, so word i's pop is known as
 * soon as word i is pushed, and the pop times of the last `capacity` words
 * are all the queue needs: pushing word i reserves the slot word
 * i - capacity frees when it is popped. Everything is computed in this one
 * streaming pass, which is why the model needs no event queue. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

/* rows_from "l1" remembers the rows waiting for the next word; a trace
 * that sends more separate row extents than this with one word has the
 * rest cost only their vector operations. */
#define PROW_MAX 65536

static inline double dmax(double a, double b)
{
	return a > b ? a : b;
}

int dae_sim_init(struct dae_sim *s, const struct dae_machine *m)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->m = m;
	err = dae_memsys_init(&s->ms, m);
	if (err)
		return err;
	err = dae_slots_init(&s->outstanding, m->access.max_outstanding);
	if (!err)
		err = dae_tlb_init(&s->tlb, m, (int)m->access.entry_level);
	if (!err)
		err = dae_tlb_init(&s->xtlb, m, DAE_MEM_L1);
	if (err) {
		dae_sim_exit(s);
		return err;
	}
	dae_timeline_init(&s->tl);
	s->lanes = m->access.lanes;
	s->issue_cost = 1.0 / m->access.issue_per_cycle;
	s->lane_share = 1.0 / s->lanes;
	s->lane_t = calloc(s->lanes, sizeof(*s->lane_t));
	s->lane_line = calloc(s->lanes, sizeof(*s->lane_line));
	s->lane_line_done = calloc(s->lanes, sizeof(*s->lane_line_done));
	s->cap = m->queue.capacity_words;
	s->ring_mask = dae_pow2_at_least(s->cap) - 1;
	s->pop_ring = calloc(s->ring_mask + 1, sizeof(*s->pop_ring));
	if (!s->lane_t || !s->lane_line || !s->lane_line_done || !s->pop_ring) {
		dae_sim_exit(s);
		return -ENOMEM;
	}
	s->lane = s->lanes - 1; /* the first lookup goes to lane 0 */
	s->qlat = m->cache[m->queue.level].latency_cycles;
	return 0;
}

void dae_sim_exit(struct dae_sim *s)
{
	dae_memsys_exit(&s->ms);
	dae_slots_exit(&s->outstanding);
	dae_tlb_exit(&s->tlb);
	dae_tlb_exit(&s->xtlb);
	free(s->lane_t);
	free(s->lane_line);
	free(s->lane_line_done);
	free(s->pop_ring);
	free(s->prow);
	s->lane_t = s->lane_line_done = s->pop_ring = NULL;
	s->lane_line = NULL;
	s->prow = NULL;
}

/* The lines [first, last] that size bytes at addr overlap; a size of 0
 * still touches the line at addr. */
static void line_span(const struct dae_memsys *ms, uint64_t addr, uint32_t size, uint64_t *first,
                      uint64_t *last)
{
	uint64_t end = size ? addr + (size - 1) : addr;

	if (end < addr)
		end = UINT64_MAX;
	*first = addr >> ms->line_shift;
	*last = end >> ms->line_shift;
}

static void start_lookup(struct dae_sim *s)
{
	s->lane = s->lane + 1 == s->lanes ? 0 : s->lane + 1;
	if (s->lane_t[s->lane] < s->lookup_start)
		s->lane_t[s->lane] = s->lookup_start;
	s->lookup_start = s->lane_t[s->lane];
}

/* Issues the line requests of a LOAD or ROW on the current lane; returns
 * when the last of their data arrives. */
static double access_lines(struct dae_sim *s, const struct dae_trace_event *e, bool train)
{
	const int entry = (int)s->m->access.entry_level;
	const double lat = s->ms.lv[entry].latency;
	uint32_t l = s->lane;
	double t = s->lane_t[l];
	double done_max = 0;
	uint64_t first, last;

	/* A stall is added as max(wait, 0) and the time moved with a max: +0
	 * when there is no wait (the sums are never -0, so adding +0 changes
	 * nothing; wait > 0 exactly when the branch was taken, infinities
	 * included), maxsd rather than a branch on data the branch predictor
	 * cannot learn. */
	if (e->flags & DAE_TRACE_DEP) {
		double wait = s->dep_done - t;

		s->a_dep += wait > 0 ? wait : 0;
		t = s->dep_done > t ? s->dep_done : t;
	}
	line_span(&s->ms, e->addr, e->size, &first, &last);
	for (uint64_t line = first;; line++) {
		double done;

		s->ev.line_requests++;
		if (s->lane_line[l] == line + 1) {
			done = s->lane_line_done[l];
		} else {
			double ready;
			/* The request goes out when its address is translated;
			 * the lane issues on meanwhile (a walk does not block
			 * it, a full set of outstanding slots does). */
			double tt = dae_tlb_translate(&s->tlb, &s->ms, line << s->ms.line_shift, t);
			/* A miss waits for an outstanding-request slot. */
			double f = dae_slots_first_free(&s->outstanding);
			int served;

			if (dae_memsys_request(&s->ms, entry, line, dmax(f > t ? f : t, tt), &ready,
			                       &served)) {
				done = dmax(tt + lat, ready);
			} else {
				double wait = f - t; /* as for a dependency */

				s->a_outst += wait > 0 ? wait : 0;
				t = f > t ? f : t;
				done = ready;
				dae_slots_take(&s->outstanding, done);
			}
			if (train)
				dae_memsys_train(&s->ms, entry, line, t);
			dae_timeline_add(&s->tl, DAE_TL_ACCESS_BUSY, t, t + s->issue_cost,
			                 s->lane_share);
			s->a_busy += s->issue_cost;
			t += s->issue_cost;
			s->lane_line[l] = line + 1;
			s->lane_line_done[l] = done;
		}
		done_max = dmax(done_max, done);
		if (line == last)
			break;
	}
	s->lane_t[l] = t;
	return done_max;
}

/* The execute core's vector operations for a row: contiguous ROW events
 * (a row loaded element by element) are one row, so 64 four-byte
 * elements cost one 256-byte row's vectors, not 64. */
static void row_ops(struct dae_sim *s, const struct dae_trace_event *e)
{
	const uint64_t vec = s->m->execute.vector_bytes;
	uint64_t v;

	if (s->run_bytes && e->addr == s->run_end) {
		s->run_bytes += e->size;
	} else {
		s->run_bytes = e->size;
		s->run_vectors = 0;
	}
	s->run_end = e->addr + e->size;
	v = (s->run_bytes + vec - 1) / vec;
	s->pend_ops += v - s->run_vectors;
	s->run_vectors = v;
}

static void remember_row(struct dae_sim *s, const struct dae_trace_event *e)
{
	struct dae_rowref *last = s->nprow ? &s->prow[s->nprow - 1] : NULL;

	if (last && last->addr + last->size == e->addr &&
	    (uint64_t)last->size + e->size <= UINT32_MAX) {
		last->size += e->size;
		return;
	}
	if (s->nprow == s->prow_cap) {
		size_t cap = s->prow_cap ? s->prow_cap * 2 : 64;
		struct dae_rowref *p;

		if (cap > PROW_MAX)
			return;
		p = realloc(s->prow, cap * sizeof(*p));
		if (!p)
			return;
		s->prow = p;
		s->prow_cap = cap;
	}
	s->prow[s->nprow++] = (struct dae_rowref){e->addr, e->size};
}

/* rows_from "l1": the execute core loads the rows' lines from its own L1
 * at time t. Hits in L1 are pipelined with the arithmetic; only the time
 * beyond an L1 hit is a wait. Returns that wait. */
static double read_rows_l1(struct dae_sim *s, double t)
{
	const double lat = s->ms.lv[DAE_MEM_L1].latency;
	double worst = t + lat;

	for (size_t i = 0; i < s->nprow; i++) {
		uint64_t first, last;

		line_span(&s->ms, s->prow[i].addr, s->prow[i].size, &first, &last);
		for (uint64_t line = first;; line++) {
			double ready, done;
			int served;
			double tt =
			        dae_tlb_translate(&s->xtlb, &s->ms, line << s->ms.line_shift, t);

			if (dae_memsys_request(&s->ms, DAE_MEM_L1, line, tt, &ready, &served))
				done = dmax(tt + lat, ready);
			else
				done = ready;
			worst = dmax(worst, done);
			if (line == last)
				break;
		}
	}
	s->nprow = 0;
	return worst - (t + lat);
}

/* Words up to i that are still in the queue at time t. Pop times are in
 * word order, so the first word not yet popped at t is found by walking
 * from where the last push found it: reservation times are nearly in
 * order, so the walk is short. It never goes below i - cap + 1 (those
 * words were popped before word i could reserve its slot). */
static uint64_t occupancy_at(struct dae_sim *s, uint64_t i, double t)
{
	const double *pop = s->pop_ring;
	const uint64_t mask = s->ring_mask;
	uint64_t lo = i >= s->cap ? i - s->cap + 1 : 0;
	uint64_t h = s->occ_head < lo ? lo : s->occ_head;
	uint64_t n;

	if (h > i)
		h = i;
	/* Four steps at a time, counted rather than branched on (how far the
	 * walk goes is data): step j is taken when it and every step before
	 * it would be. The ring is read past the bounds harmlessly (the index
	 * is masked); & rather than && keeps the compiler from branching. */
	do {
		unsigned a = (h < i) & (pop[h & mask] <= t);
		unsigned b = a & (h + 1 < i) & (pop[(h + 1) & mask] <= t);
		unsigned c = b & (h + 2 < i) & (pop[(h + 2) & mask] <= t);
		unsigned d = c & (h + 3 < i) & (pop[(h + 3) & mask] <= t);

		n = a + b + c + d;
		h += n;
	} while (n == 4);
	do {
		unsigned a = (h > lo) & (pop[(h - 1) & mask] > t);
		unsigned b = a & (h - 1 > lo) & (pop[(h - 2) & mask] > t);
		unsigned c = b & (h - 2 > lo) & (pop[(h - 3) & mask] > t);
		unsigned d = c & (h - 3 > lo) & (pop[(h - 4) & mask] > t);

		n = a + b + c + d;
		h -= n;
	} while (n == 4);
	s->occ_head = h;
	return i - h + 1;
}

static void push_word(struct dae_sim *s, bool token, bool carries)
{
	/* The machine's numbers in locals: every store to the ring or the
	 * timeline could alias them and would force them to be read again. */
	const double push_cycles = s->m->queue.push_cycles;
	const double pop_cycles = s->m->queue.pop_cycles;
	double *const pop_ring = s->pop_ring;
	const uint64_t mask = s->ring_mask;
	uint32_t l = s->lane;
	double t = s->lane_t[l];
	uint64_t i = s->words;
	/* Word i - capacity frees its slot when it is popped. */
	if (i >= s->cap) {
		double freed = pop_ring[(i - s->cap) & mask];

		if (freed > t) {
			s->a_qfull += freed - t;
			t = freed;
		}
	}
	double ready = dmax(t, s->pending_done) + push_cycles;
	dae_timeline_add(&s->tl, DAE_TL_ACCESS_BUSY, t, t + push_cycles, s->lane_share);
	s->a_busy += push_cycles;
	s->lane_t[l] = t + push_cycles;

	double start = s->exec_t;
	double vis = ready + s->qlat;
	double wait = vis - start; /* as in access_lines */

	s->e_starved += wait > 0 ? wait : 0;
	start = vis > start ? vis : start;
	double pop_end = start + pop_cycles;
	double end = pop_end + (token ? s->m->execute.token_cycles : 0);
	double t0 = start; /* the current busy stretch began here */
	if (carries) {
		double wait = s->nprow ? read_rows_l1(s, end) : 0;

		if (wait > 0) {
			dae_timeline_add(&s->tl, DAE_TL_EXECUTE_BUSY, t0, end, 1.0);
			s->e_busy += end - t0;
			s->e_rowwait += wait;
			t0 = end + wait;
			end = t0;
		}
		end += (double)(s->pend_ops + s->pend_work) / s->m->execute.ops_per_cycle;
	}
	dae_timeline_add(&s->tl, DAE_TL_EXECUTE_BUSY, t0, end, 1.0);
	s->e_busy += end - t0;
	s->exec_t = end;

	uint64_t occ = occupancy_at(s, i, t);
	if (occ > s->occ_max)
		s->occ_max = occ;
	s->occ_sum += pop_end - t;
	dae_timeline_add(&s->tl, DAE_TL_OCCUPANCY, t, pop_end, 1.0);
	pop_ring[i & mask] = pop_end;
	s->words++;
}

static void push(struct dae_sim *s, const struct dae_trace_event *e)
{
	bool token = e->kind == DAE_TRACE_TOKEN;
	uint32_t words = token ? 1 : e->size;

	if (!words)
		return;
	for (uint32_t w = 0; w < words; w++)
		push_word(s, token, w == 0);
	/* The next word waits only for the loads after this push. */
	s->pending_done = 0;
	s->pend_ops = s->pend_work = 0;
	s->run_bytes = 0;
	s->nprow = 0;
}

/* When everything fed so far is done. Rows and WORK after the last push
 * travel with no word: the execute side never sees them, so they cost
 * nothing there (their loads still count). */
static double finish(const struct dae_sim *s)
{
	double t = s->all_done > s->exec_t ? s->all_done : s->exec_t;

	for (uint32_t l = 0; l < s->lanes; l++)
		t = dmax(t, s->lane_t[l]);
	return t;
}

/* dae_run returns only when both sides are done, so a new call starts
 * from a drained machine; its caches stay warm. */
static void call_barrier(struct dae_sim *s)
{
	double t = finish(s);

	for (uint32_t l = 0; l < s->lanes; l++) {
		s->lane_t[l] = t;
		s->lane_line[l] = 0;
	}
	s->exec_t = t;
	s->lookup_start = t;
	s->pending_done = 0;
	s->pend_ops = s->pend_work = 0;
	s->run_bytes = 0;
	s->nprow = 0;
}

void dae_sim_event(struct dae_sim *s, const struct dae_trace_event *e)
{
	double done;

	s->ev.events++;
	switch (e->kind) {
	case DAE_TRACE_LOAD:
		s->ev.loads++;
		if (!(e->flags & DAE_TRACE_DEP))
			start_lookup(s);
		done = access_lines(s, e, true);
		s->dep_done = done;
		s->pending_done = dmax(s->pending_done, done);
		s->all_done = dmax(s->all_done, done);
		break;
	case DAE_TRACE_ROW:
		s->ev.rows++;
		s->ev.row_bytes += e->size;
		done = access_lines(s, e, false);
		s->pending_done = dmax(s->pending_done, done);
		s->all_done = dmax(s->all_done, done);
		row_ops(s, e);
		if (s->m->execute.rows_from == DAE_ROWS_FROM_L1)
			remember_row(s, e);
		break;
	case DAE_TRACE_OPERAND:
		s->ev.operands += e->size;
		push(s, e);
		break;
	case DAE_TRACE_TOKEN:
		s->ev.tokens++;
		push(s, e);
		break;
	case DAE_TRACE_CALL:
		s->ev.calls++;
		call_barrier(s);
		break;
	case DAE_TRACE_WORK:
		s->ev.work_ops += e->size;
		s->pend_work += e->size;
		break;
	}
}

void dae_sim_warm(const struct dae_sim *s, const struct dae_trace_event *e)
{
	/* Index loads read in order and their sets are neighbours: the host's
	 * own prefetcher has them. Rows are where the random sets are. */
	if (e->kind == DAE_TRACE_ROW) {
		dae_memsys_warm(&s->ms, (int)s->m->access.entry_level, e->addr, e->size);
		dae_tlb_warm(&s->tlb, &s->ms, e->addr);
	}
}

void dae_sim_stats(const struct dae_sim *s, struct dae_model_stats *out)
{
	double t = finish(s);
	double lanes = (double)s->lanes;

	out->cycles = t;
	out->events.events = s->ev.events;
	out->events.calls = s->ev.calls;
	out->events.loads = s->ev.loads;
	out->events.rows = s->ev.rows;
	out->events.row_bytes = s->ev.row_bytes;
	out->events.operands = s->ev.operands;
	out->events.tokens = s->ev.tokens;
	out->events.work_ops = s->ev.work_ops;
	out->events.line_requests = s->ev.line_requests;

	out->access.lanes = s->lanes;
	out->access.busy_cycles = s->a_busy / lanes;
	out->access.stall_queue_full = s->a_qfull / lanes;
	out->access.stall_outstanding = s->a_outst / lanes;
	out->access.stall_dependency = s->a_dep / lanes;
	out->access.idle_cycles =
	        dmax(0, t - (s->a_busy + s->a_qfull + s->a_outst + s->a_dep) / lanes);

	out->execute.busy_cycles = s->e_busy;
	out->execute.starved_cycles = s->e_starved;
	out->execute.row_wait_cycles = s->e_rowwait;
	out->execute.idle_cycles =
	        dmax(0, t - out->execute.busy_cycles - s->e_starved - s->e_rowwait);

	out->queue.capacity_words = s->cap;
	out->queue.words = s->words;
	out->queue.full_stall_cycles = out->access.stall_queue_full;
	out->queue.mean_occupancy = t > 0 ? s->occ_sum / t : 0;
	out->queue.max_occupancy = s->occ_max;

	dae_memsys_stats(&s->ms, &out->memory);
	dae_tlb_stats(&s->tlb, &out->memory);
	dae_tlb_stats(&s->xtlb, &out->memory);
}

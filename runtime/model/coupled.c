/* The coupled baseline: the same events, in program order, on one
 * out-of-order core, as an interval model with O(1) work per uop.
 *
 * Uop k dispatches width-limited after uop k - 1, and not before uop
 * k - rob has retired (the reorder buffer is full until then). It
 * completes when its inputs are there (a load: its address's producer, a
 * miss buffer if it misses L1, then the data; a compute uop: its load,
 * plus one cycle) and retires in order, width-limited. The retire times of
 * the last rob uops are a ring; miss buffers are a min-heap of the times
 * they free.
 *
 * Why dispatch stood still is kept with each retire time: when uop k has to
 * wait for uop k - rob, the wait is charged to what held k - rob (or the
 * older uop that held it, since retirement is in order): a miss that was
 * simply long (the window was too small to cover it: "rob"), one that
 * waited for a miss buffer, one whose address came from another miss
 * ("dependency"), or one that queued for the DRAM channel ("bandwidth").
 * The largest share names what bounded the run.
 *
 * A store whose data is not there yet holds one of pending_stores entries
 * from its dispatch until its input arrives; with all of them held, the
 * next store cannot dispatch (on the host's core there are far fewer than
 * store buffer entries: bench/calibrate/store_window.c). The entries are a
 * ring in program order, like the reorder buffer: store s waits for the
 * data of store s - pending_stores, which is exact while stores get their
 * data in program order, as a row's do. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

static inline double dmax(double a, double b)
{
	return a > b ? a : b;
}

int dae_coupled_init(struct dae_coupled *c, const struct dae_machine *m)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->m = m;
	err = dae_memsys_init(&c->ms, m);
	if (err)
		return err;
	err = dae_slots_init(&c->mb, m->coupled.miss_buffers);
	if (!err)
		err = dae_tlb_init(&c->tlb, m, DAE_MEM_L1);
	if (err) {
		dae_coupled_exit(c);
		return err;
	}
	c->cost = 1.0 / m->coupled.width;
	c->op_cost = 1.0 / m->coupled.ops_per_cycle;
	c->rob = m->coupled.rob;
	c->ring_mask = dae_pow2_at_least(c->rob) - 1;
	c->ret = calloc(c->ring_mask + 1, sizeof(*c->ret));
	c->cause = calloc(c->ring_mask + 1, sizeof(*c->cause));
	c->pending = m->coupled.stores_per_vector ? m->coupled.pending_stores : 0;
	if (c->pending) {
		c->store_mask = dae_pow2_at_least(c->pending) - 1;
		c->sdata = calloc(c->store_mask + 1, sizeof(*c->sdata));
		c->scause = calloc(c->store_mask + 1, sizeof(*c->scause));
	}
	if (!c->ret || !c->cause || (c->pending && (!c->sdata || !c->scause))) {
		dae_coupled_exit(c);
		return -ENOMEM;
	}
	c->last_d = -c->cost; /* so that the first uop dispatches at 0 */
	return 0;
}

void dae_coupled_exit(struct dae_coupled *c)
{
	dae_memsys_exit(&c->ms);
	dae_slots_exit(&c->mb);
	dae_tlb_exit(&c->tlb);
	free(c->ret);
	free(c->cause);
	free(c->sdata);
	free(c->scause);
	c->ret = NULL;
	c->cause = NULL;
	c->sdata = NULL;
	c->scause = NULL;
}

/* The core's state while one event is replayed, in locals that the
 * compiler keeps in registers: in struct dae_coupled, every store to the
 * retire ring could alias it and would force it back to memory. */
struct core {
	double *ret;
	uint8_t *held;
	double *stall;
	uint64_t mask, rob;
	double cost, op_cost;
	double *sdata; /* the pending stores' ring (struct dae_coupled) */
	uint8_t *sheld;
	uint64_t smask, pending;
	/* written back by core_end */
	double last_d, last_r, fu_free;
	uint64_t uops, stores;
	uint8_t last_cause;
};

static inline __attribute__((always_inline)) struct core core_begin(struct dae_coupled *c)
{
	return (struct core){
	        .ret = c->ret,
	        .held = c->cause,
	        .stall = c->stall,
	        .mask = c->ring_mask,
	        .rob = c->rob,
	        .cost = c->cost,
	        .op_cost = c->op_cost,
	        .sdata = c->sdata,
	        .sheld = c->scause,
	        .smask = c->store_mask,
	        .pending = c->pending,
	        .last_d = c->last_d,
	        .last_r = c->last_r,
	        .fu_free = c->fu_free,
	        .uops = c->uops,
	        .stores = c->stores,
	        .last_cause = c->last_cause,
	};
}

static inline __attribute__((always_inline)) void core_end(struct dae_coupled *c,
                                                           const struct core *k)
{
	c->last_d = k->last_d;
	c->last_r = k->last_r;
	c->fu_free = k->fu_free;
	c->uops = k->uops;
	c->stores = k->stores;
	c->last_cause = k->last_cause;
}

/* The next uop's dispatch time. The first rob uops need no test for a full
 * window: the ring slot they read has not been written yet (the ring has
 * at least rob slots), and its 0 is never later than a dispatch time.
 *
 * Here and below, times are chosen with selects (maxsd, cmov) rather than
 * branches: whether a uop waits for its input, the vector units or its
 * turn to retire follows no pattern a branch predictor could learn (a > b ?
 * a : b is exactly maxsd, NaN included). Only the stall sum keeps its
 * branch: adding to it on every uop would chain the uops through memory. */
static inline __attribute__((always_inline)) double dispatch(struct core *k)
{
	double d = k->last_d + k->cost;
	uint64_t i = (k->uops - k->rob) & k->mask;
	double held_until = k->ret[i];

	if (held_until > d)
		k->stall[k->held[i]] += held_until - d;
	return held_until > d ? held_until : d;
}

/* A uop that is done before its turn to retire inherits what held the uop
 * before it. */
static inline __attribute__((always_inline)) void retire(struct core *k, double d, double complete,
                                                         uint8_t cause)
{
	uint64_t i = k->uops & k->mask;
	double r = k->last_r + k->cost;

	cause = complete > r ? cause : k->last_cause;
	r = complete > r ? complete : r;
	k->ret[i] = r;
	k->held[i] = cause;
	k->last_r = r;
	k->last_cause = cause;
	k->last_d = d;
	k->uops++;
}

/* When a compute uop dispatched at d that needs the value at time `in` (0:
 * nothing) starts, and in *why what it waited for. Arithmetic (vector) uops
 * also take a turn on the vector units, ops_per_cycle of them a cycle; loop
 * overhead does not. */
static inline __attribute__((always_inline)) double
start_at(struct core *k, double d, double in, uint8_t in_cause, bool vector, uint8_t *why)
{
	double start = d > in ? d : in;
	uint8_t cause = in > d ? in_cause : DAE_BOUND_CORE;

	/* The units' turns are handed out in dispatch order, which is
	 * monotone: an operation waiting for a late load does not hold back
	 * those after it. */
	if (vector) {
		double turn = k->fu_free > d ? k->fu_free : d;

		k->fu_free = turn + k->op_cost;
		cause = turn > start ? DAE_BOUND_CORE : cause;
		start = turn > start ? turn : start;
	}
	*why = cause;
	return start;
}

/* A compute uop, done a cycle after it starts. */
static inline __attribute__((always_inline)) void compute_uop(struct core *k, double in,
                                                              uint8_t in_cause, bool vector)
{
	double d = dispatch(k);
	uint8_t cause;
	double start = start_at(k, d, in, in_cause, vector, &cause);

	retire(k, d, start + 1, cause);
}

/* A store of what a vector's arithmetic computed from the value at `in`
 * (with a pending store limit): it dispatches once store
 * stores - pending has its data, and has its own when it starts. */
static inline __attribute__((always_inline)) void store_uop(struct core *k, double in,
                                                            uint8_t in_cause)
{
	double d = dispatch(k);
	uint64_t j = (k->stores - k->pending) & k->smask;
	double held_until = k->sdata[j];
	uint8_t cause;

	if (held_until > d)
		k->stall[k->sheld[j]] += held_until - d;
	d = held_until > d ? held_until : d;
	double start = start_at(k, d, in, in_cause, true, &cause);

	j = k->stores & k->smask;
	k->sdata[j] = start;
	k->sheld[j] = cause;
	k->stores++;
	retire(k, d, start + 1, cause);
}

/* n such uops. The count is a machine's constant (uops per vector, per
 * row, per word), so a jump into a run of them is predicted, where a loop
 * of a few turns would have its exit mispredicted. */
static inline __attribute__((always_inline)) void
compute_uops(struct core *k, uint64_t n, double in, uint8_t in_cause, bool vector)
{
	for (; n > 8; n--)
		compute_uop(k, in, in_cause, vector);
	switch (n) {
	case 8:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 7:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 6:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 5:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 4:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 3:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 2:
		compute_uop(k, in, in_cause, vector);
		/* fall through */
	case 1:
		compute_uop(k, in, in_cause, vector);
	}
}

/* What a load uop waited for, by cause (the core: never), and when its
 * data is there. */
struct waits {
	double rob, mb, dep, bw;
	double done;
};

/* The lines [first, last] of a load uop issued at t (its address known). */
static inline __attribute__((always_inline)) void
load_lines(struct dae_coupled *c, uint64_t first, uint64_t last, double t, struct waits *w)
{
	const double lat1 = c->ms.lv[DAE_MEM_L1].latency;

	for (uint64_t line = first;; line++) {
		double ready, dl;
		/* The address translated (a TLB miss walks the page table). */
		double tt = dae_tlb_translate(&c->tlb, &c->ms, line << c->ms.line_shift, t);
		/* A miss waits for a miss buffer. */
		double f = dae_slots_first_free(&c->mb);
		double ti = f > tt ? f : tt;
		int served;

		if (dae_memsys_request(&c->ms, DAE_MEM_L1, line, ti, &ready, &served)) {
			dl = dmax(tt + lat1, ready);
			w->rob = dmax(w->rob, dl - t);
		} else {
			if (f > tt)
				w->mb = dmax(w->mb, f - tt);
			dl = ready;
			dae_slots_take(&c->mb, dl);
			c->miss_cycles += dl - ti;
			double unloaded = dae_memsys_latency(&c->ms, served);
			if (served == DAE_MEM_LEVELS && dl - ti > unloaded) {
				w->bw = dmax(w->bw, dl - ti - unloaded);
				w->rob = dmax(w->rob, unloaded + (tt - t));
			} else {
				w->rob = dmax(w->rob, dl - ti + (tt - t));
			}
		}
		w->done = dmax(w->done, dl);
		if (line == last)
			break;
	}
}

/* One load uop reading the lines [first, last]; returns when its data is
 * there and what it waited for most in *cause. A load of the line looked up
 * last, on the page translated last, is load_lines without its calls:
 * what a scalar core's loads of one row mostly are. */
static inline __attribute__((always_inline)) double load_uop(struct dae_coupled *c, struct core *k,
                                                             uint64_t first, uint64_t last,
                                                             bool dep, uint8_t *cause)
{
	const unsigned l1 = (1u << DAE_MEM_L1) | DAE_MEMO_READY;
	struct dae_tlb *tlb = &c->tlb;
	struct dae_memsys *ms = &c->ms;
	double d = dispatch(k);
	double t = d;
	struct waits w = {0, 0, 0, 0, 0};

	if (dep) {
		/* Maxima rather than a branch (as in dae_sim.c's access_lines). */
		double wait = c->dep_done - t;

		w.dep = wait > 0 ? wait : 0;
		t = c->dep_done > t ? c->dep_done : t;
	}
	if (first == last && first + 1 == ms->memo_tag && (ms->memo_levels & l1) == l1 &&
	    (!tlb->tags || ((first << ms->line_shift) >> tlb->page_shift) + 1 == tlb->last_vpn)) {
		double tt = t;

		if (tlb->tags) {
			tlb->hits++;
			tt = tlb->last_ready > t ? tlb->last_ready : t;
		}
		ms->lv[DAE_MEM_L1].st.hits++;
		double dl = dmax(tt + ms->lv[DAE_MEM_L1].latency, ms->memo_ready);
		w.rob = dmax(w.rob, dl - t);
		w.done = dmax(w.done, dl);
	} else {
		load_lines(c, first, last, t, &w);
	}
	/* The largest wait, the first cause in enum order on a tie. */
	double most = w.rob;
	uint8_t why = DAE_BOUND_ROB;

	if (w.mb > most) {
		most = w.mb;
		why = DAE_BOUND_MISS_BUFFERS;
	}
	if (w.dep > most) {
		most = w.dep;
		why = DAE_BOUND_DEPENDENCY;
	}
	if (w.bw > most)
		why = DAE_BOUND_BANDWIDTH;
	*cause = why;
	c->loads++;
	retire(k, d, w.done, why);
	return w.done;
}

static inline void span(const struct dae_coupled *c, uint64_t a, uint64_t end, uint64_t *first,
                        uint64_t *last)
{
	*first = a >> c->ms.line_shift;
	*last = (end > a ? end - 1 : a) >> c->ms.line_shift;
}

static void load_event(struct dae_coupled *c, const struct dae_trace_event *e)
{
	struct core k = core_begin(c);
	uint64_t first, last, end = e->addr + e->size;
	uint8_t cause;

	if (end < e->addr)
		end = UINT64_MAX;
	span(c, e->addr, end, &first, &last);
	c->dep_done = load_uop(c, &k, first, last, e->flags & DAE_TRACE_DEP, &cause);
	core_end(c, &k);
	for (uint64_t line = first;; line++) {
		dae_memsys_train(&c->ms, DAE_MEM_L1, line, k.last_d);
		if (line == last)
			break;
	}
	c->run_active = false;
}

/* A row is ceil(bytes / vector) vector loads, each followed by its compute
 * uops, after the row loop's overhead. Contiguous ROW events are one row
 * (data marshalling records a row element by element); a vector load
 * fetches the lines of the row bytes seen when it is created. */
static void row_event(struct dae_coupled *c, const struct dae_trace_event *e)
{
	const uint64_t vec = c->m->coupled.vector_bytes;
	const uint64_t per_vector = c->m->coupled.uops_per_vector - 1;
	const uint64_t stores = c->pending ? c->m->coupled.stores_per_vector : 0;
	const bool dep = e->flags & DAE_TRACE_DEP;
	struct core k = core_begin(c);
	uint64_t end = e->addr + e->size;

	if (end < e->addr)
		end = UINT64_MAX;
	if (!c->run_active || e->addr != c->run_end) {
		c->run_active = true;
		c->run_start = e->addr;
		c->run_vectors = 0;
		compute_uops(&k, c->m->coupled.uops_per_row, 0, DAE_BOUND_CORE, false);
	}
	c->run_end = end;
	uint64_t nv = (end - c->run_start + vec - 1) / vec;
	for (uint64_t v = c->run_vectors; v < nv; v++) {
		uint64_t va = c->run_start + v * vec, vb = va + vec;
		uint64_t first, last;
		uint8_t cause;

		if (vb > end || vb < va)
			vb = end;
		if (va < e->addr)
			va = e->addr;
		span(c, va, vb, &first, &last);
		double done = load_uop(c, &k, first, last, dep, &cause);
		if (stores) {
			compute_uops(&k, per_vector - stores, done, cause, true);
			for (uint64_t s = 0; s < stores; s++)
				store_uop(&k, done, cause);
		} else {
			compute_uops(&k, per_vector, done, cause, true);
		}
	}
	c->run_vectors = nv;
	core_end(c, &k);
}

/* Uops that need nothing (vector: arithmetic on the vector units). */
static void plain_uops(struct dae_coupled *c, uint64_t n, bool vector)
{
	if (!n)
		return;
	struct core k = core_begin(c);

	compute_uops(&k, n, 0, DAE_BOUND_CORE, vector);
	core_end(c, &k);
}

void dae_coupled_event(struct dae_coupled *c, const struct dae_trace_event *e)
{
	switch (e->kind) {
	case DAE_TRACE_LOAD:
		load_event(c, e);
		break;
	case DAE_TRACE_ROW:
		row_event(c, e);
		break;
	case DAE_TRACE_OPERAND:
		plain_uops(c, (uint64_t)e->size * c->m->coupled.uops_per_word, false);
		break;
	case DAE_TRACE_TOKEN:
		plain_uops(c, c->m->coupled.uops_per_word, false);
		break;
	case DAE_TRACE_WORK:
		plain_uops(c, e->size, true);
		break;
	case DAE_TRACE_CALL:
		c->run_active = false;
		break;
	}
}

void dae_coupled_warm(const struct dae_coupled *c, const struct dae_trace_event *e)
{
	if (e->kind == DAE_TRACE_ROW) {
		dae_memsys_warm(&c->ms, DAE_MEM_L1, e->addr, e->size);
		dae_tlb_warm(&c->tlb, &c->ms, e->addr);
	}
}

void dae_coupled_stats(const struct dae_coupled *c, struct dae_model_stats *out)
{
	double cycles = c->uops ? c->last_r : 0;

	out->coupled.cycles = cycles;
	out->coupled.uops = c->uops;
	out->coupled.loads = c->loads;
	out->coupled.dispatch_cycles = (double)c->uops * c->cost;
	for (int k = 0; k < DAE_BOUND_CAUSES; k++)
		out->coupled.stall_cycles[k] = c->stall[k];
	/* The drain after the last dispatch waits for what held the last uop. */
	if (c->uops && c->last_r > c->last_d + c->cost)
		out->coupled.stall_cycles[c->last_cause] += c->last_r - (c->last_d + c->cost);
	enum dae_coupled_bound b = DAE_BOUND_CORE;
	double best = out->coupled.dispatch_cycles + out->coupled.stall_cycles[DAE_BOUND_CORE];
	for (int k = DAE_BOUND_ROB; k < DAE_BOUND_CAUSES; k++) {
		if (out->coupled.stall_cycles[k] > best) {
			best = out->coupled.stall_cycles[k];
			b = (enum dae_coupled_bound)k;
		}
	}
	out->coupled.bound = b;
	out->coupled.mean_mlp = cycles > 0 ? c->miss_cycles / cycles : 0;
	dae_memsys_stats(&c->ms, &out->coupled.memory);
	dae_tlb_stats(&c->tlb, &out->coupled.memory);
}

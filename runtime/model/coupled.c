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
 * The largest share names what bounded the run. */
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
	if (!c->ret || !c->cause) {
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
	c->ret = NULL;
	c->cause = NULL;
}

static double dispatch(struct dae_coupled *c)
{
	double d = c->last_d + c->cost;

	if (c->uops >= c->rob) {
		uint64_t k = (c->uops - c->rob) & c->ring_mask;

		if (c->ret[k] > d) {
			c->stall[c->cause[k]] += c->ret[k] - d;
			d = c->ret[k];
		}
	}
	return d;
}

static void retire(struct dae_coupled *c, double d, double complete, uint8_t cause)
{
	uint64_t k = c->uops & c->ring_mask;
	double r = c->last_r + c->cost;

	/* A uop that is done before its turn to retire inherits what held
	 * the uop before it. */
	if (complete > r)
		r = complete;
	else
		cause = c->last_cause;
	c->ret[k] = r;
	c->cause[k] = cause;
	c->last_r = r;
	c->last_cause = cause;
	c->last_d = d;
	c->uops++;
}

/* n compute uops that need the value at time `in` (0: nothing), each
 * done a cycle after it starts. Arithmetic (vector) uops also take a turn
 * on the vector units, ops_per_cycle of them a cycle; loop overhead does
 * not. */
static void compute_uops(struct dae_coupled *c, uint64_t n, double in, uint8_t in_cause,
                         bool vector)
{
	for (uint64_t i = 0; i < n; i++) {
		double d = dispatch(c);
		double start = dmax(d, in);
		uint8_t cause = in > d ? in_cause : DAE_BOUND_CORE;

		/* The units' turns are handed out in dispatch order, which is
		 * monotone: an operation waiting for a late load does not
		 * hold back those after it. */
		if (vector) {
			double turn = dmax(c->fu_free, d);

			c->fu_free = turn + c->op_cost;
			if (turn > start) {
				start = turn;
				cause = DAE_BOUND_CORE;
			}
		}
		retire(c, d, start + 1, cause);
	}
}

/* One load uop reading the lines [first, last]; returns when its data is
 * there and what it waited for most in *cause. */
static double load_uop(struct dae_coupled *c, uint64_t first, uint64_t last, bool dep,
                       uint8_t *cause)
{
	const double lat1 = c->ms.lv[DAE_MEM_L1].latency;
	double d = dispatch(c);
	double t = d;
	double w[DAE_BOUND_CAUSES] = {0};
	double done = 0;

	if (dep && c->dep_done > t) {
		w[DAE_BOUND_DEPENDENCY] = c->dep_done - t;
		t = c->dep_done;
	}
	for (uint64_t line = first;; line++) {
		double ready, dl;
		/* The address translated (a TLB miss walks the page table). */
		double tt = dae_tlb_translate(&c->tlb, &c->ms, line << c->ms.line_shift, t);

		if (dae_memsys_probe(&c->ms, DAE_MEM_L1, line, &ready)) {
			dl = dmax(tt + lat1, ready);
			w[DAE_BOUND_ROB] = dmax(w[DAE_BOUND_ROB], dl - t);
		} else {
			double f = dae_slots_first_free(&c->mb), ti = tt;
			int served;

			if (f > ti) {
				w[DAE_BOUND_MISS_BUFFERS] = dmax(w[DAE_BOUND_MISS_BUFFERS], f - ti);
				ti = f;
			}
			dl = dae_memsys_fetch(&c->ms, DAE_MEM_L2, line, ti, &served, true);
			dae_slots_take(&c->mb, dl);
			c->miss_cycles += dl - ti;
			double unloaded = dae_memsys_latency(&c->ms, served);
			if (served == DAE_MEM_LEVELS && dl - ti > unloaded) {
				w[DAE_BOUND_BANDWIDTH] =
				        dmax(w[DAE_BOUND_BANDWIDTH], dl - ti - unloaded);
				w[DAE_BOUND_ROB] = dmax(w[DAE_BOUND_ROB], unloaded + (tt - t));
			} else {
				w[DAE_BOUND_ROB] = dmax(w[DAE_BOUND_ROB], dl - ti + (tt - t));
			}
		}
		done = dmax(done, dl);
		if (line == last)
			break;
	}
	*cause = DAE_BOUND_ROB;
	for (int k = DAE_BOUND_ROB + 1; k < DAE_BOUND_CAUSES; k++) {
		if (w[k] > w[*cause])
			*cause = (uint8_t)k;
	}
	c->loads++;
	retire(c, d, done, *cause);
	return done;
}

static void span(const struct dae_coupled *c, uint64_t a, uint64_t end, uint64_t *first,
                 uint64_t *last)
{
	*first = a >> c->ms.line_shift;
	*last = (end > a ? end - 1 : a) >> c->ms.line_shift;
}

static void load_event(struct dae_coupled *c, const struct dae_trace_event *e)
{
	uint64_t first, last, end = e->addr + e->size;
	uint8_t cause;

	if (end < e->addr)
		end = UINT64_MAX;
	span(c, e->addr, end, &first, &last);
	c->dep_done = load_uop(c, first, last, e->flags & DAE_TRACE_DEP, &cause);
	for (uint64_t line = first;; line++) {
		dae_memsys_train(&c->ms, DAE_MEM_L1, line, c->last_d);
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
	uint64_t end = e->addr + e->size;

	if (end < e->addr)
		end = UINT64_MAX;
	if (!c->run_active || e->addr != c->run_end) {
		c->run_active = true;
		c->run_start = e->addr;
		c->run_vectors = 0;
		compute_uops(c, c->m->coupled.uops_per_row, 0, DAE_BOUND_CORE, false);
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
		double done = load_uop(c, first, last, e->flags & DAE_TRACE_DEP, &cause);
		compute_uops(c, c->m->coupled.uops_per_vector - 1, done, cause, true);
	}
	c->run_vectors = nv;
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
		compute_uops(c, (uint64_t)e->size * c->m->coupled.uops_per_word, 0, DAE_BOUND_CORE,
		             false);
		break;
	case DAE_TRACE_TOKEN:
		compute_uops(c, c->m->coupled.uops_per_word, 0, DAE_BOUND_CORE, false);
		break;
	case DAE_TRACE_WORK:
		compute_uops(c, e->size, 0, DAE_BOUND_CORE, true);
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

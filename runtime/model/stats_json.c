/* The statistics as JSON: fixed key order, fixed number formats, no
 * dependence on the locale (a program that set LC_NUMERIC to a comma
 * locale still gets JSON), so the same statistics give the same bytes. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model_int.h"

struct out {
	FILE *f;
	int depth;
	bool first; /* no member written yet at this depth */
};

static void member(struct out *o, const char *key)
{
	fputs(o->first ? "\n" : ",\n", o->f);
	for (int i = 0; i < o->depth; i++)
		fputs("  ", o->f);
	fprintf(o->f, "\"%s\": ", key);
	o->first = false;
}

static void begin(struct out *o, const char *key)
{
	if (key)
		member(o, key);
	fputc('{', o->f);
	o->depth++;
	o->first = true;
}

static void end(struct out *o)
{
	o->depth--;
	if (!o->first) {
		fputc('\n', o->f);
		for (int i = 0; i < o->depth; i++)
			fputs("  ", o->f);
	}
	fputc('}', o->f);
	o->first = false;
}

static void u64(struct out *o, const char *key, uint64_t v)
{
	member(o, key);
	fprintf(o->f, "%" PRIu64, v);
}

/* prec digits after the point, or exponent form when sci; a decimal
 * comma from the locale is put back to a point. */
static void num(struct out *o, const char *key, double v, int prec, bool sci)
{
	char buf[64];

	member(o, key);
	if (!isfinite(v)) {
		fputs("null", o->f);
		return;
	}
	if (v == 0)
		v = 0; /* no "-0.000" */
	snprintf(buf, sizeof(buf), sci ? "%.*e" : "%.*f", prec, v);
	for (char *p = buf; *p; p++) {
		if (*p == ',')
			*p = '.';
	}
	fputs(buf, o->f);
}

static void cycles(struct out *o, const char *key, double v)
{
	num(o, key, v, 3, false);
}

static void ratio(struct out *o, const char *key, double v)
{
	num(o, key, v, 6, false);
}

static void str(struct out *o, const char *key, const char *s)
{
	member(o, key);
	fputc('"', o->f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(o->f, "\\%c", c);
		else if (c < 0x20)
			fprintf(o->f, "\\u%04x", c);
		else
			fputc(c, o->f);
	}
	fputc('"', o->f);
}

static void pct(struct out *o, const char *key, double part, double whole)
{
	num(o, key, whole > 0 ? 100 * part / whole : 0, 3, false);
}

static void memory(struct out *o, const char *key, const struct dae_model_memory_stats *m,
                   double total)
{
	static const char *const names[DAE_MEM_LEVELS] = {"l1", "l2", "llc"};

	begin(o, key);
	for (int k = 0; k < DAE_MEM_LEVELS; k++) {
		uint64_t n = m->level[k].hits + m->level[k].misses;

		begin(o, names[k]);
		u64(o, "hits", m->level[k].hits);
		u64(o, "misses", m->level[k].misses);
		if (n) {
			ratio(o, "hit_rate", (double)m->level[k].hits / (double)n);
		} else {
			member(o, "hit_rate");
			fputs("null", o->f);
		}
		end(o);
	}
	u64(o, "dram_lines", m->dram_lines);
	u64(o, "dram_bytes", m->dram_bytes);
	pct(o, "dram_busy_pct", m->dram_busy_cycles, total);
	u64(o, "prefetch_lines", m->prefetch_lines);
	/* Only machines that translate addresses have a TLB to report. */
	if (m->tlb_hits + m->tlb_misses) {
		begin(o, "tlb");
		u64(o, "hits", m->tlb_hits);
		u64(o, "misses", m->tlb_misses);
		num(o, "walk_cycles", m->walk_cycles, 3, false);
		end(o);
	}
	end(o);
}

static const char *const bound_names[DAE_BOUND_CAUSES] = {
        [DAE_BOUND_CORE] = "core",
        [DAE_BOUND_ROB] = "rob",
        [DAE_BOUND_MISS_BUFFERS] = "miss_buffers",
        [DAE_BOUND_DEPENDENCY] = "dependency",
        [DAE_BOUND_BANDWIDTH] = "bandwidth",
};

int dae_model_stats_write_json(const struct dae_model_stats *s, FILE *f)
{
	struct out o = {f, 0, true};
	double t;

	if (!s || !f)
		return -EINVAL;
	t = s->cycles;
	begin(&o, NULL);
	str(&o, "machine", s->machine);
	num(&o, "clock_ghz", s->clock_ghz, 3, false);
	cycles(&o, "cycles", t);
	num(&o, "seconds", s->seconds, 9, true);
	ratio(&o, "speedup", s->speedup);

	begin(&o, "events");
	u64(&o, "events", s->events.events);
	u64(&o, "calls", s->events.calls);
	u64(&o, "loads", s->events.loads);
	u64(&o, "rows", s->events.rows);
	u64(&o, "row_bytes", s->events.row_bytes);
	u64(&o, "operands", s->events.operands);
	u64(&o, "tokens", s->events.tokens);
	u64(&o, "work_ops", s->events.work_ops);
	u64(&o, "line_requests", s->events.line_requests);
	end(&o);

	begin(&o, "access");
	u64(&o, "lanes", s->access.lanes);
	cycles(&o, "busy_cycles", s->access.busy_cycles);
	pct(&o, "busy_pct", s->access.busy_cycles, t);
	begin(&o, "stall_cycles");
	cycles(&o, "queue_full", s->access.stall_queue_full);
	cycles(&o, "outstanding", s->access.stall_outstanding);
	cycles(&o, "dependency", s->access.stall_dependency);
	end(&o);
	cycles(&o, "idle_cycles", s->access.idle_cycles);
	end(&o);

	begin(&o, "execute");
	cycles(&o, "busy_cycles", s->execute.busy_cycles);
	pct(&o, "busy_pct", s->execute.busy_cycles, t);
	cycles(&o, "starved_cycles", s->execute.starved_cycles);
	cycles(&o, "row_wait_cycles", s->execute.row_wait_cycles);
	cycles(&o, "idle_cycles", s->execute.idle_cycles);
	end(&o);

	begin(&o, "queue");
	u64(&o, "capacity_words", s->queue.capacity_words);
	u64(&o, "words", s->queue.words);
	cycles(&o, "full_stall_cycles", s->queue.full_stall_cycles);
	ratio(&o, "mean_occupancy", s->queue.mean_occupancy);
	u64(&o, "max_occupancy", s->queue.max_occupancy);
	end(&o);

	memory(&o, "memory", &s->memory, t);

	begin(&o, "coupled");
	cycles(&o, "cycles", s->coupled.cycles);
	num(&o, "seconds", s->coupled.seconds, 9, true);
	u64(&o, "uops", s->coupled.uops);
	u64(&o, "loads", s->coupled.loads);
	cycles(&o, "dispatch_cycles", s->coupled.dispatch_cycles);
	begin(&o, "stall_cycles");
	for (int k = 0; k < DAE_BOUND_CAUSES; k++)
		cycles(&o, bound_names[k], s->coupled.stall_cycles[k]);
	end(&o);
	member(&o, "bound");
	fprintf(f, "\"%s\"",
	        (unsigned)s->coupled.bound < DAE_BOUND_CAUSES ? bound_names[s->coupled.bound]
	                                                      : "unknown");
	ratio(&o, "mean_mlp", s->coupled.mean_mlp);
	memory(&o, "memory", &s->coupled.memory, s->coupled.cycles);
	end(&o);

	end(&o);
	fputc('\n', f);
	if (fflush(f) != 0)
		return errno ? -errno : -EIO;
	return ferror(f) ? -EIO : 0;
}

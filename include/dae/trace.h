/* The access trace of a decoupled program: what the timing model (model.h)
 * replays.
 *
 * Generated code records it when compiled with -DDAE_TRACE, without being
 * translated again: the access side's loads are written DAE_LD(x) (and the
 * row loads of data-marshalled code DAE_ROW_LD(x)), which is plain x in an
 * ordinary build; in a DAE_TRACE build they, dae_prefetch_range and the
 * queue pushes also append an event to the calling thread's trace, and
 * dae_run becomes dae_run_traced (run.h), which runs the program and then
 * hands the trace of that call to the process's timing model.
 *
 * Only the access side is traced. The execute side pops the words in the
 * order they were pushed (the queue is FIFO), so the pushes also say what
 * the execute side pops and when; its arithmetic is modelled from the rows
 * each popped word brings with it (see struct dae_trace_event).
 *
 * A trace file (DAE_TRACE_OUT, and what dae-model reads) is the 16-byte
 * header DAE_TRACE_MAGIC followed by events, each the 16 bytes of struct
 * dae_trace_event in little-endian order. */
#ifndef DAE_TRACE_H
#define DAE_TRACE_H

#include <stddef.h>
#include <stdint.h>

#ifndef DAE_API
#define DAE_API __attribute__((visibility("default")))
#endif

/* First 16 bytes of a trace file: the format's name and version. */
#define DAE_TRACE_MAGIC "DAETRACE\x01\0\0\0\0\0\0\0"
#define DAE_TRACE_MAGIC_LEN 16

enum dae_trace_kind {
	/* The access side reads size bytes at addr: an index, an offset, a
	 * length. Its address does not depend on an earlier load unless the
	 * event has DAE_TRACE_DEP. */
	DAE_TRACE_LOAD = 1,
	/* The access side fetches size bytes at addr for the execute side: a
	 * table row it prefetches and whose reference it sends (ref
	 * marshalling), or a row element it loads and sends by value (data
	 * marshalling). The bytes travel with the next pushed word. */
	DAE_TRACE_ROW = 2,
	/* The access side pushes size operand words. Each becomes ready once
	 * every LOAD and ROW since the previous push has completed: the words
	 * carry values computed from those loads. */
	DAE_TRACE_OPERAND = 3,
	/* The access side pushes one control token; the execute side pays a
	 * dispatch for it. */
	DAE_TRACE_TOKEN = 4,
	/* A dae_run call starts (addr, size 0). The model's caches keep their
	 * contents across calls, as the hardware's would. */
	DAE_TRACE_CALL = 5,
	/* Execute work of size element operations attached to the next pushed
	 * word, for traces written by hand or by other tools; generated code
	 * does not record it (its work is inferred from the rows). */
	DAE_TRACE_WORK = 6,
};

/* DAE_TRACE_LOAD or DAE_TRACE_ROW whose address is computed from the value
 * of the most recent DAE_TRACE_LOAD before it (a gather: table[indices[j]];
 * a pointer chase). */
#define DAE_TRACE_DEP 0x01u
/* For dae_trace_load only: record a DAE_TRACE_ROW rather than a LOAD. */
#define DAE_TRACE_AS_ROW 0x100u

struct dae_trace_event {
	uint64_t addr;
	uint32_t size; /* bytes (LOAD, ROW), words (OPERAND), ops (WORK); else 0 or 1 */
	uint8_t kind; /* enum dae_trace_kind */
	uint8_t flags; /* DAE_TRACE_DEP */
	uint16_t reserved; /* 0 */
};

_Static_assert(sizeof(struct dae_trace_event) == 16, "trace events are 16 bytes in files");

/* Recording, called by the DAE_TRACE forms of the macros and inline
 * functions below; each appends one event to the calling thread's trace
 * when a traced dae_run is in progress on it, and does nothing otherwise.
 * dae_trace_load returns p, so that DAE_LD can load through it. */
DAE_API const void *dae_trace_load(const void *p, size_t bytes, unsigned flags);
DAE_API void dae_trace_row(const void *p, size_t bytes);
DAE_API void dae_trace_push(enum dae_trace_kind kind, uint32_t words);

#ifdef DAE_TRACE
/* x is evaluated once: its address is taken, recorded and loaded through. */
#define DAE_TRACE_LD_(x, flags) (*(__typeof__(&(x)))dae_trace_load(&(x), sizeof(x), (flags)))
#define DAE_LD(x) DAE_TRACE_LD_(x, 0)
#define DAE_ROW_LD(x) DAE_TRACE_LD_(x, DAE_TRACE_AS_ROW | DAE_TRACE_DEP)
#else
#define DAE_LD(x) (x)
#define DAE_ROW_LD(x) (x)
#endif

#endif

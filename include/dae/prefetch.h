/* Prefetch hints for the access side: it knows the addresses the execute
 * side will load, so it warms the cache before the execute side gets there. */
#ifndef DAE_PREFETCH_H
#define DAE_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* The locality argument of every prefetch libdae issues (a constant of
 * __builtin_prefetch: 3 is prefetcht0, into L1; 2 is prefetcht1, into L2).
 * 2 unless the build defines it. The access side runs a whole queue ahead
 * of the execute side (hundreds of rows in inline mode), and the batch's
 * rows would not fit in L1 anyway. Into L2 only, measured on the 2-core
 * Xeon of docs/design.md (probably because a prefetch into L1 holds one of
 * the core's few L1 miss buffers until its line arrives, while L2 tracks
 * more misses; this VM has no counters to show it), a 1 GiB
 * embedding bag in lanes mode ran about 20% faster, and the execute side's
 * loads then hit L2 (bench/sidebyside). */
#ifndef DAE_PREFETCH_LOCALITY
#define DAE_PREFETCH_LOCALITY 2
#endif

/* Keeps a prefetch alive. GCC 12 at -O2 deletes a loop whose only
 * statements are __builtin_prefetch calls (its dead-code elimination does
 * not count them as necessary, and removes the whole loop): the access
 * sides then prefetched nothing at all, and decoupling bought nothing. An
 * empty volatile asm that takes the address is necessary, emits no
 * instruction, and keeps the loop and the prefetch in it. */
#define DAE_PREFETCH_KEEP(addr) __asm__ __volatile__("" : : "r"(addr))

/* Read access, at DAE_PREFETCH_LOCALITY: the execute side reads the line
 * soon after, possibly on the other core's private cache path. */
static inline void dae_prefetch(const void *p)
{
#ifdef DAE_TRACE
	dae_trace_row(p, 1);
#endif
	__builtin_prefetch(p, 0, DAE_PREFETCH_LOCALITY);
	DAE_PREFETCH_KEEP(p);
}

/* Prefetches every 64-byte line overlapping [p, p + bytes), at most 16 lines
 * (1 KiB): beyond that the prefetches evict lines the execute side is about
 * to use, and the hardware stream prefetcher takes over anyway. Prefetches
 * never fault, so p need not be dereferenceable; bytes == 0 prefetches
 * nothing. A range that ends past the address space gives a huge line
 * count, which the cap bounds. */
static inline void dae_prefetch_range(const void *p, size_t bytes)
{
	uintptr_t line, last;
	size_t n, k;

	if (bytes == 0)
		return;
#ifdef DAE_TRACE
	dae_trace_row(p, bytes);
#endif
	line = (uintptr_t)p & ~(uintptr_t)63;
	last = ((uintptr_t)p + (bytes - 1)) & ~(uintptr_t)63;
	n = (size_t)((last - line) / 64) + 1;
	if (n > 16)
		n = 16;
	for (k = 0; k < n; k++) {
		__builtin_prefetch((const void *)(line + 64 * k), 0, DAE_PREFETCH_LOCALITY);
		DAE_PREFETCH_KEEP(line + 64 * k);
	}
}

#endif

/* Prefetch hints for the access side: it knows the addresses the execute
 * side will load, so it warms the cache before the execute side gets there. */
#ifndef DAE_PREFETCH_H
#define DAE_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

/* Read access, keep in all cache levels: the execute side reads the line
 * soon after, possibly on the other core's private cache path. */
static inline void dae_prefetch(const void *p)
{
	__builtin_prefetch(p, 0, 3);
}

/* Prefetches every 64-byte line overlapping [p, p + bytes), at most 16 lines
 * (1 KiB): beyond that the prefetches evict lines the execute side is about
 * to use, and the hardware stream prefetcher takes over anyway. Prefetches
 * never fault, so p need not be dereferenceable; bytes == 0 prefetches
 * nothing. */
static inline void dae_prefetch_range(const void *p, size_t bytes)
{
	uintptr_t line, last;
	unsigned n;

	if (bytes == 0)
		return;
	line = (uintptr_t)p & ~(uintptr_t)63;
	last = ((uintptr_t)p + (bytes - 1)) & ~(uintptr_t)63;
	/* Compare before adding so a range ending past the address space
	 * cannot wrap around into an endless loop. */
	for (n = 0; n < 16; n++) {
		__builtin_prefetch((const void *)line, 0, 3);
		if (line >= last)
			break;
		line += 64;
	}
}

#endif

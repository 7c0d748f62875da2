/* Run-time overlap checks for generated code.
 *
 * When daec cannot prove that the memory an execute side writes stays clear
 * of the index arrays its access side reads ahead, the generated wrapper
 * computes conservative byte ranges of both with these interval helpers and
 * calls the original function on any possible overlap.
 *
 * An interval [lo, hi] is inclusive; lo > hi is empty (an access inside a loop
 * that never runs). Arithmetic that could overflow gives the full interval,
 * which overlaps everything: a wrong "no overlap" is never possible. */
#ifndef DAE_GUARD_H
#define DAE_GUARD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct dae_ival {
	long long lo;
	long long hi;
	int all; /* unbounded: overlaps everything */
};

static inline struct dae_ival dae_ival_point(long long v)
{
	struct dae_ival r = {v, v, 0};
	return r;
}

/* [lo, end - 1]: a loop "for (i = lo; i < end; i++)". */
static inline struct dae_ival dae_ival_upto(long long lo, long long end)
{
	struct dae_ival r = {lo, end - 1, 0};
	if (end == LLONG_MIN) {
		r.lo = 1;
		r.hi = 0;
	}
	return r;
}

/* [lo, hi]: a loop "for (i = lo; i <= hi; i++)". */
static inline struct dae_ival dae_ival_thru(long long lo, long long hi)
{
	struct dae_ival r = {lo, hi, 0};
	return r;
}

static inline int dae_ival_empty(struct dae_ival a)
{
	return !a.all && a.lo > a.hi;
}

static inline struct dae_ival dae_ival_full(void)
{
	struct dae_ival r = {LLONG_MIN, LLONG_MAX, 1};
	return r;
}

static inline struct dae_ival dae_ival_add(struct dae_ival a, struct dae_ival b)
{
	if (dae_ival_empty(a))
		return a;
	if (dae_ival_empty(b))
		return b;
	struct dae_ival r = {0, 0, a.all || b.all};
	if (r.all || __builtin_add_overflow(a.lo, b.lo, &r.lo) ||
	    __builtin_add_overflow(a.hi, b.hi, &r.hi))
		return dae_ival_full();
	return r;
}

static inline struct dae_ival dae_ival_sub(struct dae_ival a, struct dae_ival b)
{
	if (dae_ival_empty(a))
		return a;
	if (dae_ival_empty(b))
		return b;
	struct dae_ival r = {0, 0, a.all || b.all};
	if (r.all || __builtin_sub_overflow(a.lo, b.hi, &r.lo) ||
	    __builtin_sub_overflow(a.hi, b.lo, &r.hi))
		return dae_ival_full();
	return r;
}

static inline struct dae_ival dae_ival_mul(struct dae_ival a, struct dae_ival b)
{
	if (dae_ival_empty(a))
		return a;
	if (dae_ival_empty(b))
		return b;
	if (a.all || b.all)
		return dae_ival_full();
	long long p[4];
	if (__builtin_mul_overflow(a.lo, b.lo, &p[0]) ||
	    __builtin_mul_overflow(a.lo, b.hi, &p[1]) ||
	    __builtin_mul_overflow(a.hi, b.lo, &p[2]) || __builtin_mul_overflow(a.hi, b.hi, &p[3]))
		return dae_ival_full();
	struct dae_ival r = {p[0], p[0], 0};
	for (int i = 1; i < 4; i++) {
		if (p[i] < r.lo)
			r.lo = p[i];
		if (p[i] > r.hi)
			r.hi = p[i];
	}
	return r;
}

/* A signed value converted to an unsigned type of at least its width: the
 * same value when it is not negative; otherwise it wraps, and then nothing
 * is known. */
static inline struct dae_ival dae_ival_nonneg(struct dae_ival a)
{
	if (dae_ival_empty(a) || (!a.all && a.lo >= 0))
		return a;
	return dae_ival_full();
}

/* The values of "for (i = lo; i < end; i++)" when lo and end vary: [lo.lo, end.hi - 1]. */
static inline struct dae_ival dae_ival_loop(struct dae_ival lo, struct dae_ival end, int inclusive)
{
	if (dae_ival_empty(lo) || dae_ival_empty(end))
		return dae_ival_upto(0, 0);
	if (lo.all || end.all)
		return dae_ival_full();
	if (inclusive)
		return dae_ival_thru(lo.lo, end.hi);
	return dae_ival_upto(lo.lo, end.hi);
}

/* The bytes [off, off + size) of memset/memcpy, as byte offsets. */
static inline struct dae_ival dae_ival_bytes(struct dae_ival off, struct dae_ival size)
{
	if (dae_ival_empty(off) || dae_ival_empty(size) || (!size.all && size.hi <= 0))
		return dae_ival_upto(0, 0);
	if (off.all || size.all)
		return dae_ival_full();
	struct dae_ival r = {off.lo, 0, 0};
	if (__builtin_add_overflow(off.hi, size.hi - 1, &r.hi))
		return dae_ival_full();
	return r;
}

/* Do the bytes [pa + a.lo, pa + a.hi + asz) and [pb + b.lo, pb + b.hi + bsz)
 * meet? Offsets are in bytes; asz/bsz are the sizes of the accessed elements. */
static inline int dae_ival_overlap(const void *pa, struct dae_ival a, size_t asz, const void *pb,
                                   struct dae_ival b, size_t bsz)
{
	if (dae_ival_empty(a) || dae_ival_empty(b))
		return 0;
	if (a.all || b.all)
		return 1;
	/* Compare as 128-bit addresses so no offset can wrap. */
	__int128 alo = (__int128)(uintptr_t)pa + a.lo, ahi = (__int128)(uintptr_t)pa + a.hi + asz;
	__int128 blo = (__int128)(uintptr_t)pb + b.lo, bhi = (__int128)(uintptr_t)pb + b.hi + bsz;
	return alo < bhi && blo < ahi;
}

#endif

/* One cache level: set-associative, LRU, read-only (the model never
 * writes, so there are no dirty lines and no write-backs).
 *
 * Each set is ways tags, most recently used first. A lookup rotates the
 * set as it scans: every tag it passes moves down one way and the looked-up
 * line goes to the front; on a hit the rotation stops at the line's old
 * way, on a miss it runs to the end and drops the least recent line. One
 * pass, no separate move, and streaming hits stop at the first way. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "model_int.h"

#define HUGE_PAGE ((size_t)2 << 20)

void *dae_model_alloc(size_t bytes)
{
	size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
	size_t len = (bytes + align - 1) / align * align;
	void *p = NULL;

	if (posix_memalign(&p, align, len) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (align == HUGE_PAGE)
		madvise(p, len, MADV_HUGEPAGE);
#endif
	memset(p, 0, len);
	return p;
}

int dae_cache_init(struct dae_cache *c, const struct dae_cache_config *cfg, uint32_t line_bytes)
{
	uint64_t lines = cfg->size_bytes / line_bytes;

	memset(c, 0, sizeof(*c));
	c->ways = cfg->ways;
	c->nsets = lines / cfg->ways;
	c->set_mask = (c->nsets & (c->nsets - 1)) == 0 ? c->nsets - 1 : 0;
	c->latency = cfg->latency_cycles;
	if (c->nsets == 0)
		return -EINVAL;
	size_t bytes = (size_t)(c->nsets * c->ways * sizeof(*c->tags));
	/* Beyond the host's L2, a lookup would wait for memory unless its
	 * set was asked for ahead of time. */
	c->big = bytes > ((size_t)512 << 10);
	c->tags = dae_model_alloc(bytes);
	return c->tags ? 0 : -ENOMEM;
}

void dae_cache_exit(struct dae_cache *c)
{
	free(c->tags);
	c->tags = NULL;
}

/* The lookup for a way count known at compile time (W): the search is a
 * branch-free comparison of every way (which compilers turn into vector
 * compares) and the shift a fixed-size move. Most lookups of a large table
 * miss and look at every way, so this is the model's innermost loop. */
static inline __attribute__((always_inline)) bool access_ways(uint64_t *set, uint64_t tag,
                                                              const uint32_t W)
{
	uint64_t tmp[W - 1];
	uint32_t hit = 0;

	for (uint32_t k = 0; k < W; k++)
		hit |= (uint32_t)(set[k] == tag) << k;
	if (hit) {
		for (uint32_t k = (uint32_t)__builtin_ctz(hit); k > 0; k--)
			set[k] = set[k - 1];
		set[0] = tag;
		return true;
	}
	memcpy(tmp, set, (W - 1) * sizeof(*set));
	memcpy(set + 1, tmp, (W - 1) * sizeof(*set));
	set[0] = tag;
	return false;
}

bool dae_cache_access(struct dae_cache *c, uint64_t line)
{
	uint64_t *set = dae_cache_set(c, line);
	uint64_t tag = line + 1, carry = tag;
	uint32_t ways = c->ways;

	if (set[0] == tag)
		return true;
	switch (ways) {
	case 4:
		return access_ways(set, tag, 4);
	case 8:
		return access_ways(set, tag, 8);
	case 12:
		return access_ways(set, tag, 12);
	case 16:
		return access_ways(set, tag, 16);
	}
	for (uint32_t w = 0; w < ways; w++) {
		uint64_t t = set[w];

		set[w] = carry;
		if (t == tag)
			return true;
		carry = t;
	}
	return false;
}

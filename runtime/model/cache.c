/* One cache level: set-associative, LRU, read-only (the model never
 * writes, so there are no dirty lines and no write-backs).
 *
 * Each set is ways tags, most recently used first. A lookup first checks
 * way 0 (inline, model_int.h: streams and repeated lines stop there), then
 * compares every way at once; a hit moves the line to the front, the ways
 * before it down one, and a miss shifts the whole set down one, dropping
 * the least recent line, and puts the new one in front. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "model_int.h"

#define HUGE_PAGE ((size_t)2 << 20)

static bool access_2(const struct dae_cache *c, uint64_t *set, uint64_t tag);
static bool access_4(const struct dae_cache *c, uint64_t *set, uint64_t tag);
static bool access_8(const struct dae_cache *c, uint64_t *set, uint64_t tag);
static bool access_12(const struct dae_cache *c, uint64_t *set, uint64_t tag);
static bool access_16(const struct dae_cache *c, uint64_t *set, uint64_t tag);
static bool access_any(const struct dae_cache *c, uint64_t *set, uint64_t tag);

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
	switch (c->ways) {
	case 2:
		c->rest = access_2;
		break;
	case 4:
		c->rest = access_4;
		break;
	case 8:
		c->rest = access_8;
		break;
	case 12:
		c->rest = access_12;
		break;
	case 16:
		c->rest = access_16;
		break;
	default:
		c->rest = access_any;
	}
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

#ifdef __SSE2__
#include <emmintrin.h>

/* Bit 2k set when way k of the W ways at set holds tag. SSE2 has no 64-bit
 * compare, so each way is two 32-bit compares whose mask bits must both be
 * set; saturating packs gather the masks of eight ways into one movemask. */
static inline __attribute__((always_inline)) uint32_t match_ways(const uint64_t *set, uint64_t tag,
                                                                 const uint32_t W)
{
	const __m128i t = _mm_set1_epi64x((long long)tag);
	__m128i eq[8];
	uint32_t m = 0;

	for (uint32_t k = 0; k < 8; k++) {
		eq[k] = k < W / 2 ? _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(set + 2 * k)),
		                                    t)
		                  : _mm_setzero_si128();
	}
	if (W <= 4) {
		for (uint32_t k = 0; k < W / 2; k++)
			m |= (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(eq[k])) << (4 * k);
	} else {
		for (uint32_t g = 0; g < (W + 7) / 8; g++) {
			__m128i lo = _mm_packs_epi32(eq[4 * g], eq[4 * g + 1]);
			__m128i hi = _mm_packs_epi32(eq[4 * g + 2], eq[4 * g + 3]);

			m |= (uint32_t)_mm_movemask_epi8(_mm_packs_epi16(lo, hi)) << (16 * g);
		}
	}
	return m & (m >> 1) & 0x55555555u;
}
#else
static inline __attribute__((always_inline)) uint32_t match_ways(const uint64_t *set, uint64_t tag,
                                                                 const uint32_t W)
{
	uint32_t m = 0;

	for (uint32_t k = 0; k < W; k++)
		m |= (uint32_t)(set[k] == tag) << (2 * k);
	return m;
}
#endif

/* The lookup for an even way count known at compile time (W <= 16): the
 * search compares every way without branches (most lookups of a large
 * table miss and look at every way, so this is the model's innermost
 * loop), and a miss shifts the set by a fixed-size move. Way 0 was checked
 * by the caller. */
static inline __attribute__((always_inline)) bool access_ways(uint64_t *set, uint64_t tag,
                                                              const uint32_t W)
{
	uint32_t hit = match_ways(set, tag, W);
	uint64_t tmp[16];

	if (hit) {
		for (uint32_t k = (uint32_t)__builtin_ctz(hit) / 2; k > 0; k--)
			set[k] = set[k - 1];
		set[0] = tag;
		return true;
	}
	/* Through a copy: memmove would be a call. */
	memcpy(tmp, set, (W - 1) * sizeof(*set));
	memcpy(set + 1, tmp, (W - 1) * sizeof(*set));
	set[0] = tag;
	return false;
}

#define ACCESS_WAYS(W)                                                                             \
	static bool access_##W(const struct dae_cache *c, uint64_t *set, uint64_t tag)             \
	{                                                                                          \
		(void)c;                                                                           \
		return access_ways(set, tag, W);                                                   \
	}
ACCESS_WAYS(2)
ACCESS_WAYS(4)
ACCESS_WAYS(8)
ACCESS_WAYS(12)
ACCESS_WAYS(16)

static bool access_any(const struct dae_cache *c, uint64_t *set, uint64_t tag)
{
	uint64_t carry = tag;

	for (uint32_t w = 0; w < c->ways; w++) {
		uint64_t t = set[w];

		set[w] = carry;
		if (t == tag)
			return true;
		carry = t;
	}
	return false;
}

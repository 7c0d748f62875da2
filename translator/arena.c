#include "arena.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Blocks grow geometrically so a large file does not turn into a long list. */
struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	size_t mapped; /* length of the block's own mapping; 0: from calloc */
	max_align_t data[];
};

#define HUGE_PAGE ((size_t)2 << 20)

/* A zeroed block of at least n data bytes. From 2 MiB on, it is mapped on a
 * huge-page boundary and offered transparent huge pages (where the kernel
 * has them): the IR of a large file takes tens of megabytes, and faulting
 * them in 4 KiB at a time costs more than building the IR on a busy machine
 * (a page fault there costs microseconds). */
static struct arena_block *block_new(size_t n)
{
	size_t want = sizeof(struct arena_block) + n;
	struct arena_block *b;
	if (want >= HUGE_PAGE) {
		size_t len = (want + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) &
			                   ~(uintptr_t)(HUGE_PAGE - 1));
			if (p > m)
				munmap(m, (size_t)(p - m));
			if (p < m + HUGE_PAGE)
				munmap(p + len, (size_t)(m + HUGE_PAGE - p));
#ifdef MADV_HUGEPAGE
			madvise(p, len, MADV_HUGEPAGE);
#endif
			b = (struct arena_block *)p; /* fresh mappings are zero */
			b->mapped = len;
			b->size = len - sizeof(*b);
			return b;
		}
	}
	b = calloc(1, want);
	if (b)
		b->size = n;
	return b;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
}

void arena_exit(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		if (b->mapped)
			munmap(b, b->mapped);
		else
			free(b);
		b = next;
	}
	a->head = NULL;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("daec: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t align = sizeof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t bsize = b ? b->size * 2 : 64 * 1024;
		if (bsize < size)
			bsize = size;
		/* from 512 KiB on, a whole huge page (block_new): a large file's IR
		 * then takes no small-page faults at all */
		if (bsize >= 512 * 1024 && bsize < HUGE_PAGE - sizeof(*b))
			bsize = HUGE_PAGE - sizeof(*b);
		/* Zeroed once here (large blocks come as fresh zero pages): arena
		 * memory is never reused, so allocations need no memset. */
		b = block_new(bsize);
		if (!b) {
			fputs("daec: out of memory\n", stderr);
			abort();
		}
		b->next = a->head;
		b->used = 0;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* Formats like vsnprintf(buf, cap, fmt, ap) for the conversions daec's
 * emitters use (%s, %.*s, %c, %d, %i, %u with l, ll or z, %%), several times
 * faster than glibc's: emitting a large file is mostly printing. Returns the
 * length, or -1 when fmt has anything else (or a NULL string): the caller
 * then uses vsnprintf with an untouched copy of its arguments. */
static int fast_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t n = 0;
	const char *f = fmt;
	for (;;) {
		/* the literal text up to the next conversion */
		const char *q = f;
		while (*q && *q != '%')
			q++;
		size_t len = (size_t)(q - f);
		if (n + 1 < cap)
			memcpy(buf + n, f, len < cap - 1 - n ? len : cap - 1 - n);
		n += len;
		if (!*q)
			break;
		f = q + 1;
		int prec = -1, lng = 0;
		if (f[0] == '.' && f[1] == '*') {
			prec = va_arg(ap, int);
			f += 2;
			if (*f != 's')
				return -1;
		}
		if (*f == 'l') {
			lng = 1;
			f++;
			if (*f == 'l') {
				lng = 2;
				f++;
			}
		} else if (*f == 'z') {
			lng = 3;
			f++;
		}
		char tmp[24];
		const char *s;
		if (*f == '%' && !lng) {
			s = "%";
			len = 1;
		} else if (*f == 's' && !lng) {
			s = va_arg(ap, const char *);
			if (!s)
				return -1;
			len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
		} else if (*f == 'c' && !lng) {
			tmp[0] = (char)va_arg(ap, int);
			s = tmp;
			len = 1;
		} else if (*f == 'd' || *f == 'i' || *f == 'u') {
			unsigned long long v;
			int neg = 0;
			if (*f == 'u') {
				v = lng == 0   ? va_arg(ap, unsigned)
				    : lng == 1 ? va_arg(ap, unsigned long)
				    : lng == 2 ? va_arg(ap, unsigned long long)
				               : va_arg(ap, size_t);
			} else {
				long long sv = lng == 0   ? va_arg(ap, int)
				               : lng == 1 ? va_arg(ap, long)
				               : lng == 2 ? va_arg(ap, long long)
				                          : (long long)va_arg(ap, ptrdiff_t);
				neg = sv < 0;
				v = neg ? 0 - (unsigned long long)sv : (unsigned long long)sv;
			}
			char *d = tmp + sizeof(tmp);
			do {
				*--d = (char)('0' + v % 10);
				v /= 10;
			} while (v);
			if (neg)
				*--d = '-';
			s = d;
			len = (size_t)(tmp + sizeof(tmp) - d);
		} else {
			return -1;
		}
		if (n + 1 < cap)
			memcpy(buf + n, s, len < cap - 1 - n ? len : cap - 1 - n);
		n += len;
		f++;
	}
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return n > INT_MAX ? -1 : (int)n;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	/* A short result goes straight into the current block (its free space
	 * is zero, and is cleared again when the attempt falls short). */
	struct arena_block *b = a->head;
	if (b && b->size > b->used) {
		size_t room = b->size - b->used < 256 ? b->size - b->used : 256;
		char *p = (char *)b->data + b->used;
		va_start(ap, fmt);
		int n = fast_vsnprintf(p, room, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			size_t align = sizeof(max_align_t);
			b->used += ((size_t)n + 1 + align - 1) & ~(align - 1);
			return p;
		}
		memset(p, 0, room);
	}
	va_start(ap, fmt);
	int n = fast_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	int fast = n >= 0;
	if (!fast) {
		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	if (fast)
		fast_vsnprintf(p, (size_t)n + 1, fmt, ap);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void ptrvec_push(struct arena *a, struct ptrvec *pv, void *p)
{
	if (pv->n == pv->cap) {
		int cap = pv->cap ? pv->cap * 2 : 8;
		void **v = arena_alloc(a, sizeof(void *) * (size_t)cap);
		if (pv->n)
			memcpy(v, pv->v, sizeof(void *) * (size_t)pv->n);
		pv->v = v;
		pv->cap = cap;
	}
	pv->v[pv->n++] = p;
}

int ptrvec_contains(const struct ptrvec *pv, const void *p)
{
	for (int i = 0; i < pv->n; i++)
		if (pv->v[i] == p)
			return 1;
	return 0;
}

void strbuf_init(struct strbuf *sb)
{
	sb->cap = 256;
	sb->len = 0;
	sb->s = xmalloc(sb->cap);
	sb->s[0] = '\0';
}

void strbuf_exit(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

static void strbuf_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	while (sb->len + extra + 1 > sb->cap)
		sb->cap *= 2;
	char *s = realloc(sb->s, sb->cap);
	if (!s) {
		fputs("daec: out of memory\n", stderr);
		abort();
	}
	sb->s = s;
}

void strbuf_addn(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_reserve(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_addn(sb, s, strlen(s));
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	/* Straight into the free space; formatted again only when it is short. */
	va_list ap2;
	va_copy(ap2, ap);
	int n = fast_vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n < sb->cap - sb->len) {
		sb->len += (size_t)n;
		return;
	}
	if (n < 0) {
		va_copy(ap2, ap);
		n = vsnprintf(NULL, 0, fmt, ap2);
		va_end(ap2);
	}
	strbuf_reserve(sb, (size_t)n);
	va_copy(ap2, ap);
	if (fast_vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap2) < 0)
		vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap2);
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

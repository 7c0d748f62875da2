/* Arena allocation: one arena per translation unit. Everything the pipeline
 * builds for a file (IR, lookup-compute and decoupled programs, emitted text)
 * lives until the file is done, so nothing is freed piecemeal. */
#ifndef DAEC_ARENA_H
#define DAEC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

void arena_init(struct arena *a);
void arena_exit(struct arena *a);

/* Zeroed memory; aborts on exhaustion (a translator cannot recover usefully). */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))

/* A growable array of pointers in the arena (old storage is simply abandoned). */
struct ptrvec {
	void **v;
	int n;
	int cap;
};

void ptrvec_push(struct arena *a, struct ptrvec *pv, void *p);
int ptrvec_contains(const struct ptrvec *pv, const void *p);

/* A growable text buffer (heap-backed, for emitted C and dumps). */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_exit(struct strbuf *sb);
void strbuf_addn(struct strbuf *sb, const char *s, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

#endif

/* One edit list per file: every output (rewritten file, diff, fix-its)
 * comes from it, so they always agree. Offsets are bytes in the main file,
 * end exclusive; an insertion has begin == end. */
#ifndef DAEC_EDITS_H
#define DAEC_EDITS_H

#include <stddef.h>

#include "arena.h"

struct edit {
	unsigned begin;
	unsigned end;
	const char *text;
	int seq; /* insertion order, to keep insertions at one offset stable */
};

struct edit_list {
	struct edit *v;
	int n;
	int cap;
};

void edits_init(struct edit_list *l);
void edits_exit(struct edit_list *l);
void edits_add(struct edit_list *l, unsigned begin, unsigned end, const char *text);
/* Like edits_add, but an insertion sorts before every other edit at the same
 * offset (the runtime #include must precede code inserted at that point). */
void edits_add_first(struct edit_list *l, unsigned begin, unsigned end, const char *text);

/* Drop the edits added after the first n (a function whose emission failed). */
void edits_truncate(struct edit_list *l, int n);

/* Sorts the edits and splices them into buf. Returns 0, or -1 if two edits overlap. */
int edits_apply(struct edit_list *l, const char *buf, size_t len, struct strbuf *out);

/* Sorts the edits the way edits_apply splices them: by offset, insertions
 * before a replacement starting at the same offset, then in the order added. */
void edits_sort(struct edit_list *l);

/* The order edits_sort uses, like strcmp's result: for sorting an array
 * that carries edits along with data of its own. */
int edits_compare(const struct edit *a, const struct edit *b);

/* Sorted edits that do not overlap and stay within len bytes: 0, else -1. */
int edits_check(const struct edit_list *l, size_t len);

/* Appends to out the sorted edits of l (edits_check-clean) with every run of
 * edits that touch (an insertion where another edit begins or ends) merged
 * into one replacement, texts concatenated in splice order, so that no two
 * edits of out share an offset. Tools that order replacements at one offset
 * by their own rules (clang-apply-replacements sorts them by text) then
 * produce what edits_apply does. A merged edit keeps the seq of its first
 * part; merged texts live in a. */
void edits_coalesce(const struct edit_list *l, struct arena *a, struct edit_list *out);

#endif

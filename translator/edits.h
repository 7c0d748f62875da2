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
/* Drop the edits added after the first n (a function whose emission failed). */
void edits_truncate(struct edit_list *l, int n);

/* Sorts the edits and splices them into buf. Returns 0, or -1 if two edits overlap. */
int edits_apply(struct edit_list *l, const char *buf, size_t len, struct strbuf *out);

#endif

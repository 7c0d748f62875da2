/* Unified diffs made straight from an edit list, so that --diff shows
 * exactly the bytes -o and -i write (no second diff algorithm that could
 * disagree). The output is what `diff -u` prints and what `git apply` and
 * `patch -p1` read: "--- a/PATH", "+++ b/PATH", hunks with 3 lines of
 * context, and "\ No newline at end of file" after a last line without one. */
#ifndef DAEC_UNIDIFF_H
#define DAEC_UNIDIFF_H

#include <stddef.h>

#include "arena.h"
#include "edits.h"

/* Appends to out the diff from buf (len bytes) to buf with the edits of l
 * applied; l must be sorted and edits_check-clean. Nothing is appended when
 * the edits change nothing. old_name and new_name are printed as given
 * ("a/src/f.c", "b/src/f.c"). context is the number of context lines. */
void unidiff(struct strbuf *out, const char *old_name, const char *new_name, const char *buf,
             size_t len, const struct edit_list *l, int context);

#endif

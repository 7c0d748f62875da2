/* Diagnostics in clang's format, "file:line:col: level: message", so editors
 * and CI annotate them like compiler output. Errors make daec exit non-zero. */
#ifndef DAEC_DIAG_H
#define DAEC_DIAG_H

#include <stdio.h>

enum diag_level {
	DIAG_NOTE,
	DIAG_REMARK,
	DIAG_WARNING,
	DIAG_ERROR,
};

struct diag {
	FILE *out; /* where diagnostics go (stderr) */
	int nerrors; /* errors reported so far */
	int remarks; /* print remarks (on by default; --quiet turns them off) */
};

void diag_init(struct diag *d, FILE *out);

/* file may be NULL (then "daec" is printed); line/col 0 leave them out. */
void diag_report(struct diag *d, enum diag_level level, const char *file, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif

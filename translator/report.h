/* The JSON report: every function that has loops, whether it was decoupled,
 * the op recognised and, when it was not, why. */
#ifndef DAEC_REPORT_H
#define DAEC_REPORT_H

#include "diag.h"

struct report_fn {
	const char *name;
	const char *file; /* NULL: the report's file; else the header that defines it */
	int line, column;
	int decoupled;
	const char *op; /* may be NULL */
	const char *reason; /* NULL when decoupled */
	int reason_line, reason_column;
	const char *overlap; /* how overlap with the index arrays was ruled out */
	int callbacks;
	int loops;
};

struct report {
	const char *file;
	struct report_fn *v;
	int n, cap;
};

void report_init(struct report *r, const char *file);
void report_exit(struct report *r);
struct report_fn *report_add(struct report *r);
/* The report as JSON text (malloc'd, ends with a newline); NULL on failure. */
char *report_json(const struct report *r);
/* Several files' reports: {"daec_version": ..., "files": [{"file": ...,
 * "functions": [...]}, ...]} in the order given; each entry has the shape of
 * report_json's without the version. */
char *report_json_files(const struct report *const *v, int n);

#endif

/* The JSON report: every function that has loops, whether it was decoupled,
 * the op recognised and, when it was not, why. */
#ifndef DAEC_REPORT_H
#define DAEC_REPORT_H

#include "diag.h"

struct report_fn {
	const char *name;
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

#endif

#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->nerrors = 0;
	d->remarks = 1;
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE:
		return "note";
	case DIAG_REMARK:
		return "remark";
	case DIAG_WARNING:
		return "warning";
	case DIAG_ERROR:
		return "error";
	}
	return "error";
}

void diag_report(struct diag *d, enum diag_level level, const char *file, int line, int col,
                 const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		d->nerrors++;
	if (level == DIAG_REMARK && !d->remarks)
		return;
	if (!file)
		fputs("daec", d->out);
	else if (line > 0 && col > 0)
		fprintf(d->out, "%s:%d:%d", file, line, col);
	else if (line > 0)
		fprintf(d->out, "%s:%d", file, line);
	else
		fputs(file, d->out);
	fprintf(d->out, ": %s: ", level_name(level));
	va_list ap;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
}

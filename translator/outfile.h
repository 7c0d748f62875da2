/* Writing results without ever leaving a partial file: data goes to a
 * temporary file beside the target, which is renamed over it at the end. */
#ifndef DAEC_OUTFILE_H
#define DAEC_OUTFILE_H

#include <stddef.h>

#include "diag.h"

/* Writes data to path atomically ("-" means stdout). Returns 0, or -1 after
 * reporting "path: error: ..." (the target is then untouched). */
int outfile_write(const char *path, const char *data, size_t len, struct diag *d);

#endif

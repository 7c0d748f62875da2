/* Writing results without ever leaving a partial file: every output is
 * first staged in a temporary file beside its target, and only when all of
 * them are staged are they renamed over their targets. */
#ifndef DAEC_OUTFILE_H
#define DAEC_OUTFILE_H

#include <stddef.h>

#include "diag.h"

struct outfile {
	const char *path; /* target; "-" is standard output (written at commit) */
	char *tmp; /* staged temporary, NULL when nothing is staged */
	char *real; /* path is a symbolic link: the file renamed over (malloc'd) */
	int direct; /* standard output, or a target that is not a regular file
	             * (/dev/null, /dev/stdout, a pipe): written at commit, since
	             * renaming over it would replace the device */
	const char *data; /* for direct writes */
	size_t len;
};

/* Stages data for path. Returns 0, or -1 after reporting "path: error: ...". */
int outfile_stage(struct outfile *o, const char *path, const char *data, size_t len,
                  struct diag *d);
/* Renames a staged file over its target (or writes standard output). 0 or -1. */
int outfile_commit(struct outfile *o, struct diag *d);
/* Removes a staged file; the target is untouched. */
void outfile_abort(struct outfile *o);

#endif

/* The run-time overlap check: for every pair of accesses slc_build could
 * not separate statically, conservative byte ranges are computed before the
 * decoupled run, and any possible overlap sends the call to the original. */
#ifndef DAEC_GUARD_H
#define DAEC_GUARD_H

#include "slc.h"

/* C text of "static int NAME__overlaps(const struct NAME__args *dae_a)",
 * or NULL with *err when some access cannot be bounded. */
char *guard_emit(struct arena *a, const struct slc_program *p, const char **err);

#endif

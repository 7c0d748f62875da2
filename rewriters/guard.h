/* The run-time overlap check: for every pair of accesses slc_build could
 * not separate statically, conservative byte ranges are computed before the
 * decoupled run, and any possible overlap sends the call to the original. */
#ifndef DAEC_GUARD_H
#define DAEC_GUARD_H

#include "slc.h"

/* C text of "static int NAME__overlaps(const struct NAME__args *dae_a)",
 * or NULL with *err when some access cannot be bounded. */
char *guard_emit(struct arena *a, const struct slc_program *p, const char **err);

/* The same for any list of pairs (struct slc_guard *): the text of
 * "static int NAME__SUFFIX(const struct NAME__args *dae_a)", returning 1 on
 * a possible overlap; each pair's comment says "READ (line) VERB WRITE". */
char *guard_emit_pairs(struct arena *a, const struct slc_program *p, const struct ptrvec *pairs,
                       const char *suffix, const char *verb, const char **err);

#endif

/* The run-time overlap check: for every pair of accesses slc_build could
 * not separate statically, conservative byte ranges are computed before the
 * decoupled run, and any possible overlap sends the call to the original. */
#ifndef DAEC_GUARD_H
#define DAEC_GUARD_H

#include "slc.h"

/* C text of "static int NAME__overlaps(const struct NAME__args *dae_a)",
 * or NULL with *err when some access cannot be bounded. */
char *guard_emit(struct arena *a, const struct slc_program *p, const char **err);

/* A check by chunk of the lanes' loop: its variable, and the text of its
 * first value. */
struct guard_chunk {
	const struct ir_var *iv;
	const char *lo;
};

/* The same for any list of pairs (struct slc_guard *): the text of
 * "static int NAME__SUFFIX(const struct NAME__args *dae_a)", returning 1 on
 * a possible overlap; each pair's comment says "READ (line) VERB WRITE".
 * With chunk, the function also takes "uint64_t dae_first, uint64_t
 * dae_end" and bounds each pair's read over the chunk's iterations of the
 * lanes' loop only, its write over the whole call. */
char *guard_emit_pairs(struct arena *a, const struct slc_program *p, const struct ptrvec *pairs,
                       const char *suffix, const char *verb, const struct guard_chunk *chunk,
                       const char **err);

#endif

/* Decoupled program -> C: the edits that turn the original function into
 * its reference copy, the generated access/execute pair and a new body. */
#ifndef DAEC_EMIT_C_H
#define DAEC_EMIT_C_H

#include "dlc.h"
#include "edits.h"

/* Adds the edits for d's function. Returns 0, or -1 with *err (no edit added). */
int emit_c_function(struct arena *a, const struct dlc_program *d, struct edit_list *edits,
                    const char **err);

/* Adds "#include <dae/dae.h>" once, after the last #include before offset
 * `before` (or at the top). Nothing when the file already includes it. */
void emit_c_include(const struct ir_unit *u, unsigned before, struct edit_list *edits);

#endif

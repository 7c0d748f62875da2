/* Target descriptions (--target): what the translator must know of the
 * machine the decoupled code is for. Only what changes the code lives
 * here; the machine's timings are libdae's timing-model presets
 * (runtime/machines/), which the translator never reads: data flows from
 * source to C text, and the runtime does not depend on the translator, nor
 * the translator on the runtime's data. */
#include <string.h>

#include "driver.h"

/* cpu: a CPU running libdae. AVX2-wide vectors, and rows by reference (the
 * access thread prefetches, the execute thread reads the table): on a CPU,
 * copying rows through the queue only costs bandwidth.
 * tmu: a TMU-like DAE machine (runtime/machines/tmu.json). 512-bit vectors,
 * and an access unit that loads rows and marshals their values into the
 * execute core's queue. */
static const struct target_desc targets[] = {
        {"cpu", 32, 0},
        {"tmu", 64, 1},
};

const struct target_desc *target_find(const char *name)
{
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

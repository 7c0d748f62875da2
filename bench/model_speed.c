/* Speed of the timing model (model.h): modelled memory accesses per second.
 *
 * Not a test. Built by CMake as dae_model_speed; run from a Release build:
 *
 *   build-model/runtime/dae_model_speed [MACHINE [MILLION_LOOKUPS [ROW_BYTES]]]
 *
 * (defaults: tmu, 4 million lookups, 256-byte rows). It builds an embedding
 * bag's access trace in memory, each lookup an 8-byte index LOAD, a DEP ROW
 * from a 1 GiB table, a token and one operand, bags of 40 lookups, and feeds
 * it to a model in 64 Ki-event chunks (what libdae's recorder hands over).
 * It prints the wall time and two rates: the trace's line requests (the
 * access unit's) per second, and the memory accesses modelled per second,
 * which adds the coupled baseline's lookups of the same lines (each line is
 * modelled on both machines; the execute core's own row loads, on machines
 * that have them, are not counted). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "dae/model.h"

#define CHUNK 65536
#define POOL 40

int main(int argc, char **argv)
{
	const char *machine = argc > 1 ? argv[1] : "tmu";
	uint64_t lookups = (uint64_t)((argc > 2 ? atof(argv[2]) : 4) * 1e6);
	uint32_t row = argc > 3 ? (uint32_t)atoi(argv[3]) : 256;
	const uint64_t table = 0x7f0000000000u, indices = 0x7e0000000000u;
	const uint64_t rows = ((uint64_t)1 << 30) / (row ? row : 1);
	struct dae_trace_event *ev;
	struct dae_machine m;
	struct dae_model *model;
	struct dae_model_stats st;
	char err[256];
	size_t n = 0;

	if (row == 0 || lookups == 0) {
		fprintf(stderr, "usage: %s [MACHINE [MILLION_LOOKUPS [ROW_BYTES]]]\n", argv[0]);
		return 2;
	}
	if (dae_machine_load(&m, machine, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	uint64_t total = 1 + lookups * 5 + lookups / POOL * 3 + 3;
	ev = malloc(total * sizeof(*ev));
	if (!ev || dae_model_create(&model, &m) != 0) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	ev[n++] = (struct dae_trace_event){0, 0, DAE_TRACE_CALL, 0, 0};
	for (uint64_t j = 0; j < lookups; j++) {
		if (j % POOL == 0) {
			ev[n++] =
			        (struct dae_trace_event){indices + j * 8, 8, DAE_TRACE_LOAD, 0, 0};
			ev[n++] = (struct dae_trace_event){0, 1, DAE_TRACE_TOKEN, 0, 0};
			ev[n++] = (struct dae_trace_event){0, 1, DAE_TRACE_OPERAND, 0, 0};
		}
		ev[n++] = (struct dae_trace_event){indices + j * 8, 8, DAE_TRACE_LOAD, 0, 0};
		ev[n++] = (struct dae_trace_event){table + rng() % rows * row, row, DAE_TRACE_ROW,
		                                   DAE_TRACE_DEP, 0};
		ev[n++] = (struct dae_trace_event){0, 1, DAE_TRACE_TOKEN, 0, 0};
		ev[n++] = (struct dae_trace_event){0, 1, DAE_TRACE_OPERAND, 0, 0};
	}
	double t0 = now_s();
	for (size_t i = 0; i < n; i += CHUNK)
		dae_model_feed(model, ev + i, n - i < CHUNK ? n - i : CHUNK);
	dae_model_stats(model, &st);
	double dt = now_s() - t0;

	printf("machine %s: %" PRIu64 " lookups of %u-byte rows, %zu events, %" PRIu64
	       " line accesses in %.3f s\n",
	       st.machine, lookups, row, n, st.events.line_requests, dt);
	uint64_t coupled = st.coupled.memory.level[DAE_MEM_L1].hits +
	                   st.coupled.memory.level[DAE_MEM_L1].misses;
	printf("  %.1f M events/s, %.1f M trace line requests/s, %.1f M modelled accesses/s "
	       "(decoupled %" PRIu64 " + coupled %" PRIu64 ")\n",
	       (double)n / dt / 1e6, (double)st.events.line_requests / dt / 1e6,
	       (double)(st.events.line_requests + coupled) / dt / 1e6, st.events.line_requests,
	       coupled);
	printf("  modelled: %.0f cycles (%.3f ms), coupled %.0f, speedup %.2fx\n", st.cycles,
	       st.seconds * 1e3, st.coupled.cycles, st.speedup);
	dae_model_destroy(model);
	free(ev);
	return 0;
}

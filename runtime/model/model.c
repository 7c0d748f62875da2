/* The public model API: one decoupled simulation and one coupled baseline
 * fed the same events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

/* How many events ahead feed asks the host to fetch the model's cache
 * sets: enough to overlap several host cache misses, few enough that the
 * sets are still there when their event comes. */
#define WARM_AHEAD 8

int dae_model_create(struct dae_model **out, const struct dae_machine *m)
{
	struct dae_model *model;
	char err[16];
	int r;

	if (!out || !m || dae_machine_check(m, err, sizeof(err)) != 0)
		return -EINVAL;
	model = calloc(1, sizeof(*model));
	if (!model)
		return -ENOMEM;
	model->m = *m;
	r = dae_sim_init(&model->sim, &model->m);
	if (r) {
		free(model);
		return r;
	}
	r = dae_coupled_init(&model->cpl, &model->m);
	if (r) {
		dae_sim_exit(&model->sim);
		free(model);
		return r;
	}
	*out = model;
	return 0;
}

void dae_model_destroy(struct dae_model *model)
{
	if (!model)
		return;
	dae_sim_exit(&model->sim);
	dae_coupled_exit(&model->cpl);
	free(model);
}

int dae_model_feed(struct dae_model *model, const struct dae_trace_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct dae_trace_event *e = &ev[i];

		if (e->kind < DAE_TRACE_LOAD || e->kind > DAE_TRACE_WORK)
			return -EINVAL;
		/* Only rows read the model's caches at random. */
		if (i + WARM_AHEAD < n && ev[i + WARM_AHEAD].kind == DAE_TRACE_ROW) {
			dae_sim_warm(&model->sim, &ev[i + WARM_AHEAD]);
			dae_coupled_warm(&model->cpl, &ev[i + WARM_AHEAD]);
		}
		dae_sim_event(&model->sim, e);
		dae_coupled_event(&model->cpl, e);
	}
	return 0;
}

int dae_model_stats(struct dae_model *model, struct dae_model_stats *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->machine, sizeof(out->machine), "%s", model->m.name);
	out->clock_ghz = model->m.clock_ghz;
	dae_sim_stats(&model->sim, out);
	dae_coupled_stats(&model->cpl, out);
	out->seconds = out->cycles / (out->clock_ghz * 1e9);
	out->coupled.seconds = out->coupled.cycles / (out->clock_ghz * 1e9);
	out->speedup = out->cycles > 0 ? out->coupled.cycles / out->cycles : 0;
	return 0;
}

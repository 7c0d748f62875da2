/* dae-model: replays access traces (trace.h) on a machine of the timing
 * model (model.h) and prints its statistics as JSON.
 *
 *   dae-model [--machine NAME|FILE] [--json OUT] [--plot PNG] TRACE...
 *
 * Traces are replayed one after the other on one model, as one program's
 * successive calls would be ("-" reads standard input). The statistics go
 * to standard output, or to OUT. While it runs, it shows its progress on
 * standard error when that is a terminal. Exit status: 0, 1 on an error
 * (a message on standard error says which file and why), 2 on bad usage. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dae/model.h"

/* 1 MiB of events per read. */
#define CHUNK 65536

static const char *prog = "dae-model";

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [--machine NAME|FILE] [--json OUT] [--plot PNG] TRACE...\n"
	        "  --machine  a preset (tmu, ooo, host) or a machine JSON file (default tmu)\n"
	        "  --json     write the statistics to OUT instead of standard output\n"
	        "  --plot     draw queue occupancy and utilisation over time (needs gnuplot)\n"
	        "  TRACE      a trace file (DAE_TRACE_OUT of a -DDAE_TRACE build), - for stdin\n",
	        prog);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct progress {
	bool on;
	double next;
	uint64_t events;
};

static void show_progress(struct progress *pg, const char *path, uint64_t done, uint64_t total,
                          bool last)
{
	double t;

	if (!pg->on)
		return;
	t = now_s();
	if (!last && t < pg->next)
		return;
	pg->next = t + 0.25;
	if (total)
		fprintf(stderr, "\r%s: %s: %5.1f%% (%.1f M events)", prog, path,
		        100.0 * (double)done / (double)total, (double)pg->events / 1e6);
	else
		fprintf(stderr, "\r%s: %s: %.1f M events", prog, path, (double)pg->events / 1e6);
	if (last)
		fputc('\n', stderr);
}

/* Replays one trace file; returns 0 or 1 after saying what went wrong. */
static int replay(struct dae_model *model, const char *path, struct progress *pg)
{
	static unsigned char buf[CHUNK * sizeof(struct dae_trace_event)];
	static struct dae_trace_event ev[CHUNK];
	unsigned char magic[DAE_TRACE_MAGIC_LEN];
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	uint64_t total = 0, done = DAE_TRACE_MAGIC_LEN, index = 0;
	struct stat st;
	int rc = 1;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return 1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		total = (uint64_t)st.st_size;
	if (fread(magic, 1, sizeof(magic), f) != sizeof(magic) ||
	    memcmp(magic, DAE_TRACE_MAGIC, DAE_TRACE_MAGIC_LEN) != 0) {
		fprintf(stderr, "%s: %s: not a trace file (no DAE_TRACE_MAGIC header)\n", prog,
		        path);
		goto out;
	}
	for (;;) {
		size_t got = fread(buf, 1, sizeof(buf), f);
		size_t n = got / sizeof(struct dae_trace_event);

		if (ferror(f)) {
			fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const unsigned char *p = buf + i * sizeof(struct dae_trace_event);

			ev[i].addr = get_le(p, 8);
			ev[i].size = (uint32_t)get_le(p + 8, 4);
			ev[i].kind = p[12];
			ev[i].flags = p[13];
			ev[i].reserved = (uint16_t)get_le(p + 14, 2);
		}
		if (dae_model_feed(model, ev, n) != 0) {
			size_t bad = 0;

			while (bad < n && ev[bad].kind >= DAE_TRACE_LOAD &&
			       ev[bad].kind <= DAE_TRACE_WORK)
				bad++;
			fprintf(stderr,
			        "%s: %s: event %llu (byte offset %llu) has unknown kind %u\n", prog,
			        path, (unsigned long long)(index + bad),
			        (unsigned long long)(DAE_TRACE_MAGIC_LEN +
			                             (index + bad) *
			                                     sizeof(struct dae_trace_event)),
			        ev[bad < n ? bad : 0].kind);
			goto out;
		}
		index += n;
		pg->events += n;
		done += got;
		if (got % sizeof(struct dae_trace_event)) {
			fprintf(stderr, "%s: %s: truncated: %zu stray bytes after event %llu\n",
			        prog, path, got % sizeof(struct dae_trace_event),
			        (unsigned long long)index);
			goto out;
		}
		if (got < sizeof(buf)) {
			if (feof(f))
				break;
		}
		show_progress(pg, path, done, total, false);
	}
	show_progress(pg, path, done, total, true);
	rc = 0;
out:
	if (!is_stdin)
		fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *machine = "tmu", *json_out = NULL, *plot = NULL;
	struct dae_machine m;
	struct dae_model *model = NULL;
	struct dae_model_stats st;
	struct progress pg = {isatty(STDERR_FILENO) == 1, 0, 0};
	char err[512];
	int i, r, ntraces = 0, rc = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--machine") == 0 || strcmp(a, "--json") == 0 ||
		    strcmp(a, "--plot") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: %s needs a value\n", prog, a);
				usage(stderr);
				return 2;
			}
			const char *v = argv[++i];
			if (a[2] == 'm')
				machine = v;
			else if (a[2] == 'j')
				json_out = v;
			else
				plot = v;
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "%s: unknown option %s\n", prog, a);
			usage(stderr);
			return 2;
		}
		argv[1 + ntraces++] = argv[i];
	}
	for (; i < argc; i++)
		argv[1 + ntraces++] = argv[i];
	if (ntraces == 0) {
		fprintf(stderr, "%s: no trace file\n", prog);
		usage(stderr);
		return 2;
	}

	r = dae_machine_load(&m, machine, err, sizeof(err));
	if (r) {
		fprintf(stderr, "%s: machine %s\n", prog, err);
		return 1;
	}
	r = dae_model_create(&model, &m);
	if (r) {
		fprintf(stderr, "%s: cannot create the model: %s\n", prog, strerror(-r));
		return 1;
	}
	for (i = 0; i < ntraces && !rc; i++)
		rc = replay(model, argv[1 + i], &pg);
	if (!rc) {
		dae_model_stats(model, &st);
		FILE *f = json_out ? fopen(json_out, "w") : stdout;

		if (!f) {
			fprintf(stderr, "%s: %s: %s\n", prog, json_out, strerror(errno));
			rc = 1;
		} else {
			r = dae_model_stats_write_json(&st, f);
			if (json_out && fclose(f) != 0 && !r)
				r = -errno;
			if (r) {
				fprintf(stderr, "%s: %s: %s\n", prog,
				        json_out ? json_out : "stdout", strerror(-r));
				rc = 1;
			}
		}
	}
	if (!rc && plot) {
		r = dae_model_plot(model, plot);
		if (r) {
			fprintf(stderr, "%s: %s: %s\n", prog, plot,
			        r == -ENOENT
			                ? "gnuplot is not installed (apt-get install gnuplot-nox)"
			                : strerror(-r));
			rc = 1;
		}
	}
	dae_model_destroy(model);
	return rc;
}

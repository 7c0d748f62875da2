/* The picture: queue occupancy and per-unit utilisation over time, drawn
 * by gnuplot from the model's timeline.
 *
 * The script and its data go to a temporary file and gnuplot is spawned
 * on it, rather than fed through a pipe: a gnuplot that dies early would
 * otherwise raise SIGPIPE in the program that links libdae. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model_int.h"

extern char **environ;

static bool gnuplot_on_path(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		if (n && n + sizeof("/gnuplot") < sizeof(buf)) {
			memcpy(buf, path, n);
			memcpy(buf + n, "/gnuplot", sizeof("/gnuplot"));
			if (access(buf, X_OK) == 0)
				return true;
		}
		path += n + (colon ? 1 : 0);
	}
	return false;
}

/* A gnuplot single-quoted string: a quote is written twice. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static void put_num(FILE *f, double v)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%.6g", v);
	for (char *p = buf; *p; p++) {
		if (*p == ',')
			*p = '.';
	}
	fputs(buf, f);
}

static int write_script(FILE *f, struct dae_model *model, const char *png_path)
{
	const struct dae_timeline *tl = &model->sim.tl;
	struct dae_model_stats *st = calloc(1, sizeof(*st));
	double us_per_cycle = 1e-3 / model->m.clock_ghz;
	double total;
	size_t n;

	if (!st)
		return -ENOMEM;
	dae_model_stats(model, st);
	total = st->cycles;
	n = (size_t)(total / tl->width) + 1;
	if (n > DAE_TIMELINE_BUCKETS)
		n = DAE_TIMELINE_BUCKETS;

	fputs("$d << EOD\n", f);
	for (size_t i = 0; i < n && total > 0; i++) {
		double a = (double)i * tl->width;
		double b = a + tl->width < total ? a + tl->width : total;
		double w = b - a;

		if (w <= 0)
			break;
		put_num(f, (a + w / 2) * us_per_cycle);
		fputc(' ', f);
		put_num(f, tl->sum[DAE_TL_OCCUPANCY][i] / w);
		fputc(' ', f);
		put_num(f, 100 * tl->sum[DAE_TL_ACCESS_BUSY][i] / w);
		fputc(' ', f);
		put_num(f, 100 * tl->sum[DAE_TL_EXECUTE_BUSY][i] / w);
		fputc('\n', f);
	}
	if (total <= 0)
		fputs("0 0 0 0\n", f); /* nothing ran: an empty picture, not an error */
	fputs("EOD\n", f);
	fputs("if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
	      "  set terminal pngcairo size 1000,700 font ',10'\n"
	      "} else {\n"
	      "  set terminal png size 1000,700\n"
	      "}\n",
	      f);
	fputs("set output ", f);
	put_quoted(f, png_path);
	fputs("\nset multiplot layout 2,1 title ", f);
	{
		char title[256];

		snprintf(title, sizeof(title),
		         "%s: %.0f cycles, coupled %.0f (speedup %.2fx), queue %u words",
		         st->machine, st->cycles, st->coupled.cycles, st->speedup,
		         st->queue.capacity_words);
		for (char *p = title; *p; p++) {
			if (*p == ',' && p > title && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' &&
			    p[1] <= '9')
				*p = '.';
		}
		put_quoted(f, title);
	}
	fputs("\nset grid\n"
	      "set key below\n"
	      "set xlabel 'time (us)'\n"
	      "set ylabel 'words'\n",
	      f);
	fprintf(f, "set yrange [0:%u]\n", st->queue.capacity_words);
	if (total <= 0)
		fputs("set xrange [0:1]\n", f);
	fputs("plot $d using 1:2 with lines lw 2 title 'queue occupancy (mean per interval)'\n"
	      "set ylabel 'busy %'\n"
	      "set yrange [0:105]\n"
	      "plot $d using 1:3 with lines lw 2 title 'access unit', "
	      "$d using 1:4 with lines lw 2 title 'execute core'\n"
	      "unset multiplot\n"
	      "set output\n",
	      f);
	free(st);
	return ferror(f) ? -EIO : 0;
}

int dae_model_plot(struct dae_model *model, const char *png_path)
{
	char script[4096];
	char *argv[] = {"gnuplot", script, NULL};
	const char *tmpdir = getenv("TMPDIR");
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int fd, r, status;
	FILE *f;

	if (!model || !png_path || !*png_path || strchr(png_path, '\n'))
		return -EINVAL;
	if (!gnuplot_on_path())
		return -ENOENT;
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	if ((size_t)snprintf(script, sizeof(script), "%s/dae-model-plot-XXXXXX", tmpdir) >=
	    sizeof(script))
		return -ENAMETOOLONG;
	fd = mkstemp(script);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		unlink(script);
		return r;
	}
	r = write_script(f, model, png_path);
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (r) {
		unlink(script);
		return r;
	}
	/* gnuplot's chatter would land in the caller's stdout. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	r = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r) {
		unlink(script);
		return r == ENOENT ? -ENOENT : -r;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			r = -errno;
			unlink(script);
			return r;
		}
	}
	unlink(script);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -EIO;
	struct stat sb;
	if (stat(png_path, &sb) != 0 || sb.st_size == 0)
		return -EIO;
	return 0;
}

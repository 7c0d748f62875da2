/*
 * make_input.c - writes a deterministic random model + batch for dlrm.c.
 *
 *     usage: make_input [options] OUTPUT
 *
 *     --seed N         random seed (1)
 *     --batch N        samples in the batch (512)
 *     --tables N       sparse features / embedding tables (8)
 *     --dim N          embedding width (32)
 *     --dense N        dense features (13)
 *     --min-rows N     rows of the smallest regular table (10000)
 *     --max-rows N     rows of the largest table (100000)
 *     --max-pool N     largest regular bag (40)
 *     --mean-table N   table that uses mean pooling, -1 for none (tables / 2)
 *     --bot L          hidden widths of the bottom MLP, comma-separated (64)
 *     --top L          hidden widths of the top MLP, comma-separated (64)
 *     --no-edge-cases  plain random bags only
 *
 * The file format is described at the top of dlrm.c.  Values are produced
 * by splitmix64 from the seed alone, so the same options give the same file
 * byte for byte on every little-endian machine.
 *
 * Besides random bag lengths in 0 .. max-pool, with skewed ("hot row")
 * indices, the batch contains these edge cases (unless --no-edge-cases):
 *   - empty bags: about one bag in ten, plus the first bag of table 0 and
 *     the first and last bags of the mean-pooled table;
 *   - a one-hot table (table 1: every bag holds at most one index);
 *   - a tiny table (the last one: 7 rows), where indices repeat all the time;
 *   - bags that repeat an index on purpose, and a bag that reads row 0 and
 *     the last row;
 *   - one long bag (4 x max-pool lookups) in table 0;
 *   - a table whose bags are all empty (table 2, if there are at least 4).
 */
#define _POSIX_C_SOURCE 200112L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define MAX_LIST 16

struct opts {
	uint64_t seed;
	long batch, tables, dim, dense;
	long min_rows, max_rows, max_pool, mean_table;
	long bot[MAX_LIST], nbot;
	long top[MAX_LIST], ntop;
	int edge;
};

static uint64_t rng_state;

static uint64_t next_u64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1), 24 random bits, exact in float. */
static float next_unit(void)
{
	return (float)(next_u64() >> 40) * (1.0f / 16777216.0f);
}

/* Uniform in [-a, a). */
static float next_sym(float a)
{
	return (2.0f * next_unit() - 1.0f) * a;
}

/* Uniform integer in [0, n). */
static int64_t next_below(int64_t n)
{
	return (int64_t)(next_u64() % (uint64_t)n);
}

static FILE *out;
static const char *out_path;

static void put(const void *p, size_t size, size_t n)
{
	if (n && fwrite(p, size, n, out) != n) {
		perror(out_path);
		exit(1);
	}
}

static void put_i64(int64_t v)
{
	put(&v, sizeof(v), 1);
}

static void put_f32(float v)
{
	put(&v, sizeof(v), 1);
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: make_input [--seed N] [--batch N] [--tables N] [--dim N] [--dense N]\n"
	        "                  [--min-rows N] [--max-rows N] [--max-pool N] [--mean-table N]\n"
	        "                  [--bot W,W..] [--top W,W..] [--no-edge-cases] OUTPUT\n");
	exit(2);
}

static long parse_long(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || end == s || v < lo || v > hi) {
		fprintf(stderr, "make_input: bad number '%s' (%ld..%ld)\n", s, lo, hi);
		exit(2);
	}
	return v;
}

static long parse_list(const char *s, long *v)
{
	char buf[256], *tok, *save = NULL;
	long n = 0;

	if (strlen(s) >= sizeof(buf))
		usage();
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_LIST)
			usage();
		v[n++] = parse_long(tok, 1, 65536);
	}
	return n;
}

/* Layer in -> out: Xavier-uniform weights, small biases. */
static void put_layer(long in, long outw)
{
	float a = sqrtf(6.0f / (float)(in + outw));
	long i;

	for (i = 0; i < in * outw; i++)
		put_f32(next_sym(a));
	for (i = 0; i < outw; i++)
		put_f32(next_sym(0.05f));
}

/* Rows of table t: spread log-uniformly between min and max. */
static int64_t table_rows(const struct opts *o, long t)
{
	double lo = log((double)o->min_rows), hi = log((double)o->max_rows);
	double f = o->tables > 1 ? (double)((t * 5) % o->tables) / (double)(o->tables - 1) : 1.0;

	if (o->edge && o->tables >= 3 && t == o->tables - 1)
		return 7;
	return (int64_t)floor(exp(lo + (hi - lo) * f) + 0.5);
}

/* A skewed index: about half of the lookups go to the first 1% of rows. */
static int64_t hot_index(int64_t rows)
{
	int64_t hot = rows / 100 > 0 ? rows / 100 : 1;
	if (next_u64() & 1)
		return next_below(hot);
	return next_below(rows);
}

static void put_sparse(const struct opts *o, long t, int64_t rows)
{
	long nb = o->batch, b;
	int64_t *len = calloc((size_t)nb, sizeof(int64_t));
	int64_t off = 0, k;

	if (!len) {
		fprintf(stderr, "make_input: out of memory\n");
		exit(1);
	}
	for (b = 0; b < nb; b++) {
		if (next_below(10) == 0)
			len[b] = 0;
		else if (o->edge && t == 1)
			len[b] = 1; /* one-hot feature */
		else
			len[b] = next_below(o->max_pool + 1);
	}
	if (o->edge) {
		if (t == 0) {
			len[0] = 0;
			if (nb > 1)
				len[nb / 2] = 4 * o->max_pool;
		}
		if (t == o->mean_table) {
			len[0] = 0;
			len[nb - 1] = 0;
		}
		if (o->tables >= 4 && t == 2)
			for (b = 0; b < nb; b++)
				len[b] = 0;
		if (nb > 2 && len[1] < 2 && !(o->tables >= 4 && t == 2) && t != 1)
			len[1] = 2;
	}

	put_i64(0);
	for (b = 0; b < nb; b++) {
		off += len[b];
		put_i64(off);
	}
	for (b = 0; b < nb; b++) {
		int64_t prev = -1;
		for (k = 0; k < len[b]; k++) {
			int64_t idx;
			if (o->edge && b == 1 && k < 2)
				idx = k == 0 ? 0 : rows - 1; /* first and last row */
			else if (o->edge && prev >= 0 && next_below(8) == 0)
				idx = prev; /* the same row again */
			else
				idx = hot_index(rows);
			put_i64(idx);
			prev = idx;
		}
	}
	free(len);
}

int main(int argc, char **argv)
{
	struct opts o;
	long i, t, n, npairs;
	int64_t *rows;

	memset(&o, 0, sizeof(o));
	o.seed = 1;
	o.batch = 512;
	o.tables = 8;
	o.dim = 32;
	o.dense = 13;
	o.min_rows = 10000;
	o.max_rows = 100000;
	o.max_pool = 40;
	o.mean_table = -2; /* tables / 2 */
	o.bot[0] = 64;
	o.nbot = 1;
	o.top[0] = 64;
	o.ntop = 1;
	o.edge = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-edge-cases")) {
			o.edge = 0;
			continue;
		}
		if (a[0] != '-' || !strcmp(a, "-")) {
			if (out_path)
				usage();
			out_path = a;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--seed"))
			o.seed = (uint64_t)parse_long(v, 0, 0x7fffffffL);
		else if (!strcmp(a, "--batch"))
			o.batch = parse_long(v, 1, 1L << 20);
		else if (!strcmp(a, "--tables"))
			o.tables = parse_long(v, 1, 256);
		else if (!strcmp(a, "--dim"))
			o.dim = parse_long(v, 1, 4096);
		else if (!strcmp(a, "--dense"))
			o.dense = parse_long(v, 1, 4096);
		else if (!strcmp(a, "--min-rows"))
			o.min_rows = parse_long(v, 1, 1L << 30);
		else if (!strcmp(a, "--max-rows"))
			o.max_rows = parse_long(v, 1, 1L << 30);
		else if (!strcmp(a, "--max-pool"))
			o.max_pool = parse_long(v, 0, 1L << 16);
		else if (!strcmp(a, "--mean-table"))
			o.mean_table = parse_long(v, -1, 255);
		else if (!strcmp(a, "--bot"))
			o.nbot = parse_list(v, o.bot);
		else if (!strcmp(a, "--top"))
			o.ntop = parse_list(v, o.top);
		else
			usage();
	}
	if (!out_path)
		usage();
	if (o.min_rows > o.max_rows) {
		fprintf(stderr, "make_input: --min-rows is above --max-rows\n");
		return 2;
	}
	if (o.mean_table == -2)
		o.mean_table = o.tables / 2;
	if (o.mean_table >= o.tables) {
		fprintf(stderr, "make_input: --mean-table is not a table\n");
		return 2;
	}
	rng_state = o.seed;
	n = o.tables + 1;
	npairs = n * (n - 1) / 2;

	out = fopen(out_path, "wb");
	if (!out) {
		perror(out_path);
		return 1;
	}
	rows = calloc((size_t)o.tables, sizeof(int64_t));
	if (!rows) {
		fprintf(stderr, "make_input: out of memory\n");
		return 1;
	}
	for (t = 0; t < o.tables; t++)
		rows[t] = table_rows(&o, t);

	/* header */
	put("DLRMIN01", 1, 8);
	put_i64(o.dense);
	put_i64(o.dim);
	put_i64(o.tables);
	put_i64(o.nbot + 1);
	put_i64(o.ntop + 1);
	put_i64(o.batch);
	put_i64(o.dense);
	for (i = 0; i < o.nbot; i++)
		put_i64(o.bot[i]);
	put_i64(o.dim);
	put_i64(o.dim + npairs);
	for (i = 0; i < o.ntop; i++)
		put_i64(o.top[i]);
	put_i64(1);
	for (t = 0; t < o.tables; t++) {
		put_i64(rows[t]);
		put_i64(t == o.mean_table ? 1 : 0);
	}

	/* MLP weights */
	put_layer(o.dense, o.bot[0]);
	for (i = 1; i < o.nbot; i++)
		put_layer(o.bot[i - 1], o.bot[i]);
	put_layer(o.bot[o.nbot - 1], o.dim);
	put_layer(o.dim + npairs, o.top[0]);
	for (i = 1; i < o.ntop; i++)
		put_layer(o.top[i - 1], o.top[i]);
	put_layer(o.top[o.ntop - 1], 1);

	/* embedding tables */
	for (t = 0; t < o.tables; t++) {
		int64_t k, nval = rows[t] * o.dim;
		float a = 1.0f / sqrtf((float)o.dim);
		for (k = 0; k < nval; k++)
			put_f32(next_sym(a));
	}

	/* dense features: log(1 + count), Criteo style; some are zero */
	for (i = 0; i < o.batch * o.dense; i++) {
		uint64_t r = next_u64();
		float v = 0.0f;
		if (r & 3)
			v = logf(1.0f + (float)((r >> 8) % 1000));
		put_f32(v);
	}

	/* sparse features */
	for (t = 0; t < o.tables; t++)
		put_sparse(&o, t, rows[t]);

	free(rows);
	if (fclose(out) != 0) {
		perror(out_path);
		return 1;
	}
	fprintf(stderr, "make_input: %s: batch %ld, %ld tables, dim %ld, seed %llu\n", out_path,
	        o.batch, o.tables, o.dim, (unsigned long long)o.seed);
	return 0;
}

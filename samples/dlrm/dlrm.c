/*
 * dlrm.c - batch inference for a DLRM-style click-through-rate model.
 *
 * The model is the usual one: the dense features go through the bottom MLP,
 * every sparse feature is pooled from its embedding table (EmbeddingBag),
 * the bottom-MLP output and the pooled embeddings interact through their
 * pairwise dot products, and the top MLP plus a sigmoid turn the result into
 * one click probability per sample.
 *
 *     usage: dlrm [-n ITERS] INPUT [OUTPUT]
 *
 * INPUT holds the model and one batch (format below).  The forward pass is
 * run ITERS times (default 1) on the same batch and the best time goes to
 * stderr.  The predictions of the last pass are printed, one per line with
 * printf("%.9g\n"), and if OUTPUT is given their raw float bits are written
 * there as well (batch_size x float32, host byte order).
 *
 * Input file format.  Everything is in host byte order (little-endian on the
 * machines we run on), no padding, no alignment:
 *
 *   header
 *     char    magic[8]              "DLRMIN01"
 *     int64   num_dense             dense features per sample
 *     int64   emb_dim               width of every embedding table
 *     int64   num_tables            number of sparse features / tables
 *     int64   num_bot               layers of the bottom MLP
 *     int64   num_top               layers of the top MLP
 *     int64   batch_size            samples in the batch
 *     int64   bot_sizes[num_bot + 1]  widths; [0] == num_dense, last == emb_dim
 *     int64   top_sizes[num_top + 1]  widths; [0] == emb_dim + n * (n - 1) / 2
 *                                     with n = num_tables + 1, last == 1
 *     per table: int64 num_rows, int64 pooling (0 = sum, 1 = mean)
 *   weights, bottom layers first, then top layers; for a layer in -> out:
 *     float32 weight[out][in]       row-major, y = W x + b
 *     float32 bias[out]
 *   embedding tables, in table order:
 *     float32 table[num_rows][emb_dim]
 *   dense features:
 *     float32 dense[batch_size][num_dense]
 *   sparse features, in table order:
 *     int64   offsets[batch_size + 1]  offsets[0] == 0, non-decreasing;
 *                                      sample b owns indices
 *                                      [offsets[b], offsets[b + 1])
 *     int64   indices[offsets[batch_size]]  each in [0, num_rows)
 *
 * and nothing after that.  An empty bag pools to a zero vector (for both
 * sum and mean).  The bottom MLP applies ReLU after every layer; the top MLP
 * after every layer but the last, which is followed by the sigmoid.
 */
#define _POSIX_C_SOURCE 200112L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#define DLRM_MAGIC "DLRMIN01"

/* Sanity limits for the loader; real models are well inside them. */
#define MAX_WIDTH 65536
#define MAX_LAYERS 64
#define MAX_TABLES 1024
#define MAX_BATCH (1 << 24)
#define MAX_ROWS ((int64_t)1 << 32)
#define MAX_LOOKUPS ((int64_t)1 << 32) /* per table and batch */

#define POOL_SUM 0
#define POOL_MEAN 1

struct mlp_layer {
	int in, out;
	float *weight; /* out x in */
	float *bias; /* out */
};

struct emb_table {
	int64_t num_rows;
	int pooling; /* POOL_SUM or POOL_MEAN */
	float *weight; /* num_rows x emb_dim */
};

struct dlrm_model {
	int num_dense;
	int emb_dim;
	int num_tables;
	int num_bot, num_top;
	struct mlp_layer *bot;
	struct mlp_layer *top;
	struct emb_table *emb;
};

struct dlrm_batch {
	int size;
	float *dense; /* size x num_dense */
	int64_t **offsets; /* per table, size + 1 */
	int64_t **indices; /* per table, offsets[t][size] */
};

/* Scratch space of the forward pass. */
struct dlrm_work {
	float *act0, *act1; /* MLP activations, size x widest layer */
	float *x; /* bottom MLP output, size x emb_dim */
	float *ly; /* pooled embeddings, num_tables x size x emb_dim */
	float *z; /* interaction output, size x top_sizes[0] */
};

/* ------------------------------------------------------------------------ */
/* loading                                                                  */

static int read_block(FILE *f, void *p, size_t size, size_t n, const char *what)
{
	if (n == 0)
		return 0;
	if (fread(p, size, n, f) != n) {
		fprintf(stderr, "dlrm: input truncated while reading %s\n", what);
		return -1;
	}
	return 0;
}

static int read_i64(FILE *f, int64_t *v, const char *what)
{
	return read_block(f, v, sizeof(*v), 1, what);
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fprintf(stderr, "dlrm: out of memory (%lu bytes)\n", (unsigned long)size);
		exit(1);
	}
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "dlrm: out of memory\n");
		exit(1);
	}
	return p;
}

static int check_range(int64_t v, int64_t lo, int64_t hi, const char *what)
{
	if (v < lo || v > hi) {
		fprintf(stderr, "dlrm: bad %s %lld (expected %lld..%lld)\n", what, (long long)v,
		        (long long)lo, (long long)hi);
		return -1;
	}
	return 0;
}

static int read_layers(FILE *f, struct mlp_layer *layers, int n, const int64_t *sizes,
                       const char *what)
{
	int l;

	for (l = 0; l < n; l++) {
		struct mlp_layer *L = &layers[l];
		L->in = (int)sizes[l];
		L->out = (int)sizes[l + 1];
		L->weight = xmalloc((size_t)L->in * L->out * sizeof(float));
		L->bias = xmalloc((size_t)L->out * sizeof(float));
		if (read_block(f, L->weight, sizeof(float), (size_t)L->in * L->out, what) ||
		    read_block(f, L->bias, sizeof(float), (size_t)L->out, what))
			return -1;
	}
	return 0;
}

static void free_model(struct dlrm_model *m)
{
	int i;

	if (m->bot)
		for (i = 0; i < m->num_bot; i++) {
			free(m->bot[i].weight);
			free(m->bot[i].bias);
		}
	if (m->top)
		for (i = 0; i < m->num_top; i++) {
			free(m->top[i].weight);
			free(m->top[i].bias);
		}
	if (m->emb)
		for (i = 0; i < m->num_tables; i++)
			free(m->emb[i].weight);
	free(m->bot);
	free(m->top);
	free(m->emb);
	memset(m, 0, sizeof(*m));
}

static void free_batch(struct dlrm_batch *in, int num_tables)
{
	int t;

	if (in->offsets)
		for (t = 0; t < num_tables; t++)
			free(in->offsets[t]);
	if (in->indices)
		for (t = 0; t < num_tables; t++)
			free(in->indices[t]);
	free(in->offsets);
	free(in->indices);
	free(in->dense);
	memset(in, 0, sizeof(*in));
}

static int load_input(const char *path, struct dlrm_model *m, struct dlrm_batch *in)
{
	FILE *f;
	char magic[8];
	int64_t hdr[6];
	int64_t *bot_sizes = NULL, *top_sizes = NULL;
	int64_t npairs;
	int t, b, l, rc = -1;
	char c;

	memset(m, 0, sizeof(*m));
	memset(in, 0, sizeof(*in));
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	if (read_block(f, magic, 1, sizeof(magic), "magic"))
		goto out;
	if (memcmp(magic, DLRM_MAGIC, sizeof(magic)) != 0) {
		fprintf(stderr, "dlrm: %s: not a DLRM input file\n", path);
		goto out;
	}
	if (read_block(f, hdr, sizeof(int64_t), 6, "header"))
		goto out;
	if (check_range(hdr[0], 1, MAX_WIDTH, "num_dense") ||
	    check_range(hdr[1], 1, MAX_WIDTH, "emb_dim") ||
	    check_range(hdr[2], 1, MAX_TABLES, "num_tables") ||
	    check_range(hdr[3], 1, MAX_LAYERS, "num_bot") ||
	    check_range(hdr[4], 1, MAX_LAYERS, "num_top") ||
	    check_range(hdr[5], 1, MAX_BATCH, "batch_size"))
		goto out;
	m->num_dense = (int)hdr[0];
	m->emb_dim = (int)hdr[1];
	m->num_tables = (int)hdr[2];
	m->num_bot = (int)hdr[3];
	m->num_top = (int)hdr[4];
	in->size = (int)hdr[5];

	bot_sizes = xmalloc((size_t)(m->num_bot + 1) * sizeof(int64_t));
	top_sizes = xmalloc((size_t)(m->num_top + 1) * sizeof(int64_t));
	if (read_block(f, bot_sizes, sizeof(int64_t), (size_t)m->num_bot + 1, "bottom sizes") ||
	    read_block(f, top_sizes, sizeof(int64_t), (size_t)m->num_top + 1, "top sizes"))
		goto out;
	for (l = 0; l <= m->num_bot; l++)
		if (check_range(bot_sizes[l], 1, MAX_WIDTH, "bottom layer width"))
			goto out;
	for (l = 0; l <= m->num_top; l++)
		if (check_range(top_sizes[l], 1, MAX_WIDTH, "top layer width"))
			goto out;
	npairs = (int64_t)(m->num_tables + 1) * m->num_tables / 2;
	if (bot_sizes[0] != m->num_dense || bot_sizes[m->num_bot] != m->emb_dim ||
	    top_sizes[0] != m->emb_dim + npairs || top_sizes[m->num_top] != 1) {
		fprintf(stderr, "dlrm: MLP sizes do not fit the model\n");
		goto out;
	}

	m->emb = xcalloc((size_t)m->num_tables, sizeof(struct emb_table));
	for (t = 0; t < m->num_tables; t++) {
		int64_t pooling;
		if (read_i64(f, &m->emb[t].num_rows, "table rows") ||
		    read_i64(f, &pooling, "table pooling"))
			goto out;
		if (check_range(m->emb[t].num_rows, 1, MAX_ROWS, "table rows") ||
		    check_range(pooling, POOL_SUM, POOL_MEAN, "pooling mode"))
			goto out;
		m->emb[t].pooling = (int)pooling;
	}

	m->bot = xcalloc((size_t)m->num_bot, sizeof(struct mlp_layer));
	m->top = xcalloc((size_t)m->num_top, sizeof(struct mlp_layer));
	if (read_layers(f, m->bot, m->num_bot, bot_sizes, "bottom MLP") ||
	    read_layers(f, m->top, m->num_top, top_sizes, "top MLP"))
		goto out;

	for (t = 0; t < m->num_tables; t++) {
		size_t n = (size_t)m->emb[t].num_rows * m->emb_dim;
		m->emb[t].weight = xmalloc(n * sizeof(float));
		if (read_block(f, m->emb[t].weight, sizeof(float), n, "embedding table"))
			goto out;
	}

	in->dense = xmalloc((size_t)in->size * m->num_dense * sizeof(float));
	if (read_block(f, in->dense, sizeof(float), (size_t)in->size * m->num_dense,
	               "dense features"))
		goto out;

	in->offsets = xcalloc((size_t)m->num_tables, sizeof(int64_t *));
	in->indices = xcalloc((size_t)m->num_tables, sizeof(int64_t *));
	for (t = 0; t < m->num_tables; t++) {
		int64_t *off, *idx, nidx, k;

		off = in->offsets[t] = xmalloc(((size_t)in->size + 1) * sizeof(int64_t));
		if (read_block(f, off, sizeof(int64_t), (size_t)in->size + 1, "offsets"))
			goto out;
		if (off[0] != 0) {
			fprintf(stderr, "dlrm: table %d: offsets do not start at 0\n", t);
			goto out;
		}
		for (b = 0; b < in->size; b++)
			if (off[b + 1] < off[b] || off[b + 1] > MAX_LOOKUPS) {
				fprintf(stderr, "dlrm: table %d: bad offsets at sample %d\n", t, b);
				goto out;
			}
		nidx = off[in->size];
		idx = in->indices[t] = xmalloc((size_t)nidx * sizeof(int64_t));
		if (read_block(f, idx, sizeof(int64_t), (size_t)nidx, "indices"))
			goto out;
		for (k = 0; k < nidx; k++)
			if (idx[k] < 0 || idx[k] >= m->emb[t].num_rows) {
				fprintf(stderr, "dlrm: table %d: index %lld out of range\n", t,
				        (long long)idx[k]);
				goto out;
			}
	}
	if (fread(&c, 1, 1, f) != 0) {
		fprintf(stderr, "dlrm: %s: trailing bytes after the batch\n", path);
		goto out;
	}
	rc = 0;
out:
	free(bot_sizes);
	free(top_sizes);
	fclose(f);
	if (rc != 0) {
		free_batch(in, m->num_tables);
		free_model(m);
	}
	return rc;
}

/* ------------------------------------------------------------------------ */
/* MLP                                                                      */

/* y[b] = act(W x[b] + bias) for every sample b. */
static void linear(const struct mlp_layer *L, const float *x, int bs, float *y, int relu)
{
	int b, o, i;

	for (b = 0; b < bs; b++) {
		const float *xb = x + (size_t)b * L->in;
		float *yb = y + (size_t)b * L->out;
		for (o = 0; o < L->out; o++) {
			const float *w = L->weight + (size_t)o * L->in;
			float acc = L->bias[o];
			for (i = 0; i < L->in; i++)
				acc += w[i] * xb[i];
			if (relu && acc < 0.0f)
				acc = 0.0f;
			yb[o] = acc;
		}
	}
}

/* Runs the layers in turn; the result is left in out.  The activations
 * ping-pong between act0 and act1. */
static void apply_mlp(const struct mlp_layer *layers, int n, const float *x, int bs, float *act0,
                      float *act1, float *out, int relu_last)
{
	const float *cur = x;
	int l;

	for (l = 0; l < n; l++) {
		float *dst = (l == n - 1) ? out : ((l & 1) ? act1 : act0);
		linear(&layers[l], cur, bs, dst, l < n - 1 || relu_last);
		cur = dst;
	}
}

/* ------------------------------------------------------------------------ */
/* embeddings                                                               */

/* EmbeddingBag, mode "sum": out[b] = sum of the rows indices[offsets[b]] ..
 * indices[offsets[b + 1] - 1] of weight, in that order. */
static void embedding_bag_sum(const float *weight, int64_t num_rows, int dim,
                              const int64_t *indices, const int64_t *offsets, int batch, float *out)
{
	int b, d;
	int64_t j;

	for (b = 0; b < batch; b++) {
		float *y = out + (int64_t)b * dim;
		for (d = 0; d < dim; d++)
			y[d] = 0.0f;
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++)
				y[d] += weight[idx * dim + d];
		}
	}
}

/* Pools every sparse feature of the batch: ly[t] is a batch x emb_dim block
 * holding the pooled rows of table t. */
static void apply_emb(const struct dlrm_model *m, const struct dlrm_batch *in, float *ly)
{
	int dim = m->emb_dim;
	int bs = in->size;
	int t, b, d;
	int64_t j;

	for (t = 0; t < m->num_tables; t++) {
		const float *W = m->emb[t].weight;
		const int64_t *I = in->indices[t];
		const int64_t *O = in->offsets[t];
		float *out = ly + (int64_t)t * bs * dim;

		if (m->emb[t].pooling == POOL_SUM) {
			embedding_bag_sum(W, m->emb[t].num_rows, dim, I, O, bs, out);
			continue;
		}

		/* Mean pooling (history features, added with the v2 models): the
		 * sum of the bag divided by its length; empty bags stay zero. */
		for (b = 0; b < bs; b++) {
			float *y = out + (int64_t)b * dim;
			int64_t len = O[b + 1] - O[b];
			for (d = 0; d < dim; d++)
				y[d] = 0.0f;
			for (j = O[b]; j < O[b + 1]; j++) {
				const float *row = W + I[j] * dim;
				for (d = 0; d < dim; d++)
					y[d] += row[d];
			}
			if (len > 0) {
				for (d = 0; d < dim; d++)
					y[d] /= (float)len;
			}
		}
	}
}

/* ------------------------------------------------------------------------ */
/* interaction                                                              */

/* z[b] = [ x[b], dot(f_i, f_j) for i = 1 .. n-1, j = 0 .. i-1 ] where f_0 is
 * the bottom-MLP output of sample b and f_1 .. f_{n-1} its pooled
 * embeddings (the strict lower triangle of the Gram matrix, row by row). */
static void interact_features(const float *x, const float *ly, int num_tables, int dim, int bs,
                              float *z)
{
	int n = num_tables + 1;
	int zdim = dim + n * (n - 1) / 2;
	int b, i, k, d, p;

	for (b = 0; b < bs; b++) {
		const float *xb = x + (size_t)b * dim;
		float *zb = z + (size_t)b * zdim;

		for (d = 0; d < dim; d++)
			zb[d] = xb[d];
		p = dim;
		for (i = 1; i < n; i++) {
			const float *fi = ly + ((size_t)(i - 1) * bs + b) * dim;
			for (k = 0; k < i; k++) {
				const float *fk =
				        k == 0 ? xb : ly + ((size_t)(k - 1) * bs + b) * dim;
				float s = 0.0f;
				for (d = 0; d < dim; d++)
					s += fi[d] * fk[d];
				zb[p++] = s;
			}
		}
	}
}

/* ------------------------------------------------------------------------ */
/* forward                                                                  */

static void dlrm_forward(const struct dlrm_model *m, const struct dlrm_batch *in,
                         struct dlrm_work *w, float *pred)
{
	int b;

	apply_mlp(m->bot, m->num_bot, in->dense, in->size, w->act0, w->act1, w->x, 1);
	apply_emb(m, in, w->ly);
	interact_features(w->x, w->ly, m->num_tables, m->emb_dim, in->size, w->z);
	apply_mlp(m->top, m->num_top, w->z, in->size, w->act0, w->act1, pred, 0);
	for (b = 0; b < in->size; b++)
		pred[b] = 1.0f / (1.0f + expf(-pred[b]));
}

static void alloc_work(const struct dlrm_model *m, int bs, struct dlrm_work *w)
{
	int widest = 0, l;
	int zdim = m->top[0].in;

	for (l = 0; l < m->num_bot; l++)
		if (m->bot[l].out > widest)
			widest = m->bot[l].out;
	for (l = 0; l < m->num_top; l++)
		if (m->top[l].out > widest)
			widest = m->top[l].out;
	w->act0 = xmalloc((size_t)bs * widest * sizeof(float));
	w->act1 = xmalloc((size_t)bs * widest * sizeof(float));
	w->x = xmalloc((size_t)bs * m->emb_dim * sizeof(float));
	w->ly = xmalloc((size_t)m->num_tables * bs * m->emb_dim * sizeof(float));
	w->z = xmalloc((size_t)bs * zdim * sizeof(float));
}

static void free_work(struct dlrm_work *w)
{
	free(w->act0);
	free(w->act1);
	free(w->x);
	free(w->ly);
	free(w->z);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void usage(void)
{
	fprintf(stderr, "usage: dlrm [-n ITERS] INPUT [OUTPUT]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct dlrm_model model;
	struct dlrm_batch batch;
	struct dlrm_work work;
	const char *input = NULL, *output = NULL;
	float *pred;
	double best = 0.0, total = 0.0;
	long iters = 1;
	int i, b, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			char *end;
			iters = strtol(argv[++i], &end, 10);
			if (*end != '\0' || iters < 1 || iters > 1000000)
				usage();
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			usage();
		} else if (!input) {
			input = argv[i];
		} else if (!output) {
			output = argv[i];
		} else {
			usage();
		}
	}
	if (!input)
		usage();

	if (load_input(input, &model, &batch) != 0)
		return 1;
	alloc_work(&model, batch.size, &work);
	pred = xmalloc((size_t)batch.size * sizeof(float));

	for (i = 0; i < iters; i++) {
		double t0 = now_ms(), dt;
		dlrm_forward(&model, &batch, &work, pred);
		dt = now_ms() - t0;
		if (i == 0 || dt < best)
			best = dt;
		total += dt;
	}
	fprintf(stderr, "dlrm: %d samples, %d tables, %ld iterations, best %.3f ms, mean %.3f ms\n",
	        batch.size, model.num_tables, iters, best, total / iters);

	for (b = 0; b < batch.size; b++)
		printf("%.9g\n", pred[b]);

	if (output) {
		FILE *f = fopen(output, "wb");
		size_t n = 0;
		if (f) {
			n = fwrite(pred, sizeof(float), (size_t)batch.size, f);
			if (fclose(f) != 0)
				n = 0;
		}
		if (n != (size_t)batch.size) {
			perror(output);
			rc = 1;
		}
	}

	free(pred);
	free_work(&work);
	free_batch(&batch, model.num_tables);
	free_model(&model);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

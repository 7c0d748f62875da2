/* Weighted bag written with size_t everything and *o++ accumulation. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void eb_weighted_postinc_sizet(const float *tab, size_t dim, const size_t *ind,
                               const size_t *offs, const float *psw,
                               size_t nbags, float *out)
{
	size_t b, j, d;
	float *o = out;

	memset(out, 0, nbags * dim * sizeof *out);
	for (b = 0; b < nbags; b++) {
		for (j = offs[b]; j < offs[b + 1]; j++) {
			const float *r = tab + ind[j] * dim;
			float w = psw[j];
			float *p = o;
			for (d = 0; d < dim; d++)
				*p++ += w * r[d];
		}
		o += dim;
	}
}

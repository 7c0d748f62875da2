// daec-expect: qr_emb_forward decoupled op~=qr todo: recognised op is named embedding-bag-sum: the quotient and remainder tables are pooled in separate loops
/*
 * QR embedding as in DLRM's reference QREmbeddingBag: two ordinary
 * EmbeddingBags, one over the quotients and one over the remainders of the
 * ids, each pooled (sum) on its own, and the two pooled rows combined
 * afterwards (operation "mult").  pooled_q / pooled_r are caller scratch of
 * num_bags * dim floats each.
 */
#include <stdint.h>

void qr_emb_forward(const float *weight_q, const float *weight_r, int64_t num_collisions,
                    int64_t dim, const int64_t *input, const int64_t *offsets,
                    int64_t num_bags, float *pooled_q, float *pooled_r, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		float *pq = pooled_q + b * dim;
		float *pr = pooled_r + b * dim;

		for (d = 0; d < dim; d++) {
			pq[d] = 0.0f;
			pr[d] = 0.0f;
		}
		/* embedding_bag_q(input_q): quotient rows */
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t iq = input[j] / num_collisions;
			for (d = 0; d < dim; d++)
				pq[d] += weight_q[iq * dim + d];
		}
		/* embedding_bag_r(input_r): remainder rows */
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t ir = input[j] % num_collisions;
			for (d = 0; d < dim; d++)
				pr[d] += weight_r[ir * dim + d];
		}
		for (d = 0; d < dim; d++)
			out[b * dim + d] = pq[d] * pr[d];
	}
}

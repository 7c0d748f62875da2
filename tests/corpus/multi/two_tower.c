// daec-expect: two_tower_score decoupled
/*
 * Two-tower retrieval scoring: the user tower and the item tower are each a
 * bag of embeddings (user history ids, item feature ids); the score is the
 * dot product of the two pooled vectors.  Two lookups in one function, each
 * with its own loop over the batch.
 */

void two_tower_score(const float *user_emb, const float *item_emb, int dim,
                     const int *user_ids, const int *user_off,
                     const int *item_ids, const int *item_off,
                     int batch, float *u, float *v, float *score)
{
	int b, j, d;

	for (b = 0; b < batch; b++) {
		for (d = 0; d < dim; d++)
			u[b * dim + d] = 0.0f;
		for (j = user_off[b]; j < user_off[b + 1]; j++)
			for (d = 0; d < dim; d++)
				u[b * dim + d] += user_emb[user_ids[j] * dim + d];
	}
	for (b = 0; b < batch; b++) {
		for (d = 0; d < dim; d++)
			v[b * dim + d] = 0.0f;
		for (j = item_off[b]; j < item_off[b + 1]; j++)
			for (d = 0; d < dim; d++)
				v[b * dim + d] += item_emb[item_ids[j] * dim + d];
	}
	for (b = 0; b < batch; b++) {
		float s = 0.0f;
		for (d = 0; d < dim; d++)
			s += u[b * dim + d] * v[b * dim + d];
		score[b] = s;
	}
}

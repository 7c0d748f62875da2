// daec-expect: pack_lookups declined reason~=mix|cursor
/*
 * Dimension-1 lookups packed with a cursor bumped inside the store: the
 * statement both advances the index cursor and writes the output.
 */

void pack_lookups(const float *t, const int *ix, const int *counts, int ngroups, float *out)
{
	int g, i, k = 0, pos = 0;
	for (g = 0; g < ngroups; g++)
		for (i = 0; i < counts[g]; i++, k++)
			out[k] = t[ix[pos++]];
}

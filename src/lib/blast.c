/*
 * blast.c: the blast radius of every asset: how many assets depend on
 * it, directly or transitively, and the sum of their level weights,
 * exact for small sets and estimated from k-minimum-values sketches for
 * large ones, in one pass over the strongly connected components.
 */
#include <stdlib.h>
#include <string.h>

#include "graph-private.h"

/* Each node gets a key: a hash of its asset id (never its row number or
 * node number, which depend on how the inventory was loaded) in the top
 * 61 bits, and the index of its weight (its overall level) in the low 3,
 * which is all a sketch needs to know of a member.  A component's sketch
 * is the BLAST_K smallest keys of itself and everything depending on it:
 * the whole set while it is smaller than that (exact, unless two ids
 * share a 61-bit hash), else a uniform sample whose largest hash
 * estimates the set's size (k minimum values).  Components are numbered
 * dependencies first, so walking them from the highest number down meets
 * every dependent before what it depends on; a sketch is freed once
 * every dependency edge leaving it was merged. */
#define BLAST_K (HW_BLAST_EXACT + 1)
#define BLAST_WEIGHT_BITS 3u
_Static_assert(HW_LEVEL_HIGH < (1 << BLAST_WEIGHT_BITS),
	       "a weight index fits in the low bits of a key");

static uint64_t blast_key(const struct hw_graph *g, uint32_t v,
			  unsigned weight_index)
{
	const unsigned char *p = (const unsigned char *)g->id[v];
	uint64_t x = 0xcbf29ce484222325ull; /* FNV-1a, then mixed */

	for (; p != NULL && *p != '\0'; p++)
		x = (x ^ *p) * 0x100000001b3ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (x & ~(uint64_t)((1u << BLAST_WEIGHT_BITS) - 1)) | weight_index;
}

/* Merge the sorted keys b into the sorted sketch acc (n keys, room for
 * BLAST_K), keeping the BLAST_K smallest distinct ones.  Keys at or
 * above a full sketch's largest change nothing, which is most of them
 * once sets are large; tmp is scratch of BLAST_K keys. */
static uint32_t merge_keys(uint64_t *acc, uint32_t n, const uint64_t *b,
			   uint32_t nb, uint64_t *tmp)
{
	uint32_t i = 0, j = 0, m = 0;

	if (nb == 0 || (n == BLAST_K && b[0] >= acc[n - 1]))
		return n;
	if (nb <= 8) {
		/* Few keys: insert each where it belongs. */
		for (j = 0; j < nb; j++) {
			uint64_t x = b[j];
			uint32_t lo = 0, hi = n;

			if (n == BLAST_K && x >= acc[n - 1])
				break;
			while (lo < hi) {
				uint32_t mid = (lo + hi) / 2;

				if (acc[mid] < x)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < n && acc[lo] == x)
				continue;
			if (n == BLAST_K)
				n--;
			memmove(acc + lo + 1, acc + lo, (n - lo) * sizeof *acc);
			acc[lo] = x;
			n++;
		}
		return n;
	}
	while (m < BLAST_K && (i < n || j < nb)) {
		if (j == nb || (i < n && acc[i] < b[j]))
			tmp[m++] = acc[i++];
		else if (i == n || b[j] < acc[i])
			tmp[m++] = b[j++];
		else {
			tmp[m++] = acc[i++];
			j++;
		}
	}
	memcpy(acc, tmp, m * sizeof *acc);
	return m;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct sketch {
	uint64_t *keys;
	uint32_t n;
};

int hw_graph_blast(const struct hw_graph *g,
		   const double weight[HW_LEVEL_HIGH + 1], double *count,
		   double *weighted, unsigned char *estimated,
		   struct hw_error *err)
{
	uint32_t *start = NULL, *members = NULL, *left = NULL, c, v, e;
	uint64_t *acc = NULL, *tmp = NULL, *own = NULL;
	uint8_t *nw = NULL; /* index of each node's weight */
	struct sketch *sk = NULL;
	int ret = -1;

	if (!g->categorized)
		return hw_error_set(err, HW_EINVAL,
				    "blast radius needs the categorized graph");
	start = calloc((size_t)g->ncomp + 2, sizeof *start);
	members = malloc(((size_t)g->n + 1) * sizeof *members);
	left = calloc((size_t)g->ncomp + 1, sizeof *left);
	sk = calloc((size_t)g->ncomp + 1, sizeof *sk);
	acc = malloc(BLAST_K * sizeof *acc);
	tmp = malloc(BLAST_K * sizeof *tmp);
	own = malloc(((size_t)g->n + 1) * sizeof *own);
	nw = malloc(((size_t)g->n + 1) * sizeof *nw);
	if (!start || !members || !left || !sk || !acc || !tmp || !own || !nw)
		goto nomem;
	/* A lower bound weighs at least what an unknown level does, as an
	 * unknown objective does in the impact. */
	for (v = 0; v < g->n; v++) {
		nw[v] = (uint8_t)hw_sc_overall(&g->eff[v]);
		if (hw_sc_partial(&g->eff[v]) &&
		    weight[HW_LEVEL_NONE] > weight[nw[v]])
			nw[v] = HW_LEVEL_NONE;
	}
	/* Members of each component (counting sort), and how many edges
	 * leave each for another component. */
	for (v = 0; v < g->n; v++)
		start[g->comp[v] + 2]++;
	for (c = 0; c < g->ncomp; c++)
		start[c + 2] += start[c + 1];
	for (v = 0; v < g->n; v++)
		members[start[g->comp[v] + 1]++] = v;
	for (v = 0; v < g->n; v++)
		for (e = g->out_off[v]; e < g->out_off[v + 1]; e++)
			if (g->comp[g->out_adj[e]] != g->comp[v])
				left[g->comp[v]]++;
	for (c = g->ncomp; c-- > 0;) {
		uint32_t lo = start[c], hi = start[c + 1], n = 0, k, i;
		double wsum = 0, size;

		/* The component's own keys, smallest first. */
		for (i = lo; i < hi; i++)
			own[i - lo] = blast_key(g, members[i], nw[members[i]]);
		if (hi - lo > 1)
			qsort(own, hi - lo, sizeof *own, cmp_u64);
		n = hi - lo < BLAST_K ? hi - lo : BLAST_K;
		memcpy(acc, own, n * sizeof *acc);
		/* Merge the sketches of everything depending on it. */
		for (i = lo; i < hi; i++) {
			v = members[i];
			for (e = g->in_off[v]; e < g->in_off[v + 1]; e++) {
				uint32_t d = g->comp[g->in_adj[e]];

				if (d == c)
					continue;
				n = merge_keys(acc, n, sk[d].keys, sk[d].n,
					       tmp);
				/* (a snapshot's graph is checked to hold
				 * the same edges both ways; were it not,
				 * a sketch is still never read freed) */
				if (left[d] > 0 && --left[d] == 0) {
					free(sk[d].keys);
					sk[d].keys = NULL;
					sk[d].n = 0;
				}
			}
		}
		for (k = 0; k < n; k++) {
			wsum +=
			    weight[acc[k] & ((1u << BLAST_WEIGHT_BITS) - 1)];
		}
		if (n < BLAST_K) {
			size = n;
		} else {
			/* k minimum values: (k - 1) / U(k). */
			double u =
			    ((double)(acc[n - 1] >> 32) + 1) / 4294967296.0;

			size = (BLAST_K - 1) / u;
			wsum = size * wsum / n;
		}
		for (i = lo; i < hi; i++) {
			double self;

			v = members[i];
			self = weight[nw[v]];
			count[v] = size > 1 ? size - 1 : 0;
			weighted[v] = wsum > self ? wsum - self : 0;
			estimated[v] = n == BLAST_K;
		}
		if (left[c] > 0) {
			sk[c].keys = malloc(n * sizeof *acc);
			if (sk[c].keys == NULL)
				goto nomem;
			memcpy(sk[c].keys, acc, n * sizeof *acc);
			sk[c].n = n;
		}
	}
	ret = 0;
	goto out;
nomem:
	hw_error_set(err, HW_ENOMEM, "out of memory computing blast radius");
out:
	if (sk != NULL)
		for (c = 0; c < g->ncomp; c++)
			free(sk[c].keys);
	free(sk);
	free(start);
	free(members);
	free(left);
	free(acc);
	free(tmp);
	free(own);
	free(nw);
	return ret;
}

int hw_graph_keep_blast(struct hw_graph *g,
			const double weight[HW_LEVEL_HIGH + 1],
			struct hw_error *err)
{
	size_t n = (size_t)g->n + 1;
	double *count = malloc(n * sizeof *count);
	double *weighted = malloc(n * sizeof *weighted);
	uint8_t *est = malloc(n);

	if (count == NULL || weighted == NULL || est == NULL ||
	    hw_graph_blast(g, weight, count, weighted, est, err) < 0) {
		free(count);
		free(weighted);
		free(est);
		return count == NULL || weighted == NULL || est == NULL
			   ? hw_error_set(err, HW_ENOMEM, "out of memory")
			   : -1;
	}
	/* (arrays in a snapshot's mapping stay with the mapping) */
	if (g->blast_owned) {
		free(g->blast_count);
		free(g->blast_weighted);
		free(g->blast_est);
	}
	g->blast_count = count;
	g->blast_weighted = weighted;
	g->blast_est = est;
	memcpy(g->blast_w, weight, sizeof g->blast_w);
	g->blast_owned = 1;
	return 0;
}

int hw_graph_kept_blast(const struct hw_graph *g,
			const double weight[HW_LEVEL_HIGH + 1],
			const double **count, const double **weighted,
			const unsigned char **estimated)
{
	if (g->blast_count == NULL ||
	    memcmp(g->blast_w, weight, sizeof g->blast_w) != 0)
		return 0;
	*count = g->blast_count;
	*weighted = g->blast_weighted;
	*estimated = g->blast_est;
	return 1;
}

/*
 * graph-order.c: the graph's orderings by asset id, which keep every
 * answer independent of row numbers and load order: comparing two
 * nodes' ids (by rank when the ids are ranked), the ties of a
 * breadth-first search, sorting nodes, each node's rank, and the whole
 * graph in id order.
 */
#include <stdlib.h>
#include <string.h>

#include "graph-private.h"

/* Each node's place in id order: ties of a search, and sorts by id,
 * then compare two numbers, not two strings. */
int hwp_graph_rank_ids(struct hw_graph *g, struct hw_error *err)
{
	uint32_t *nodes, *rank, v;

	if (g->idrank != NULL || g->n == 0)
		return 0;
	nodes = malloc((size_t)g->n * sizeof *nodes);
	rank = malloc((size_t)g->n * sizeof *rank);
	if (nodes == NULL || rank == NULL) {
		free(nodes);
		free(rank);
		return hw_error_set(err, HW_ENOMEM,
				    "out of memory ranking the graph's ids");
	}
	for (v = 0; v < g->n; v++)
		nodes[v] = v;
	hw_graph_sort_by_id(g, nodes, g->n);
	for (v = 0; v < g->n; v++)
		rank[nodes[v]] = v;
	free(nodes);
	g->idrank = rank;
	return 0;
}

/* Is asset a's id before asset b's?  (A missing id sorts first.) */
int hwp_graph_id_before(const struct hw_graph *g, uint32_t a, uint32_t b)
{
	const char *x = g->id[a], *y = g->id[b];

	if (g->idrank != NULL)
		return g->idrank[a] < g->idrank[b];
	return strcmp(x ? x : "", y ? y : "") < 0;
}

/* Ties in a breadth-first search from several roots, decided by ids so
 * that the answer depends on the inventory, never on the order it was
 * loaded in.  A node w first reached from u at distance d may be
 * reached again from another u' at the same distance d - 1; it takes
 * the candidate whose root has the smallest id and, among those with
 * that root, the predecessor with the smallest id.  Every predecessor of
 * w at distance d - 1 is met before w is expanded (first in, first out)
 * and has its own final root by then, so w's root is the smallest id
 * among the nearest roots, and following the chosen predecessors leads
 * back to it: one shortest path, the same whatever the load order, at
 * the cost of a comparison per extra edge into the next layer. */
int hwp_graph_tie_better(const struct hw_graph *g, uint32_t root_u, uint32_t u,
			 uint32_t root_w, uint32_t parent_w)
{
	if (root_u != root_w)
		return hwp_graph_id_before(g, root_u, root_w);
	return u != parent_w && hwp_graph_id_before(g, u, parent_w);
}

/* Follow parent links from v back to a root, then write the path root
 * first into buf (up to cap nodes); returns its length. */
size_t hwp_graph_walk_back(const int32_t *parent, uint32_t v, uint32_t *buf,
			   size_t cap)
{
	size_t len = 0, i;
	int32_t u;

	for (u = (int32_t)v; u >= 0; u = parent[u]) {
		if (len < cap)
			buf[len] = (uint32_t)u;
		len++;
	}
	if (len <= cap)
		for (i = 0; i < len / 2; i++) {
			uint32_t t = buf[i];

			buf[i] = buf[len - 1 - i];
			buf[len - 1 - i] = t;
		}
	return len;
}

/* qsort has no context argument in C11, and the library runs threads:
 * the comparators read keys copied beside each node, never globals.
 * Out of memory for the keys, a heap sort that takes its context as an
 * argument (slower; the same order, since no two keys are equal). */
struct sort_key {
	uint32_t rank;	/* distance, or 0 */
	uint32_t v;	/* the node */
	const char *id; /* NULL when the graph ranks its ids: */
	uint32_t idr;	/*   their rank */
};

static int by_rank_then_id(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->id == NULL)
		return x->idr < y->idr ? -1 : x->idr > y->idr;
	return strcmp(x->id, y->id);
}

static void sort_key_of(const struct hw_graph *g, const uint32_t *rank,
			uint32_t v, struct sort_key *k)
{
	k->rank = rank ? rank[v] : 0;
	k->v = v;
	k->id = g->idrank ? NULL : g->id[v];
	k->idr = g->idrank ? g->idrank[v] : 0;
}

static int node_cmp(const struct hw_graph *g, const uint32_t *rank, uint32_t x,
		    uint32_t y)
{
	struct sort_key kx, ky;

	sort_key_of(g, rank, x, &kx);
	sort_key_of(g, rank, y, &ky);
	return by_rank_then_id(&kx, &ky);
}

static void heap_sort_nodes(const struct hw_graph *g, const uint32_t *rank,
			    uint32_t *a, size_t n)
{
	size_t start = n / 2, end = n, root, child;
	uint32_t t;

	while (end > 1) {
		if (start > 0) {
			start--;
		} else {
			end--;
			t = a[0];
			a[0] = a[end];
			a[end] = t;
		}
		for (root = start; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end &&
			    node_cmp(g, rank, a[child], a[child + 1]) < 0)
				child++;
			if (node_cmp(g, rank, a[root], a[child]) >= 0)
				break;
			t = a[root];
			a[root] = a[child];
			a[child] = t;
		}
	}
}

void hwp_graph_sort_nodes(const struct hw_graph *g, const uint32_t *rank,
			  uint32_t *nodes, size_t n)
{
	struct sort_key *k;
	size_t i;

	if (n < 2)
		return;
	k = malloc(n * sizeof *k);
	if (k == NULL) {
		heap_sort_nodes(g, rank, nodes, n);
		return;
	}
	for (i = 0; i < n; i++)
		sort_key_of(g, rank, nodes[i], &k[i]);
	qsort(k, n, sizeof *k, by_rank_then_id);
	for (i = 0; i < n; i++)
		nodes[i] = k[i].v;
	free(k);
}

void hw_graph_sort_by_id(const struct hw_graph *g, uint32_t *nodes, size_t n)
{
	hwp_graph_sort_nodes(g, NULL, nodes, n);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int hw_graph_order_init(const struct hw_graph *g, struct hw_graph_order *o,
			struct hw_error *err)
{
	uint32_t *rank = malloc(((size_t)g->n + 1) * sizeof *rank);
	uint64_t *keys = NULL;
	uint32_t v, e, maxdeg = 0;

	memset(o, 0, sizeof *o);
	o->nodes = malloc(((size_t)g->n + 1) * sizeof *o->nodes);
	o->edges = malloc(((size_t)g->m + 1) * sizeof *o->edges);
	o->off = g->out_off;
	for (v = 0; v < g->n; v++)
		if (g->out_off[v + 1] - g->out_off[v] > maxdeg)
			maxdeg = g->out_off[v + 1] - g->out_off[v];
	keys = malloc(((size_t)maxdeg + 1) * sizeof *keys);
	if (rank == NULL || o->nodes == NULL || o->edges == NULL ||
	    keys == NULL) {
		free(rank);
		free(keys);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	for (v = 0; v < g->n; v++)
		o->nodes[v] = v;
	hw_graph_sort_by_id(g, o->nodes, g->n);
	for (v = 0; v < g->n; v++)
		rank[o->nodes[v]] = v;
	/* Each node's edges by the rank of the node they lead to (ids are
	 * distinct, and so are ranks). */
	for (v = 0; v < g->n; v++) {
		uint32_t lo = g->out_off[v], n = g->out_off[v + 1] - lo;

		for (e = 0; e < n; e++)
			keys[e] = (uint64_t)rank[g->out_adj[lo + e]] << 32 | e;
		qsort(keys, n, sizeof *keys, cmp_u64);
		for (e = 0; e < n; e++)
			o->edges[lo + e] = (uint32_t)keys[e];
	}
	free(rank);
	free(keys);
	return 0;
}

void hw_graph_order_release(struct hw_graph_order *o)
{
	free(o->nodes);
	free(o->edges);
	o->nodes = o->edges = NULL;
}

size_t hw_graph_order_edges(const struct hw_graph_order *o, uint32_t v,
			    const uint32_t **idx)
{
	*idx = o->edges + o->off[v];
	return o->off[v + 1] - o->off[v];
}


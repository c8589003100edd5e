/*
 * graph.c: the in-memory dependency graph and its loads: the whole
 * inventory, or the upward closure of some assets (their dependents,
 * transitively, which is all that their impact set and its effective
 * levels depend on, unless it grows past a limit, when a bulk scan of
 * the whole inventory is cheaper); the node attributes, the id index,
 * and the snapshot's graph freed with its mapping.  The orderings by
 * asset id are graph-order.c's.
 *
 * Assets become dense node numbers; dependencies are stored twice in
 * compressed sparse rows (out: what a node depends on; in: its
 * dependents).
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include "graph-private.h"

static int grow_nodes(struct hw_graph *g)
{
	uint32_t cap = g->cap ? g->cap * 2 : 1024;

#define GROW(field)                                                            \
	do {                                                                   \
		void *p = realloc(g->field, (size_t)cap * sizeof *g->field);   \
		if (p == NULL)                                                 \
			return -1;                                             \
		g->field = p;                                                  \
	} while (0)
	GROW(rown);
	GROW(id);
	GROW(name);
	GROW(owner);
	GROW(type);
	GROW(own);
#undef GROW
	g->cap = cap;
	return 0;
}

static int32_t intern_owner(struct hw_graph *g, const char *owner)
{
	const char *s;
	uint32_t idx;

	if (owner == NULL)
		return -1;
	idx = hwp_map_get(&g->owner_ids, (uint64_t)(uintptr_t)owner);
	if (idx != NONE_U32)
		return (int32_t)idx;
	if (g->nowners == g->owners_cap) {
		uint32_t cap = g->owners_cap ? g->owners_cap * 2 : 64;
		const char **p = realloc(g->owners, cap * sizeof *p);

		if (p == NULL)
			return -2;
		g->owners = p;
		g->owners_cap = cap;
	}
	s = hwp_arena_dup(&g->strings, owner);
	if (s == NULL || hwp_map_put(&g->owner_ids, (uint64_t)(uintptr_t)s,
				     g->nowners) == NONE_U32)
		return -2;
	g->owners[g->nowners] = s;
	return (int32_t)g->nowners++;
}

/* Add (or fill in) the node for an asset row; returns its index. */
static uint32_t node_for(struct hw_graph *g, long long rown)
{
	uint32_t v =
	    g->scanning ? NONE_U32 : hwp_map_get(&g->by_rown, (uint64_t)rown);

	if (v != NONE_U32)
		return v;
	if (g->n == g->cap && grow_nodes(g) < 0)
		return NONE_U32;
	v = g->n;
	/* A whole-table scan sees each row once and indexes them after. */
	if (!g->scanning &&
	    hwp_map_put(&g->by_rown, (uint64_t)rown, v) == NONE_U32)
		return NONE_U32;
	g->n++;
	g->rown[v] = rown;
	g->id[v] = g->name[v] = NULL;
	g->owner[v] = -1;
	g->type[v] = 0;
	memset(&g->own[v], 0, sizeof g->own[v]);
	return v;
}

static int on_node(void *ctx, const void *row)
{
	struct hw_graph *g = ctx;
	const struct hwp_node *nd = row;
	uint32_t v = node_for(g, nd->n);
	int t;

	if (v == NONE_U32)
		return -1;
	g->id[v] = hwp_arena_dup(&g->strings, nd->id);
	g->name[v] = hwp_arena_dup(&g->strings, nd->name);
	if (g->id[v] == NULL || g->name[v] == NULL)
		return -1;
	g->owner[v] = intern_owner(g, nd->owner);
	if (g->owner[v] == -2)
		return -1;
	/* The store checks types as it reads them. */
	t = hwp_vocab_index(hw_asset_types, nd->type);
	if (t < 0)
		return hwp_damaged(g->st, g->err, "asset",
				   "'%s' has an unknown asset type", nd->id);
	g->type[v] = (uint8_t)t;
	hw_sc_max(&g->own[v], &nd->direct);
	return 0;
}

/* Node of an asset row number, or NONE_U32. */
static uint32_t node_of(const struct hw_graph *g, long long rown)
{
	if (g->dense != NULL)
		return rown >= 0 && rown <= g->dense_max ? g->dense[rown]
							 : NONE_U32;
	return hwp_map_get(&g->by_rown, (uint64_t)rown);
}

uint32_t hwp_graph_node(const struct hw_graph *g, long long rown)
{
	return node_of(g, rown);
}

/* The attributes of a dependency row (the store checks its type). */
static uint8_t edge_attr(const struct hwp_edge *e)
{
	int t = hwp_vocab_index(hw_dep_types, e->type);

	return ATTR(e->carries & 7u, t < 0 ? HW_DEP_TYPE_COUNT - 1 : t);
}

static int on_levels(void *ctx, const void *row)
{
	struct hw_graph *g = ctx;
	const struct hwp_levels *lv = row;
	uint32_t v = node_of(g, lv->n);
	int o;

	/* A whole-graph load sees every asset: no row may name another. */
	if (v == NONE_U32)
		return g->closure ? 0
				  : hwp_damaged(g->st, g->err, "assignment",
						"a row names asset number "
						"%lld, which does not exist",
						lv->n);
	for (o = 0; o < HW_NOBJ; o++)
		g->own[v].v[o] =
		    hw_level_max(g->own[v].v[o], hw_level_system(lv->sc.v[o]));
	return 0;
}

static int push_edge(struct edge_list *el, uint32_t s, uint32_t d, uint8_t attr)
{
	if (el->count == el->cap) {
		size_t cap = el->cap ? el->cap * 2 : 4096;
		uint32_t *ns = realloc(el->src, cap * sizeof *ns);
		uint32_t *nd;
		uint8_t *na;

		if (ns == NULL)
			return -1;
		el->src = ns;
		nd = realloc(el->dst, cap * sizeof *nd);
		if (nd == NULL)
			return -1;
		el->dst = nd;
		na = realloc(el->attr, cap);
		if (na == NULL)
			return -1;
		el->attr = na;
		el->cap = cap;
	}
	el->src[el->count] = s;
	el->dst[el->count] = d;
	el->attr[el->count] = attr;
	el->count++;
	return 0;
}

static int on_edge(void *ctx, const void *row)
{
	struct hw_graph *g = ctx;
	const struct hwp_edge *e = row;
	uint32_t s = node_of(g, e->src), d = node_of(g, e->dst);

	if (s == NONE_U32 || d == NONE_U32)
		return hwp_damaged(g->st, g->err, "dependency",
				   "a row names asset number %lld, which does "
				   "not exist",
				   s == NONE_U32 ? e->src : e->dst);
	return push_edge(&g->edges, s, d, edge_attr(e));
}

/* Build both CSR directions from the edge list (counting sort). */
static int build_csr(struct hw_graph *g)
{
	struct edge_list *el = &g->edges;
	size_t i;
	uint32_t v;

	g->m = (uint32_t)el->count;
	g->out_off = calloc((size_t)g->n + 1, sizeof *g->out_off);
	g->in_off = calloc((size_t)g->n + 1, sizeof *g->in_off);
	g->out_adj = malloc((el->count + 1) * sizeof *g->out_adj);
	g->in_adj = malloc((el->count + 1) * sizeof *g->in_adj);
	g->out_attr = malloc(el->count + 1);
	g->in_attr = malloc(el->count + 1);
	if (!g->out_off || !g->in_off || !g->out_adj || !g->in_adj ||
	    !g->out_attr || !g->in_attr)
		return -1;
	for (i = 0; i < el->count; i++) {
		g->out_off[el->src[i] + 1]++;
		g->in_off[el->dst[i] + 1]++;
	}
	for (v = 0; v < g->n; v++) {
		g->out_off[v + 1] += g->out_off[v];
		g->in_off[v + 1] += g->in_off[v];
	}
	/* Fill using the offsets as cursors, then shift them back. */
	for (i = 0; i < el->count; i++) {
		uint32_t o = g->out_off[el->src[i]]++;
		uint32_t n = g->in_off[el->dst[i]]++;

		g->out_adj[o] = el->dst[i];
		g->out_attr[o] = el->attr[i];
		g->in_adj[n] = el->src[i];
		g->in_attr[n] = el->attr[i];
	}
	for (v = g->n; v > 0; v--) {
		g->out_off[v] = g->out_off[v - 1];
		g->in_off[v] = g->in_off[v - 1];
	}
	g->out_off[0] = g->in_off[0] = 0;
	free(el->src);
	free(el->dst);
	free(el->attr);
	memset(el, 0, sizeof *el);
	return 0;
}

struct hw_graph *hw_graph_ref(struct hw_graph *g)
{
	atomic_fetch_add(&g->refs, 1);
	return g;
}

/* 1 if a holder's release left others, which keep g. */
static int others_hold(struct hw_graph *g)
{
	size_t n = atomic_load(&g->refs);

	while (n > 0)
		if (atomic_compare_exchange_weak(&g->refs, &n, n - 1))
			return 1;
	return 0;
}

void hw_graph_free(struct hw_graph *g)
{
	int o;

	if (g == NULL || others_hold(g))
		return;
	if (g->blast_owned) {
		free(g->blast_count);
		free(g->blast_weighted);
		free(g->blast_est);
	}
	if (g->map != NULL) {
		/* arrays in the snapshot's mapping (graph-snapshot.c) */
		g->rown = NULL;
		g->owner = NULL;
		g->type = NULL;
		g->own = g->eff = NULL;
		g->out_off = g->out_adj = g->in_off = g->in_adj = NULL;
		g->out_attr = g->in_attr = g->on_cycle = NULL;
		g->comp = g->idrank = NULL;
		for (o = 0; o < HW_NOBJ; o++)
			g->raiser[o] = g->via[o] = NULL;
		munmap(g->map, g->map_size);
	}
	free(g->rown);
	free(g->dense);
	free(g->id);
	free(g->name);
	free(g->owner);
	free(g->type);
	free(g->own);
	free(g->owners);
	hwp_arena_free(&g->strings);
	hwp_map_free(&g->by_rown);
	hwp_map_free(&g->by_id);
	hwp_map_free(&g->owner_ids);
	free(g->out_off);
	free(g->out_adj);
	free(g->in_off);
	free(g->in_adj);
	free(g->out_attr);
	free(g->in_attr);
	free(g->edges.src);
	free(g->edges.dst);
	free(g->edges.attr);
	free(g->eff);
	for (o = 0; o < HW_NOBJ; o++) {
		free(g->raiser[o]);
		free(g->via[o]);
	}
	free(g->on_cycle);
	free(g->comp);
	free(g->idrank);
	free(g);
}

static struct hw_graph *graph_new(struct hw_error *err)
{
	struct hw_graph *g = calloc(1, sizeof *g);

	if (g == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	else
		g->owner_ids.strings = g->by_id.strings = 1;
	return g;
}

static struct hw_graph *fail_graph(struct hw_graph *g, struct hw_error *err)
{
	hw_error_set(err, HW_ENOMEM, "out of memory loading the graph");
	hw_graph_free(g);
	return NULL;
}

int hwp_graph_index_rows(struct hw_graph *g)
{
	uint32_t v;

	/* Row numbers are usually 1..n: index them directly (a negative
	 * one, from a damaged file, goes in the map). */
	g->dense_max = 0;
	for (v = 0; v < g->n; v++)
		if (g->rown[v] > g->dense_max)
			g->dense_max = g->rown[v];
	for (v = 0; v < g->n; v++)
		if (g->rown[v] < 0)
			g->dense_max = LLONG_MAX;
	if (g->dense_max <= 4 * (long long)g->n + 1024) {
		g->dense =
		    malloc(((size_t)g->dense_max + 1) * sizeof *g->dense);
		if (g->dense == NULL)
			return -1;
		memset(g->dense, 0xff,
		       ((size_t)g->dense_max + 1) * sizeof *g->dense);
		for (v = 0; v < g->n; v++) {
			if (g->dense[g->rown[v]] != NONE_U32)
				return -2;
			g->dense[g->rown[v]] = v;
		}
		return 0;
	}
	g->dense_max = 0;
	for (v = 0; v < g->n; v++) {
		if (hwp_map_get(&g->by_rown, (uint64_t)g->rown[v]) != NONE_U32)
			return -2;
		if (hwp_map_put(&g->by_rown, (uint64_t)g->rown[v], v) ==
		    NONE_U32)
			return -1;
	}
	return 0;
}

struct hw_graph *hw_graph_load(struct hw_store *st, struct hw_error *err)
{
	struct hw_graph *g = graph_new(err);

	if (g == NULL)
		return NULL;

	g->st = st;
	g->err = err;
	g->scanning = 1;
	if (hwp_scan_nodes(st, on_node, g, err) < 0) {
		hw_graph_free(g);
		return NULL;
	}
	g->scanning = 0;
	/* (the asset table's key: no two rows share a number) */
	if (hwp_graph_index_rows(g) < 0)
		return fail_graph(g, err);
	if (hwp_scan_levels(st, on_levels, g, err) < 0 ||
	    hwp_scan_edges(st, on_edge, g, err) < 0) {
		hw_graph_free(g);
		return NULL;
	}
	if (build_csr(g) < 0)
		return fail_graph(g, err);
	g->st = NULL;
	g->err = NULL;
	return g;
}

/* Closure loading: in-edges of each node found, breadth first. */
struct closure {
	struct hw_graph *g;
	uint32_t at; /* node whose dependents are being read */
	size_t limit;
	int too_big;
};

static int on_dependent(void *ctx, const void *row)
{
	struct closure *c = ctx;
	const struct hwp_edge *e = row;
	uint32_t s = node_for(c->g, e->src);

	if (s == NONE_U32)
		return -1;
	if (c->g->n > c->limit) {
		c->too_big = 1;
		return 1;
	}
	return push_edge(&c->g->edges, s, c->at, edge_attr(e));
}

struct hw_graph *hw_graph_load_up(struct hw_store *st, const char *const *ids,
				  size_t nids, size_t limit,
				  struct hw_error *err)
{
	int too_big;
	struct hw_graph *g =
	    hw_graph_load_closure(st, ids, nids, limit, &too_big, err);

	return g == NULL && too_big ? hw_graph_load(st, err) : g;
}

struct hw_graph *hw_graph_load_closure(struct hw_store *st,
				       const char *const *ids, size_t nids,
				       size_t limit, int *too_big,
				       struct hw_error *err)
{
	struct closure c = {0};
	struct hw_graph *g = graph_new(err);
	struct hw_error walk = {0};
	long long rown;
	uint32_t v;
	size_t i;

	*too_big = 0;
	if (g == NULL)
		return NULL;
	g->st = st;
	g->err = err;
	g->closure = 1;
	c.g = g;
	c.limit = limit;
	for (i = 0; i < nids; i++) {
		if (hwp_asset_n(st, ids[i], &rown, err) < 0) {
			hw_graph_free(g);
			return NULL;
		}
		if (node_for(g, rown) == NONE_U32)
			return fail_graph(g, err);
	}
	/* g->n grows as dependents are found: a breadth-first walk.  It
	 * stops early when the closure grows past the limit, which is no
	 * error: the walk's own error tells the two apart, and the
	 * caller's is set only for a real one. */
	for (v = 0; v < g->n && !c.too_big; v++) {
		c.at = v;
		if (hwp_dependents_of(st, g->rown[v], on_dependent, &c, &walk) <
			0 &&
		    !c.too_big) {
			hw_error_set_at(err, walk.code, walk.source, walk.line,
					walk.column, "%s", walk.text);
			hw_graph_free(g);
			return NULL;
		}
	}
	if (c.too_big) {
		hw_graph_free(g);
		*too_big = 1;
		return NULL;
	}
	for (v = 0; v < g->n; v++) {
		if (hwp_node_by_n(st, g->rown[v], on_node, g, err) < 0 ||
		    hwp_levels_by_n(st, g->rown[v], on_levels, g, err) < 0) {
			hw_graph_free(g);
			return NULL;
		}
		/* A dependency row whose asset is not there. */
		if (g->id[v] == NULL) {
			hwp_damaged(st, err, "dependency",
				    "a row names asset number %lld, which "
				    "does not exist",
				    g->rown[v]);
			hw_graph_free(g);
			return NULL;
		}
	}
	if (build_csr(g) < 0)
		return fail_graph(g, err);
	g->st = NULL;
	g->err = NULL;
	return g;
}

/* ------------------------------------------------------------------ */
/* Accessors                                                           */

size_t hw_graph_size(const struct hw_graph *g)
{
	return g->n;
}

size_t hw_graph_edges(const struct hw_graph *g)
{
	return g->m;
}

int hw_graph_is_closure(const struct hw_graph *g)
{
	return g->closure;
}

/* The id map, once: 0, or -1 when out of memory (no map then). */
static int index_ids(struct hw_graph *g)
{
	uint32_t v;

	if (g->by_id.count != 0)
		return 0;
	for (v = 0; v < g->n; v++)
		if (hwp_map_put(&g->by_id, (uint64_t)(uintptr_t)g->id[v], v) ==
		    NONE_U32) {
			hwp_map_free(&g->by_id);
			g->by_id.strings = 1;
			return -1;
		}
	return 0;
}

int hw_graph_freeze(struct hw_graph *g, struct hw_error *err)
{
	if (index_ids(g) < 0)
		return hw_error_set(err, HW_ENOMEM,
				    "out of memory indexing the graph's ids");
	g->finds = 8;
	return hwp_graph_rank_ids(g, err);
}

long hw_graph_find(struct hw_graph *g, const char *id)
{
	uint32_t v;

	/* The first few lookups (the targets of a command) scan the ids:
	 * cheaper than hashing a million of them.  Past that, a map; when
	 * there is no memory for one, the scan (slow, never wrong). */
	if (g->by_id.count == 0 && g->finds < 8) {
		g->finds++;
		goto scan;
	}
	if (index_ids(g) < 0)
		goto scan;
	v = hwp_map_get(&g->by_id, (uint64_t)(uintptr_t)id);
	return v == NONE_U32 ? -1 : (long)v;
scan:
	for (v = 0; v < g->n; v++)
		if (g->id[v] != NULL && g->id[v][0] == id[0] &&
		    strcmp(g->id[v], id) == 0)
			return (long)v;
	return -1;
}

const char *hw_graph_id(const struct hw_graph *g, uint32_t v)
{
	return g->id[v];
}

const char *hw_graph_name(const struct hw_graph *g, uint32_t v)
{
	return g->name[v];
}

const char *hw_graph_owner(const struct hw_graph *g, uint32_t v)
{
	return g->owner[v] < 0 ? NULL : g->owners[g->owner[v]];
}

int hw_graph_owner_index(const struct hw_graph *g, uint32_t v)
{
	return g->owner[v];
}

size_t hw_graph_owner_count(const struct hw_graph *g)
{
	return g->nowners;
}

const char *hw_graph_owner_name(const struct hw_graph *g, size_t i)
{
	return g->owners[i];
}

const char *hw_graph_type(const struct hw_graph *g, uint32_t v)
{
	return hw_asset_types[g->type[v]];
}

const struct hw_sc *hw_graph_own(const struct hw_graph *g, uint32_t v)
{
	return &g->own[v];
}

size_t hw_graph_out(const struct hw_graph *g, uint32_t v, const uint32_t **adj,
		    const uint8_t **attr)
{
	*adj = g->out_adj + g->out_off[v];
	if (attr != NULL)
		*attr = g->out_attr + g->out_off[v];
	return g->out_off[v + 1] - g->out_off[v];
}

unsigned hw_graph_attr_carries(uint8_t attr)
{
	return ATTR_CARRIES(attr);
}

const char *hw_graph_attr_type(uint8_t attr)
{
	return hw_dep_types[ATTR_TYPE(attr)];
}

/* ------------------------------------------------------------------ */
/* Building a graph from arrays (tests, benchmarks, other front ends)  */

struct hw_graph *hw_graph_build(size_t n, const struct hw_sc *own, size_t m,
				const struct hw_graph_edge *edges,
				struct hw_error *err)
{
	struct hw_graph *g;
	char id[32];
	size_t i;

	if (n >= NONE_U32 || m >= NONE_U32) {
		hw_error_set(err, HW_EINVAL, "graph too large");
		return NULL;
	}
	g = graph_new(err);
	if (g == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		uint32_t v = node_for(g, (long long)i + 1);

		if (v == NONE_U32)
			return fail_graph(g, err);
		snprintf(id, sizeof id, "v%zu", i);
		g->id[v] = g->name[v] = hwp_arena_dup(&g->strings, id);
		if (g->id[v] == NULL)
			return fail_graph(g, err);
		g->own[v] = own[i];
		g->type[v] = (uint8_t)hwp_vocab_index(hw_asset_types, "other");
	}
	for (i = 0; i < m; i++) {
		const struct hw_graph_edge *e = &edges[i];

		if (e->from >= n || e->to >= n || e->type < 0 ||
		    e->type >= HW_DEP_TYPE_COUNT) {
			hw_error_set(err, HW_EINVAL, "edge %zu out of range",
				     i);
			hw_graph_free(g);
			return NULL;
		}
		if (push_edge(&g->edges, e->from, e->to,
			      ATTR(e->carries & 7u, e->type)) < 0)
			return fail_graph(g, err);
	}
	if (build_csr(g) < 0)
		return fail_graph(g, err);
	return g;
}

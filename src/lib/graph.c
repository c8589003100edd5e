/*
 * graph.c: the in-memory dependency graph and its algorithms.
 *
 * Assets become dense node numbers; dependencies are stored twice in
 * compressed sparse rows (out: what a node depends on; in: its
 * dependents).  Everything here is iterative and linear in the size of
 * what it touches:
 *  - effective categorization: per objective and per level, from high
 *    down to low, a multi-source breadth-first search from the assets
 *    whose own level is that level, along dependencies that carry the
 *    objective.  A node first reached at level L has effective level L
 *    (anything reached through it at a lower level was reached at L
 *    already), and the search tree gives the asset that raised it and a
 *    shortest path from it;
 *  - cycles: iterative Tarjan strongly connected components;
 *  - change impact: breadth-first search from the targets.
 * Ties (two raisers, two shortest paths) are broken by asset id and the
 * blast-radius sketches hash ids, so that no answer depends on row
 * numbers or on the order the inventory was loaded in.
 * Loading the graph for a change impact reads only the upward closure
 * of the targets (their dependents, transitively), which is all that
 * their impact set and its effective levels depend on, unless it grows
 * past a limit, when a bulk scan of the whole inventory is cheaper.
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

#define NONE_U32 HWP_NONE

/* ------------------------------------------------------------------ */
/* The graph                                                           */

struct edge_list {
	uint32_t *src, *dst;
	uint8_t *attr; /* carries in bits 0-2, type index above */
	size_t count, cap;
};

struct hw_graph {
	uint32_t n, cap;     /* nodes */
	long long *rown;     /* asset row number of each node */
	const char **id, **name;
	int32_t *owner;	     /* index into owners, -1 for none */
	uint8_t *type;	     /* index into hw_asset_types */
	struct hw_sc *own;   /* own categorization */
	const char **owners; /* distinct owner strings */
	uint32_t nowners, owners_cap;
	struct hwp_arena strings;
	struct hwp_map by_rown, by_id, owner_ids;

	uint32_t m;			/* edges */
	uint32_t *out_off, *out_adj;	/* node -> what it depends on */
	uint32_t *in_off, *in_adj;	/* node -> its dependents */
	uint8_t *out_attr, *in_attr;
	struct edge_list edges; /* while loading */
	struct hw_store *st;	/* while loading: for errors */
	struct hw_error *err;

	uint32_t *dense;     /* row number -> node, when row numbers are
				dense enough (whole-graph loads) */
	long long dense_max;
	int closure; /* loaded as the upward closure of some assets */
	int finds;   /* hw_graph_find calls before the id map */
	int scanning; /* whole-table node scan: rows are distinct */
	/* Effective categorization (after hw_graph_categorize). */
	struct hw_sc *eff;
	int32_t *raiser[HW_NOBJ]; /* node that raised it, or -1 */
	int32_t *via[HW_NOBJ];	  /* previous node on the path, or -1 */
	uint8_t *on_cycle;
	uint32_t *comp;	/* strongly connected component of each node,
			   numbered dependencies first */
	uint32_t ncomp;
	int categorized;
};

#define ATTR(carries, type) ((uint8_t)((carries) | ((unsigned)(type) << 3)))
#define ATTR_CARRIES(a) ((a)&7u)
#define ATTR_TYPE(a) ((a) >> 3)

static int grow_nodes(struct hw_graph *g)
{
	uint32_t cap = g->cap ? g->cap * 2 : 1024;

#define GROW(field)                                                        \
	do {                                                               \
		void *p = realloc(g->field, (size_t)cap * sizeof *g->field); \
		if (p == NULL)                                             \
			return -1;                                         \
		g->field = p;                                              \
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
	if (s == NULL ||
	    hwp_map_put(&g->owner_ids, (uint64_t)(uintptr_t)s, g->nowners) ==
		NONE_U32)
		return -2;
	g->owners[g->nowners] = s;
	return (int32_t)g->nowners++;
}

/* Add (or fill in) the node for an asset row; returns its index. */
static uint32_t node_for(struct hw_graph *g, long long rown)
{
	uint32_t v = g->scanning ? NONE_U32
				 : hwp_map_get(&g->by_rown, (uint64_t)rown);

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
		g->own[v].v[o] = hw_level_max(g->own[v].v[o],
					      hw_level_system(lv->sc.v[o]));
	return 0;
}

static int push_edge(struct edge_list *el, uint32_t s, uint32_t d,
		     uint8_t attr)
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

void hw_graph_free(struct hw_graph *g)
{
	int o;

	if (g == NULL)
		return;
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

struct hw_graph *hw_graph_load(struct hw_store *st, struct hw_error *err)
{
	struct hw_graph *g = graph_new(err);

	if (g == NULL)
		return NULL;
	uint32_t v;

	g->st = st;
	g->err = err;
	g->scanning = 1;
	if (hwp_scan_nodes(st, on_node, g, err) < 0) {
		hw_graph_free(g);
		return NULL;
	}
	g->scanning = 0;
	/* Row numbers are usually 1..n: index them directly. */
	for (v = 0; v < g->n; v++)
		if (g->rown[v] > g->dense_max)
			g->dense_max = g->rown[v];
	if (g->dense_max <= 4 * (long long)g->n + 1024) {
		g->dense = malloc(((size_t)g->dense_max + 1) * sizeof *g->dense);
		if (g->dense == NULL)
			return fail_graph(g, err);
		memset(g->dense, 0xff,
		       ((size_t)g->dense_max + 1) * sizeof *g->dense);
		for (v = 0; v < g->n; v++)
			g->dense[g->rown[v]] = v;
	} else {
		for (v = 0; v < g->n; v++)
			if (hwp_map_put(&g->by_rown, (uint64_t)g->rown[v], v) ==
			    NONE_U32)
				return fail_graph(g, err);
	}
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
	struct closure c = {0};
	struct hw_graph *g = graph_new(err);
	struct hw_error walk = {0};
	long long rown;
	uint32_t v;
	size_t i;

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
		if (hwp_dependents_of(st, g->rown[v], on_dependent, &c,
				      &walk) < 0 &&
		    !c.too_big) {
			hw_error_set_at(err, walk.code, walk.source, walk.line,
					walk.column, "%s", walk.text);
			hw_graph_free(g);
			return NULL;
		}
	}
	if (c.too_big) {
		hw_graph_free(g);
		return hw_graph_load(st, err);
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
	if (g->by_id.count == 0 && g->n > 0) {
		for (v = 0; v < g->n; v++)
			if (hwp_map_put(&g->by_id, (uint64_t)(uintptr_t)g->id[v],
				    v) == NONE_U32) {
				hwp_map_free(&g->by_id);
				g->by_id.strings = 1;
				goto scan;
			}
	}
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

size_t hw_graph_out(const struct hw_graph *g, uint32_t v,
		    const uint32_t **adj, const uint8_t **attr)
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
/* Strongly connected components: iterative Tarjan                     */

static int mark_cycles(struct hw_graph *g)
{
	uint32_t *index = NULL, *low = NULL, *stack = NULL, *call = NULL;
	uint32_t *edge = NULL, counter = 0, sp = 0, cp = 0, v, root;
	uint8_t *on_stack = NULL;
	int ret = -1;

	g->on_cycle = calloc((size_t)g->n + 1, 1);
	g->comp = malloc(((size_t)g->n + 1) * sizeof *g->comp);
	index = malloc(((size_t)g->n + 1) * sizeof *index);
	low = malloc(((size_t)g->n + 1) * sizeof *low);
	stack = malloc(((size_t)g->n + 1) * sizeof *stack);
	call = malloc(((size_t)g->n + 1) * sizeof *call);
	edge = malloc(((size_t)g->n + 1) * sizeof *edge);
	on_stack = calloc((size_t)g->n + 1, 1);
	if (!g->on_cycle || !g->comp || !index || !low || !stack || !call ||
	    !edge || !on_stack)
		goto out;
	memset(index, 0xff, ((size_t)g->n + 1) * sizeof *index);
	for (root = 0; root < g->n; root++) {
		if (index[root] != NONE_U32)
			continue;
		/* Explicit call stack: call[] holds nodes being visited,
		 * edge[v] the next out-edge of v to look at. */
		call[cp++] = root;
		index[root] = low[root] = counter++;
		edge[root] = g->out_off[root];
		stack[sp++] = root;
		on_stack[root] = 1;
		while (cp > 0) {
			uint32_t w;

			v = call[cp - 1];
			if (edge[v] < g->out_off[v + 1]) {
				w = g->out_adj[edge[v]++];
				if (index[w] == NONE_U32) {
					index[w] = low[w] = counter++;
					edge[w] = g->out_off[w];
					stack[sp++] = w;
					on_stack[w] = 1;
					call[cp++] = w;
				} else if (on_stack[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			/* v is done: pop it, update its caller. */
			cp--;
			if (cp > 0 && low[v] < low[call[cp - 1]])
				low[call[cp - 1]] = low[v];
			if (low[v] == index[v]) {
				uint32_t size = 0, first = sp;

				do {
					w = stack[--first];
					size++;
				} while (w != v);
				while (sp > first) {
					w = stack[--sp];
					on_stack[w] = 0;
					g->on_cycle[w] = size > 1;
					g->comp[w] = g->ncomp;
				}
				g->ncomp++;
			}
		}
	}
	ret = 0;
out:
	free(index);
	free(low);
	free(stack);
	free(call);
	free(edge);
	free(on_stack);
	return ret;
}

int hw_graph_on_cycle(const struct hw_graph *g, uint32_t v)
{
	return g->on_cycle ? g->on_cycle[v] : 0;
}

/* ------------------------------------------------------------------ */
/* Effective categorization                                            */

/* Is asset a's id before asset b's?  (A missing id sorts first.) */
static int id_before(const struct hw_graph *g, uint32_t a, uint32_t b)
{
	const char *x = g->id[a], *y = g->id[b];

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
static int tie_better(const struct hw_graph *g, uint32_t root_u, uint32_t u,
		      uint32_t root_w, uint32_t parent_w)
{
	if (root_u != root_w)
		return id_before(g, root_u, root_w);
	return u != parent_w && id_before(g, u, parent_w);
}

static int propagate(struct hw_graph *g, int o, uint32_t *queue,
		     uint32_t *dist)
{
	static const enum hw_level order[] = {HW_LEVEL_HIGH, HW_LEVEL_MODERATE,
					      HW_LEVEL_LOW};
	unsigned bit = 1u << o;
	int32_t *raiser = g->raiser[o], *via = g->via[o];
	size_t k;
	uint32_t v;

	for (v = 0; v < g->n; v++) {
		g->eff[v].v[o] = HW_LEVEL_NONE;
		raiser[v] = via[v] = -1;
	}
	for (k = 0; k < sizeof order / sizeof order[0]; k++) {
		enum hw_level lvl = order[k];
		size_t head = 0, tail = 0;

		for (v = 0; v < g->n; v++)
			if (g->own[v].v[o] == lvl &&
			    g->eff[v].v[o] == HW_LEVEL_NONE) {
				g->eff[v].v[o] = lvl;
				dist[v] = 0;
				queue[tail++] = v;
			}
		while (head < tail) {
			uint32_t u = queue[head++], e;
			uint32_t ru = raiser[u] >= 0 ? (uint32_t)raiser[u] : u;

			for (e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
				uint32_t w = g->out_adj[e];

				if (!(ATTR_CARRIES(g->out_attr[e]) & bit))
					continue;
				if (g->eff[w].v[o] != HW_LEVEL_NONE) {
					/* Another shortest path from this
					 * level's sources (see tie_better). */
					if (g->eff[w].v[o] == lvl &&
					    dist[w] == dist[u] + 1 &&
					    tie_better(g, ru, u,
						       (uint32_t)raiser[w],
						       (uint32_t)via[w])) {
						raiser[w] = (int32_t)ru;
						via[w] = (int32_t)u;
					}
					continue;
				}
				/* Reached first at lvl: own level is
				 * lower (or it would be a source). */
				g->eff[w].v[o] = lvl;
				dist[w] = dist[u] + 1;
				via[w] = (int32_t)u;
				raiser[w] = (int32_t)ru;
				queue[tail++] = w;
			}
		}
	}
	return 0;
}

int hw_graph_categorize(struct hw_graph *g, struct hw_error *err)
{
	uint32_t *queue, *dist;
	int o;

	if (g->categorized)
		return 0;
	g->eff = calloc((size_t)g->n + 1, sizeof *g->eff);
	queue = malloc(((size_t)g->n + 1) * sizeof *queue);
	dist = malloc(((size_t)g->n + 1) * sizeof *dist);
	for (o = 0; o < HW_NOBJ; o++) {
		g->raiser[o] = malloc(((size_t)g->n + 1) * sizeof(int32_t));
		g->via[o] = malloc(((size_t)g->n + 1) * sizeof(int32_t));
		if (g->raiser[o] == NULL || g->via[o] == NULL)
			break;
	}
	if (g->eff == NULL || queue == NULL || dist == NULL || o < HW_NOBJ ||
	    mark_cycles(g) < 0) {
		free(queue);
		free(dist);
		return hw_error_set(err, HW_ENOMEM,
				    "out of memory categorizing");
	}
	for (o = 0; o < HW_NOBJ; o++)
		propagate(g, o, queue, dist);
	free(queue);
	free(dist);
	g->categorized = 1;
	return 0;
}

const struct hw_sc *hw_graph_effective(const struct hw_graph *g, uint32_t v)
{
	return &g->eff[v];
}

long hw_graph_raised_by(const struct hw_graph *g, uint32_t v,
			enum hw_objective o)
{
	return g->raiser[o][v];
}

/* Follow parent links from v back to a root, then write the path root
 * first into buf (up to cap nodes); returns its length. */
static size_t walk_back(const int32_t *parent, uint32_t v, uint32_t *buf,
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

size_t hw_graph_raised_path(const struct hw_graph *g, uint32_t v,
			    enum hw_objective o, uint32_t *buf, size_t cap)
{
	return walk_back(g->via[o], v, buf, cap);
}

/* ------------------------------------------------------------------ */
/* Change impact                                                       */

void hw_impact_free(struct hw_impact *imp)
{
	if (imp == NULL)
		return;
	free(imp->members);
	free(imp->dist);
	free(imp->parent);
	free(imp->parent_down);
	free(imp->down);
	free(imp);
}

/* Breadth-first search from the targets one way: up follows dependents
 * (in-edges), down what a node relies on (out-edges).  Fills dist and
 * parent for the nodes it reaches and appends them to list; root is
 * scratch (the target each node's path starts from).  Of several
 * shortest paths, the one chosen as in propagate (see tie_better). */
static void search(const struct hw_graph *g, const uint32_t *targets,
		   size_t ntargets, const struct hw_impact_opts *opts, int up,
		   uint32_t *dist, int32_t *parent, uint32_t *root,
		   uint32_t *list, size_t *count)
{
	const uint32_t *off = up ? g->in_off : g->out_off;
	const uint32_t *adj = up ? g->in_adj : g->out_adj;
	const uint8_t *attr = up ? g->in_attr : g->out_attr;
	size_t head = *count, i;

	for (i = 0; i < ntargets; i++)
		if (targets[i] < g->n && dist[targets[i]] == HW_NOT_MEMBER) {
			dist[targets[i]] = 0;
			root[targets[i]] = targets[i];
			list[(*count)++] = targets[i];
		}
	while (head < *count) {
		uint32_t u = list[head++], e;

		if (opts->depth >= 0 && dist[u] >= (uint32_t)opts->depth)
			continue;
		for (e = off[u]; e < off[u + 1]; e++) {
			uint32_t w = adj[e];

			if (opts->types != 0 &&
			    !(opts->types & (1u << ATTR_TYPE(attr[e]))))
				continue;
			if (dist[w] != HW_NOT_MEMBER) {
				if (dist[w] == dist[u] + 1 &&
				    tie_better(g, root[u], u, root[w],
					       (uint32_t)parent[w])) {
					root[w] = root[u];
					parent[w] = (int32_t)u;
				}
				continue;
			}
			dist[w] = dist[u] + 1;
			parent[w] = (int32_t)u;
			root[w] = root[u];
			list[(*count)++] = w;
		}
	}
}

struct hw_impact *hw_graph_impact(const struct hw_graph *g,
				  const uint32_t *targets, size_t ntargets,
				  const struct hw_impact_opts *opts,
				  struct hw_error *err)
{
	struct hw_impact *imp = calloc(1, sizeof *imp);
	size_t n = (size_t)g->n + 1, count = 0, i;
	uint32_t *dist2 = NULL, *list2 = NULL, *root = NULL, v;
	int32_t *parent2 = NULL;

	if (imp == NULL)
		goto nomem;
	root = malloc(n * sizeof *root);
	imp->members = malloc(n * sizeof *imp->members);
	imp->dist = malloc(n * sizeof *imp->dist);
	imp->parent = malloc(n * sizeof *imp->parent);
	imp->down = calloc(n, 1);
	if (!root || !imp->members || !imp->dist || !imp->parent ||
	    !imp->down)
		goto nomem;
	for (v = 0; v < g->n; v++) {
		imp->dist[v] = HW_NOT_MEMBER;
		imp->parent[v] = -1;
	}
	if (opts->direction != HW_DIR_BOTH) {
		search(g, targets, ntargets, opts,
		       opts->direction == HW_DIR_UP, imp->dist, imp->parent,
		       root, imp->members, &imp->count);
		if (opts->direction == HW_DIR_DOWN)
			memset(imp->down, 1, n);
		free(root);
		return imp;
	}
	/* Both: the union of the two searches, each member with the
	 * nearer of its two distances.  The trees stay apart, so a path
	 * only ever goes one way. */
	search(g, targets, ntargets, opts, 1, imp->dist, imp->parent, root,
	       imp->members, &imp->count);
	dist2 = malloc(n * sizeof *dist2);
	parent2 = malloc(n * sizeof *parent2);
	list2 = malloc(n * sizeof *list2);
	if (!dist2 || !parent2 || !list2)
		goto nomem;
	for (v = 0; v < g->n; v++) {
		dist2[v] = HW_NOT_MEMBER;
		parent2[v] = -1;
	}
	search(g, targets, ntargets, opts, 0, dist2, parent2, root, list2,
	       &count);
	/* Members nearer going down take that distance, and their path is
	 * read from the down tree, which is kept whole beside the up one. */
	for (i = 0; i < count; i++) {
		v = list2[i];
		if (imp->dist[v] == HW_NOT_MEMBER)
			imp->members[imp->count++] = v;
		else if (dist2[v] >= imp->dist[v])
			continue;
		imp->dist[v] = dist2[v];
		imp->down[v] = 1;
	}
	imp->parent_down = parent2;
	free(dist2);
	free(list2);
	free(root);
	return imp;
nomem:
	free(root);
	free(dist2);
	free(parent2);
	free(list2);
	hw_impact_free(imp);
	hw_error_set(err, HW_ENOMEM, "out of memory computing the impact");
	return NULL;
}

/* qsort has no context argument in C11, and the library runs threads:
 * the comparators read keys copied beside each node, never globals.
 * Out of memory for the keys, a heap sort that takes its context as an
 * argument (slower; the same order, since no two keys are equal). */
struct sort_key {
	uint32_t rank; /* distance, or 0 */
	uint32_t v;    /* the node */
	const char *id;
};

static int by_rank_then_id(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int node_cmp(const struct hw_graph *g, const uint32_t *rank,
		    uint32_t x, uint32_t y)
{
	struct sort_key kx = {rank ? rank[x] : 0, x, g->id[x]};
	struct sort_key ky = {rank ? rank[y] : 0, y, g->id[y]};

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

/* Sort nodes by rank[node] (none: NULL), then id. */
static void sort_nodes(const struct hw_graph *g, const uint32_t *rank,
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
	for (i = 0; i < n; i++) {
		k[i].rank = rank ? rank[nodes[i]] : 0;
		k[i].v = nodes[i];
		k[i].id = g->id[nodes[i]];
	}
	qsort(k, n, sizeof *k, by_rank_then_id);
	for (i = 0; i < n; i++)
		nodes[i] = k[i].v;
	free(k);
}

void hw_graph_sort_by_id(const struct hw_graph *g, uint32_t *nodes, size_t n)
{
	sort_nodes(g, NULL, nodes, n);
}

void hw_impact_sort(const struct hw_graph *g, struct hw_impact *imp)
{
	sort_nodes(g, imp->dist, imp->members, imp->count);
}

size_t hw_impact_path(const struct hw_impact *imp, uint32_t v, uint32_t *buf,
		      size_t cap)
{
	return walk_back(imp->parent_down != NULL && imp->down[v]
			     ? imp->parent_down
			     : imp->parent,
			 v, buf, cap);
}

int hw_impact_summarize(const struct hw_graph *g, const struct hw_impact *imp,
			enum hw_level full_cab, enum hw_level cab_review,
			struct hw_impact_summary *sum)
{
	int service = hwp_vocab_index(hw_asset_types, "business_service");
	size_t i;
	int o;

	memset(sum, 0, sizeof *sum);
	for (i = 0; i < imp->count; i++) {
		uint32_t v = imp->members[i];
		const struct hw_sc *e = &g->eff[v];
		enum hw_level overall = hw_sc_overall(e);

		hw_sc_max(&sum->highest, e);
		sum->count[overall]++;
		sum->partial += hw_sc_partial(e);
		if (g->type[v] == service)
			sum->services++;
		if (g->on_cycle && g->on_cycle[v])
			sum->on_cycle++;
	}
	for (o = 0; o < HW_NOBJ; o++)
		sum->top = hw_level_max(sum->top, sum->highest.v[o]);
	if (sum->top >= full_cab)
		sum->route = "full-cab";
	else if (sum->top >= cab_review ||
		 sum->count[HW_LEVEL_NONE] > 0 || sum->partial > 0)
		sum->route = "cab-review";
	else
		sum->route = "standard";
	return 0;
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

/* ------------------------------------------------------------------ */
/* Blast radius: how many assets depend on each, transitively          */

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
				n = merge_keys(acc, n, sk[d].keys, sk[d].n, tmp);
				if (--left[d] == 0) {
					free(sk[d].keys);
					sk[d].keys = NULL;
				}
			}
		}
		for (k = 0; k < n; k++) {
			wsum += weight[acc[k] & ((1u << BLAST_WEIGHT_BITS) - 1)];
		}
		if (n < BLAST_K) {
			size = n;
		} else {
			/* k minimum values: (k - 1) / U(k). */
			double u = ((double)(acc[n - 1] >> 32) + 1) /
				   4294967296.0;

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

/*
 * graph-effective.c: effective (inherited) categorization of a loaded
 * graph, what raised each level and along which path, and which assets
 * sit on a dependency cycle.
 *
 *  - effective categorization: per objective and per level, from high
 *    down to low, a multi-source breadth-first search from the assets
 *    whose own level is that level, along dependencies that carry the
 *    objective.  A node first reached at level L has effective level L
 *    (anything reached through it at a lower level was reached at L
 *    already), and the search tree gives the asset that raised it and a
 *    shortest path from it; ties are broken by asset id (graph.c);
 *  - cycles: iterative Tarjan strongly connected components, numbered
 *    dependencies first (the blast radius walks them in that order).
 */
#include <stdlib.h>
#include <string.h>

#include "graph-private.h"

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

static int propagate(struct hw_graph *g, int o, uint32_t *queue, uint32_t *dist)
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
					    hwp_graph_tie_better(
						g, ru, u, (uint32_t)raiser[w],
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

size_t hw_graph_raised_path(const struct hw_graph *g, uint32_t v,
			    enum hw_objective o, uint32_t *buf, size_t cap)
{
	return hwp_graph_walk_back(g->via[o], v, buf, cap);
}

/* ------------------------------------------------------------------ */
/* Counts                                                              */

void hw_graph_count_node(const struct hw_graph *g, uint32_t v,
			 struct hw_category_counts *c)
{
	const struct hw_sc *eff = &g->eff[v];
	int o;

	c->count[hw_sc_overall(eff)]++;
	c->partial += hw_sc_partial(eff);
	c->own_uncategorized += hw_sc_completeness(&g->own[v]) < 0;
	for (o = 0; o < HW_NOBJ; o++)
		if (g->raiser[o][v] >= 0) {
			c->raised++;
			break;
		}
}

void hw_graph_count_categories(const struct hw_graph *g,
			       struct hw_category_counts *c)
{
	uint32_t v;

	memset(c, 0, sizeof *c);
	for (v = 0; v < g->n; v++)
		hw_graph_count_node(g, v, c);
}

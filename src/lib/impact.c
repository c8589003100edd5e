/*
 * impact.c: the change impact of some targets: the breadth-first search
 * up (dependents), down (what they rely on) or both, with a shortest
 * path to each member; the summary the change advisory board reads
 * (levels touched, owners to notify, business services, the route), and
 * the words for the route and its thresholds in the settings, shared by
 * the impact command and the change workbook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph-private.h"

/* ------------------------------------------------------------------ */
/* The search                                                          */

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
				    hwp_graph_tie_better(g, root[u], u, root[w],
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
	root = hwp_alloc_big(n * sizeof *root);
	imp->members = hwp_alloc_big(n * sizeof *imp->members);
	imp->dist = hwp_alloc_big(n * sizeof *imp->dist);
	imp->parent = hwp_alloc_big(n * sizeof *imp->parent);
	imp->down = calloc(n, 1);
	if (!root || !imp->members || !imp->dist || !imp->parent || !imp->down)
		goto nomem;
	for (v = 0; v < g->n; v++) {
		imp->dist[v] = HW_NOT_MEMBER;
		imp->parent[v] = -1;
	}
	if (opts->direction != HW_DIR_BOTH) {
		search(g, targets, ntargets, opts, opts->direction == HW_DIR_UP,
		       imp->dist, imp->parent, root, imp->members, &imp->count);
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
	dist2 = hwp_alloc_big(n * sizeof *dist2);
	parent2 = hwp_alloc_big(n * sizeof *parent2);
	list2 = hwp_alloc_big(n * sizeof *list2);
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

void hw_impact_sort(const struct hw_graph *g, struct hw_impact *imp)
{
	hwp_graph_sort_nodes(g, imp->dist, imp->members, imp->count);
}

size_t hw_impact_path(const struct hw_impact *imp, uint32_t v, uint32_t *buf,
		      size_t cap)
{
	return hwp_graph_walk_back(imp->parent_down != NULL && imp->down[v]
				       ? imp->parent_down
				       : imp->parent,
				   v, buf, cap);
}

/* ------------------------------------------------------------------ */
/* The summary                                                         */

static const char *const route_names[] = {
    [HW_ROUTE_STANDARD] = "standard",
    [HW_ROUTE_CAB_REVIEW] = "cab-review",
    [HW_ROUTE_FULL_CAB] = "full-cab",
};

const char *hw_route_name(enum hw_route r)
{
	return (unsigned)r < sizeof route_names / sizeof route_names[0]
		   ? route_names[r]
		   : "standard";
}

/* The level setting name holds, or dflt when it is unset or empty. */
static int setting_level(struct hw_store *st, const char *name,
			 enum hw_level dflt, enum hw_level *out,
			 struct hw_error *err)
{
	struct hw_error e = {0};
	char *v = NULL;
	int rc = 0;

	*out = dflt;
	if (hw_store_setting_get(st, name, &v, &e) < 0)
		return e.code == HW_ENOTFOUND
			   ? 0
			   : (hw_error_set(err, e.code, "%s", e.text));
	if (v != NULL && *v != '\0' && hw_level_parse(v, 0, out, &e) < 0)
		rc = hw_error_set(err, HW_EINVAL, "setting %s: %s", name,
				  e.text);
	free(v);
	return rc;
}

int hw_route_thresholds(struct hw_store *st, enum hw_level *full_cab,
			enum hw_level *cab_review, struct hw_error *err)
{
	enum hw_level full, review;

	if (setting_level(st, "route.full_cab", HW_LEVEL_HIGH, &full, err) <
		0 ||
	    setting_level(st, "route.cab_review", HW_LEVEL_MODERATE, &review,
			  err) < 0)
		return -1;
	*full_cab = full;
	*cab_review = review;
	return 0;
}

/* The members one at a time: in node order when they are many (the
 * graph's arrays are then read in order, not at random: most of a
 * summary's time at a million), else as listed.  The summaries count,
 * or sort what they collect: the order they are met in is no matter. */
struct member_walk {
	const struct hw_impact *imp;
	size_t i, n;
	int dense;
};

static void walk_start(struct member_walk *w, const struct hw_graph *g,
		       const struct hw_impact *imp)
{
	w->imp = imp;
	w->i = 0;
	w->n = g->n;
	w->dense = imp->count > w->n / 4;
}

static int walk_next(struct member_walk *w, uint32_t *v)
{
	if (!w->dense) {
		if (w->i >= w->imp->count)
			return 0;
		*v = w->imp->members[w->i++];
		return 1;
	}
	while (w->i < w->n)
		if (w->imp->dist[w->i++] != HW_NOT_MEMBER) {
			*v = (uint32_t)(w->i - 1);
			return 1;
		}
	return 0;
}

static int owner_by_name(const void *a, const void *b)
{
	const struct hw_impact_owner *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The owners of the members, by name, and the members with none. */
static int summarize_owners(const struct hw_graph *g,
			    const struct hw_impact *imp,
			    struct hw_impact_summary *sum)
{
	size_t nown = g->nowners, i, n = 0;
	struct hw_impact_owner *all = calloc(nown + 1, sizeof *all);
	struct member_walk w;
	uint32_t v;

	if (all == NULL)
		return -1;
	walk_start(&w, g, imp);
	while (walk_next(&w, &v)) {
		int32_t o = g->owner[v];
		struct hw_impact_owner *r = o < 0 ? &sum->unowned : &all[o];

		r->count++;
		r->by[hw_sc_overall(&g->eff[v])]++;
	}
	for (i = 0; i < nown; i++) {
		if (all[i].count == 0)
			continue;
		all[i].index = (int)i;
		all[i].name = g->owners[i];
		all[n++] = all[i];
	}
	qsort(all, n, sizeof *all, owner_by_name);
	sum->unowned.index = -1;
	sum->owners = all;
	sum->nowners = n;
	return 0;
}

/* The business services among the members, by id. */
static int summarize_services(const struct hw_graph *g,
			      const struct hw_impact *imp,
			      struct hw_impact_summary *sum)
{
	int service = hwp_vocab_index(hw_asset_types, "business_service");
	struct member_walk w;
	uint32_t v;

	sum->services = malloc((imp->count + 1) * sizeof *sum->services);
	if (sum->services == NULL)
		return -1;
	walk_start(&w, g, imp);
	while (walk_next(&w, &v))
		if (g->type[v] == service)
			sum->services[sum->nservices++] = v;
	hw_graph_sort_by_id(g, sum->services, sum->nservices);
	return 0;
}

int hw_impact_summarize(const struct hw_graph *g, const struct hw_impact *imp,
			enum hw_level full_cab, enum hw_level cab_review,
			struct hw_impact_summary *sum, struct hw_error *err)
{
	struct member_walk w;
	uint32_t v;
	int o;

	memset(sum, 0, sizeof *sum);
	sum->full_cab = full_cab;
	sum->cab_review = cab_review;
	walk_start(&w, g, imp);
	while (walk_next(&w, &v)) {
		const struct hw_sc *e = &g->eff[v];
		enum hw_level overall = hw_sc_overall(e);

		hw_sc_max(&sum->highest, e);
		sum->count[overall]++;
		sum->partial += hw_sc_partial(e);
		if (g->on_cycle && g->on_cycle[v])
			sum->on_cycle++;
	}
	for (o = 0; o < HW_NOBJ; o++)
		sum->top = hw_level_max(sum->top, sum->highest.v[o]);
	if (sum->top >= full_cab)
		sum->route = HW_ROUTE_FULL_CAB;
	else if (sum->top >= cab_review || sum->count[HW_LEVEL_NONE] > 0 ||
		 sum->partial > 0)
		sum->route = HW_ROUTE_CAB_REVIEW;
	else
		sum->route = HW_ROUTE_STANDARD;
	if (summarize_owners(g, imp, sum) < 0 ||
	    summarize_services(g, imp, sum) < 0) {
		hw_impact_summary_release(sum);
		return hw_error_set(err, HW_ENOMEM,
				    "out of memory summarizing the impact");
	}
	return 0;
}

void hw_impact_summary_release(struct hw_impact_summary *sum)
{
	free(sum->owners);
	free(sum->services);
	sum->owners = NULL;
	sum->services = NULL;
	sum->nowners = sum->nservices = 0;
}

/* ------------------------------------------------------------------ */
/* The route in words                                                  */

const char *hw_impact_route_why(const struct hw_impact_summary *sum,
				enum hw_level cab_review)
{
	if (sum->route == HW_ROUTE_FULL_CAB)
		return "the change touches assets at or above the full-CAB "
		       "level";
	if (sum->route == HW_ROUTE_CAB_REVIEW)
		return sum->top >= cab_review ? "the change touches assets at "
						"or above the CAB-review level"
		       : sum->count[HW_LEVEL_NONE] > 0
			   ? "some touched assets have no level"
			   : "some touched assets are partly "
			     "categorized: their level is a "
			     "lower bound";
	return "only low-impact assets are touched";
}

const char *hw_impact_route_reason(const struct hw_graph *g,
				   const struct hw_impact *imp,
				   const struct hw_impact_summary *sum,
				   enum hw_level full_cab,
				   enum hw_level cab_review, char *buf,
				   size_t size)
{
	enum hw_level decided = sum->top;
	size_t i, n = 0, shown = 0, len;
	const char *level;
	int by_bound = 0; /* a lower bound, not a level, called for review */

	if (size == 0)
		return buf;
	if (sum->route == HW_ROUTE_CAB_REVIEW && sum->top < cab_review) {
		if (sum->count[HW_LEVEL_NONE] > 0)
			decided = HW_LEVEL_NONE;
		else
			by_bound = sum->partial > 0;
	}
	level = decided == HW_LEVEL_NONE ? "UNCATEGORIZED"
					 : hw_level_upper(decided);
	if (sum->route == HW_ROUTE_FULL_CAB)
		snprintf(buf, size,
			 "%s decided it: the highest level touched reaches "
			 "the full-CAB threshold (route.full_cab %s)",
			 level, hw_level_upper(full_cab));
	else if (by_bound)
		snprintf(buf, size,
			 "a lower bound decided it: %zu touched asset%s partly "
			 "categorized (at least %s, some objectives unknown), "
			 "which calls for a CAB review (route.cab_review %s)",
			 sum->partial, sum->partial == 1 ? " is" : "s are",
			 level, hw_level_upper(cab_review));
	else if (decided == HW_LEVEL_NONE)
		snprintf(buf, size,
			 "UNCATEGORIZED decided it: %zu touched asset%s no "
			 "level, which calls for a CAB review (the highest "
			 "known level, %s, is below route.cab_review %s)",
			 sum->count[HW_LEVEL_NONE],
			 sum->count[HW_LEVEL_NONE] == 1 ? " has" : "s have",
			 sum->top == HW_LEVEL_NONE ? "none"
						   : hw_level_upper(sum->top),
			 hw_level_upper(cab_review));
	else if (sum->route == HW_ROUTE_CAB_REVIEW)
		snprintf(buf, size,
			 "%s decided it: the highest level touched reaches "
			 "the CAB-review threshold (route.cab_review %s), "
			 "below full CAB (route.full_cab %s)",
			 level, hw_level_upper(cab_review),
			 hw_level_upper(full_cab));
	else
		snprintf(buf, size,
			 "%s decided it: the highest level touched is below "
			 "the CAB-review threshold (route.cab_review %s)",
			 decided == HW_LEVEL_NONE ? "nothing" : level,
			 hw_level_upper(cab_review));
	for (i = 0; i < imp->count; i++) {
		uint32_t v = imp->members[i];

		if (by_bound
			? !hw_sc_partial(hw_graph_effective(g, v))
			: hw_sc_overall(hw_graph_effective(g, v)) != decided)
			continue;
		len = strlen(buf);
		if (shown < 3 && len + 1 < size) {
			snprintf(buf + len, size - len, "%s%s",
				 shown ? ", " : "; highest assets touched: ",
				 hw_graph_id(g, v));
			shown++;
		}
		n++;
	}
	len = strlen(buf);
	if (n > shown && len + 1 < size)
		snprintf(buf + len, size - len, " +%zu more", n - shown);
	return buf;
}

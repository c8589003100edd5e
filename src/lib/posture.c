/*
 * posture.c: a change's assessment: the impact set of its targets with
 * its summary, and the security-posture delta of its proposed edits,
 * computed on the graph as it would be after them (the edits applied in
 * a transaction that is rolled back) against the graph as it is.  The
 * JSON shape is posture.h's.
 *
 * Costs: two whole-graph loads, two categorizations and two risk
 * registers when the change proposes edits (one of each without), the
 * strongly connected components of both graphs (Tarjan, iterative) and
 * one pass over the nodes to compare them: linear in the inventory.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hw-private.h"
#include "posture.h"

/* Moved risk scores kept in the delta: the largest moves first. */
#define RISKS_MAX 500

static char catalogue[4096];

void hw_posture_set_catalogue(const char *csv_path)
{
	snprintf(catalogue, sizeof catalogue, "%s", csv_path ? csv_path : "");
}

/* ------------------------------------------------------------------ */
/* One side: a graph, its register by node, its components             */

struct side {
	struct hw_graph *g;
	struct hw_risk_entry *reg; /* rank order */
	uint32_t *entry;	   /* per node: index into reg */
	uint32_t *comp;		   /* per node: its strongly connected
				      component */
	uint32_t *csize;	   /* per component: its size */
	size_t ncomp;
	struct hw_baseline_pairs pairs;
};

static void side_release(struct side *s)
{
	hw_graph_free(s->g);
	free(s->reg);
	free(s->entry);
	free(s->comp);
	free(s->csize);
	memset(s, 0, sizeof *s);
}

/* Strongly connected components (Tarjan's, without recursion). */
static int components(struct side *s, struct hw_error *err)
{
	size_t n = hw_graph_size(s->g), sp = 0, cs = 0;
	uint32_t *index = malloc((n + 1) * sizeof *index);
	uint32_t *low = malloc((n + 1) * sizeof *low);
	uint32_t *stack = malloc((n + 1) * sizeof *stack);
	uint32_t *call = malloc((n + 1) * sizeof *call);
	uint32_t *next = malloc((n + 1) * sizeof *next);
	unsigned char *on = calloc(n + 1, 1);
	uint32_t counter = 0, root;
	int rc = -1;

	s->comp = malloc((n + 1) * sizeof *s->comp);
	s->csize = calloc(n + 1, sizeof *s->csize);
	if (!index || !low || !stack || !call || !next || !on || !s->comp ||
	    !s->csize) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	memset(index, 0xff, (n + 1) * sizeof *index);
	for (root = 0; root < n; root++) {
		if (index[root] != UINT32_MAX)
			continue;
		call[cs++] = root;
		index[root] = low[root] = counter++;
		next[root] = 0;
		stack[sp++] = root;
		on[root] = 1;
		while (cs > 0) {
			uint32_t v = call[cs - 1], w;
			const uint32_t *adj;
			const uint8_t *attr;
			size_t deg = hw_graph_out(s->g, v, &adj, &attr);

			if (next[v] < deg) {
				w = adj[next[v]++];
				if (index[w] == UINT32_MAX) {
					index[w] = low[w] = counter++;
					next[w] = 0;
					stack[sp++] = w;
					on[w] = 1;
					call[cs++] = w;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			cs--;
			if (cs > 0 && low[v] < low[call[cs - 1]])
				low[call[cs - 1]] = low[v];
			if (low[v] != index[v])
				continue;
			do {
				w = stack[--sp];
				on[w] = 0;
				s->comp[w] = (uint32_t)s->ncomp;
				s->csize[s->ncomp]++;
			} while (w != v);
			s->ncomp++;
		}
	}
	rc = 0;
out:
	free(index);
	free(low);
	free(stack);
	free(call);
	free(next);
	free(on);
	return rc;
}

/* Load the whole graph as the store holds it now (inside or outside a
 * transaction), categorize it, score it and find its components. */
static int side_load(struct hw_store *st, const struct hw_weights *w,
		     int32_t today, struct side *s, struct hw_error *err)
{
	size_t n, i;

	memset(s, 0, sizeof *s);
	s->g = hw_graph_load(st, err);
	if (s->g == NULL || hw_graph_categorize(s->g, err) < 0)
		return -1;
	s->reg = hw_risk_register(st, s->g, w, today, err);
	if (s->reg == NULL)
		return -1;
	n = hw_graph_size(s->g);
	s->entry = malloc((n + 1) * sizeof *s->entry);
	if (s->entry == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const struct hw_risk_entry *e = &s->reg[i];

		s->entry[e->node] = (uint32_t)i;
		s->pairs.n[hw_factors_baseline(&e->in.factors)]
			  [e->risk.required]++;
	}
	return components(s, err);
}

/* ------------------------------------------------------------------ */
/* JSON helpers                                                        */

static json_t *level_json(enum hw_level l)
{
	return l == HW_LEVEL_NONE ? json_null() : json_string(hw_level_name(l));
}

static json_t *sc_json(const struct hw_sc *sc)
{
	return json_pack("{s:o, s:o, s:o}", "c", level_json(sc->v[HW_C]), "i",
			 level_json(sc->v[HW_I]), "a",
			 level_json(sc->v[HW_A]));
}

/* Append o to array a; 1 when either is NULL or it fails. */
static int push(json_t *a, json_t *o)
{
	if (a == NULL || o == NULL) {
		json_decref(o);
		return 1;
	}
	return json_array_append_new(a, o) != 0;
}

/* ------------------------------------------------------------------ */
/* The impact set and its summary                                      */

static json_t *summary_json(const struct hw_graph *g,
			    const struct hw_impact *imp,
			    const struct hw_impact_summary *sum)
{
	json_t *owners = json_array(), *services = json_array(), *o;
	size_t i;
	int rc = 0;

	for (i = 0; i < sum->nowners; i++)
		rc |= push(owners,
			   json_pack("{s:s?, s:I}", "name", sum->owners[i].name,
				     "count",
				     (json_int_t)sum->owners[i].count));
	for (i = 0; i < sum->nservices; i++)
		rc |= push(services,
			   json_string(hw_graph_id(g, sum->services[i])));
	if (rc != 0) {
		json_decref(owners);
		json_decref(services);
		return NULL;
	}
	o = json_pack(
	    "{s:s, s:s?, s:s?, s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:I, s:I, "
	    "s:o, s:I, s:o, s:I}",
	    "route", hw_route_name(sum->route), "full_cab",
	    hw_level_name(sum->full_cab), "cab_review",
	    hw_level_name(sum->cab_review), "highest", sc_json(&sum->highest),
	    "top", level_json(sum->top), "count", "high",
	    (json_int_t)sum->count[HW_LEVEL_HIGH], "moderate",
	    (json_int_t)sum->count[HW_LEVEL_MODERATE], "low",
	    (json_int_t)sum->count[HW_LEVEL_LOW], "none",
	    (json_int_t)sum->count[HW_LEVEL_NONE], "partial",
	    (json_int_t)sum->partial, "on_cycle", (json_int_t)sum->on_cycle,
	    "owners", owners, "unowned", (json_int_t)sum->unowned.count,
	    "services", services, "members", (json_int_t)imp->count);
	return o;
}

/* Members grouped by distance: [[dist, [ids]], ...], imp sorted. */
static json_t *members_json(const struct hw_graph *g,
			    const struct hw_impact *imp)
{
	json_t *out = json_array(), *ids = NULL;
	uint32_t dist = HW_NOT_MEMBER;
	size_t i;
	int rc = out == NULL;

	for (i = 0; i < imp->count && rc == 0; i++) {
		uint32_t v = imp->members[i];

		if (imp->dist[v] != dist) {
			dist = imp->dist[v];
			ids = json_array();
			rc |= push(out, json_pack("[I, o]", (json_int_t)dist,
						  ids ? json_incref(ids)
						      : NULL));
			json_decref(ids);
		}
		rc |= push(ids, json_string(hw_graph_id(g, v)));
	}
	if (rc != 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* The impact of c's targets on g: imp sorted and summarized into sum
 * (released by the caller, also after a failure). */
static int impact_on(const struct hw_change *c, const struct hw_graph *g,
		     enum hw_level full, enum hw_level review,
		     struct hw_impact **imp, struct hw_impact_summary *sum,
		     struct hw_error *err)
{
	struct hw_impact_opts opts = {-1, 0, HW_DIR_UP};
	uint32_t *targets;
	size_t i;

	targets = malloc((c->ntargets + 1) * sizeof *targets);
	if (targets == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < c->ntargets; i++) {
		long v = hw_graph_find((struct hw_graph *)g, c->targets[i]);

		if (v < 0) {
			free(targets);
			return hw_error_set(err, HW_ENOTFOUND,
					    "unknown asset '%s'",
					    c->targets[i]);
		}
		targets[i] = (uint32_t)v;
	}
	*imp = hw_graph_impact(g, targets, c->ntargets, &opts, err);
	free(targets);
	if (*imp == NULL)
		return -1;
	hw_impact_sort(g, *imp);
	return hw_impact_summarize(g, *imp, full, review, sum, err);
}

static int has_targets(const struct hw_change *c, struct hw_graph *g)
{
	size_t i;

	for (i = 0; i < c->ntargets; i++)
		if (hw_graph_find(g, c->targets[i]) < 0)
			return 0;
	return 1;
}

/* The impact of c's targets, "summary" and "members" into doc: on the
 * graph as it is (s), or, for targets the change adds, as it would be
 * (t).  With edits, the route is the higher of the routes before and
 * after them ("route_before", "route_after"): an edit that raises the
 * targets' levels raises the route. */
static int impact_json(const struct hw_change *c, const struct side *s,
		       const struct side *t, enum hw_level full,
		       enum hw_level review, json_t *doc, struct hw_error *err)
{
	const struct hw_graph *g = s->g;
	struct hw_impact_summary sum = {0}, sum2 = {0};
	struct hw_impact *imp = NULL, *imp2 = NULL;
	json_t *sj = NULL;
	int rc = -1;

	if (!has_targets(c, s->g) && t->g != NULL)
		g = t->g;
	if (impact_on(c, g, full, review, &imp, &sum, err) < 0)
		goto out;
	if (t->g != NULL && g != t->g &&
	    impact_on(c, t->g, full, review, &imp2, &sum2, err) < 0)
		goto out;
	sj = summary_json(g, imp, &sum);
	if (sj != NULL && imp2 != NULL &&
	    (json_object_set_new(sj, "route_before",
				 json_string(hw_route_name(sum.route))) ||
	     json_object_set_new(sj, "route_after",
				 json_string(hw_route_name(sum2.route))) ||
	     (sum2.route > sum.route &&
	      json_object_set_new(sj, "route",
				  json_string(hw_route_name(sum2.route)))))) {
		json_decref(sj);
		sj = NULL;
	}
	if (sj == NULL || json_object_set_new(doc, "summary", sj) ||
	    json_object_set_new(doc, "members", members_json(g, imp))) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	rc = 0;
out:
	hw_impact_summary_release(&sum);
	hw_impact_summary_release(&sum2);
	hw_impact_free(imp);
	hw_impact_free(imp2);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The delta                                                           */

struct moved {
	uint32_t v1;	    /* node after */
	long v0;	    /* node before, -1 if new */
	double old, new_;   /* scores */
	long old_rank, new_rank;
};

static int by_move(const void *pa, const void *pb)
{
	const struct moved *a = pa, *b = pb;
	double da = a->new_ - a->old, db = b->new_ - b->old;

	if (da < 0)
		da = -da;
	if (db < 0)
		db = -db;
	if (da != db)
		return da < db ? 1 : -1;
	return a->new_rank < b->new_rank ? -1 : a->new_rank > b->new_rank;
}

static long tenths(double score)
{
	return (long)(score * 10 + 0.5);
}

static int baseline_json_name(int l, json_t **out)
{
	*out = l > 0 ? json_string(hw_level_name((enum hw_level)l))
		     : json_null();
	return *out == NULL;
}

/* Levels and baselines of every asset, before (s) and after (t). */
static int levels_delta(const struct side *s, const struct side *t,
			const long *before, json_t *levels, json_t *baselines)
{
	size_t n = hw_graph_size(t->g);
	uint32_t *order = malloc((n + 1) * sizeof *order);
	size_t i;
	int rc = order == NULL;

	for (i = 0; i < n && order; i++)
		order[i] = (uint32_t)i;
	if (order)
		hw_graph_sort_by_id(t->g, order, n);
	for (i = 0; i < n && rc == 0; i++) {
		uint32_t v = order[i];
		long u = before[v];
		const struct hw_sc *e1 = hw_graph_effective(t->g, v);
		struct hw_sc none = {{HW_LEVEL_NONE}};
		const struct hw_sc *e0 =
		    u >= 0 ? hw_graph_effective(s->g, (uint32_t)u) : &none;
		int r0 = u >= 0 ? s->reg[s->entry[u]].risk.required : 0;
		int r1 = t->reg[t->entry[v]].risk.required;
		const char *id = hw_graph_id(t->g, v);
		json_t *a, *b;
		int o;

		for (o = 0; o < HW_NOBJ; o++)
			if (u < 0 ? e1->v[o] != HW_LEVEL_NONE
				  : e1->v[o] != e0->v[o])
				rc |= push(levels,
					   json_pack("{s:s, s:s, s:o, s:o}",
						     "asset", id, "objective",
						     hw_objective_name(o),
						     "old", level_json(e0->v[o]),
						     "new",
						     level_json(e1->v[o])));
		if (r0 == r1 && u >= 0)
			continue;
		if (u < 0 && r1 == 0)
			continue;
		rc |= baseline_json_name(r0, &a);
		rc |= baseline_json_name(r1, &b);
		rc |= push(baselines, json_pack("{s:s, s:o?, s:o?}", "asset",
						id, "old", a, "new", b));
	}
	free(order);
	return rc;
}

/* Control gaps by family, after minus before. */
static int gaps_delta(const struct side *s, const struct side *t,
		      const struct hw_baselines *b, json_t *gaps)
{
	struct hw_family_gap f0[HW_FAMILIES_MAX], f1[HW_FAMILIES_MAX];
	size_t n0 = hw_baselines_families(b, &s->pairs, f0);
	size_t n1 = hw_baselines_families(b, &t->pairs, f1), i;
	json_t *fam = json_array();
	long long total = 0;
	int rc = fam == NULL;

	for (i = 0; i < n1 && i < n0 && rc == 0; i++) {
		long long d = (long long)f1[i].controls -
			      (long long)f0[i].controls;

		if (d == 0)
			continue;
		total += d;
		rc |= push(fam, json_pack("{s:s, s:s, s:I}", "family",
					  f1[i].family, "first", f1[i].first,
					  "controls", (json_int_t)d));
	}
	if (rc != 0) {
		json_decref(fam);
		return rc;
	}
	/* set_new takes fam even when it fails. */
	if (json_object_set_new(gaps, "families", fam) ||
	    json_object_set_new(gaps, "controls", json_integer(total)))
		return 1;
	return 0;
}

static int risks_delta(const struct side *s, const struct side *t,
		       const long *before, json_t *risks, size_t *total,
		       struct hw_error *err)
{
	size_t n = hw_graph_size(t->g), i, k = 0;
	struct moved *m = malloc((n + 1) * sizeof *m);
	int rc = 0;

	if (m == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const struct hw_risk_entry *e1 = &t->reg[t->entry[i]];
		long u = before[i];
		const struct hw_risk_entry *e0 =
		    u >= 0 ? &s->reg[s->entry[u]] : NULL;

		if (e0 != NULL &&
		    tenths(e0->risk.score) == tenths(e1->risk.score))
			continue;
		m[k].v1 = (uint32_t)i;
		m[k].v0 = u;
		m[k].old = e0 ? e0->risk.score : 0;
		m[k].new_ = e1->risk.score;
		m[k].old_rank = e0 ? e0->rank : 0;
		m[k].new_rank = e1->rank;
		k++;
	}
	qsort(m, k, sizeof *m, by_move);
	*total = k;
	for (i = 0; i < k && i < RISKS_MAX && rc == 0; i++)
		rc |= push(risks,
			   json_pack("{s:s, s:o, s:f, s:o, s:I}", "asset",
				     hw_graph_id(t->g, m[i].v1), "old_score",
				     m[i].v0 >= 0
					 ? json_real(tenths(m[i].old) / 10.0)
					 : json_null(),
				     "new_score", tenths(m[i].new_) / 10.0,
				     "old_rank",
				     m[i].v0 >= 0 ? json_integer(m[i].old_rank)
						  : json_null(),
				     "new_rank", (json_int_t)m[i].new_rank));
	free(m);
	if (rc != 0)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* Components of t with two nodes or more not held in one component of
 * s: cycles the edits make.  Each as its member ids, sorted. */
static int cycles_delta(const struct side *s, const struct side *t,
			const long *before, json_t *cycles,
			struct hw_error *err)
{
	size_t n = hw_graph_size(t->g), i, j;
	/* Per component of t: the component of s its first member had,
	 * or UINT32_MAX - 1 once two members disagree (new). */
	uint32_t *was = malloc((t->ncomp + 1) * sizeof *was);
	uint32_t *order = malloc((n + 1) * sizeof *order);
	json_t **lists = calloc(t->ncomp + 1, sizeof *lists);
	int rc = 0;

	if (!was || !order || !lists) {
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	memset(was, 0xff, (t->ncomp + 1) * sizeof *was);
	for (i = 0; i < n; i++) {
		uint32_t c = t->comp[i];
		long u = before[i];
		uint32_t c0 = u >= 0 && s->csize[s->comp[u]] > 1
				  ? s->comp[u]
				  : UINT32_MAX - 1;

		if (t->csize[c] < 2)
			continue;
		if (was[c] == UINT32_MAX)
			was[c] = c0;
		else if (was[c] != c0)
			was[c] = UINT32_MAX - 1;
	}
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	hw_graph_sort_by_id(t->g, order, n);
	/* Lists in the order of their first member's id. */
	for (i = 0; i < n && rc == 0; i++) {
		uint32_t v = order[i], c = t->comp[v];

		if (t->csize[c] < 2 || was[c] != UINT32_MAX - 1)
			continue;
		if (lists[c] == NULL) {
			lists[c] = json_array();
			if (push(cycles, json_incref(lists[c])))
				rc = hw_error_set(err, HW_ENOMEM,
						  "out of memory");
		}
		if (rc == 0 &&
		    push(lists[c], json_string(hw_graph_id(t->g, v))))
			rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	}
out:
	if (lists != NULL)
		for (j = 0; j < t->ncomp; j++)
			json_decref(lists[j]);
	free(lists);
	free(was);
	free(order);
	return rc;
}

static json_t *empty_delta(void)
{
	return json_pack("{s:[], s:[], s:{s:i, s:[]}, s:[], s:I, s:[]}",
			 "levels", "baselines", "gaps", "controls", 0,
			 "families", "risks", "risks_moved", (json_int_t)0,
			 "cycles");
}

static json_t *delta_json(const struct side *s, const struct side *t,
			  const struct hw_baselines *b, struct hw_error *err)
{
	json_t *d = empty_delta();
	size_t n = hw_graph_size(t->g), i, moved = 0;
	long *before = malloc((n + 1) * sizeof *before);
	int rc = d == NULL || before == NULL;

	if (rc) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		before[i] = hw_graph_find(s->g, hw_graph_id(t->g, (uint32_t)i));
	rc = levels_delta(s, t, before, json_object_get(d, "levels"),
			  json_object_get(d, "baselines")) ||
	     gaps_delta(s, t, b, json_object_get(d, "gaps"));
	if (rc) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	rc = risks_delta(s, t, before, json_object_get(d, "risks"), &moved,
			 err) < 0 ||
	     cycles_delta(s, t, before, json_object_get(d, "cycles"), err) <
		 0 ||
	     json_object_set_new(d, "risks_moved", json_integer((json_int_t)moved));
out:
	free(before);
	if (rc) {
		if (err && err->code == HW_OK)
			hw_error_set(err, HW_ENOMEM, "out of memory");
		json_decref(d);
		return NULL;
	}
	return d;
}

/* ------------------------------------------------------------------ */
/* The assessment                                                      */

int hw_change_assess_compute(struct hw_store *st, const struct hw_change *c,
			     hw_time at, json_t **out, struct hw_error *err)
{
	struct hw_baselines bl = {0};
	struct hw_weights w;
	struct side s = {0}, t = {0};
	enum hw_level full, review;
	char when[HW_TIME_TEXT];
	json_t *doc = NULL, *delta = NULL;
	int32_t today = (int32_t)hw_time_day(at);
	int rc = -1, open = 0;

	if (catalogue[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "no SP 800-53B catalogue to count control "
				    "gaps with (hw_posture_set_catalogue)");
	if (hw_route_thresholds(st, &full, &review, err) < 0 ||
	    hw_store_weights(st, &w, err) < 0 ||
	    hw_baselines_load(&bl, catalogue, err) < 0)
		goto out;
	if (side_load(st, &w, today, &s, err) < 0)
		goto out;
	if (c->nedits > 0) {
		if (hw_store_begin(st, err) < 0)
			goto out;
		open = 1;
		if (hw_change_apply(st, c, NULL, err) < 0 ||
		    side_load(st, &w, today, &t, err) < 0)
			goto out;
		hw_store_rollback(st);
		open = 0;
		delta = delta_json(&s, &t, &bl, err);
	} else {
		delta = empty_delta();
		if (delta == NULL)
			hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (delta == NULL)
		goto out;
	doc = json_pack("{s:s, s:o}", "at", hw_time_format(at, when), "delta",
			delta);
	if (doc == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (impact_json(c, &s, &t, full, review, doc, err) < 0)
		goto out;
	*out = doc;
	doc = NULL;
	rc = 0;
out:
	if (open)
		hw_store_rollback(st);
	json_decref(doc);
	side_release(&s);
	side_release(&t);
	hw_baselines_release(&bl);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Comparing two deltas                                                */

static int describe(const char *path, const json_t *a, const json_t *b,
		    char *buf, size_t size)
{
	char *ta = a ? json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS |
					 JSON_ENCODE_ANY)
		     : NULL;
	char *tb = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS |
					 JSON_ENCODE_ANY)
		     : NULL;

	snprintf(buf, size, "%s: assessed %.80s%s, now %.80s%s", path,
		 ta ? ta : "(none)", ta && strlen(ta) > 80 ? "..." : "",
		 tb ? tb : "(none)", tb && strlen(tb) > 80 ? "..." : "");
	free(ta);
	free(tb);
	return 1;
}

/* The first difference under path, depth first in key order. */
static int differs(const char *path, const json_t *a, const json_t *b,
		   char *buf, size_t size)
{
	char sub[256];

	if (a == NULL || b == NULL || json_typeof(a) != json_typeof(b))
		return describe(path, a, b, buf, size);
	if (json_is_array(a)) {
		size_t i, na = json_array_size(a), nb = json_array_size(b);

		for (i = 0; i < na && i < nb; i++) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (differs(sub, json_array_get(a, i),
				    json_array_get(b, i), buf, size))
				return 1;
		}
		if (na == nb)
			return 0;
		snprintf(sub, sizeof sub, "%s[%zu]", path, na < nb ? na : nb);
		return describe(sub, json_array_get(a, na < nb ? na : nb),
				json_array_get(b, na < nb ? na : nb), buf,
				size);
	}
	if (json_is_object(a)) {
		const char *key;
		const json_t *v;

		json_object_foreach((json_t *)a, key, v) {
			snprintf(sub, sizeof sub, "%s.%s", path, key);
			if (differs(sub, v, json_object_get(b, key), buf,
				    size))
				return 1;
		}
		json_object_foreach((json_t *)b, key, v) {
			if (json_object_get(a, key) != NULL)
				continue;
			snprintf(sub, sizeof sub, "%s.%s", path, key);
			return describe(sub, NULL, v, buf, size);
		}
		return 0;
	}
	return json_equal((json_t *)a, (json_t *)b)
		   ? 0
		   : describe(path, a, b, buf, size);
}

int hw_assessment_delta_differs(const json_t *stored, const json_t *fresh,
				char *buf, size_t size)
{
	if (size > 0)
		buf[0] = '\0';
	return differs("delta", json_object_get(stored, "delta"),
		       json_object_get(fresh, "delta"), buf, size);
}

/*
 * answer-analysis.c: the analyses as both faces answer them: categorize,
 * impact, risk, plan and check, each computed into a struct the CLI's
 * text also reads, then written as the JSON document of the CLI's --json
 * and the service's answer, element by element where it grows with the
 * inventory.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answer.h"
#include "highwater.h"

/* {"as_of": DAY, "assets": [ for risk and plan: the caller writes the
 * rows, closes the array, adds its other members in key order and
 * closes the object. */
static void assets_begin(struct hw_jstream *js, int32_t today)
{
	char day[11];

	hw_jstream_object(js, NULL);
	hw_jstream_put(js, "as_of", json_string(hw_date_format(today, day)));
	hw_jstream_array(js, "assets");
}

/* The graph an analysis reads: a new holder of warm, or else the whole
 * graph loaded now (hw_graph_free either). */
static struct hw_graph *graph_of(struct hw_store *st, struct hw_graph *warm,
				 struct hw_error *err)
{
	return warm != NULL ? hw_graph_ref(warm) : hw_graph_load(st, err);
}

/* ... or, without warm, only ids and what depends on them (the upward
 * closure, past HW_CLOSURE_LIMIT the whole graph): what their upward
 * impact and effective levels need, which the whole graph gives alike. */
static struct hw_graph *graph_up(struct hw_store *st, struct hw_graph *warm,
				 const char *const *ids, size_t nids,
				 struct hw_error *err)
{
	return warm != NULL
		   ? hw_graph_ref(warm)
		   : hw_graph_load_up(st, ids, nids, HW_CLOSURE_LIMIT, err);
}

/* ------------------------------------------------------------------ */
/* categorize                                                          */

void hw_categorized_release(struct hw_categorized *r)
{
	free(r->order);
	hw_graph_free(r->g);
	memset(r, 0, sizeof *r);
}

int hw_categorize_compute(struct hw_store *st, struct hw_graph *warm,
			  const struct hw_categorize_opts *o,
			  struct hw_categorized *r, struct hw_error *err)
{
	size_t n, i, k;

	memset(r, 0, sizeof *r);
	r->summary = o->summary;
	r->g = o->nassets > 0 ? graph_up(st, warm, o->assets, o->nassets, err)
			      : graph_of(st, warm, err);
	if (r->g == NULL || hw_graph_categorize(r->g, err) < 0)
		return -1;
	n = hw_graph_size(r->g);
	r->order = malloc(((o->nassets > 0 ? o->nassets : n) + 1) *
			  sizeof *r->order);
	if (r->order == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (o->nassets > 0) {
		for (i = 0; i < o->nassets; i++) {
			long v = hw_graph_find(r->g, o->assets[i]);

			/* A closure load refuses an unknown asset; the
			 * warm graph is searched. */
			if (v < 0)
				return hw_error_set(err, HW_ENOTFOUND,
						    "unknown asset '%.64s'",
						    o->assets[i]);
			r->order[i] = (uint32_t)v;
		}
		hw_graph_sort_by_id(r->g, r->order, o->nassets);
		for (i = k = 0; i < o->nassets; i++)
			if (k == 0 || r->order[i] != r->order[k - 1])
				r->order[k++] = r->order[i];
		for (i = 0; i < k; i++)
			hw_graph_count_node(r->g, r->order[i], &r->counts);
		r->n = o->summary ? 0 : k;
		return 0;
	}
	/* The counts alone need no order. */
	hw_graph_count_categories(r->g, &r->counts);
	if (o->summary)
		return 0;
	for (i = 0; i < n; i++)
		r->order[i] = (uint32_t)i;
	hw_graph_sort_by_id(r->g, r->order, n);
	r->n = n;
	return 0;
}

static json_t *counts_json(const struct hw_category_counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "low",
			 (json_int_t)c->count[HW_LEVEL_LOW], "moderate",
			 (json_int_t)c->count[HW_LEVEL_MODERATE], "high",
			 (json_int_t)c->count[HW_LEVEL_HIGH], "uncategorized",
			 (json_int_t)c->count[HW_LEVEL_NONE],
			 "partly_categorized", (json_int_t)c->partial,
			 "own_uncategorized", (json_int_t)c->own_uncategorized,
			 "raised", (json_int_t)c->raised);
}

int hw_answer_categorize(struct hw_jstream *js, const struct hw_categorized *r)
{
	size_t i;

	hw_jstream_object(js, NULL);
	if (!r->summary) {
		/* After a failure every call returns at once: stop. */
		if (hw_jstream_array(js, "assets") == 0)
			for (i = 0; i < r->n; i++)
				if (hw_jstream_put(js, NULL,
						   hw_json_categorization(
						       r->g, r->order[i])) < 0)
					break;
		hw_jstream_close(js);
	}
	hw_jstream_put(js, "summary", counts_json(&r->counts));
	return hw_jstream_close(js);
}

/* ------------------------------------------------------------------ */
/* impact                                                              */

void hw_impacted_release(struct hw_impacted *r)
{
	hw_impact_summary_release(&r->sum);
	hw_impact_free(r->imp);
	hw_graph_free(r->g);
	memset(r, 0, sizeof *r);
}

int hw_impact_compute(struct hw_store *st, struct hw_graph *warm,
		      const struct hw_impact_query *q, struct hw_impacted *r,
		      struct hw_error *err)
{
	uint32_t *targets;
	size_t i;

	memset(r, 0, sizeof *r);
	if (q->ntargets == 0)
		return hw_error_set(err, HW_EINVAL,
				    "no target (expected at least one asset)");
	r->g = q->o.direction == HW_DIR_UP
		   ? graph_up(st, warm, q->targets, q->ntargets, err)
		   : graph_of(st, warm, err);
	if (r->g == NULL || hw_graph_categorize(r->g, err) < 0)
		return -1;
	targets = malloc(q->ntargets * sizeof *targets);
	if (targets == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < q->ntargets; i++) {
		long v = hw_graph_find(r->g, q->targets[i]);

		if (v < 0) {
			free(targets);
			return hw_error_set(err, HW_ENOTFOUND,
					    "unknown asset '%.64s'",
					    q->targets[i]);
		}
		targets[i] = (uint32_t)v;
	}
	r->imp = hw_graph_impact(r->g, targets, q->ntargets, &q->o, err);
	free(targets);
	if (r->imp == NULL)
		return -1;
	/* Listed members are in distance, then id order; the summary
	 * alone needs no order. */
	if (!q->summary || q->sort)
		hw_impact_sort(r->g, r->imp);
	return hw_impact_summarize(r->g, r->imp, q->full_cab, q->cab_review,
				   &r->sum, err);
}

static json_t *owners_json(const struct hw_impact_summary *sum)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sum->nowners; i++)
		json_array_append_new(a, json_string(sum->owners[i].name));
	return a;
}

static json_t *services_json(const struct hw_graph *g,
			     const struct hw_impact_summary *sum)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sum->nservices; i++)
		json_array_append_new(
		    a, json_string(hw_graph_id(g, sum->services[i])));
	return a;
}

/* One member, written as it is read off the graph: the keys in sorted
 * order, as jansson would print them.  path has room for the graph. */
static int member_stream(struct hw_jstream *js, const struct hw_graph *g,
			 const struct hw_impact *imp, uint32_t v,
			 uint32_t *path)
{
	const struct hw_sc *eff = hw_graph_effective(g, v);
	size_t len = hw_impact_path(imp, v, path, hw_graph_size(g)), i;

	hw_jstream_object(js, NULL);
	hw_jstream_baseline(js, eff);
	hw_jstream_int(js, "distance", imp->dist[v]);
	hw_jstream_sc(js, "effective", eff);
	hw_jstream_str(js, "id", hw_graph_id(g, v));
	hw_jstream_str(js, "name", hw_graph_name(g, v));
	hw_jstream_bool(js, "on_cycle", hw_graph_on_cycle(g, v));
	hw_jstream_overall(js, eff);
	hw_jstream_str(js, "owner", hw_graph_owner(g, v));
	hw_jstream_array(js, "path");
	for (i = 0; i < len; i++)
		hw_jstream_str(js, NULL, hw_graph_id(g, path[i]));
	hw_jstream_close(js);
	hw_jstream_str(js, "type", hw_graph_type(g, v));
	return hw_jstream_close(js);
}

static json_t *impact_summary_json(const struct hw_graph *g,
				   const struct hw_impact *imp,
				   const struct hw_impact_summary *sum)
{
	return json_pack(
	    "{s:I, s:o, s:{s:I, s:I, s:I, s:I}, s:I, s:o, s:o, s:I, s:s}",
	    "members", (json_int_t)imp->count, "highest",
	    hw_json_sc(&sum->highest), "counts", "low",
	    (json_int_t)sum->count[HW_LEVEL_LOW], "moderate",
	    (json_int_t)sum->count[HW_LEVEL_MODERATE], "high",
	    (json_int_t)sum->count[HW_LEVEL_HIGH], "uncategorized",
	    (json_int_t)sum->count[HW_LEVEL_NONE], "partly_categorized",
	    (json_int_t)sum->partial, "owners", owners_json(sum), "services",
	    services_json(g, sum), "on_cycle", (json_int_t)sum->on_cycle,
	    "route", hw_route_name(sum->route));
}

int hw_answer_impact(struct hw_jstream *js, const struct hw_impact_query *q,
		     const struct hw_impacted *r)
{
	uint32_t *path = NULL;
	size_t i;

	hw_jstream_object(js, NULL);
	hw_jstream_put(js, "depth",
		       q->o.depth < 0 ? json_null() : json_integer(q->o.depth));
	hw_jstream_put(js, "direction",
		       json_string(hw_direction_name(q->o.direction)));
	if (!q->summary) {
		path = malloc((hw_graph_size(r->g) + 1) * sizeof *path);
		/* After a failure every call returns at once: stop. */
		if (hw_jstream_array(js, "members") == 0)
			for (i = 0; i < r->imp->count; i++)
				if (path == NULL ||
				    member_stream(js, r->g, r->imp,
						  r->imp->members[i], path) < 0)
					break;
		/* No room for a path: the stream fails as out of
		 * memory, never a document short of members. */
		if (path == NULL)
			hw_jstream_put(js, NULL, NULL);
		hw_jstream_close(js);
		free(path);
	}
	hw_jstream_put(js, "summary",
		       impact_summary_json(r->g, r->imp, &r->sum));
	hw_jstream_array(js, "targets");
	for (i = 0; i < q->ntargets; i++)
		hw_jstream_str(js, NULL, q->targets[i]);
	hw_jstream_close(js);
	return hw_jstream_close(js);
}

/* ------------------------------------------------------------------ */
/* risk                                                                */

void hw_risk_view_release(struct hw_risk_view *v)
{
	free(v->row);
	free(v->reg);
	hw_graph_free(v->g);
	memset(v, 0, sizeof *v);
}

int hw_risk_view_compute(struct hw_store *st, struct hw_graph *warm,
			 const struct hw_risk_query *q, struct hw_risk_view *v,
			 struct hw_error *err)
{
	size_t i;

	memset(v, 0, sizeof *v);
	v->today = q->today;
	if (q->type != NULL && !hw_vocab_has(hw_asset_types, q->type))
		return hw_error_set(err, HW_EINVAL,
				    "unknown asset type \"%.40s\" (expected "
				    "%s)",
				    q->type, hw_vocab_text(hw_asset_types));
	if (hw_store_weights(st, &v->w, err) < 0 ||
	    (v->g = graph_of(st, warm, err)) == NULL ||
	    (v->reg = hw_risk_register(st, v->g, &v->w, v->today, err)) == NULL)
		return -1;
	v->n = hw_graph_size(v->g);
	v->row = malloc((v->n + 1) * sizeof *v->row);
	if (v->row == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < v->n && (q->top < 0 || (long)v->shown < q->top); i++) {
		const struct hw_risk_entry *e = &v->reg[i];
		const char *o = hw_graph_owner(v->g, e->node);

		if ((q->type &&
		     strcmp(hw_graph_type(v->g, e->node), q->type)) ||
		    (q->owner && (!o || strcmp(o, q->owner))))
			continue;
		v->row[v->shown++] = e;
	}
	return 0;
}

/* One term's raw value, as member "value". */
static void term_value(struct hw_jstream *js, const struct hw_risk_entry *e,
		       int t)
{
	const struct hw_factors *f = &e->in.factors;
	char buf[32];

	switch (t) {
	case HW_T_INTERNET:
		hw_jstream_bool(js, "value", e->in.internet_facing);
		return;
	case HW_T_CVSS:
		if (f->known & HW_F_BIT(HW_F_WORST_CVSS))
			hw_jstream_real(js, "value", f->worst_cvss);
		else
			hw_jstream_null(js, "value");
		return;
	case HW_T_VULNS:
		if (f->known & HW_F_BIT(HW_F_VULNERABILITIES))
			hw_jstream_int(js, "value", f->vulnerabilities);
		else
			hw_jstream_null(js, "value");
		return;
	case HW_T_PATCH_AGE:
		if (f->known & HW_F_BIT(HW_F_LAST_PATCHED))
			hw_jstream_int(js, "value",
				       e->in.today - f->last_patched);
		else
			hw_jstream_null(js, "value");
		return;
	case HW_T_EOL:
		hw_jstream_str(js, "value",
			       f->known & HW_F_BIT(HW_F_END_OF_LIFE)
				   ? hw_factor_text(f, HW_F_END_OF_LIFE, buf)
				   : NULL);
		return;
	case HW_T_UNAUTHORIZED:
		hw_jstream_bool(js, "value",
				(f->known & HW_F_BIT(HW_F_AUTHORIZED)) &&
				    !f->authorized);
		return;
	case HW_T_BASELINE_GAP:
		if (f->known & HW_F_BIT(HW_F_BASELINE))
			hw_jstream_int(js, "value", e->risk.gap_steps);
		else
			hw_jstream_null(js, "value");
		return;
	case HW_T_FRAGILITY:
		if (f->known & HW_F_BIT(HW_F_FRAGILITY))
			hw_jstream_real(js, "value", f->fragility);
		else
			hw_jstream_null(js, "value");
		return;
	default:
		hw_jstream_null(js, "value");
		return;
	}
}

/* The fragility term's members in key order: with data, its inputs
 * beside the contribution and the value (mttr_hours null when nothing
 * was repaired; changes below fragility.min_changes are counted but
 * give no rate). */
static void fragility_stream(struct hw_jstream *js,
			     const struct hw_risk_entry *e)
{
	const struct hw_fragility *fr = &e->in.frag;
	int known = (e->in.factors.known & HW_F_BIT(HW_F_FRAGILITY)) != 0;

	if (known)
		hw_jstream_int(js, "changes", fr->changes);
	hw_jstream_real(js, "contribution", e->risk.term[HW_T_FRAGILITY]);
	if (known) {
		hw_jstream_int(js, "failed", fr->failed);
		hw_jstream_int(js, "incidents", fr->incidents);
		if (fr->repaired > 0)
			hw_jstream_real(js, "mttr_hours", fr->repair_hours);
		else
			hw_jstream_null(js, "mttr_hours");
		hw_jstream_int(js, "repaired", fr->repaired);
	}
	term_value(js, e, HW_T_FRAGILITY);
}

/* One row of the register, written as it is read: the keys in sorted
 * order, as jansson would print them; order[] the terms in key order. */
static int risk_row_stream(struct hw_jstream *js, const struct hw_graph *g,
			   const struct hw_risk_entry *e, const int *order)
{
	const struct hw_risk *r = &e->risk;
	const struct hw_sc *eff = &e->in.effective;
	int i;

	hw_jstream_object(js, NULL);
	hw_jstream_str(js, "band", hw_band_name(r->band));
	hw_jstream_baseline(js, eff);
	hw_jstream_real(js, "blast", r->blast);
	hw_jstream_int(js, "dependents", (long long)(e->in.dependents + 0.5));
	hw_jstream_bool(js, "dependents_estimated", e->estimated);
	hw_jstream_sc(js, "effective", eff);
	hw_jstream_object(js, "factors");
	for (i = 0; i < HW_T_COUNT; i++) {
		int t = order[i];

		hw_jstream_object(js, hw_term_name((enum hw_term)t));
		if (t == HW_T_FRAGILITY)
			fragility_stream(js, e);
		else {
			hw_jstream_real(js, "contribution", r->term[t]);
			term_value(js, e, t);
		}
		hw_jstream_close(js);
	}
	hw_jstream_close(js);
	hw_jstream_str(js, "id", hw_graph_id(g, e->node));
	hw_jstream_real(js, "impact", r->impact);
	hw_jstream_real(js, "likelihood", r->likelihood);
	hw_jstream_real(js, "multiplier", r->multiplier);
	hw_jstream_str(js, "name", hw_graph_name(g, e->node));
	hw_jstream_overall(js, eff);
	hw_jstream_str(js, "owner", hw_graph_owner(g, e->node));
	hw_jstream_int(js, "rank", e->rank);
	hw_jstream_put(js, "recorded", hw_json_factors(&e->in.factors));
	hw_jstream_real(js, "score", r->score);
	hw_jstream_str(js, "type", hw_graph_type(g, e->node));
	hw_jstream_real(js, "weighted_dependents", e->in.weighted);
	return hw_jstream_close(js);
}

/* Each row is made, written and released in turn. */
int hw_answer_risk(struct hw_jstream *js, const struct hw_risk_view *v)
{
	const char *names[HW_T_COUNT];
	int order[HW_T_COUNT], t;
	size_t i;

	for (t = 0; t < HW_T_COUNT; t++)
		names[t] = hw_term_name((enum hw_term)t);
	hw_sort_keys(order, names, HW_T_COUNT);
	assets_begin(js, v->today);
	for (i = 0; i < v->shown; i++)
		if (risk_row_stream(js, v->g, v->row[i], order) < 0)
			break;
	hw_jstream_close(js);
	hw_jstream_put(js, "count", json_integer((json_int_t)v->n));
	hw_jstream_put(js, "shown", json_integer((json_int_t)v->shown));
	return hw_jstream_close(js);
}

/* ------------------------------------------------------------------ */
/* plan                                                                */

void hw_plan_view_release(struct hw_plan_view *p)
{
	free(p->fragile);
	free(p->reg);
	hw_graph_free(p->g);
	hw_baselines_release(&p->b);
	memset(p, 0, sizeof *p);
}

int hw_plan_view_compute(struct hw_store *st, struct hw_graph *warm,
			 const struct hw_plan_query *q, struct hw_plan_view *p,
			 struct hw_error *err)
{
	memset(p, 0, sizeof *p);
	p->today = q->today;
	if (hw_baselines_load(&p->b, q->baselines_csv, err) < 0 ||
	    hw_store_weights(st, &p->w, err) < 0 ||
	    (p->g = graph_of(st, warm, err)) == NULL ||
	    (p->reg = hw_risk_register(st, p->g, &p->w, p->today, err)) == NULL)
		return -1;
	p->n = hw_graph_size(p->g);
	p->shown = q->top >= 0 && (size_t)q->top < p->n ? (size_t)q->top : p->n;
	hw_plan_summarize(p->reg, p->n, &p->b, &p->sum);
	if (hw_plan_fragile(&p->w, p->reg, p->n, &p->fragile, &p->nfragile) < 0)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* One asset's plan as JSON (a new object). */
static json_t *plan_asset_json(const struct hw_plan_view *p,
			       const struct hw_risk_entry *e)
{
	struct hw_action act[HW_ACT_COUNT];
	json_t *o = json_object(), *acts = json_array();
	int req = e->risk.required;
	size_t k, na;

	if (o == NULL || acts == NULL) {
		json_decref(o);
		json_decref(acts);
		return NULL;
	}
	na = hw_plan_actions(&p->w, &e->in, &e->risk,
			     hw_graph_own(p->g, e->node),
			     hw_graph_owner(p->g, e->node) != NULL, &p->b, act);
	json_object_set_new(o, "rank", json_integer(e->rank));
	json_object_set_new(o, "id", json_string(hw_graph_id(p->g, e->node)));
	json_object_set_new(o, "score", json_real(e->risk.score));
	json_object_set_new(o, "band", json_string(hw_band_name(e->risk.band)));
	json_object_set_new(
	    o, "required",
	    req ? json_string(hw_baseline_name((enum hw_level)req))
		: json_null());
	json_object_set_new(o, "required_exact",
			    json_boolean(e->risk.required_exact));
	hw_json_overall_put(o, &e->in.effective);
	json_object_set_new(
	    o, "implemented",
	    json_string(hw_factors_baseline_text(&e->in.factors)));
	json_object_set_new(
	    o, "control_gap",
	    req ? json_integer((json_int_t)hw_plan_control_gap(e, &p->b))
		: json_null());
	for (k = 0; k < na; k++)
		json_array_append_new(
		    acts,
		    json_pack("{sssfss}", "action", hw_action_name(act[k].kind),
			      "gain", act[k].gain, "reason", act[k].reason));
	json_object_set_new(o, "actions", acts);
	return o;
}

/* The summary as JSON (a new object). */
static json_t *plan_summary_json(const struct hw_plan_view *p)
{
	const struct hw_plan_summary *s = &p->sum;
	json_t *top10 = json_array(), *fam = json_array();
	json_t *stab = json_array();
	size_t i;

	for (i = 0; i < p->n && i < 10; i++)
		json_array_append_new(
		    top10,
		    json_pack("{sssf}", "id", hw_graph_id(p->g, p->reg[i].node),
			      "score", p->reg[i].risk.score));
	for (i = 0; i < s->nfamilies; i++)
		if (s->family[i].controls > 0)
			json_array_append_new(
			    fam, json_pack("{sssI}", "family",
					   s->family[i].family, "controls",
					   (json_int_t)s->family[i].controls));
	for (i = 0; i < p->nfragile; i++) {
		const struct hw_risk_entry *e = &p->reg[p->fragile[i]];
		const struct hw_factors *f = &e->in.factors;

		json_array_append_new(
		    stab,
		    json_pack("{sssfsosfsI}", "id", hw_graph_id(p->g, e->node),
			      "fragility", f->fragility, "downtime_cost",
			      f->known & HW_F_BIT(HW_F_DOWNTIME_COST)
				  ? json_real(f->downtime_cost)
				  : json_null(),
			      "score", e->risk.score, "rank",
			      (json_int_t)e->rank));
	}
	return json_pack("{s{sIsIsIsI}sIsososo}", "required", "high",
			 (json_int_t)s->required[HW_LEVEL_HIGH], "moderate",
			 (json_int_t)s->required[HW_LEVEL_MODERATE], "low",
			 (json_int_t)s->required[HW_LEVEL_LOW], "unknown",
			 (json_int_t)s->required[HW_LEVEL_NONE],
			 "partly_categorized", (json_int_t)s->bounds,
			 "gaps_by_family", fam, "top", top10, "stabilise",
			 stab);
}

/* Each asset's plan is made, written and released in turn. */
int hw_answer_plan(struct hw_jstream *js, const struct hw_plan_view *p)
{
	size_t i;

	assets_begin(js, p->today);
	for (i = 0; i < p->shown; i++)
		if (hw_jstream_put(js, NULL, plan_asset_json(p, &p->reg[i])) <
		    0)
			break;
	hw_jstream_close(js);
	hw_jstream_put(js, "summary", plan_summary_json(p));
	return hw_jstream_close(js);
}

/* ------------------------------------------------------------------ */
/* check                                                               */

void hw_check_view_release(struct hw_check_view *c)
{
	free(c->f);
	hw_graph_free(c->g);
	memset(c, 0, sizeof *c);
}

int hw_check_view_compute(struct hw_store *st, struct hw_graph *warm,
			  struct hw_check_view *c, struct hw_error *err)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->g = graph_of(st, warm, err);
	if (c->g == NULL || hw_check(st, c->g, &c->f, &c->n, err) < 0)
		return -1;
	for (i = 0; i < c->n; i++)
		c->count[c->f[i].severity]++;
	return 0;
}

/* The counts, then each finding in turn. */
int hw_answer_check(struct hw_jstream *js, const struct hw_check_view *c)
{
	size_t i;

	hw_jstream_object(js, NULL);
	hw_jstream_put(js, "counts",
		       json_pack("{sIsIsI}", "high",
				 (json_int_t)c->count[HW_SEV_HIGH], "moderate",
				 (json_int_t)c->count[HW_SEV_MODERATE], "low",
				 (json_int_t)c->count[HW_SEV_LOW]));
	hw_jstream_array(js, "findings");
	for (i = 0; i < c->n; i++)
		if (hw_jstream_put(
			js, NULL,
			json_pack("{ssssssss}", "severity",
				  hw_severity_name(c->f[i].severity), "kind",
				  hw_finding_name(c->f[i].kind), "asset",
				  hw_graph_id(c->g, c->f[i].node), "detail",
				  c->f[i].detail)) < 0)
			break;
	hw_jstream_close(js);
	return hw_jstream_close(js);
}

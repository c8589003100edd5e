/*
 * answer.h: the JSON answers of the read commands, written once for the
 * CLI's --json and the service's answers alike, so that the two say the
 * same thing (DESIGN §2's keys).  answer-json.c holds the forms every
 * answer shares.  Public: the CLI and the service include it.
 */
#ifndef HW_ANSWER_H
#define HW_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "highwater.h"

/* JSON forms (new references; NULL when out of memory): a level (null
 * for none), a triple. */
json_t *hw_json_level(enum hw_level l);
json_t *hw_json_sc(const struct hw_sc *sc);

/* Put "overall", "overall_exact", "baseline" and "baseline_exact" of sc
 * into o: the highest known level (null when none is) and whether it
 * is exact (false for a lower bound, partly categorized). */
void hw_json_overall_put(json_t *o, const struct hw_sc *sc);

/* An asset with its own categorization, and its risk factors (those
 * with data). */
json_t *hw_json_asset(const struct hw_asset *a);
json_t *hw_json_factors(const struct hw_factors *f);

/* A user of the service (user.c): name, roles (names, in HW_ROLE_*
 * order), owns, created, token_at; never its token or hash. */
json_t *hw_json_user(const struct hw_user *u);

/* Own and effective categorization of graph node v (after
 * hw_graph_categorize), with what raised it and how. */
json_t *hw_json_categorization(const struct hw_graph *g, uint32_t v);

/* The path by which objective o of node v was raised: a new array of
 * *len nodes (free), the node that raised it in *by; NULL when o was
 * not raised (or out of memory). */
uint32_t *hw_graph_raised_path_new(const struct hw_graph *g, uint32_t v,
				   enum hw_objective o, long *by,
				   size_t *len);

/* A path of nodes: "a -> b -> c" with sep between, a new string (NULL
 * if out of memory); or a JSON array of ids. */
char *hw_path_text(const struct hw_graph *g, const uint32_t *path,
		   size_t len, const char *sep);
json_t *hw_json_path(const struct hw_graph *g, const uint32_t *path,
		     size_t len);

/* order[0..n) the indexes of names[0..n) in the order JSON_SORT_KEYS
 * prints those keys. */
void hw_sort_keys(int *order, const char *const *names, int n);

/* Members of an object open on js, written without jansson values in
 * the sorted order of the keys of hw_json_sc and hw_json_overall_put:
 * the levels of sc as object key (objectives in key order); "baseline"
 * and "baseline_exact"; "overall" and "overall_exact".  The caller
 * puts each pair where its keys sort among the object's others. */
void hw_jstream_sc(struct hw_jstream *js, const char *key,
		   const struct hw_sc *sc);
void hw_jstream_baseline(struct hw_jstream *js, const struct hw_sc *sc);
void hw_jstream_overall(struct hw_jstream *js, const struct hw_sc *sc);

/* ------------------------------------------------------------------ */
/* Inventory answers (answer-inventory.c)                              */

/* Which assets a list holds: the filters of asset list and GET /assets,
 * and its page.  Zeroed: every asset. */
struct hw_asset_filter {
	const char *type;	/* an asset type, or NULL (borrowed) */
	const char *owner;	/* this owner only, or NULL (borrowed) */
	const char *prefix;	/* ids starting with it, or NULL (borrowed) */
	const char *search;	/* ids or names holding it, ASCII case
				   ignored, or NULL (borrowed) */
	enum hw_level level;	/* this overall level only, or NONE */
	int no_owner;		/* only assets nobody owns */
	int uncategorized;	/* only assets without a level of their own */
	int partial;		/* only partly categorized assets */
	long offset;		/* skip this many that pass */
	long limit;		/* at most this many (0: no limit) */
};

/* The filters by name, as GET /assets takes them: "type", "owner",
 * "no_owner", "level", "uncategorized", "partial", "prefix", "search",
 * "offset", "limit"; NULL-terminated. */
extern const char *const hw_asset_filter_names[];

/* Set filter name to value (borrowed: kept in f), as text: a flag is
 * "true" or "false", offset and limit whole numbers.  -1 with
 * HW_EINVAL saying what was expected ("NAME: ...", err->source NAME), or
 * HW_ENOTFOUND for a name not among hw_asset_filter_names. */
int hw_asset_filter_set(struct hw_asset_filter *f, const char *name,
			const char *value, struct hw_error *err);

/* Does a pass f's filters (not its page)?  Its own levels in *own. */
int hw_asset_filter_keeps(const struct hw_asset_filter *f,
			  const struct hw_asset *a, struct hw_sc *own);

/* Call fn with each asset that passes f, in id order, within f's page:
 * as hw_store_asset_each (fn's non-zero value stops it and is
 * returned). */
int hw_asset_filter_each(struct hw_store *st, const struct hw_asset_filter *f,
			 int (*fn)(const struct hw_asset *, void *), void *ctx,
			 struct hw_error *err);

/* {"assets": [hw_json_asset of each asset f keeps]}, each written as
 * it is read: the document of asset list --json and GET /assets.  js
 * is begun by the caller, who ends it after (a document that failed
 * halfway is left open).  0, or -1 with err set. */
int hw_answer_assets(struct hw_store *st, const struct hw_asset_filter *f,
		     struct hw_jstream *js, struct hw_error *err);

/* What asset show shows: the asset, its dependencies both ways, the
 * graph of what depends on it, categorized, and its last write. */
struct hw_asset_view {
	struct hw_asset a;
	json_t *depends_on; /* [{"asset", "type", "carries"}] */
	json_t *dependents; /*   the same, the other way */
	struct hw_graph *g; /* the asset and what depends on it */
	long v;		    /* the asset in g, or -1 */
	char *changed_by, *changed_at; /* the audit trail's last write,
					  or NULL */
};

/* Load view of asset id (release it whatever the result); closure
 * limit as hw_graph_load_up's.  HW_ENOTFOUND for an unknown asset. */
int hw_asset_view_load(struct hw_store *st, const char *id, size_t limit,
		       struct hw_asset_view *view, struct hw_error *err);
void hw_asset_view_release(struct hw_asset_view *view);

/* The document of asset show --json and GET /assets/{id}: a new value,
 * NULL when out of memory. */
json_t *hw_json_asset_view(const struct hw_asset_view *view);

/* {"dependencies": [{"from", "to", "type", "carries"}]}, all or those
 * touching asset (NULL: all), streamed like hw_answer_assets. */
int hw_answer_deps(struct hw_store *st, const char *asset,
		   struct hw_jstream *js, struct hw_error *err);

/* A dependency as dep add --json answers it. */
json_t *hw_json_dep(const struct hw_dep *d);

/* An information type as infotype list --json lists it: {"id", "name",
 * "category", "provisional", "catalogue"}. */
json_t *hw_json_infotype(const struct hw_infotype *t);

/* {"information_types": [hw_json_infotype of each]}: search and builtin as hw_store_infotype_each's,
 * streamed like hw_answer_assets. */
int hw_answer_infotypes(struct hw_store *st, const char *search, int builtin,
			struct hw_jstream *js, struct hw_error *err);
/* The analyses: categorize, impact, risk, plan, check                 */
/* (answer-analysis.c computes and writes them; answer-query.c parses  */
/* the values their options take)                                      */

/* Closure loads (one asset and its dependents) beyond this many assets
 * read the whole graph instead: a bulk scan is cheaper by then. */
#define HW_CLOSURE_LIMIT 5000

/* Each analysis is computed into a struct both faces read (the CLI's
 * text is its own), then written as its JSON document to js, opened on
 * the face's FILE with the --json flags and ended by the caller
 * (hw_jstream_end): the hw_answer_* calls return the stream's state,
 * 0 or -1 after its first failure.  A compute function fills *r, whose
 * release is to be called after a failure too; -1 with err set:
 * HW_ENOTFOUND for an unknown asset, HW_EINVAL for a value refused.
 * warm: the whole graph, loaded and current, that the analysis reads
 * instead of loading its own (the service's warm graph; the result
 * holds it with hw_graph_ref and reads it only, apart from
 * hw_graph_categorize and hw_graph_find's index), or NULL: it loads
 * what it needs, as the CLI does. */

/* categorize [ASSET] [--summary] */
struct hw_categorize_opts {
	const char *const *assets; /* these assets (borrowed; a repeat is
				      listed once), or none: all */
	size_t nassets;
	int summary;		   /* the counts alone */
};
struct hw_categorized {
	struct hw_graph *g;
	uint32_t *order; /* the assets listed, by id: those asked, or all */
	size_t n;	 /* assets listed (0 with summary) */
	struct hw_category_counts counts;
	int summary;	 /* the counts alone */
};
int hw_categorize_compute(struct hw_store *st, struct hw_graph *warm,
			  const struct hw_categorize_opts *o,
			  struct hw_categorized *r, struct hw_error *err);
void hw_categorized_release(struct hw_categorized *r);
int hw_answer_categorize(struct hw_jstream *js, const struct hw_categorized *r);

/* impact TARGET... [--depth] [--types] [--direction] [--summary] */
struct hw_impact_query {
	const char *const *targets; /* asset ids, borrowed */
	size_t ntargets;	    /* at least one */
	struct hw_impact_opts o;    /* depth -1 and direction up unless
				       asked */
	int summary;		    /* the summary alone, no members */
	int sort;		    /* sort the members even with summary
				       (a workbook lists them) */
	enum hw_level full_cab, cab_review; /* the route's thresholds
					       (hw_route_thresholds) */
};
struct hw_impacted {
	struct hw_graph *g;
	struct hw_impact *imp; /* members in distance, id order unless
				  summary alone */
	struct hw_impact_summary sum;
};
int hw_impact_compute(struct hw_store *st, struct hw_graph *warm,
		      const struct hw_impact_query *q, struct hw_impacted *r,
		      struct hw_error *err);
void hw_impacted_release(struct hw_impacted *r);
int hw_answer_impact(struct hw_jstream *js, const struct hw_impact_query *q,
		     const struct hw_impacted *r);

/* risk [--top N] [--type T] [--owner O] [--as-of DATE] */
struct hw_risk_query {
	const char *type;  /* only assets of this type, or NULL */
	const char *owner; /* only assets of this owner, or NULL */
	long top;	   /* the first top rows kept, -1 all */
	int32_t today;	   /* the day scored (hw_date_parse) */
};
struct hw_risk_view {
	struct hw_weights w;
	struct hw_graph *g;
	struct hw_risk_entry *reg;	  /* every asset, in rank order */
	size_t n;			  /* assets scored */
	const struct hw_risk_entry **row; /* the rows kept, in rank order */
	size_t shown;
	int32_t today;
};
int hw_risk_view_compute(struct hw_store *st, struct hw_graph *warm,
			 const struct hw_risk_query *q, struct hw_risk_view *v,
			 struct hw_error *err);
void hw_risk_view_release(struct hw_risk_view *v);
int hw_answer_risk(struct hw_jstream *js, const struct hw_risk_view *v);

/* plan [--top N] [--as-of DATE] */
struct hw_plan_query {
	long top;		   /* assets listed, -1 all (the summary
				      covers all) */
	int32_t today;		   /* the day scored */
	const char *baselines_csv; /* data/sp800-53b-baselines.csv */
};
struct hw_plan_view {
	struct hw_weights w;
	size_t *fragile, nfragile; /* to stabilise, by downtime cost */
	struct hw_baselines b;
	struct hw_graph *g;
	struct hw_risk_entry *reg; /* every asset, in rank order */
	size_t n, shown;	   /* assets scored, listed */
	struct hw_plan_summary sum;
	int32_t today;
};
int hw_plan_view_compute(struct hw_store *st, struct hw_graph *warm,
			 const struct hw_plan_query *q, struct hw_plan_view *p,
			 struct hw_error *err);
void hw_plan_view_release(struct hw_plan_view *p);
int hw_answer_plan(struct hw_jstream *js, const struct hw_plan_view *p);

/* check: the findings, with their counts by severity */
struct hw_check_view {
	struct hw_graph *g;
	struct hw_finding *f;
	size_t n, count[HW_SEV_HIGH + 1];
};
int hw_check_view_compute(struct hw_store *st, struct hw_graph *warm,
			  struct hw_check_view *c, struct hw_error *err);
void hw_check_view_release(struct hw_check_view *c);
int hw_answer_check(struct hw_jstream *js, const struct hw_check_view *c);

/* The values the analyses' options take, parsed one way for the CLI's
 * options and the service's query parameters (err's text says what was
 * expected; the caller names the option or parameter). */
/* A count: digits only, 0 to max (HW_IMPACT_DEPTH_MAX for a depth,
 * HW_TOP_MAX for rows to show). */
#define HW_TOP_MAX 1000000000
int hw_count_parse(const char *s, long max, long *out, struct hw_error *err);
/* up, down, both */
int hw_direction_parse(const char *s, enum hw_direction *out,
		       struct hw_error *err);
const char *hw_direction_name(enum hw_direction d);
/* A comma-separated list of dependency types as a mask of bit i for
 * hw_dep_types[i]; an empty list gives 0 (no type: the caller refuses
 * it or takes all). */
int hw_dep_types_parse(const char *list, unsigned *mask, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Bulk data: an import's answer (answer-data.c)                       */

/* A dry run's differences, kept one compact JSON object a line in a
 * temporary file until the import has checked everything: open, hand
 * hw_import_diff_keep and ds to hw_import_opts's diff and dctx, rewind
 * after the import, then read them back (hw_answer_import does). */
struct hw_import_diffs {
	FILE *fp;
	int failed; /* a difference could not be kept */
};
int hw_import_diffs_open(struct hw_import_diffs *ds, struct hw_error *err);
void hw_import_diff_keep(const struct hw_import_diff *d, void *ds);
int hw_import_diffs_rewind(struct hw_import_diffs *ds, struct hw_error *err);
/* The next difference (a new reference), NULL at the end. */
json_t *hw_import_diffs_next(struct hw_import_diffs *ds);
void hw_import_diffs_close(struct hw_import_diffs *ds);

/* import [--dry-run] [--replace] FILE...: the counts read, the
 * differences of a dry run (ds, or NULL: none kept), the files. */
int hw_answer_import(struct hw_jstream *js, const char *const *files, size_t n,
		     int dry_run, int replace, const struct hw_import_stats *s,
		     struct hw_import_diffs *ds);

/* ------------------------------------------------------------------ */
/* History: changes, incidents, baselines, the audit trail, settings   */
/* (answer-history.c).  The streamed answers write one whole document  */
/* into js (hw_jstream_init'd by the caller, who ends it: a failure of */
/* the stream is hw_jstream_end's to report); -1 with err when the     */
/* store fails, before anything is written where the function says so. */

/* Which changes hw_answer_changes lists; zero (state -1) for all. */
struct hw_change_filter {
	const char *asset; /* those targeting this asset */
	int open_only;	   /* not closed or cancelled */
	int state;	   /* an enum hw_change_state, -1 for any */
};

/* {"changes": [change, ...]} in number order (change list --json). */
int hw_answer_changes(struct hw_store *st, const struct hw_change_filter *f,
		      struct hw_jstream *js, struct hw_error *err);

/* Change n as hw_change_json gives it with its stored assessment under
 * "assessment" (change show --json): a new value in *out; HW_ENOTFOUND
 * naming CHG-N. */
int hw_answer_change(struct hw_store *st, long long n, json_t **out,
		     struct hw_error *err);

/* An incident as the history JSON writes it (new; NULL out of memory). */
json_t *hw_json_incident(const struct hw_incident *i);

/* {"incidents": [...]} oldest first, only those on asset when not NULL,
 * only unresolved ones when open_only (incident list --json). */
int hw_answer_incidents(struct hw_store *st, const char *asset, int open_only,
			struct hw_jstream *js, struct hw_error *err);

/* The days before an incident that first response looks back over. */
#define HW_INCIDENT_RECENT_DAYS 7

/* {"incident": ..., "recent_changes": [{"id", "title",
 * "implemented_by", "implemented_at", "targets", "distance"}]} for an
 * incident just recorded and hw_incident_recent_changes' n changes
 * (incident add --json); new, NULL out of memory. */
json_t *hw_json_incident_recorded(const struct hw_incident *i,
				  const struct hw_recent_change *recent,
				  size_t n);

/* A baseline: {"name", "created", "actor", "assets", "dependencies",
 * "assignments"} (baseline save --json); new, NULL out of memory. */
json_t *hw_json_snapshot(const struct hw_snapshot *s);

/* {"baselines": [...]} oldest first (baseline list --json), new. */
int hw_answer_baselines(struct hw_store *st, json_t **out,
			struct hw_error *err);

/* The drift from baseline from to baseline to (NULL: the inventory
 * now), streamed (baseline diff --json): {"assets", "assignments",
 * "dependencies": [{..., "change", "fields": {NAME: {"before",
 * "after"}}}], "counts", "from", "to"}.  HW_ENOTFOUND for an unknown
 * baseline, before anything is written. */
int hw_answer_drift(struct hw_store *st, const char *from, const char *to,
		    struct hw_jstream *js, struct hw_error *err);

/* audit log --json writes reals with 17 digits (other documents use
 * 12), so that every before and after reads back to the values its
 * hash covers: the flags of its stream. */
#define HW_AUDIT_JSON_FLAGS                                                    \
	(JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(17))

/* 0 if the trail may be asked about asset: an asset now, or one the
 * trail names (a removed asset keeps its history); else HW_ENOTFOUND
 * ("unknown asset 'x' (not in the inventory, and no record names
 * it)"). */
int hw_audit_asset_known(struct hw_store *st, const char *asset,
			 struct hw_error *err);

/* {"records": [{"action", "actor", "after", "before", "hash", "object",
 * "prev", "seq", "time"}]} oldest first, the first limit of those f
 * keeps (limit -1: all), streamed with HW_AUDIT_JSON_FLAGS (audit log
 * --json).  f->asset is checked first (hw_audit_asset_known), before
 * anything is written; a store failure later ends the document cut
 * short and returns -1. */
int hw_answer_audit(struct hw_store *st, const struct hw_audit_filter *f,
		    long long limit, struct hw_jstream *js,
		    struct hw_error *err);

/* {NAME: value, ...}: every setting's value in force (config --json),
 * new in *out. */
int hw_answer_settings(struct hw_store *st, json_t **out, struct hw_error *err);

/* {"weights": [{"name", "value", "default", "min", "max", "about"}]}
 * (risk --weights --json); new, NULL out of memory. */
json_t *hw_json_weights(const struct hw_weights *w);

/* {"users": [hw_json_user, ...]} in name order (user list --json), new
 * in *out (answer-users.c). */
int hw_answer_users(struct hw_store *st, json_t **out, struct hw_error *err);

/* A user with its new token, {"name", "roles", "owns", "token"}: the
 * answer of user add and user token, the only one that holds a token
 * (answer-users.c); new, NULL out of memory. */
json_t *hw_json_user_token(const struct hw_user *u, const char *token);

/* End of the history's answers.                                        */
/* ------------------------------------------------------------------ */

#endif /* HW_ANSWER_H */

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
	enum hw_level level;	/* this overall level only, or NONE */
	int no_owner;		/* only assets nobody owns */
	int uncategorized;	/* only assets without a level of their own */
	int partial;		/* only partly categorized assets */
	long offset;		/* skip this many that pass */
	long limit;		/* at most this many (0: no limit) */
};

/* The filters by name, as GET /assets takes them: "type", "owner",
 * "no_owner", "level", "uncategorized", "partial", "prefix", "offset",
 * "limit"; NULL-terminated. */
extern const char *const hw_asset_filter_names[];

/* Set filter name to value (borrowed: kept in f), as text: a flag is
 * "true" or "false", offset and limit whole numbers.  -1 with
 * HW_EINVAL saying what was expected (err->source the name), or
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

#endif /* HW_ANSWER_H */

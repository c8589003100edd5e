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

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

#endif /* HW_ANSWER_H */

/*
 * posture.h: a change's assessment and the application of its proposed
 * edits (layer 4): the impact set of its targets and the security-
 * posture delta of its edits (posture.c), the edits applied and undone
 * through the store's audited writes (change-apply.c), the stored
 * assessment as the change workbook (report-posture.c).  Include
 * highwater.h first.
 *
 * The assessment, a JSON object:
 *   {"at": "YYYY-MM-DDTHH:MM:SSZ",
 *    "summary": {"route", "full_cab", "cab_review", "highest": {"c","i",
 *                "a"}, "top", "count": {"high","moderate","low",
 *                "none"}, "partial", "on_cycle", "owners": [{"name",
 *                "count"}], "unowned", "services": [ids], "members",
 *                with edits also "route_before", "route_after": the
 *                route is the higher of the two},
 *    "members": [[dist, [ids by id]], ...]  (ids grouped by distance,
 *                                           nearest first; the impact
 *                                           on the graph as it is, or
 *                                           after the edits for a
 *                                           target the change adds),
 *    "delta": {"levels": [{"asset", "objective", "old", "new"}],
 *              "baselines": [{"asset", "old", "new"}] (the required
 *                            SP 800-53B baseline, null: none),
 *              "gaps": {"controls", "families": [{"family", "first",
 *                       "controls"}]} (controls missing after minus
 *                       before, summed over every asset: negative when
 *                       the edits lower a baseline),
 *              "risks": [{"asset", "old_score", "new_score", "old_rank",
 *                         "new_rank"}] (the 500 largest moves; old_*
 *                         null for an added asset), "risks_moved": all,
 *              "cycles": [[ids]]}} (strongly connected components
 *                        after the edits not held in one before)
 * An edit set with no edits has an empty delta (every list empty,
 * gaps.controls 0).
 */
#ifndef HW_POSTURE_H
#define HW_POSTURE_H

#include <stddef.h>

struct json_t;
struct hw_store;
struct hw_change;
struct hw_error;
struct hw_asset;

/* The SP 800-53B baselines CSV the assessment counts control gaps
 * with (data/sp800-53b-baselines.csv): the path is copied; set once by
 * the program before any assessment (the CLI does it at start).  Without
 * it hw_change_assess_compute fails with HW_EINVAL. */
void hw_posture_set_catalogue(const char *csv_path);

/* Compute c's assessment as of at (risk dates are measured at that
 * day): a new JSON document as above in *out.  Applies c's edits in a
 * transaction it rolls back (the store must have no transaction open).
 * Route thresholds come from the settings route.full_cab and
 * route.cab_review (defaults high, moderate), the risk weights from the
 * store. */
int hw_change_assess_compute(struct hw_store *st, const struct hw_change *c,
			     hw_time at, struct json_t **out,
			     struct hw_error *err);

/* 0 if the two assessments' deltas are equal; 1 with a one-line
 * description of the first difference in buf (cut to size). */
int hw_assessment_delta_differs(const struct json_t *stored,
				const struct json_t *fresh, char *buf,
				size_t size);

/* Apply c's edits through the store's writes (each audited by the
 * store) in the caller's transaction.  undo[i] (if undo is not NULL)
 * receives edit i's undo JSON text (malloc'd): {"before": the object
 * before the edit or null, "after": the object as the edit left it or
 * null}, with "object" "asset:ID" or "dependency:FROM>TO".  Errors name
 * the edit ("edit 2, --add-dep a,b: ...").  On failure the undo texts
 * written so far are freed and set to NULL. */
int hw_change_apply(struct hw_store *st, const struct hw_change *c,
		    char **undo, struct hw_error *err);

/* Apply the inverse of the edits from their undo texts, last edit
 * first, in the caller's transaction; HW_EREFUSED naming each object a
 * later write changed (nothing applied then). */
int hw_change_unapply(struct hw_store *st, const struct hw_change *c,
		      char *const *undo, struct hw_error *err);

/* Set one field or risk factor of a, as "asset set ID FIELD=VALUE"
 * takes it (record.c): name, type, owner, description, confidentiality
 * / integrity / availability (c, i, a), internet_facing, and the factor
 * fields.  HW_EINVAL naming the field or value. */
int hw_asset_set_field(struct hw_asset *a, const char *field,
		       const char *value, struct hw_error *err);

/* Put assignment g into a's assignments, replacing an earlier one of
 * the same type, else appended (infotype assign): a takes g over (g is
 * emptied).  Returns its index, or -1 when out of memory (g untouched). */
long hw_asset_assign(struct hw_asset *a, struct hw_assignment *g);

/* The change workbook of change c from its stored assessment (report-
 * posture.c), nothing read from the inventory: Summary (the change's
 * id, title, state, requester, targets, decision, the assessment's time
 * and summary, the posture delta's counts; self_approval set: that the
 * setting change.self_approval allows it), Affected CIs (id, distance),
 * Owners, Posture delta (one row per level or baseline change, control
 * gap family, moved risk score, new cycle).  Same file handling as
 * hw_report_change; info->rows counts the affected CIs. */
struct hw_report_opts;
struct hw_report_info;
int hw_report_change_record(const struct hw_change *c,
			    const struct json_t *assessment, int self_approval,
			    const struct hw_report_opts *o, const char *path,
			    struct hw_report_info *info, struct hw_error *err);

/* What that workbook is written from, read from st: change n (into *c,
 * hw_change_release), its stored assessment (a new JSON value) and
 * whether change.self_approval allows requesters to approve.
 * HW_ENOTFOUND for an unknown change or one not yet assessed,
 * HW_EDAMAGED for an assessment that is not JSON. */
int hw_change_record_load(struct hw_store *st, long long n, struct hw_change *c,
			  struct json_t **assessment, int *self_approval,
			  struct hw_error *err);

#endif /* HW_POSTURE_H */

/*
 * request.h: the JSON bodies of the service's writes read into the
 * structs the CLI fills from its options (request-history.c), so that
 * both faces make the same library calls after the same checks.  Keys
 * are the CLI's options (and its --json's names): a body is an object;
 * an unknown member, a missing one or a value of the wrong kind is
 * HW_EINVAL with the member's path ("decision", "edits[2]") in
 * err->source.  Nothing is written here.  Public: the CLI and the
 * service include it after highwater.h.
 */
#ifndef HW_REQUEST_H
#define HW_REQUEST_H

#include <stddef.h>

#include <jansson.h>

#include "highwater.h"
/* after highwater.h */
#include "change.h"

/* change new (editing 0: "title", "description", "targets", "planned",
 * "edits" as change show --json writes them) and change edit (editing
 * 1: the same, all optional, and "clear_edits": true); *out released
 * by the caller. */
int hw_request_change_draft(const json_t *body, int editing,
			    struct hw_change_draft *out, struct hw_error *err);

/* A step (kind) on a change: assess, implement, cancel and revert take
 * {"at"}; decide {"decision": "approve"|"reject", "reason", "by"};
 * close {"result", "at"}.  body NULL: none given (all optional but
 * decide's decision and close's result).  *out released by the
 * caller. */
int hw_request_change_step(enum hw_change_step_kind kind, const json_t *body,
			   struct hw_change_step *out, struct hw_error *err);

/* incident add: {"asset", "title", "opened", "change"} into *out (its
 * strings borrowed from body: do not release them). */
int hw_request_incident(const json_t *body, struct hw_incident *out,
			struct hw_error *err);

/* {"at"} (incident resolve, body NULL: now): the time, 0 for now. */
int hw_request_at(const json_t *body, hw_time *at, struct hw_error *err);

/* baseline save: {"name", "at"}; *name borrowed from body. */
int hw_request_baseline(const json_t *body, const char **name, hw_time *at,
			struct hw_error *err);

/* config's {NAME: "value", ...} (numbers 0) and risk --set's {NAME:
 * number, ...} (numbers 1): new arrays of *n names (borrowed from body)
 * and values (new strings, numbers as text); free the names' array and
 * the values with hw_request_free_texts. */
int hw_request_pairs(const json_t *body, int numbers, const char ***names,
		     char ***values, size_t *n, struct hw_error *err);
void hw_request_free_texts(char **v, size_t n);

/* user add: {"name", "roles": "owner,cab" or ["owner", "cab"],
 * "owns": ["team-a", ...] or "team-a,team-b"} into *out
 * (hw_user_release). */
int hw_request_user(const json_t *body, struct hw_user *out,
		    struct hw_error *err);

#endif /* HW_REQUEST_H */

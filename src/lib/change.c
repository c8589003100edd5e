/*
 * change.c: the life of a change record (change.h): which step each
 * state allows, and each step as one audited transaction: new, amend,
 * assess, decide, implement, close, cancel, revert.  The assessment and
 * the edits' application are posture.h's; the records are the store's
 * (store-change.c).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "change.h"
#include "posture.h"

/* ------------------------------------------------------------------ */
/* The state table                                                     */

enum step {
	S_EDIT,
	S_ASSESS,
	S_DECIDE,
	S_IMPLEMENT,
	S_CLOSE,
	S_CANCEL,
	S_REVERT
};

static const char *const step_done[] = {
    "edited", "assessed", "decided", "implemented", "closed", "cancelled",
    "reverted"};
static const char *const step_name[] = {
    "edit", "assess", "decide", "implement", "close", "cancel", "revert"};

/* The steps c's state allows, as bits of enum step. */
static unsigned allowed(const struct hw_change *c)
{
	switch (c->state) {
	case HW_CHANGE_NEW:
		return 1u << S_EDIT | 1u << S_ASSESS | 1u << S_CANCEL;
	case HW_CHANGE_ASSESSED:
		return 1u << S_EDIT | 1u << S_ASSESS | 1u << S_DECIDE |
		       1u << S_CANCEL;
	case HW_CHANGE_APPROVED:
		return 1u << S_ASSESS | 1u << S_IMPLEMENT | 1u << S_CANCEL;
	case HW_CHANGE_REJECTED:
		return 1u << S_CLOSE;
	case HW_CHANGE_IMPLEMENTED:
		return 1u << S_CLOSE |
		       (c->reverted_at == 0 ? 1u << S_REVERT : 0);
	case HW_CHANGE_CLOSED:
		if ((c->result == HW_RESULT_FAILED ||
		     c->result == HW_RESULT_BACKED_OUT) &&
		    c->reverted_at == 0)
			return 1u << S_REVERT;
		return 0;
	case HW_CHANGE_CANCELLED:
		return 0;
	}
	return 0;
}

/* 0 if c's state allows step, else HW_EREFUSED: "CHG-0003 is approved:
 * it cannot be edited (allowed: assess, implement, cancel)". */
static int may(const struct hw_change *c, enum step step,
	       struct hw_error *err)
{
	unsigned a = allowed(c);
	char id[HW_CHANGE_ID_TEXT], state[64], list[96] = "";
	enum step k;

	if (a & (1u << step))
		return 0;
	for (k = S_EDIT; k <= S_REVERT; k++)
		if (a & (1u << k)) {
			if (list[0] != '\0')
				strcat(list, ", ");
			strcat(list, step_name[k]);
		}
	if (c->state == HW_CHANGE_CLOSED)
		snprintf(state, sizeof state, "closed (%s%s)",
			 hw_change_result_name(c->result),
			 c->reverted_at ? ", reverted" : "");
	else
		snprintf(state, sizeof state, "%s%s",
			 hw_change_state_name(c->state),
			 c->reverted_at ? " (reverted)" : "");
	return hw_error_set(err, HW_EREFUSED,
			    "%s is %s: it cannot be %s (allowed: %s)",
			    hw_change_id(c->n, id), state, step_done[step],
			    list[0] ? list : "nothing");
}

/* ------------------------------------------------------------------ */
/* Shared                                                              */

/* Replace *dst by a copy of src (NULL stays NULL). */
static int set_text(char **dst, const char *src, struct hw_error *err)
{
	char *d = NULL;

	if (src != NULL && (d = hwp_strdup(src, err)) == NULL)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

/* Begin, then read change n (and check it may take step). */
static int open_step(struct hw_store *st, long long n, enum step step,
		     struct hw_change *c, struct hw_error *err)
{
	if (hw_store_begin(st, err) < 0)
		return -1;
	if (hw_store_change_get(st, n, c, err) < 0 || may(c, step, err) < 0) {
		hw_store_rollback(st);
		hw_change_release(c);
		return -1;
	}
	return 0;
}

/* Write c back under action and commit, or roll back; releases c. */
static int close_step(struct hw_store *st, struct hw_change *c,
		      const char *action, int ok, struct hw_error *err)
{
	int rc = -1;

	if (ok && hw_store_change_update(st, c, action, err) == 0 &&
	    hw_store_commit(st, err) == 0)
		rc = 0;
	else
		hw_store_rollback(st);
	hw_change_release(c);
	return rc;
}

static int take_amendment(struct hw_change *dst, const struct hw_change *src,
			  struct hw_error *err);

/* p: a copy of c whose added assets' assignments are prepared as a
 * direct write prepares them (the catalogue's provisional levels as
 * base, unset objectives taking them): what the edits' application and
 * the assessment are given.  Released by the caller. */
static int prepared(struct hw_store *st, const struct hw_change *c,
		    struct hw_change *p, struct hw_error *err)
{
	size_t i, j;

	memset(p, 0, sizeof *p);
	p->n = c->n;
	p->state = c->state;
	p->result = c->result;
	p->created = c->created;
	p->assessed_at = c->assessed_at;
	if (take_amendment(p, c, err) < 0)
		return -1;
	for (i = 0; i < p->nedits; i++) {
		struct hw_change_edit *e = &p->edits[i];

		if (e->kind != HW_EDIT_ADD_ASSET)
			continue;
		for (j = 0; j < e->add.ntypes; j++)
			if (hw_store_assignment_prepare(st, &e->add.types[j],
							err) < 0) {
				hw_change_release(p);
				return -1;
			}
	}
	return 0;
}

/* hw_change_apply of c prepared. */
static int apply(struct hw_store *st, const struct hw_change *c, char **undo,
		 struct hw_error *err)
{
	struct hw_change p;
	int rc;

	if (prepared(st, c, &p, err) < 0)
		return -1;
	rc = hw_change_apply(st, &p, undo, err);
	hw_change_release(&p);
	return rc;
}

/* hw_change_assess_compute of c prepared. */
static int compute(struct hw_store *st, const struct hw_change *c, hw_time at,
		   json_t **out, struct hw_error *err)
{
	struct hw_change p;
	int rc;

	if (prepared(st, c, &p, err) < 0)
		return -1;
	rc = hw_change_assess_compute(st, &p, at, out, err);
	hw_change_release(&p);
	return rc;
}

/* Try c's edits on the inventory as it is (a transaction rolled back)
 * and check its targets are assets then. */
static int try_edits(struct hw_store *st, const struct hw_change *c,
		     struct hw_error *err)
{
	size_t i;
	hw_key k;
	int rc = 0;

	if (c->ntargets == 0)
		return hw_error_set(err, HW_EINVAL,
				    "a change needs a target");
	if (hw_store_begin(st, err) < 0)
		return -1;
	if (c->nedits > 0)
		rc = apply(st, c, NULL, err);
	for (i = 0; i < c->ntargets && rc == 0; i++) {
		struct hw_error e = {0};

		if (hwp_asset_n(st, c->targets[i], &k, &e) < 0) {
			if (e.code == HW_ENOTFOUND)
				hw_error_set(err, HW_ENOTFOUND,
					     "target '%s' is no asset",
					     c->targets[i]);
			else if (err != NULL)
				*err = e;
			rc = -1;
		}
	}
	hw_store_rollback(st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */

int hw_change_new(struct hw_store *st, struct hw_change *c, hw_time at,
		  struct hw_error *err)
{
	char *requester;

	if (try_edits(st, c, err) < 0)
		return -1;
	requester = hwp_strdup(hwp_actor(st), err);
	if (requester == NULL)
		return -1;
	free(c->requester);
	c->requester = requester;
	c->created = at;
	c->state = HW_CHANGE_NEW;
	c->result = HW_RESULT_NONE;
	if (hw_store_begin(st, err) < 0)
		return -1;
	if (hw_store_change_add(st, c, err) < 0 ||
	    hw_store_commit(st, err) < 0) {
		hw_store_rollback(st);
		c->n = 0;
		return -1;
	}
	return 0;
}

/* Move the amendable parts of src into dst (copies). */
static int take_amendment(struct hw_change *dst, const struct hw_change *src,
			  struct hw_error *err)
{
	struct hw_change tmp = {0}, old = {0};
	json_t *j;
	size_t i;
	int rc = 0;

	tmp.targets = calloc(src->ntargets + 1, sizeof *tmp.targets);
	tmp.edits = calloc(src->nedits + 1, sizeof *tmp.edits);
	if (tmp.targets == NULL || tmp.edits == NULL)
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < src->ntargets && rc == 0; i++) {
		tmp.targets[i] = hwp_strdup(src->targets[i], err);
		rc = tmp.targets[i] == NULL ? -1 : 0;
		tmp.ntargets = i + 1;
	}
	/* Edits are copied through their JSON: one reader, one writer. */
	for (i = 0; i < src->nedits && rc == 0; i++) {
		j = hwp_change_edit_json(&src->edits[i]);
		rc = j == NULL ? hw_error_set(err, HW_ENOMEM, "out of memory")
			       : hwp_change_edit_from_json(j, &tmp.edits[i],
							   err);
		json_decref(j);
		if (rc == 0)
			tmp.nedits = i + 1;
	}
	if (rc == 0 && (set_text(&tmp.title, src->title, err) < 0 ||
			set_text(&tmp.description, src->description, err) < 0))
		rc = -1;
	if (rc < 0) {
		hw_change_release(&tmp);
		return -1;
	}
	/* The new parts in; the old ones go with tmp. */
	old.title = dst->title;
	old.description = dst->description;
	old.targets = dst->targets;
	old.ntargets = dst->ntargets;
	old.edits = dst->edits;
	old.nedits = dst->nedits;
	dst->title = tmp.title;
	dst->description = tmp.description;
	dst->targets = tmp.targets;
	dst->ntargets = tmp.ntargets;
	dst->edits = tmp.edits;
	dst->nedits = tmp.nedits;
	hw_change_release(&old);
	dst->planned = src->planned;
	return 0;
}

int hw_change_amend(struct hw_store *st, const struct hw_change *c,
		    struct hw_error *err)
{
	struct hw_change cur = {0};
	json_t *before = NULL, *after = NULL;
	int same;

	if (hw_store_change_get(st, c->n, &cur, err) < 0)
		return -1;
	if (may(&cur, S_EDIT, err) < 0 || try_edits(st, c, err) < 0) {
		hw_change_release(&cur);
		return -1;
	}
	hw_change_release(&cur);
	if (open_step(st, c->n, S_EDIT, &cur, err) < 0)
		return -1;
	before = hwp_change_json(&cur);
	if (take_amendment(&cur, c, err) < 0) {
		json_decref(before);
		return close_step(st, &cur, "edit", 0, err);
	}
	after = hwp_change_json(&cur);
	same = before != NULL && after != NULL && json_equal(before, after);
	json_decref(before);
	json_decref(after);
	if (same) { /* nothing changes: nothing written */
		hw_store_rollback(st);
		hw_change_release(&cur);
		return 0;
	}
	cur.state = HW_CHANGE_NEW;
	cur.assessed_at = 0;
	return close_step(st, &cur, "edit",
			  hw_store_assessment_put(st, cur.n, 0, NULL, err) == 0,
			  err);
}

/* Clear a decision (an approval that lapses). */
static void clear_decision(struct hw_change *c)
{
	free(c->decided_by);
	free(c->chair);
	free(c->reason);
	c->decided_by = c->chair = c->reason = NULL;
	c->decided_at = 0;
}

int hw_change_assess(struct hw_store *st, long long n, hw_time at,
		     json_t **out, struct hw_error *err)
{
	struct hw_change c = {0};
	json_t *a = NULL;
	char *text = NULL;
	int ok;

	if (hw_store_change_get(st, n, &c, err) < 0)
		return -1;
	if (may(&c, S_ASSESS, err) < 0 ||
	    compute(st, &c, at, &a, err) < 0) {
		hw_change_release(&c);
		return -1;
	}
	hw_change_release(&c);
	text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text == NULL) {
		json_decref(a);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (open_step(st, n, S_ASSESS, &c, err) < 0) {
		free(text);
		json_decref(a);
		return -1;
	}
	ok = hw_store_assessment_put(st, n, at, text, err) == 0;
	free(text);
	c.state = HW_CHANGE_ASSESSED;
	c.assessed_at = at;
	clear_decision(&c);
	if (close_step(st, &c, "assess", ok, err) < 0) {
		json_decref(a);
		return -1;
	}
	if (out != NULL)
		*out = a;
	else
		json_decref(a);
	return 0;
}

int hw_change_self_approval(struct hw_store *st, int *allowed_out,
			    struct hw_error *err)
{
	struct hw_error e = {0};
	char *v = NULL;

	if (hw_store_setting_get(st, "change.self_approval", &v, &e) < 0) {
		if (e.code != HW_ENOTFOUND) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		*allowed_out = 0;
		return 0;
	}
	*allowed_out = strcmp(v, "allow") == 0;
	free(v);
	return 0;
}

/* 1 if change n's stored assessment routes it to the full CAB. */
static int full_cab(struct hw_store *st, long long n, int *out,
		    struct hw_error *err)
{
	json_t *a, *route;
	char *text = NULL;

	if (hw_store_assessment_get(st, n, &text, err) < 0)
		return -1;
	a = json_loads(text, 0, NULL);
	free(text);
	route = json_object_get(json_object_get(a, "summary"), "route");
	*out = json_is_string(route) &&
	       strcmp(json_string_value(route), "full-cab") == 0;
	json_decref(a);
	return 0;
}

int hw_change_decide(struct hw_store *st, long long n, int approve,
		     const char *reason, const char *chair, hw_time at,
		     struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT];
	struct hw_change c = {0};
	int full, self_ok, ok;

	if (reason != NULL && reason[0] == '\0')
		reason = NULL;
	if (open_step(st, n, S_DECIDE, &c, err) < 0)
		return -1;
	ok = full_cab(st, n, &full, err) == 0 &&
	     hw_change_self_approval(st, &self_ok, err) == 0;
	if (ok && full && reason == NULL)
		ok = hw_error_set(err, HW_EREFUSED,
				  "%s goes to the full CAB: a decision needs "
				  "a reason",
				  hw_change_id(n, id)) == 0;
	if (ok && approve && !self_ok &&
	    strcmp(c.requester, hwp_actor(st)) == 0)
		ok = hw_error_set(err, HW_EREFUSED,
				  "%s was requested by %s, who cannot approve "
				  "it",
				  hw_change_id(n, id), c.requester) == 0;
	ok = ok && set_text(&c.decided_by, hwp_actor(st), err) == 0 &&
	     set_text(&c.chair, chair, err) == 0 &&
	     set_text(&c.reason, reason, err) == 0;
	c.decided_at = at;
	c.state = approve ? HW_CHANGE_APPROVED : HW_CHANGE_REJECTED;
	return close_step(st, &c, approve ? "approve" : "reject", ok, err);
}

/* 0 if change c's stored assessment still holds as of its time: the
 * posture delta computed again is the same. */
static int still_holds(struct hw_store *st, const struct hw_change *c,
		       struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT], diff[200];
	json_t *stored = NULL, *fresh = NULL;
	char *text = NULL;
	int rc = -1;

	if (hw_store_assessment_get(st, c->n, &text, err) < 0)
		return -1;
	stored = json_loads(text, 0, NULL);
	free(text);
	if (stored == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (compute(st, c, c->assessed_at, &fresh, err) < 0)
		goto out;
	if (hw_assessment_delta_differs(stored, fresh, diff, sizeof diff)) {
		hw_error_set(err, HW_EREFUSED,
			     "%s: the inventory changed since its "
			     "assessment: %s (change assess %s again)",
			     hw_change_id(c->n, id), diff, id);
		goto out;
	}
	rc = 0;
out:
	json_decref(stored);
	json_decref(fresh);
	return rc;
}

static void free_undo(char **undo, size_t n)
{
	size_t i;

	if (undo == NULL)
		return;
	for (i = 0; i < n; i++)
		free(undo[i]);
	free(undo);
}

int hw_change_implement(struct hw_store *st, long long n, hw_time at,
			struct hw_error *err)
{
	struct hw_change c = {0};
	char **undo = NULL;
	int ok;

	if (hw_store_change_get(st, n, &c, err) < 0)
		return -1;
	if (may(&c, S_IMPLEMENT, err) < 0 || still_holds(st, &c, err) < 0) {
		hw_change_release(&c);
		return -1;
	}
	hw_change_release(&c);
	if (open_step(st, n, S_IMPLEMENT, &c, err) < 0)
		return -1;
	undo = calloc(c.nedits + 1, sizeof *undo);
	ok = undo != NULL ||
	     hw_error_set(err, HW_ENOMEM, "out of memory") == 0;
	ok = ok && apply(st, &c, undo, err) == 0 &&
	     hwp_change_undo_put(st, n, undo, c.nedits, err) == 0 &&
	     set_text(&c.implemented_by, hwp_actor(st), err) == 0;
	free_undo(undo, c.nedits);
	c.implemented_at = at;
	c.state = HW_CHANGE_IMPLEMENTED;
	return close_step(st, &c, "implement", ok, err);
}

int hw_change_close(struct hw_store *st, long long n,
		    enum hw_change_result r, hw_time at, struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT];
	struct hw_change c = {0};
	int ok = 1;

	if (open_step(st, n, S_CLOSE, &c, err) < 0)
		return -1;
	if (c.state == HW_CHANGE_REJECTED && r != HW_RESULT_REJECTED)
		ok = hw_error_set(err, HW_EREFUSED,
				  "%s was rejected: it closes with result "
				  "rejected, not %s",
				  hw_change_id(n, id),
				  hw_change_result_name(r)) == 0;
	else if (c.state == HW_CHANGE_IMPLEMENTED &&
		 (r == HW_RESULT_REJECTED || r == HW_RESULT_NONE))
		ok = hw_error_set(err, HW_EREFUSED,
				  "%s was implemented: it closes with "
				  "success, failed or backed-out",
				  hw_change_id(n, id)) == 0;
	c.state = HW_CHANGE_CLOSED;
	c.result = r;
	c.closed_at = at;
	return close_step(st, &c, "close", ok, err);
}

int hw_change_cancel(struct hw_store *st, long long n, hw_time at,
		     struct hw_error *err)
{
	struct hw_change c = {0};

	if (open_step(st, n, S_CANCEL, &c, err) < 0)
		return -1;
	c.state = HW_CHANGE_CANCELLED;
	c.closed_at = at;
	return close_step(st, &c, "cancel", 1, err);
}

int hw_change_revert(struct hw_store *st, long long n, hw_time at,
		     struct hw_error *err)
{
	struct hw_change c = {0};
	char **undo = NULL;
	int ok;

	if (open_step(st, n, S_REVERT, &c, err) < 0)
		return -1;
	ok = hwp_change_undo_get(st, n, c.nedits, &undo, err) == 0 &&
	     hw_change_unapply(st, &c, undo, err) == 0 &&
	     set_text(&c.reverted_by, hwp_actor(st), err) == 0;
	free_undo(undo, c.nedits);
	c.reverted_at = at;
	return close_step(st, &c, "revert", ok, err);
}

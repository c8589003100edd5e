/*
 * change.h: the life of a change record (change.c, layer 4), as the
 * CAB runs it:
 *
 *   state        allowed
 *   new          edit, assess, cancel
 *   assessed     edit (back to new), assess again, decide, cancel
 *   approved     assess again (the approval lapses), implement, cancel
 *   rejected     close (result rejected)
 *   implemented  close (success, failed, backed-out), revert
 *   closed failed or backed-out: revert (once)
 *   closed otherwise, cancelled: nothing
 *
 * Every other step is refused with HW_EREFUSED naming the state and
 * what it allows ("CHG-0003 is approved: it cannot be edited (allowed:
 * assess, implement, cancel)").  Each step is one transaction of its
 * own (the store must have none open), audited; the actor is the
 * store's (hw_store_set_actor).  at is when the step happened (the
 * command's --at, else now); the audit keeps the real time.
 * Include highwater.h first.
 */
#ifndef HW_CHANGE_H
#define HW_CHANGE_H

struct json_t;

/* Record c as a new change: title, description, targets, edits and
 * planned as given; state new, requester the actor, created at.
 * Refused (HW_ENOTFOUND, HW_EINVAL, ... naming the edit or target) when
 * a target is no asset (nor one the edits add) or an edit would be
 * refused as a direct write now: the edits are tried in a transaction
 * rolled back.  c->n receives the number. */
int hw_change_new(struct hw_store *st, struct hw_change *c, hw_time at,
		  struct hw_error *err);

/* Amend change c->n with the title, description, planned time, targets
 * and edits of c (every other field of c is ignored): new or assessed
 * only; checked as hw_change_new checks them; an assessed change goes
 * back to new and its stored assessment is cleared.  Nothing is written
 * when nothing changes. */
int hw_change_amend(struct hw_store *st, const struct hw_change *c,
		    struct hw_error *err);

/* Assess change n as of at (posture.h's hw_change_assess_compute) and
 * store it: new, assessed or approved (the approval lapses, the
 * decision is cleared).  *out (if not NULL) receives the assessment (a
 * new JSON object). */
int hw_change_assess(struct hw_store *st, long long n, hw_time at,
		     struct json_t **out, struct hw_error *err);

/* Decide change n: approve or reject, by the actor (chair: a label of
 * who chaired, may be NULL), with reason (needed when the stored
 * assessment's route is full-cab).  Assessed only.  The requester
 * cannot approve their own change unless the setting
 * change.self_approval is "allow" (default "refuse"). */
int hw_change_decide(struct hw_store *st, long long n, int approve,
		     const char *reason, const char *chair, hw_time at,
		     struct hw_error *err);

/* Implement approved change n: its posture delta is computed again as
 * of the stored assessment's time; if it differs from the stored one,
 * HW_EREFUSED naming the first difference (assess again).  Otherwise
 * its edits are applied in one transaction with the state change,
 * their undo texts kept for a revert. */
int hw_change_implement(struct hw_store *st, long long n, hw_time at,
			struct hw_error *err);

/* Close change n with result r: an implemented change with success,
 * failed or backed-out; a rejected one with rejected. */
int hw_change_close(struct hw_store *st, long long n,
		    enum hw_change_result r, hw_time at,
		    struct hw_error *err);

/* Cancel change n (new, assessed or approved); at is kept as its
 * closed_at. */
int hw_change_cancel(struct hw_store *st, long long n, hw_time at,
		     struct hw_error *err);

/* Revert change n (implemented, or closed failed or backed-out, not
 * reverted yet): the inverse of its edits, refused naming the objects
 * that later writes changed (nothing is written then). */
int hw_change_revert(struct hw_store *st, long long n, hw_time at,
		     struct hw_error *err);

/* The self-approval setting: 1 if requesters may approve their own
 * changes (change.self_approval = allow). */
int hw_change_self_approval(struct hw_store *st, int *allowed,
			    struct hw_error *err);

/* The change as JSON (history JSON's shape): a new value, NULL out of
 * memory (change-assets.c). */
struct json_t *hw_change_json(const struct hw_change *c);

/* Append to c's edits an add-asset edit for each asset of the JSON
 * inventory file at path and an add-dep edit for each of its
 * dependencies (change-assets.c); a file with other sections
 * (information types) is refused.  HW_EFORMAT naming the file and the
 * member; c's edits as they were on failure. */
int hw_change_read_assets(const char *path, struct hw_change *c,
			  struct hw_error *err);

/* ------------------------------------------------------------------ */
/* What change new and change edit are told (change-draft.c): a draft */
/* the CLI fills from its options and the service from a JSON body.   */

struct hw_change_draft {
	struct hw_change c; /* title, description, planned, targets, edits */
	int title, description, planned, targets; /* each given */
	int clear_edits; /* edit: drop the change's edits before c's */
};

void hw_change_draft_release(struct hw_change_draft *d);

/* Record the draft as a new change (hw_change_new): HW_EINVAL "missing
 * title" or "missing target" first.  The number in *n. */
int hw_change_draft_new(struct hw_store *st, struct hw_change_draft *d,
			hw_time at, long long *n, struct hw_error *err);

/* Amend change n with what the draft gives (hw_change_amend): a title,
 * description ("" removes it), planned time or targets given replace
 * the change's; its edits are appended after the change's own, which
 * clear_edits drops first.  The draft's parts are taken over. */
int hw_change_draft_amend(struct hw_store *st, long long n,
			  struct hw_change_draft *d, struct hw_error *err);

/* One step on a change after its recording: what the CLI's options and
 * the service's body say (change-draft.c). */
enum hw_change_step_kind {
	HW_STEP_ASSESS,
	HW_STEP_DECIDE,
	HW_STEP_IMPLEMENT,
	HW_STEP_CLOSE,
	HW_STEP_CANCEL,
	HW_STEP_REVERT
};

struct hw_change_step {
	enum hw_change_step_kind kind;
	hw_time at;		      /* when (0: now) */
	int approve;		      /* decide: approve (1) or reject */
	char *reason, *chair;	      /* decide: may be NULL */
	enum hw_change_result result; /* close */
};

void hw_change_step_release(struct hw_change_step *s);

/* Take the step on change n (hw_change_assess, _decide, ...); assess
 * puts the assessment in *assessment when not NULL. */
int hw_change_step_run(struct hw_store *st, long long n,
		       const struct hw_change_step *s,
		       struct json_t **assessment, struct hw_error *err);

#endif /* HW_CHANGE_H */

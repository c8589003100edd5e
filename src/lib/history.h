/*
 * history.h: what happened to the inventory: change records with their
 * proposed edits, and incidents.  The records and the store operations
 * on them (store-change.c, store-incident.c); the life of a change is
 * change.h, its assessment posture.h.
 *
 * Ids: a change is CHG-NNNN, an incident INC-NNNN (at least four
 * digits), numbered from 1 in each database.  Records name assets by
 * id, not by key: an asset removed later keeps its history.
 */
#ifndef HW_HISTORY_H
#define HW_HISTORY_H

#include "instant.h"

enum hw_change_state {
	HW_CHANGE_NEW,
	HW_CHANGE_ASSESSED,
	HW_CHANGE_APPROVED,
	HW_CHANGE_REJECTED,
	HW_CHANGE_IMPLEMENTED,
	HW_CHANGE_CLOSED,
	HW_CHANGE_CANCELLED
};

enum hw_change_result {
	HW_RESULT_NONE, /* not closed */
	HW_RESULT_SUCCESS,
	HW_RESULT_FAILED,
	HW_RESULT_BACKED_OUT,
	HW_RESULT_REJECTED
};

/* "new", "assessed", ...; "success", "failed", "backed-out",
 * "rejected" ("" for none).  _parse: 0, or -1 for an unknown name. */
const char *hw_change_state_name(enum hw_change_state s);
const char *hw_change_result_name(enum hw_change_result r);
int hw_change_state_parse(const char *s, enum hw_change_state *out);
int hw_change_result_parse(const char *s, enum hw_change_result *out);

/* One proposed edit to the inventory. */
enum hw_edit_kind {
	HW_EDIT_ADD_DEP,   /* dep: from, to, type, carries */
	HW_EDIT_RM_DEP,	   /* dep: from, to */
	HW_EDIT_SET,	   /* asset, field, value (as asset set takes them) */
	HW_EDIT_ADD_ASSET  /* asset: a whole new asset with its assignments */
};

struct hw_change_edit {
	enum hw_edit_kind kind;
	struct hw_dep dep;	/* ADD_DEP, RM_DEP */
	char *asset;		/* SET: the asset's id */
	char *field, *value;	/* SET */
	struct hw_asset add;	/* ADD_ASSET */
};

struct hw_change {
	long long n;			/* CHG number; 0 until stored */
	char *title, *description;	/* description may be NULL */
	char **targets;			/* asset ids */
	size_t ntargets;
	struct hw_change_edit *edits;	/* in the order given */
	size_t nedits;
	enum hw_change_state state;
	enum hw_change_result result;
	char *requester;		/* the actor who made it */
	hw_time created, planned;	/* planned 0: not given */
	hw_time assessed_at;		/* 0: no stored assessment */
	char *decided_by, *chair, *reason; /* chair: --by, a label */
	hw_time decided_at;
	char *implemented_by;
	hw_time implemented_at;		/* --at, else the time of the write */
	hw_time closed_at;
	hw_time reverted_at;		/* 0: not reverted */
	char *reverted_by;
};

void hw_change_edit_release(struct hw_change_edit *e);
void hw_change_release(struct hw_change *c);

/* "CHG-0001" from n into buf; parse "CHG-1", "CHG-0001" (case-
 * insensitive) into n: 0, or HW_EINVAL naming the text. */
#define HW_CHANGE_ID_TEXT 24
const char *hw_change_id(long long n, char buf[HW_CHANGE_ID_TEXT]);
int hw_change_id_parse(const char *s, long long *n, struct hw_error *err);

struct hw_incident {
	long long n;		/* INC number; 0 until stored */
	char *asset;		/* the asset's id */
	char *title;
	hw_time opened, resolved; /* resolved 0: open */
	long long change;	/* CHG number that caused it, 0 for none */
	char *reporter;		/* the actor who recorded it */
};

void hw_incident_release(struct hw_incident *i);
const char *hw_incident_id(long long n, char buf[HW_CHANGE_ID_TEXT]);
int hw_incident_id_parse(const char *s, long long *n, struct hw_error *err);

/* Store: changes (store-change.c).  _add stores a new change (state new,
 * n assigned into c->n, requester and created as given); _get fills *out
 * (HW_ENOTFOUND naming CHG-N); _update writes every field of c back
 * (edits and targets replaced); _each calls fn for each change in
 * number order, only those targeting asset when it is not NULL, only
 * open ones (not closed or cancelled) when open_only.  _import stores a
 * change as an inventory file gives it (its own number, state, result
 * and times; HW_EEXIST if that number holds a different change, nothing
 * when it holds the same).  Each write appends its audit record, in
 * the caller's transaction (a write outside one is refused, HW_EREFUSED,
 * before anything is written; so are the assessment's and undo's). */
int hw_store_change_add(struct hw_store *st, struct hw_change *c,
			struct hw_error *err);
int hw_store_change_get(struct hw_store *st, long long n, struct hw_change *out,
			struct hw_error *err);
int hw_store_change_update(struct hw_store *st, const struct hw_change *c,
			   const char *action, struct hw_error *err);
int hw_store_change_each(struct hw_store *st, const char *asset, int open_only,
			 int (*fn)(const struct hw_change *, void *), void *ctx,
			 struct hw_error *err);
int hw_store_change_import(struct hw_store *st, const struct hw_change *c,
			   struct hw_error *err);

/* The stored assessment of change n, as the JSON text posture.c made
 * (HW_ENOTFOUND when none); store one (NULL clears it). */
int hw_store_assessment_get(struct hw_store *st, long long n, char **json,
			    struct hw_error *err);
int hw_store_assessment_put(struct hw_store *st, long long n, hw_time at,
			    const char *json, struct hw_error *err);

/* Store: incidents (store-incident.c), the same pattern. */
int hw_store_incident_add(struct hw_store *st, struct hw_incident *i,
			  struct hw_error *err);
int hw_store_incident_get(struct hw_store *st, long long n,
			  struct hw_incident *out, struct hw_error *err);
int hw_store_incident_resolve(struct hw_store *st, long long n, hw_time at,
			      struct hw_error *err);
int hw_store_incident_each(struct hw_store *st, const char *asset,
			   int (*fn)(const struct hw_incident *, void *),
			   void *ctx, struct hw_error *err);
int hw_store_incident_import(struct hw_store *st, const struct hw_incident *i,
			     struct hw_error *err);

/* First response (incident.c): the changes implemented in the days
 * before until on asset or on what it depends on (its downward closure
 * in the dependency graph), newest first, one entry a change: targets
 * names those of its targets on the asset or below it (", " between),
 * distance the fewest hops from the asset to one of them (0: the asset
 * itself).  A new array in *out (hw_recent_changes_free), its length in
 * *n. */
struct hw_recent_change {
	long long change;
	char *title, *implemented_by, *targets;
	hw_time implemented_at;
	int distance;
};
struct hw_store;
int hw_incident_recent_changes(struct hw_store *st, const char *asset,
			       hw_time until, int days,
			       struct hw_recent_change **out, size_t *n,
			       struct hw_error *err);
void hw_recent_changes_free(struct hw_recent_change *v, size_t n);

#endif /* HW_HISTORY_H */

/* ------------------------------------------------------------------ */
/* Library-internal (seen once HW_PRIVATE_H is defined).               */
#if defined(HW_PRIVATE_H) && !defined(HW_HISTORY_PRIVATE_H)
#define HW_HISTORY_PRIVATE_H

/* The undo texts of change n's edits, as the implementation recorded
 * them (store-change.c): put count texts (NULL clears them), in the
 * caller's transaction; get them back (a new array of count new
 * strings; damage when an edit has none or not JSON). */
int hwp_change_undo_put(struct hw_store *st, long long n, char *const *undo,
			size_t count, struct hw_error *err);
int hwp_change_undo_get(struct hw_store *st, long long n, size_t count,
			char ***out, struct hw_error *err);

#endif /* HW_HISTORY_PRIVATE_H */

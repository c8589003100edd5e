/*
 * drift.h: configuration baselines, named snapshots of the inventory
 * (their store, store-snapshot.c), and the drift between a baseline and
 * the inventory now or another baseline (drift.c).  Not to be confused
 * with baseline.h, the SP 800-53B control baselines.
 *
 * A snapshot holds every asset with its own fields, levels and factors
 * (authorization included), every dependency and every information-type
 * assignment, all named by asset id: an asset removed later keeps its
 * entries.  Included by highwater.h after store.h.
 */
#ifndef HW_DRIFT_H
#define HW_DRIFT_H

struct hw_snapshot {
	char *name;
	char *created; /* "YYYY-MM-DDTHH:MM:SSZ" */
	char *actor;   /* who saved it */
	long long assets, dependencies, assignments; /* rows it holds */
};

/* Release what the record owns; NULL is fine. */
void hw_snapshot_release(struct hw_snapshot *s);

/* Save the inventory as it stands as baseline name, in one transaction
 * of its own, audited (action "save", object "baseline:NAME").  name is
 * 1-64 characters of A-Za-z0-9._:- (HW_EINVAL); HW_EEXIST if a baseline
 * has it (nothing written).  at is the time it records as saved (when
 * it was approved; 0: now); the audit keeps the real time of the
 * write.  out (may be NULL) is filled with the new baseline (caller
 * releases). */
int hw_store_snapshot_save(struct hw_store *st, const char *name, hw_time at,
			   struct hw_snapshot *out, struct hw_error *err);

/* The baseline called name into *out (caller releases); HW_ENOTFOUND
 * if there is none. */
int hw_store_snapshot_get(struct hw_store *st, const char *name,
			  struct hw_snapshot *out, struct hw_error *err);

/* Call fn for each baseline, oldest first (the record is borrowed for
 * the call); a non-zero return from fn stops the walk and is returned. */
int hw_store_snapshot_each(struct hw_store *st,
			   int (*fn)(const struct hw_snapshot *, void *),
			   void *ctx, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Drift                                                               */

enum hw_drift_section {
	HW_DRIFT_ASSETS,
	HW_DRIFT_ASSIGNMENTS,
	HW_DRIFT_DEPS,
	HW_DRIFT_SECTIONS
};

/* In the order they are reported. */
enum hw_drift_kind {
	HW_DRIFT_UNAUTHORIZED, /* an asset added whose authorization is
				  not yes: a CI never authorized */
	HW_DRIFT_ADDED,
	HW_DRIFT_REMOVED,
	HW_DRIFT_CHANGED,
	HW_DRIFT_KINDS
};

/* How a field's text is written in JSON. */
enum hw_drift_type { HW_DRIFT_TEXT, HW_DRIFT_NUMBER, HW_DRIFT_BOOL };

struct hw_drift_field {
	const char *name; /* the inventory format's key ("owner", ...) */
	enum hw_drift_type type;
	const char *before, *after; /* as text ("true"/"false" for a
				       bool); NULL: none */
};

struct hw_drift_item {
	enum hw_drift_section section;
	enum hw_drift_kind kind;
	const char *id;	   /* the asset; a dependency's from; an
			      assignment's asset */
	const char *other; /* a dependency's to, an assignment's
			      information type; NULL for an asset */
	const struct hw_drift_field *fields; /* changed: those that
						differ; added: those with
						a value after; removed:
						before */
	size_t nfields;
};

/* Items of each section and kind. */
struct hw_drift_counts {
	long long n[HW_DRIFT_SECTIONS][HW_DRIFT_KINDS];
};

/* The section's name ("assets", "assignments", "dependencies") and the
 * kind's ("never_authorized", "added", "removed", "changed"). */
const char *hw_drift_section_name(enum hw_drift_section s);
const char *hw_drift_kind_name(enum hw_drift_kind k);

/* Compare baseline from with baseline to, or (to NULL) with the
 * inventory now, as one consistent reading: counted(counts, ctx) first
 * (may be NULL), then fn(item, ctx) for each item, section by section,
 * kind by kind (never authorized first), in id order.  Items and the
 * counts are borrowed for the call.  The work is the engine's (joins in
 * temporary tables): memory does not grow with the inventory.
 * HW_ENOTFOUND for an unknown baseline.  A non-zero return from a
 * callback stops and is returned. */
int hw_drift_run(struct hw_store *st, const char *from, const char *to,
		 int (*counted)(const struct hw_drift_counts *, void *),
		 int (*fn)(const struct hw_drift_item *, void *), void *ctx,
		 struct hw_error *err);

#endif /* HW_DRIFT_H */

/* ------------------------------------------------------------------ */
/* Library-internal (drift.c and store-snapshot.c include this header
 * again after hw-private.h).                                          */
#if defined(HW_PRIVATE_H) && !defined(HW_DRIFT_PRIVATE_H)
#define HW_DRIFT_PRIVATE_H

/* Columns of a drift row, per section, in the store's order. */
#define HWP_DRIFT_COLS 17

/* One row of a drift as the store reads it: its columns before and
 * after as text (NULL: none, or the side where it is absent); strings
 * borrowed for the call. */
struct hwp_drift_row {
	enum hw_drift_section section;
	enum hw_drift_kind kind;
	const char *id, *other;
	size_t ncols;
	const char *before[HWP_DRIFT_COLS], *after[HWP_DRIFT_COLS];
};

/* The names and types of each section's columns (drift.c). */
extern const char *const hwp_drift_names[HW_DRIFT_SECTIONS][HWP_DRIFT_COLS];
extern const enum hw_drift_type hwp_drift_types[HW_DRIFT_SECTIONS]
					       [HWP_DRIFT_COLS];

/* The store's part of hw_drift_run: counts, then the rows in order. */
int hwp_drift_scan(struct hw_store *st, const char *from, const char *to,
		   int (*counted)(const struct hw_drift_counts *, void *),
		   int (*fn)(const struct hwp_drift_row *, void *), void *ctx,
		   struct hw_error *err);

#endif /* HW_DRIFT_PRIVATE_H */

/*
 * json-inventory.h: the JSON inventory format in and out (import.c with
 * its readers json-read.c and json-lines.c; json-write.c): part of the
 * public API, included by highwater.h.
 */
#ifndef HW_JSON_INVENTORY_H
#define HW_JSON_INVENTORY_H

#include <stdio.h>

struct hw_store;
struct hw_error;

struct hw_import_stats {
	long infotypes, assets, dependencies; /* records read */
	long changes, incidents;	      /* history records read */
	/* What the import did, by kind: [0] information types, [1]
	 * assets, [2] dependencies (removed: by --replace). */
	long added[3], updated[3], removed[3], unchanged[3];
	long assignments; /* rows of assignments tables read */
};

/* Import an inventory (DESIGN.md section 3, whole JSON or JSON Lines,
 * told apart by content) from path into st, inside one transaction that
 * is rolled back on any error and also when dry_run is set.  replace
 * clears the inventory first; otherwise records merge by id.  Errors
 * name the file, line and column (syntax) or the JSON path
 * ("assets[12].integrity").  progress (may be NULL) is called now and
 * then with bytes read and total. */
int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err);

/* Export the inventory as one JSON document (sorted keys, 2-space
 * indent, records in id order) to the stream fp (borrowed); the caller
 * checks and closes it.  progress (may be NULL) is told now and then
 * the records written of about total, and (total, total) at the end. */
int hw_export_json(struct hw_store *st, FILE *fp,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err);

/* One record of the inventory format from a JSON value v (a body the
 * service is sent), with the import's keys, checks and messages; the
 * error's source is the JSON path at fault, "$" the value itself
 * ("$.information_types[0].id"), its text what was expected.  *out is
 * written on success (release it).  An asset's assignments are
 * prepared (hw_store_assignment_prepare; st only read); it may not
 * give "authorized_by" or "authorized_at" (recorded by authorizing).
 * An assignment is one member of an asset's "information_types". */
struct json_t;
struct hw_asset;
struct hw_assignment;
struct hw_infotype;
struct hw_dep;
int hw_asset_from_json(struct hw_store *st, struct json_t *v,
		       struct hw_asset *out, struct hw_error *err);
int hw_assignment_from_json(struct hw_store *st, struct json_t *v,
			    struct hw_assignment *out, struct hw_error *err);
int hw_infotype_from_json(struct json_t *v, struct hw_infotype *out,
			  struct hw_error *err);
int hw_dep_from_json(struct json_t *v, struct hw_dep *out,
		     struct hw_error *err);

/* Change asset a by the object v of the format's asset keys, each as
 * asset set changes that field (null clears what "FIELD=" clears;
 * "information_types" replaces the assignments, prepared with st;
 * "x-" keys are ignored; "id" and the authorization cannot be given):
 * errors as above, a left partly changed then. */
int hw_asset_patch_json(struct hw_store *st, struct hw_asset *a,
			struct json_t *v, struct hw_error *err);

/* Return the export as a new string (caller frees with free()). */
char *hw_export_json_string(struct hw_store *st, struct hw_error *err);

#endif

/*
 * import-files.h: importing several inventory files in one transaction
 * (public, through highwater.h), whatever their formats: JSON, JSON
 * Lines, the four CSV tables, inventory workbooks (xlsx).
 * Exporting the inventory as the four CSV tables.
 */
#ifndef HW_IMPORT_FILES_H
#define HW_IMPORT_FILES_H

#include <stddef.h>

struct hw_store;
struct hw_error;
struct hw_import_stats;

/* One difference a dry run found between the inventory as it is and
 * as the import would leave it.  Strings are borrowed for the call. */
enum hw_diff_change {
	HW_DIFF_ADDED,	 /* the object is new */
	HW_DIFF_CHANGED, /* field changes from before to after */
	HW_DIFF_REMOVED	 /* the object goes (--replace) */
};
struct hw_import_diff {
	enum hw_diff_change change;
	const char *kind;  /* "information type", "asset", "assignment",
			      "dependency" */
	const char *id;	   /* its id; an assignment's "ASSET TYPE", a
			      dependency's "FROM -> TO" */
	const char *field; /* HW_DIFF_CHANGED: the field; else NULL */
	const char *before, *after; /* HW_DIFF_CHANGED: the field's values
				       as text (a string as itself, others
				       as JSON), NULL where it has none */
};

/* How files are imported. */
struct hw_import_opts {
	int replace;	     /* clear the inventory first */
	int dry_run;	     /* check everything, change nothing */
	const char *kind;    /* every CSV file is this table
				("information-types", "assets",
				"assignments", "dependencies"); NULL: each
				told by its header row */
	const char *columns; /* renames of source columns,
				"Hostname=id,Owner Email=owner"; NULL none */
	void (*progress)(long long done, long long total, void *);
	void *pctx; /* progress's */
	/* With dry_run (may be NULL): called for each difference, when
	 * everything has been checked, in order: information types,
	 * assets (each with its assignments), dependencies; within a
	 * kind, added and changed by id, then removed by id. */
	void (*diff)(const struct hw_import_diff *d, void *ctx);
	void *dctx; /* diff's */
	/* What messages and the audit's summary call the files (e.g. a
	 * request's body written to a temporary file), one for each
	 * path; NULL: their paths. */
	const char *const *names;
};

/* Whether kind names a table (--kind's words): 1 or 0. */
int hw_import_kind_valid(const char *kind);

/* Whether spec is a good --columns map ("Hostname=id,Owner Email=owner"):
 * 0, or -1 with err (HW_EINVAL) naming the part that is wrong. */
int hw_import_columns_check(const char *spec, struct hw_error *err);

/* The formats a file may hold, told by its content and name. */
enum hw_file_format {
	HW_FILE_JSON, /* a document or JSON Lines */
	HW_FILE_CSV,  /* one of the four tables */
	HW_FILE_XLSX  /* a workbook: the four tables as sheets */
};

/* The format of path: ".csv" is CSV, ".xlsx" a workbook, ".json" and
 * ".jsonl" JSON; any other name by its first byte ("{" JSON, else
 * CSV).  -1 with err when it cannot be opened. */
int hw_file_format_of(const char *path, struct hw_error *err);

/* Import the n files paths into st, in one transaction: all of them or
 * nothing (and nothing when o->dry_run).  Whatever the order given,
 * they are applied information types first, then assets, assignments
 * and dependencies (a JSON file counts as assets: it may hold all).
 * Without an assignments table the stored assignments stay; with one,
 * each asset it names gets exactly its assignments, and an asset it
 * names that is in neither the files nor the database is an error.
 * Errors name the file, line and column (or JSON path) and say what
 * was expected.  stats (may be NULL) totals every file's. */
int hw_import_files(struct hw_store *st, const char *const *paths, size_t n,
		    const struct hw_import_opts *o,
		    struct hw_import_stats *stats, struct hw_error *err);

/* Write the inventory as information-types.csv, assets.csv,
 * dependencies.csv and assignments.csv into dir (created, owner-only,
 * when missing): UTF-8 without a byte-order mark, CRLF line ends
 * (RFC 4180), a header row, records sorted as the JSON export sorts
 * them, text that looks like a formula written with one leading "'".
 * Each file is written beside its place and renamed into it (mode
 * 0600); an existing file is replaced only when force (else HW_EEXIST
 * naming it, before anything is written).  History is not in CSV. */
int hw_export_csv(struct hw_store *st, const char *dir, int force,
		  void (*progress)(long long done, long long total, void *),
		  void *pctx, struct hw_error *err);

#endif

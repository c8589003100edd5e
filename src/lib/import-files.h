/*
 * import-files.h: importing several inventory files in one transaction
 * (public, through highwater.h), whatever their formats: JSON, JSON
 * Lines, the four CSV tables (and, where a reader is added, workbooks).
 * Exporting the inventory as the four CSV tables.
 */
#ifndef HW_IMPORT_FILES_H
#define HW_IMPORT_FILES_H

#include <stddef.h>

struct hw_store;
struct hw_error;
struct hw_import_stats;

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
	HW_FILE_XLSX  /* a workbook (its reader plugs in at import-files.c) */
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

/*
 * table.h: the inventory as four tables (DESIGN.md section 3), format-
 * neutral (library-private): one definition of each table's columns,
 * shared by the CSV writer and reader and the inventory workbook's
 * sheets and their reader; a header row mapped to a table's columns;
 * a row of text cells turned into an import record; a record's values
 * as text cells on the way out.  No file, no store, no shared state:
 * safe on any thread (the readers parse on worker threads).  Names are
 * hwp_inv_ (inventory tables): hwp_table_ is the report workbooks'
 * table writer (hw-xlsx.h).
 *
 * A reader (CSV, a worksheet) does, per source (the header may be read
 * again: a header read before is released):
 *
 *	struct hwp_inv_head th;
 *	hwp_inv_head_init(&th);
 *	hwp_inv_head_read(&th, kind, &colmap, cells, n, &bad, &e);
 *	for each data row:
 *		hwp_inv_row(&th, cells, n, ord, pool, &rec, &bad, &e);
 *	hwp_inv_head_release(&th);
 *
 * The table layer never says where a cell is: on failure it returns -1
 * with e->text saying what is wrong and what was expected (no source,
 * no line) and *bad the index of the source cell at fault (0-based, as
 * given in cells), or HWP_INV_ROW when the row as a whole is.  The
 * reader then places it: CSV as "FILE" line L column C (the character
 * column where the cell starts), a worksheet as "FILE" with the text
 * "sheet 'Assets', cell F12 (integrity): ..."; hwp_inv_head_column
 * gives the table column a source cell maps to, for such messages.
 */
#ifndef HW_TABLE_H
#define HW_TABLE_H

#include <stddef.h>

#include "import.h"

/* The four tables, in the order an import applies them. */
enum hwp_inv_kind {
	HWP_INV_INFOTYPES,   /* information-types */
	HWP_INV_ASSETS,	     /* assets */
	HWP_INV_ASSIGNMENTS, /* assignments */
	HWP_INV_DEPS,	     /* dependencies */
	HWP_INV_COUNT
};

/* At most this many columns in a table. */
#define HWP_INV_MAXCOLS 24

/* *bad when the row as a whole is at fault (not one cell). */
#define HWP_INV_ROW ((size_t)-1)

/* The columns of the assets table: every key of an exported asset
 * (record-json.c) but its assignments, a table of their own; the JSON
 * reader takes the same keys (json-records.c).  The factors are in
 * enum hw_factor order. */
#define HWP_INV_ASSET_COLUMNS                                                  \
	"id", "name", "type", "owner", "description", "confidentiality",       \
	    "integrity", "availability", "internet_facing", "vulnerabilities", \
	    "worst_cvss", "last_patched", "end_of_life", "authorized",         \
	    "implemented_baseline", "downtime_cost", "authorized_by",          \
	    "authorized_at"

/* A table: its names and its columns, in the order export writes them
 * (which is also the inventory workbook's). */
struct hwp_inv_table {
	enum hwp_inv_kind kind;
	const char *name;	    /* "assets": --kind's word, and the CSV
				       file's name without ".csv" */
	const char *title;	    /* "Assets": the workbook's sheet */
	const char *const *columns; /* NULL-terminated */
	size_t ncolumns;
	unsigned required; /* bit i: columns[i] must be in the header */
};

/* The table of kind k (0 <= k < HWP_INV_COUNT); borrowed, static. */
const struct hwp_inv_table *hwp_inv_table_get(enum hwp_inv_kind k);

/* The table named name (its name, e.g. "information-types") or -1. */
int hwp_inv_table_find(const char *name);

/* Index of column in t's columns, or -1. */
int hwp_inv_column_index(const struct hwp_inv_table *t, const char *column);

/* Renames of source columns, applied before a header is matched:
 * "Hostname=id,Owner Email=owner" (--columns).  Each source name once;
 * the target must be a column of some table. */
struct hwp_colmap {
	size_t n;
	char **from, **to; /* n each, owned */
};

/* Parse spec into m (empty or NULL spec: no renames).  0, or -1 with
 * err (HW_EINVAL) naming the part that is wrong: "expected
 * NAME=COLUMN", an empty name, a name given twice, a target that is no
 * column.  m is written on success only; release with
 * hwp_colmap_release. */
int hwp_colmap_parse(struct hwp_colmap *m, const char *spec,
		     struct hw_error *err);
void hwp_colmap_release(struct hwp_colmap *m);

/* The target of source column name under m, or name itself. */
const char *hwp_colmap_apply(const struct hwp_colmap *m, const char *name);

/* A header row read: which table, and where each of its columns is. */
struct hwp_inv_head {
	const struct hwp_inv_table *t;
	size_t ncells;		 /* cells in the header row */
	signed char *col;	 /* ncells: source cell -> index in
				    t->columns, -1 ignored ("x-") */
	int at[HWP_INV_MAXCOLS]; /* t's column -> source cell, -1 absent */
};

void hwp_inv_head_init(struct hwp_inv_head *h);
void hwp_inv_head_release(struct hwp_inv_head *h);

/* Read a header row: n cells (UTF-8 text, NUL-terminated), each
 * renamed by m (may be NULL) first.  kind -1 tells the table by its
 * columns: the one table that holds every column given (but "x-" ones)
 * and finds all its required ones there ("id,name" is
 * information-types, "id,name,type" assets); when none or several do,
 * the table holding most of them (its unknown or missing column is then
 * the error).  Otherwise the table is kind.  Cells named
 * "x-..." are ignored; an empty cell, an unknown or repeated column
 * is an error at that cell; a missing required column is an error at
 * HWP_INV_ROW naming it.  0, or -1 with *bad and err as above. */
int hwp_inv_head_read(struct hwp_inv_head *h, int kind,
		      const struct hwp_colmap *m, const char *const *cells,
		      size_t n, size_t *bad, struct hw_error *err);

/* The table column source cell i maps to ("integrity"), or NULL (an
 * "x-" column, or past the header). */
const char *hwp_inv_head_column(const struct hwp_inv_head *h, size_t i);

/* A data row under h: n text cells (fewer than the header's: the rest
 * are empty; more: an error at the first extra cell that is not empty).
 * An empty cell is "no value"; booleans are true/false/yes/no in any
 * case; a text cell that starts with "'" loses that one "'" (the
 * formula rule).  *out, allocated in pool with its strings, is an
 * import record of h's table: HWP_REC_INFOTYPE, HWP_REC_ASSET (with
 * keep_types 1: its assignments are not in this table),
 * HWP_REC_ASSIGNMENT or HWP_REC_DEP, with ord as its h.ord (the line,
 * or the row).  0, or -1 with *bad and err (no source, no line). */
int hwp_inv_row(const struct hwp_inv_head *h, const char *const *cells,
		size_t n, long ord, struct hwp_pool *pool, struct hwp_rec **out,
		size_t *bad, struct hw_error *err);

/* On the way out: the formula rule.  Whether text s must be written
 * with one leading "'" so that no spreadsheet takes it for a formula
 * (it starts with = + - @ ' TAB or CR).  Numbers are never quoted:
 * writers call this for text cells only. */
int hwp_inv_needs_quote(const char *s);

/* A row's values as text cells, in t->columns order: vals[i] points
 * into buf (size bytes; 1024 is enough for the numbers and levels, the
 * texts are borrowed from the record) or at a borrowed string; "" is
 * an empty cell.  *text (may be NULL) gets bit i set when column i is
 * text (subject to the formula rule), clear for numbers, booleans and
 * levels.  Assets: every column but the assignments; assignments: one
 * row per assignment g of asset a, levels empty where they equal the
 * catalogue's provisional ones (as JSON export leaves them out). */
void hwp_inv_infotype_cells(const struct hw_infotype *t,
			    const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			    char *buf, size_t size);
void hwp_inv_asset_cells(const struct hw_asset *a,
			 const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			 char *buf, size_t size);
void hwp_inv_assignment_cells(const struct hw_asset *a,
			      const struct hw_assignment *g,
			      const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			      char *buf, size_t size);
void hwp_inv_dep_cells(const struct hw_dep *d,
		       const char *vals[HWP_INV_MAXCOLS], unsigned *text,
		       char *buf, size_t size);

#endif

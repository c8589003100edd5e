/*
 * import-engine.h: the import engine's state, shared by its parts
 * (library-private): import.c applies the records, import-deps.c
 * resolves, sorts, checks and inserts the dependencies.
 */
#ifndef HW_IMPORT_ENGINE_H
#define HW_IMPORT_ENGINE_H

#include "canon.h"
#include "import.h"

/* An asset id the import has met, in the file or in the database. */
struct ident {
	hw_key n; /* the store's key; 0 while not known */
	long ord; /* where the file holds the asset; -1 not (yet), -2
		     not in the database either */
	unsigned char old; /* it was in the database before the import */
	const char *file;  /* where ord is (the reader's name for it) */
	char id[];
};

/* ids -> ident, open addressing; a slot keeps the whole hash, so that a
 * miss seldom and a hit once looks at an ident (which holds its id). */
struct idslot {
	uint64_t hash;
	struct ident *ent; /* NULL: empty */
};

struct idmap {
	struct idslot *slots;
	size_t cap, count; /* cap a power of two */
	struct hwp_pool idents;
};

/* Dependencies are struct hwp_dep_row.  An end not known yet (JSON
 * Lines may name an asset before its line) is LATER | the address of its
 * ident until resolved; flag is 1 once the row is in the store, 2 when
 * the store holds it as it is (nothing to write).  Rows are
 * inserted a sorted chunk at a time while the file is read (most of the work
 * then overlaps the parsing), all that is left at the end. */
#define LATER (1ULL << 63)
#define LATER_IDENT(end) ((struct ident *)(uintptr_t)((end) & ~LATER))
#define CHUNK (1u << 18)

/* Where dependency rows come from: a row's ord is its line (or index)
 * in its file plus the file's offset, so that the ords of many files
 * (read one after another) keep their order and tell the file. */
struct dep_file {
	const char *file; /* the reader's name for it */
	uint32_t offset;
};

/* A table of assignments, held until the assets it names are applied
 * (import-assign.c): each asset named, and its rows in a list. */
struct assign_row {
	const char *type, *why; /* in the pool */
	const char *file;	/* where the row is (the reader's name) */
	long line;
	int col_asset, col_type; /* the cells' columns, 0 not known */
	struct hw_sc selected;
	uint32_t next; /* the asset's next row, or HWP_NONE */
};

struct assign_asset {
	const char *id; /* in the pool */
	uint32_t first, last;
	int applied; /* its asset took the rows */
};

struct assign_table {
	int given;		 /* the import has an assignments table */
	int done;		 /* the rows were applied */
	struct hwp_map index;	 /* asset id -> index in assets */
	struct assign_asset *assets;
	size_t nassets, capassets;
	struct assign_row *rows;
	size_t nrows, caprows;
	struct hwp_arena strings;
};

/* What the import did to each kind of record (the audit's summary). */
enum { K_INFOTYPE, K_ASSET, K_DEP, K_COUNT };

struct hwp_import {
	struct hw_store *st;
	const char *name; /* what was imported: the reader's file (the
			     audit's summary names it) */
	struct hwp_where w;
	struct hw_import_stats stats;
	int audit;	/* write audit records (not a dry run) */
	int empty;	/* the inventory was empty: everything is new */
	hw_time now;	/* the import's time (authorized_at it fills in) */
	struct hwp_buf before, after, object; /* one record's texts */
	struct idmap ids;
	struct hwp_map types; /* information types of this file: id -> ord */
	struct hwp_map changes, incidents; /* numbers of this file -> ord */
	struct hwp_arena type_ids;
	struct hwp_dep_row *deps;
	size_t ndeps, capdeps;
	size_t nlater;		     /* rows with an end not known yet */
	size_t nstored;		     /* rows [0, nstored) are in the store */
	int dup_seen;		     /* a run held a row twice: the import
					fails at the end, nothing more is
					stored */
	struct hwp_dep_row *sortbuf; /* scratch for sorting */
	size_t capsort;
	size_t *runs; /* where each sorted run of stored rows starts */
	size_t nruns, capruns;
	struct dep_file *depfiles; /* offsets ascending */
	size_t ndepfiles, capdepfiles;
	uint32_t depnext;      /* the next file's offset */
	int assets_done;       /* told the store the assets are in */
	int assets_in; /* every asset of the import is applied: an unknown
			  dependency end is an error at once */
	long long done, total; /* bytes of the file applied, and in all */
	struct hw_assignment *scratch; /* one asset's assignments */
	size_t capscratch;
	struct assign_table assign;
};

/* Dependencies (import-deps.c).  _resolve: ends of rows [from, ndeps)
 * not known when read and known now; _sort: all rows by (from, to);
 * _report_duplicate: report the first duplicate in file order (before
 * ord before, when not -1): 1 reported, 0 none, -1 on error (rows
 * sorted); _store_chunk: while reading, insert the rows read since the
 * last chunk (unless some end is not known yet); _finish: after every
 * record, check (unknown ends, duplicates) and insert the rest. */
void hwp_deps_resolve(struct hwp_import *im, size_t from);
/* The ord of a row read now at line (or index) ord of the reader's
 * current file; 0, or -1 with the error set. */
int hwp_deps_ord(struct hwp_import *im, long ord, uint32_t *out);
int hwp_deps_sort(struct hwp_import *im);
int hwp_deps_report_duplicate(struct hwp_import *im, long before);
int hwp_deps_store_chunk(struct hwp_import *im);
int hwp_deps_finish(struct hwp_import *im);

/* A table of assignments (import-assign.c).  _add: hold row r (when the
 * same asset is given the same type twice, an error); _for: the rows
 * of asset id as its assignments, into im->scratch (*n of them, each
 * checked against the catalogue, an error naming the row; sorted), or
 * 0 with *n = HWP_NONE when the table names no such asset;
 * _fail_missing: the error e of looking up the table's asset k, at its
 * first row (not found: in neither the files nor the database);
 * _release. */
int hwp_assign_add(struct hwp_import *im, const struct hwp_rec_assignment *r);
int hwp_assign_for(struct hwp_import *im, const char *id, size_t *n);
int hwp_assign_fail_missing(struct hwp_import *im, size_t k,
			    const struct hw_error *e);
void hwp_assign_release(struct assign_table *t);

/* Assignments in the order the store reads them back (by type id), for
 * qsort. */
int hwp_assignment_cmp(const void *a, const void *b);

/* Once the assets are in (import.c): each asset the assignments table
 * names and no file held gets the table's rows on its stored copy; an
 * asset in neither the files nor the database is an error at its
 * first row.  Once; readers of many files call it before the first
 * table of dependencies (whose unknown ends are then errors at their
 * own rows, not at the end), the engine at the end. */
int hwp_import_assignments_done(struct hwp_import *im);

/* A dry run's differences (import-diff.c): the inventory in st, inside
 * the import's transaction, against the inventory as committed (read
 * through a second connection), each told to fn.  0, or -1 with err. */
int hwp_import_diff(struct hw_store *st,
		    void (*fn)(const struct hw_import_diff *, void *),
		    void *ctx, struct hw_error *err);

#endif

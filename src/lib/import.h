/*
 * import.h: the format-neutral import engine (library-private): the
 * records a reader hands over, and the interface between readers and
 * the engine that validates, resolves references and applies them.
 */
#ifndef HW_IMPORT_H
#define HW_IMPORT_H

#include <stdarg.h>
#include <stdint.h>

#include "hw-private.h"

struct hw_import_diff;

/* Where errors go, and the place they name. */
struct hwp_where {
	const char *file;
	int lines; /* records are located by line (JSON Lines), else by
		      their index in a document's array */
	long line; /* the line being parsed or applied */
	struct hw_error *err;
	int syntax; /* err is the source's syntax: it wins over the
		       engine's checks of what was read before it */
};

/* Fail with "<path>: <message>" located in the file (the line when w
 * locates by line); returns -1. */
int hwp_where_fail(struct hwp_where *w, const char *path, enum hw_errcode code,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same at character column column of the line (a table's cell; 0
 * none). */
int hwp_where_fail_at(struct hwp_where *w, int column, const char *path,
		      enum hw_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Re-raise an error from a helper with the path in front. */
int hwp_where_rewrap(struct hwp_where *w, const char *path,
		     const struct hw_error *e);
int hwp_where_nomem(struct hwp_where *w);

/* Records: what a reader turns its source into.  Strings are borrowed
 * from the reader (its pool) until the engine has applied the record. */
enum hwp_rec_kind {
	HWP_REC_INFOTYPE,
	HWP_REC_ASSET,
	HWP_REC_DEP,
	HWP_REC_ASSIGNMENT, /* one row of a table of assignments */
	HWP_REC_CHANGE, /* history from here on (owns what it holds) */
	HWP_REC_INCIDENT
};

/* What every record starts with. */
struct hwp_rec {
	enum hwp_rec_kind kind;
	long ord; /* line (by line) or index in its array */
};

struct hwp_rec_infotype {
	struct hwp_rec h;
	const char *id, *name, *category;
	struct hw_sc prov;
};

struct hwp_rec_assign {
	const char *id, *why;
	struct hw_sc selected; /* as given: unset levels stay NONE */
};

struct hwp_rec_asset {
	struct hwp_rec h;
	const char *id, *name, *owner, *description;
	const char *type; /* an entry of hw_asset_types */
	uint64_t hash;	  /* of id: hwp_import_hash */
	struct hw_sc direct;
	int internet_facing;
	struct hw_factors factors;
	const char *authorized_by; /* NULL: not given */
	hw_time authorized_at;	   /* 0: not given */
	size_t ntypes;
	struct hwp_rec_assign *types;
	int keep_types; /* the source gives no assignments (a table of
			   assets): the stored ones stay, or those of an
			   assignments table in the same import */
	int col_id;	/* the id's cell's column in messages (a table), 0
			   none */
};

/* One assignment of a table of assignments: asset gets a.id. */
struct hwp_rec_assignment {
	struct hwp_rec h;
	const char *asset;
	uint64_t hash; /* of asset */
	struct hwp_rec_assign a;
	int col_asset, col_type; /* the columns of the asset's and the
				    type's cells in messages, 0 none */
};

struct hwp_rec_dep {
	struct hwp_rec h;
	const char *from, *to;
	uint64_t hfrom, hto; /* hashes of from and to */
	unsigned char type;  /* index into hw_dep_types */
	unsigned char carries;
	int col_from, col_to; /* the ends' cells' columns in messages (a
				 table), 0 none */
};

/* History: the record owns what its struct holds (released with the
 * batch that holds it, hwp_rec_release), the engine borrows it. */
struct hwp_rec_change {
	struct hwp_rec h;
	struct hw_change c;
};

struct hwp_rec_incident {
	struct hwp_rec h;
	struct hw_incident i;
};

/* Release what a record owns (history records; nothing for others). */
void hwp_rec_release(struct hwp_rec *r);

/* The hash the engine keys ids by (records carry it, computed where
 * they are parsed, often on another thread). */
uint64_t hwp_import_hash(const char *s);

/* An import in progress. */
struct hwp_import;

/* A reader: turns its source into records, handing each to
 * hwp_import_apply in source order; 0, or -1 with the error set through
 * hwp_import_where (or hwp_import_fail). */
struct hwp_reader {
	const char *file; /* named in messages (a reader of many files
			     sets the where's file as it goes) and by the
			     audit's summary */
	int lines;	  /* records located by line */
	int (*read)(struct hwp_import *im, void *ctx);
	void *ctx;
	/* A dry run's differences (hw_import_opts's diff), or NULL. */
	void (*diff)(const struct hw_import_diff *d, void *dctx);
	void *dctx;
};

/* Run an import: begin a bulk load, let the reader hand its records,
 * check and insert the dependencies, commit (roll back when dry_run or
 * on any error).  The first error in source order wins. */
int hwp_import_run(struct hw_store *st, const struct hwp_reader *rd,
		   int replace, int dry_run, struct hw_import_stats *stats,
		   struct hw_error *err);

/* Apply one record (readers call this in source order). */
int hwp_import_apply(struct hwp_import *im, const struct hwp_rec *r);

/* The reader's place for errors: file, locating mode, error. */
struct hwp_where *hwp_import_where(struct hwp_import *im);

/* Set the import's error to e (a reader's, found on another thread)
 * unless one is set; returns -1. */
int hwp_import_fail(struct hwp_import *im, const struct hw_error *e);

/* How far the reader is: bytes read and in all (dependencies still to
 * come are estimated from it). */
void hwp_import_progress(struct hwp_import *im, long long done,
			 long long total);

/* Ask the engine to bring what r will look up into the cache (stage 0,
 * then 1 some records later). */
void hwp_import_prefetch(const struct hwp_import *im, const struct hwp_rec *r,
			 int stage);


#endif

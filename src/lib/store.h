/*
 * store.h: the store interface, everything the library asks of storage:
 * the public hw_store_* operations, and (for library files, which include
 * hw-private.h) the graph scans, key lookups and bulk loads.  No SQLite
 * type, pragma, row number or index switch stands in it.  Two engines
 * stand behind it: SQLite (a database path) and PostgreSQL through
 * libpq (a postgresql:// or postgres:// connection URI), both through
 * the facade of store-sql.h; store-pg*.c is PostgreSQL's side.  The
 * notes below say where the engines differ.  Included by highwater.h
 * after the record types.
 */
#ifndef HW_STORE_H
#define HW_STORE_H

/* ------------------------------------------------------------------ */
/* Store                                                               */

struct hw_store;

/* Create a new database file (mode 0600); refuses an existing file.
 * Loads the SP 800-60 catalogue from catalogue_csv (may be NULL to
 * skip).  Returns a new store, closed with hw_store_close.
 * PostgreSQL: the path is a connection string; create runs the
 * migrations into an empty schema (its own schema_version table). */
struct hw_store *hw_store_create(const char *path, const char *catalogue_csv,
				 struct hw_error *err);

/* How hw_store_open opens: flags, or'ed. */
/* Nothing is ever written (not even a migration: an older schema is
 * refused). */
#define HW_OPEN_READONLY 0x1
/* A database its group or others may write is used (else refused), and
 * its side files keep the modes SQLite gives them. */
#define HW_OPEN_SHARED 0x2
/* The file is taken as it is: neither its application id nor its
 * schema version is checked (nor migrated), and nothing is read from it
 * on open; with HW_OPEN_READONLY only.  For hw_doctor_check, which
 * reports what the open would refuse. */
#define HW_OPEN_AS_IS 0x4

/* Open an existing database (flags: HW_OPEN_*).  A symbolic link is
 * followed.  The side files (-wal, -shm) are made owner-only (0600)
 * unless HW_OPEN_SHARED.  Read-only in a folder it may not write, with
 * no -wal beside the database, it is opened as immutable (SQLite could
 * not make its -shm there).
 * Refuses a missing file, a file that is not a highwater database, one
 * written by a newer version, and without HW_OPEN_SHARED one that is
 * writable by its group or others.
 * PostgreSQL: readonly is a session in default_transaction_read_only. */
struct hw_store *hw_store_open(const char *path, int flags,
			       struct hw_error *err);

/* Close; returns 0 if the engine closed cleanly, -1 otherwise.  NULL is
 * fine. */
int hw_store_close(struct hw_store *st);

/* Who writes: the actor recorded in the audit trail and in history
 * (requester, decider, reporter).  Copied; NULL resets it to
 * "unknown".  HW_EINVAL for an empty or over-long name. */
int hw_store_set_actor(struct hw_store *st, const char *actor,
		       struct hw_error *err);

/* The database's own id into out: a UUID made when the file was
 * created or upgraded to schema 7, and kept by every copy of the file
 * (hw_store_backup): what OSCAL exports derive their stable UUIDs from.
 * HW_EDAMAGED if the row is missing or not a UUID.
 * PostgreSQL: the same one-row table, made by the same migration. */
int hw_store_database_id(struct hw_store *st, char out[HW_UUID_TEXT],
			 struct hw_error *err);

/* The inventory's generation into *out: a counter every committed write
 * to the inventory (assets, assignments, dependencies, information
 * types, risk factors) raises, whoever wrote it (triggers in the
 * database; a bulk load raises it once).  Equal generations: the same
 * inventory.  Outside a transaction only (HW_EINVAL inside one: its
 * writes may yet be undone).  HW_EDAMAGED if the counter's row is
 * missing.
 * PostgreSQL: the same one-row table and triggers. */
int hw_store_generation(struct hw_store *st, long long *out,
			struct hw_error *err);

/* What names the inventory a read transaction sees, for what is derived
 * from it and kept outside the database (the graph's snapshot): the
 * database's id, its generation, and the random tag the last counted
 * write drew (two histories of one file that reach the same generation,
 * a backup restored and then written to, differ in it).  Equal stamps:
 * the same inventory.  Inside a transaction only, a read transaction
 * (hw_store_read_begin) for what is kept (HW_EINVAL outside one).
 * PostgreSQL: the same one-row table and triggers. */
struct hw_stamp {
	char database_id[HW_UUID_TEXT];
	long long generation;
	unsigned char tag[8];
};
int hw_store_stamp(struct hw_store *st, struct hw_stamp *out,
		   struct hw_error *err);

/* Begin a read transaction, the generation it sees into *gen: what is
 * read until hw_store_read_end is the inventory at that generation,
 * whatever is written meanwhile (a whole-graph load and its stamp
 * agree); gen may be NULL (the snapshot is then the one the first read
 * sees).  Outside a transaction only (HW_EINVAL inside one).
 * PostgreSQL: REPEATABLE READ, READ ONLY. */
int hw_store_read_begin(struct hw_store *st, long long *gen,
			struct hw_error *err);
void hw_store_read_end(struct hw_store *st);

/* How long a write waits for another connection's write lock (a long
 * import from another process) before it fails with HW_EBUSY: ms
 * milliseconds (5000 until set; 0: it fails at once).  notice (may be
 * NULL) is called once a second into a wait, with ctx and ms: somebody
 * may be told why nothing happens.  A connection that reads meanwhile
 * never waits (write-ahead log).
 * PostgreSQL: lock_timeout. */
void hw_store_set_wait(struct hw_store *st, long ms,
		       void (*notice)(void *ctx, long ms), void *ctx);

/* Every wait until ms milliseconds from now ends by then, however many
 * times the lock is taken meanwhile (a request's whole budget), until
 * hw_store_set_wait or the next deadline.
 * PostgreSQL: lock_timeout, set again before each statement. */
void hw_store_set_deadline(struct hw_store *st, long ms);

/* Schema version this library writes. */
int hw_store_schema_version(void);

/* Write a consistent copy of the whole database to path, while others
 * read and write it: owner-only, put in place whole (a temporary file
 * beside path, then renamed) or not at all; an existing path is refused
 * (HW_EEXIST) unless force.  progress (may be NULL) is told pages done
 * and pages in all now and then.
 * PostgreSQL: a SQLite file all the same, the inventory copied row by
 * row (hw_store_copy's path, its chain verified); progress is told
 * rows. */
int hw_store_backup(struct hw_store *st, const char *path, int force,
		    void (*progress)(long long done, long long total, void *),
		    void *pctx, struct hw_error *err);

/* Copy the whole inventory of src, history included (the audit chain,
 * changes, incidents, baselines, users, settings), into a new database
 * at target: a path (SQLite, refused if anything is there; made beside
 * it and renamed whole) or a PostgreSQL URI (refused as init refuses
 * it; made in one transaction).  src is read as one moment saw it,
 * while others write; the copy keeps the database id, and its audit
 * chain is verified, with the source's head, before it is committed.
 * A source table this highwater does not know is refused.  progress
 * (may be NULL) is told rows done and rows in all now and then; *rows
 * (may be NULL) gets the rows copied. */
int hw_store_copy(struct hw_store *src, const char *target,
		  void (*progress)(long long done, long long total, void *),
		  void *pctx, long long *rows, struct hw_error *err);

/* Transactions: begin is BEGIN IMMEDIATE.  Nesting is not supported.
 * PostgreSQL: BEGIN ISOLATION LEVEL SERIALIZABLE ... COMMIT. */
int hw_store_begin(struct hw_store *st, struct hw_error *err);
int hw_store_commit(struct hw_store *st, struct hw_error *err);
void hw_store_rollback(struct hw_store *st);

/* Load the catalogue CSV (id,name,category,confidentiality,integrity,
 * availability) as builtin types.  Call inside a transaction.
 * PostgreSQL: the same records through hw_store_infotype_put (a few
 * hundred rows: no COPY needed). */
int hw_store_load_catalogue(struct hw_store *st, const char *csv_path,
			    struct hw_error *err);

/* Information types.  _get fills *out (caller releases); HW_ENOTFOUND if
 * absent.  _put inserts, or replaces when replace is set (HW_EEXIST
 * otherwise).  A shipped (builtin) type is replaced only by a builtin
 * one: a custom t with a shipped id is a no-op when it matches it
 * (hw_infotype_shipped_diff), else HW_EREFUSED.  Replacing a type's
 * levels moves every assignment objective that follows them (selected =
 * base) to the new levels and keeps adjusted ones; HW_EREFUSED naming
 * the asset when an assignment cannot follow (no levels left, or given
 * levels that would differ from the new ones without a justification).
 * PostgreSQL: the same statements (ON CONFLICT ... DO UPDATE, UPDATE
 * ... FROM), prepared once per connection with PQprepare. */
int hw_store_infotype_get(struct hw_store *st, const char *id,
			  struct hw_infotype *out, struct hw_error *err);
int hw_store_infotype_put(struct hw_store *st, const struct hw_infotype *t,
			  int replace, struct hw_error *err);

/* Call fn for each information type in id order; search (may be NULL)
 * keeps those whose id starts with it or whose name or category contains
 * every word of it (case-insensitive); builtin < 0 any, 0 custom only,
 * 1 catalogue only.  The record is borrowed for the call.  A non-zero
 * return from fn stops the walk and is returned. */
int hw_store_infotype_each(struct hw_store *st, const char *search, int builtin,
			   int (*fn)(const struct hw_infotype *, void *),
			   void *ctx, struct hw_error *err);

/* Assets.  _get fills *out with the asset and its assignments. */
int hw_store_asset_get(struct hw_store *st, const char *id,
		       struct hw_asset *out, struct hw_error *err);

/* Insert (HW_EEXIST if present) or, with replace, insert-or-replace the
 * asset's fields and its whole list of assignments (its dependencies
 * stay).  Assignments are checked: the type must exist, adjusted levels
 * need a justification, types without provisional levels need levels. */
int hw_store_asset_put(struct hw_store *st, const struct hw_asset *a,
		       int replace, struct hw_error *err);

/* Delete an asset.  Refuses with HW_EREFUSED while other assets depend on
 * it, unless force is set, in which case those dependencies go too. */
int hw_store_asset_delete(struct hw_store *st, const char *id, int force,
			  struct hw_error *err);

/* Record that asset id is authorized into production: authorized yes,
 * by the actor (hw_store_set_actor), now; audited ("authorize").  Call
 * inside a transaction.  HW_ENOTFOUND for an unknown asset. */
int hw_store_asset_authorize(struct hw_store *st, const char *id,
			     struct hw_error *err);

/* Call fn for each asset (with assignments) in id order. */
int hw_store_asset_each(struct hw_store *st,
			int (*fn)(const struct hw_asset *, void *), void *ctx,
			struct hw_error *err);

/* Call fn for each asset (with assignments) in id order whose id starts
 * with prefix (NULL or "": any) and whose id or name holds search, ASCII
 * case ignored (NULL: any): the id's index finds the prefix, and the
 * search runs in the database, without making a record of each asset
 * (search as you type in a large inventory). */
int hw_store_asset_match(struct hw_store *st, const char *prefix,
			 const char *search,
			 int (*fn)(const struct hw_asset *, void *), void *ctx,
			 struct hw_error *err);

/* Call fn with each asset id that starts with prefix (NULL or "": every
 * id), in id order, reading the ids alone (shell completion lists them
 * as a key is pressed).  The id is borrowed for the call.  A non-zero
 * return from fn stops the walk and is returned. */
int hw_store_asset_ids(struct hw_store *st, const char *prefix,
		       int (*fn)(const char *id, void *), void *ctx,
		       struct hw_error *err);

/* Number of assets, and of assets depending directly on id. */
int hw_store_asset_count(struct hw_store *st, long *out, struct hw_error *err);
/* Number of dependencies. */
int hw_store_dep_count(struct hw_store *st, long *out, struct hw_error *err);

/* Fill a.base from the catalogue and check the assignment (type exists,
 * levels present where no provisional ones, justification when
 * adjusted).  Unset selected objectives take the base level. */
int hw_store_assignment_prepare(struct hw_store *st, struct hw_assignment *a,
				struct hw_error *err);

/* Dependencies.  _add inserts, or updates type and carries when replace
 * is set; both ends must exist. */
int hw_store_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		     struct hw_error *err);
int hw_store_dep_delete(struct hw_store *st, const char *from, const char *to,
			struct hw_error *err);

/* Call fn for each dependency touching asset (either end), or all when
 * asset is NULL, ordered by from then to. */
int hw_store_dep_each(struct hw_store *st, const char *asset,
		      int (*fn)(const struct hw_dep *, void *), void *ctx,
		      struct hw_error *err);

/* Remove every asset, dependency, assignment and custom information
 * type (the catalogue stays).  Call inside a transaction.
 * PostgreSQL: DELETE in the same order (TRUNCATE would take an
 * exclusive lock and not roll back in every setup). */
int hw_store_clear(struct hw_store *st, struct hw_error *err);

/* Settings: small named values (e.g. the organisation's name).
 * PostgreSQL: a setting table, INSERT ... ON CONFLICT (name) DO UPDATE;
 * the weights below likewise, in a risk_weight table. */
int hw_store_setting_get(struct hw_store *st, const char *name, char **out,
			 struct hw_error *err);
int hw_store_setting_set(struct hw_store *st, const char *name,
			 const char *value, struct hw_error *err);

/* Weights of the risk model in the database: the defaults overridden by
 * stored values; store one (checked as hw_weight_set does against the
 * others). */
struct hw_weights;
int hw_store_weights(struct hw_store *st, struct hw_weights *out,
		     struct hw_error *err);
int hw_store_weight_set(struct hw_store *st, const char *name,
			const char *value, struct hw_error *err);

#endif /* HW_STORE_H */

/* ------------------------------------------------------------------ */
/* Library-internal: seen by the library files (hw-private.h), not by
 * the CLI.                                                            */
#if defined(HW_PRIVATE_H) && !defined(HW_STORE_PRIVATE_H)
#define HW_STORE_PRIVATE_H

/* The actor set by hw_store_set_actor ("unknown" if none). */
const char *hwp_actor(const struct hw_store *st);

/* Append one audit record (store-audit.c) to the transaction the caller
 * holds: action ("add", "update", "remove", ...), object
 * ("asset:payroll", "dependency:payroll>db-01", ...: the assets an
 * object so named belongs to get the record in their histories), and
 * the object before and after (JSON objects, borrowed; NULL for
 * none). */
struct json_t;
int hwp_audit(struct hw_store *st, const char *action, const char *object,
	      const struct json_t *before, const struct json_t *after,
	      struct hw_error *err);

/* hwp_audit taking over before and after (new references, released
 * here whatever happens): had_before and had_after say whether each side
 * was meant to be there, so that a NULL in its place (a constructor out
 * of memory) is HW_ENOMEM and nothing is written. */
int hwp_audit_new(struct hw_store *st, const char *action, const char *object,
		  struct json_t *before, int had_before, struct json_t *after,
		  int had_after, struct hw_error *err);

/* hwp_audit for callers that already hold the canonical text (canon.h)
 * of before and after (the bulk import): before_len bytes at before,
 * after_len at after; NULL for none (null).  The texts are taken as
 * they are (not checked): they must be what hwp_canon_append writes.
 * Callers skip writes whose before and after texts are equal. */
int hwp_audit_text(struct hw_store *st, const char *action, const char *object,
		   const char *before, size_t before_len, const char *after,
		   size_t after_len, struct hw_error *err);

/* The store's key of an asset: positive, stable for the life of a
 * transaction, dense enough to index an array; SQLite's rowid here, a
 * bigint identity column on PostgreSQL (GENERATED ALWAYS AS IDENTITY,
 * dependencies and assignments refer to it). */
typedef long long hw_key;

/* Set err to "'DB' is damaged: table TABLE: ..." for a value read back
 * from the database that highwater never writes; returns -1. */
int hwp_damaged(struct hw_store *st, struct hw_error *err, const char *table,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Key lookups: the key of an asset id (HW_ENOTFOUND if none), and the
 * id of a key (a new string).
 * PostgreSQL: SELECT n FROM asset WHERE id = $1 (a unique index on id). */
int hwp_asset_n(struct hw_store *st, const char *id, hw_key *n,
		struct hw_error *err);
/* The limits (store-limits.c): at most HWP_ASSETS_MAX assets in the
 * database, at most HWP_DEPS_MAX dependencies of the asset of key src
 * (its id, for the message), of any asset (after an import).  0, or -1
 * with HW_EINVAL saying which. */
int hwp_limit_assets(struct hw_store *st, struct hw_error *err);
int hwp_limit_deps_of(struct hw_store *st, hw_key src, const char *id,
		      struct hw_error *err);
int hwp_limit_deps(struct hw_store *st, struct hw_error *err);
/* The path (or connection string) st was opened with; borrowed. */
const char *hwp_store_path(const struct hw_store *st);
/* HW_OPEN_SHARED if st was opened with it, else 0. */
int hwp_store_shared(const struct hw_store *st);
int hwp_asset_id(struct hw_store *st, hw_key n, char **out,
		 struct hw_error *err);

/* Graph scans for the graph engine: rows go to fn(ctx, row), a struct
 * hwp_node, hwp_levels or hwp_edge; strings are borrowed for the call.
 * A non-zero return stops with -1 (out of memory).  Rows are checked as
 * they are read (damaged values fail with hwp_damaged).
 * PostgreSQL: one scan per table (asset, assignment, dependency), each a
 * single-row-mode query (PQsetSingleRowMode) or a binary COPY TO STDOUT,
 * so that a million rows never sit in one PGresult. */
struct hwp_node {
	hw_key n; /* the asset's key */
	const char *id, *name, *type, *owner;
	struct hw_sc direct;
};
struct hwp_levels {
	hw_key n;	 /* the asset's key */
	struct hw_sc sc; /* selected levels of one assignment */
};
struct hwp_edge {
	hw_key src, dst; /* src depends on dst */
	const char *type;
	unsigned carries;
};

int hwp_scan_nodes(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);
int hwp_scan_levels(struct hw_store *st, int (*fn)(void *, const void *),
		    void *ctx, struct hw_error *err);
int hwp_scan_edges(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);

/* The same rows for one key: the asset, its assignments, the edges of
 * the assets that depend on it (an upward closure, key by key).
 * PostgreSQL: the same queries with WHERE n = $1 / dst = $1 (an index
 * on dependency(dst, src)). */
int hwp_node_by_n(struct hw_store *st, hw_key n,
		  int (*fn)(void *, const void *), void *ctx,
		  struct hw_error *err);
int hwp_levels_by_n(struct hw_store *st, hw_key n,
		    int (*fn)(void *, const void *), void *ctx,
		    struct hw_error *err);
int hwp_dependents_of(struct hw_store *st, hw_key n,
		      int (*fn)(void *, const void *), void *ctx,
		      struct hw_error *err);

/* Risk factors of the assets that have any (or are internet-facing),
 * and assignments adjusted from their provisional levels; strings are
 * borrowed for the call.
 * PostgreSQL: one query each, in single-row mode, as the scans above. */
struct hwp_factor_row {
	hw_key n;
	int internet_facing;
	struct hw_factors f;
};
struct hwp_adjusted_row {
	hw_key n;
	const char *info_type, *justification;
};
int hwp_scan_factors(struct hw_store *st, int (*fn)(void *, const void *),
		     void *ctx, struct hw_error *err);
int hwp_scan_adjusted(struct hw_store *st, int (*fn)(void *, const void *),
		      void *ctx, struct hw_error *err);
/* Every assignment's asset and information type (a struct
 * hwp_adjusted_row with no justification), by asset then type. */
int hwp_scan_types(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);

/* A dependency between asset keys, for bulk loads. */
struct hwp_dep_row {
	uint64_t src, dst;  /* src depends on dst */
	uint32_t ord;	    /* the caller's: where it came from */
	unsigned char type; /* index into hw_dep_types */
	unsigned char carries;
	unsigned char flag; /* the caller's */
};

/* Bulk loads: one import, all or nothing, as fast as the engine goes.
 * The store decides what it defers (the SQLite engine: reference checks,
 * and its two secondary indexes, built again by one sort each).
 * PostgreSQL: one transaction, its references deferred to the commit
 * (SET CONSTRAINTS ALL DEFERRED); into an empty inventory, the load
 * numbers the assets and its plain inserts go by COPY (store-pg.h,
 * hwp_pg_copy_mode); into one that was empty before any --replace, not
 * in a dry run, and when nobody holds its tables, the references, the
 * two secondary indexes and the dependencies' key are laid aside and
 * built again at the end (hwp_pg_load_aside). */

/* Begin a bulk load (outside any transaction): the store may defer
 * reference checks and secondary indexes until hwp_load_end (a
 * dry_run's, which is rolled back and may read the inventory as it
 * was through another connection, leaves every table open to
 * readers).  With replace, the inventory and its history (changes,
 * incidents) are emptied first; when audit_rm is not NULL, each object
 * so removed gets its audit record "remove", counted there. */
struct hwp_load_removed {
	long infotypes, assets, dependencies, changes, incidents;
};
int hwp_load_begin(struct hw_store *st, int replace, int dry_run,
		   struct hwp_load_removed *audit_rm, struct hw_error *err);
/* Whether the inventory had no asset when the load began (then nothing
 * the load puts was there before: no need to look). */
int hwp_load_empty(const struct hw_store *st);
/* Asset key, stored before, is left as it is by the load: a dependency
 * may name it without a check at the end. */
int hwp_load_keep(struct hw_store *st, hw_key key, struct hw_error *err);
/* The stored dependency src -> dst: 1 with its type (index into
 * hw_dep_types) and carries, 0 when there is none, -1 on error. */
int hwp_load_dep_get(struct hw_store *st, hw_key src, hw_key dst, int *type,
		     unsigned *carries, struct hw_error *err);
/* The last asset of the load was put: build what was deferred for
 * assets (the owner index of an empty inventory). */
int hwp_load_assets_done(struct hw_store *st, struct hw_error *err);
/* About pending more dependencies will come (an estimate): the store
 * decides whether to rebuild the reverse index at the end instead. */
int hwp_load_deps_coming(struct hw_store *st, long long pending,
			 struct hw_error *err);
/* = hwp_asset_put and hwp_dep_put_rows: put an asset (see
 * hw_store_asset_put; its key in *key, *existed if it was there and is
 * replaced), and n dependencies in the order given (sorted by src and
 * dst, the inserts are appends; updated when there); on failure *bad is
 * the row (a key that can be no asset, 0 or less, fails at once). */
int hwp_load_asset(struct hw_store *st, const struct hw_asset *a, int replace,
		   hw_key *key, int *existed, struct hw_error *err);
int hwp_load_deps(struct hw_store *st, const struct hwp_dep_row *rows, size_t n,
		  size_t *bad, struct hw_error *err);
/* Rebuild what was deferred (threads: helper threads the rebuild may
 * use), check references (a dependency naming a key that is not an
 * asset fails with HW_ENOTFOUND), commit (or roll back when dry_run),
 * restore the connection's settings. */
int hwp_load_end(struct hw_store *st, int threads, int dry_run,
		 struct hw_error *err);
/* Roll back and restore; safe after any failure, or twice. */
void hwp_load_abort(struct hw_store *st);

/* History scans (store-incident.c).  Fragility: per asset with any
 * record in the windows, its changes closed (success, failed or
 * backed-out) in [changes_since, until) and how many of them failed or
 * were backed out (a change counts for each of its targets), its
 * incidents opened in [incidents_since, until), and those resolved in
 * [repairs_since, until) with their mean time to repair.  Assets no
 * longer in the inventory are left out.
 * PostgreSQL: the same query (one GROUP BY per table, joined on the
 * asset's id). */
struct hwp_fragility_row {
	hw_key n;
	const char *id;
	struct hw_fragility f;
};
int hwp_scan_fragility(struct hw_store *st, hw_time changes_since,
		       hw_time incidents_since, hw_time repairs_since,
		       hw_time until, int (*fn)(void *, const void *),
		       void *ctx, struct hw_error *err);

/* Changes implemented in [since, until), newest first (then by number,
 * highest first), one row per target.  Strings borrowed for the call. */
struct hwp_implemented_row {
	long long change;
	const char *title, *implemented_by, *target;
	hw_time implemented_at;
};
int hwp_scan_changes_implemented(struct hw_store *st, hw_time since,
				 hw_time until,
				 int (*fn)(void *, const void *), void *ctx,
				 struct hw_error *err);

#endif /* HW_STORE_PRIVATE_H */

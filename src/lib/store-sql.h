/*
 * store-sql.h: private to the store (store*.c), the only header that
 * includes sqlite3.h: the connection (SQLite's or PostgreSQL's), the
 * statement cache and the helpers the store files share.  Nothing above the store includes it.
 */
#ifndef HW_STORE_SQL_H
#define HW_STORE_SQL_H

#include <sqlite3.h>

#include "canon.h"
#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* The engine facade: what the store files ask of a SQL engine.  Two
 * engines stand behind it: SQLite (sqlite3, here, inline) and
 * PostgreSQL (libpq, store-pg.c).  Result codes and column types are
 * SQLite's own numbers (checked in store-sql.c); the PostgreSQL engine
 * maps its results and SQLSTATEs onto them.  Statement text is written
 * once for both, in the SQL they share (?N parameters, which the
 * PostgreSQL engine renames $N). */
enum {
	HWP_OK = 0,
	HWP_ERROR = 1,
	HWP_BUSY = 5,
	HWP_LOCKED = 6,
	HWP_NOMEM = 7,
	HWP_CONSTRAINT = 19,
	HWP_NOTADB = 26,
	HWP_ROW = 100,
	HWP_DONE = 101
};
#define HWP_CONSTRAINT_CHECK (HWP_CONSTRAINT | (1 << 8))
#define HWP_CONSTRAINT_FOREIGNKEY (HWP_CONSTRAINT | (3 << 8))
#define HWP_CONSTRAINT_NOTNULL (HWP_CONSTRAINT | (5 << 8))
#define HWP_CONSTRAINT_PRIMARYKEY (HWP_CONSTRAINT | (6 << 8))
#define HWP_CONSTRAINT_UNIQUE (HWP_CONSTRAINT | (8 << 8))
enum { HWP_INTEGER = 1, HWP_FLOAT = 2, HWP_TEXT = 3, HWP_BLOB = 4,
       HWP_NULL = 5 };
/* A bound text or blob: used until the statement is reset (STATIC), or
 * copied (TRANSIENT). */
#define HWP_STATIC 0
#define HWP_TRANSIENT 1

struct pg_stmt; /* store-pg-stmt.h */

/* A prepared statement of either engine: exactly one is set. */
struct hwp_stmt {
	sqlite3_stmt *lite;
	struct pg_stmt *pg;
};

/* The PostgreSQL engine's side of the calls below (store-pg.c). */
int hwp_pg_step(struct pg_stmt *s);
void hwp_pg_reset(struct pg_stmt *s);
void hwp_pg_clear_bindings(struct pg_stmt *s);
int hwp_pg_col_type(struct pg_stmt *s, int i);
long long hwp_pg_col_int64(struct pg_stmt *s, int i);
double hwp_pg_col_double(struct pg_stmt *s, int i);
const unsigned char *hwp_pg_col_text(struct pg_stmt *s, int i);
const void *hwp_pg_col_blob(struct pg_stmt *s, int i);
int hwp_pg_col_bytes(struct pg_stmt *s, int i);
int hwp_pg_bind_int64(struct pg_stmt *s, int i, long long v);
int hwp_pg_bind_double(struct pg_stmt *s, int i, double v);
int hwp_pg_bind_null(struct pg_stmt *s, int i);
int hwp_pg_bind_bytes(struct pg_stmt *s, int i, const void *v, int n,
		      int blob, int copy);

static inline int hwp_step(struct hwp_stmt *s)
{
	return s->pg ? hwp_pg_step(s->pg) : sqlite3_step(s->lite);
}
static inline int hwp_reset(struct hwp_stmt *s)
{
	if (s->pg) {
		hwp_pg_reset(s->pg);
		return HWP_OK;
	}
	return sqlite3_reset(s->lite);
}
static inline void hwp_clear_bindings(struct hwp_stmt *s)
{
	if (s->pg)
		hwp_pg_clear_bindings(s->pg);
	else
		sqlite3_clear_bindings(s->lite);
}
static inline int hwp_col_type(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_type(s->pg, i)
		     : sqlite3_column_type(s->lite, i);
}
static inline long long hwp_col_int64(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_int64(s->pg, i)
		     : sqlite3_column_int64(s->lite, i);
}
static inline int hwp_col_int(struct hwp_stmt *s, int i)
{
	return s->pg ? (int)hwp_pg_col_int64(s->pg, i)
		     : sqlite3_column_int(s->lite, i);
}
static inline double hwp_col_double(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_double(s->pg, i)
		     : sqlite3_column_double(s->lite, i);
}
static inline const unsigned char *hwp_col_text(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_text(s->pg, i)
		     : sqlite3_column_text(s->lite, i);
}
static inline const void *hwp_col_blob(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_blob(s->pg, i)
		     : sqlite3_column_blob(s->lite, i);
}
static inline int hwp_col_bytes(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_col_bytes(s->pg, i)
		     : sqlite3_column_bytes(s->lite, i);
}
static inline int hwp_bind_int64(struct hwp_stmt *s, int i, long long v)
{
	return s->pg ? hwp_pg_bind_int64(s->pg, i, v)
		     : sqlite3_bind_int64(s->lite, i, v);
}
static inline int hwp_bind_int(struct hwp_stmt *s, int i, int v)
{
	return hwp_bind_int64(s, i, v);
}
static inline int hwp_bind_double(struct hwp_stmt *s, int i, double v)
{
	return s->pg ? hwp_pg_bind_double(s->pg, i, v)
		     : sqlite3_bind_double(s->lite, i, v);
}
static inline int hwp_bind_null(struct hwp_stmt *s, int i)
{
	return s->pg ? hwp_pg_bind_null(s->pg, i)
		     : sqlite3_bind_null(s->lite, i);
}
/* n bytes of text (-1: up to its NUL), copied or not (HWP_*). */
static inline int hwp_bind_textn(struct hwp_stmt *s, int i, const char *v,
				 int n, int copy)
{
	return s->pg ? hwp_pg_bind_bytes(s->pg, i, v, n, 0, copy)
		     : sqlite3_bind_text(s->lite, i, v, n,
					 copy ? SQLITE_TRANSIENT
					      : SQLITE_STATIC);
}
static inline int hwp_bind_blob(struct hwp_stmt *s, int i, const void *v,
				int n, int copy)
{
	return s->pg ? hwp_pg_bind_bytes(s->pg, i, v, n, 1, copy)
		     : sqlite3_bind_blob(s->lite, i, v, n,
					 copy ? SQLITE_TRANSIENT
					      : SQLITE_STATIC);
}

/* Prepare sql on st's connection into *out (NULL on failure): HWP_OK or
 * the engine's error (hwp_errmsg tells it). */
int hwp_prepare_raw(struct hw_store *st, const char *sql,
		    struct hwp_stmt **out);
/* The same, kept for the connection's life (the statement caches). */
int hwp_prepare_kept(struct hw_store *st, const char *sql,
		     struct hwp_stmt **out);
/* A query whose rows are read one at a time, never all held at once
 * (PostgreSQL's single-row mode; SQLite steps so anyway): a whole
 * table's scan.  While its rows come, nothing else may run on st's
 * connection: read them all, or reset or finalize it, first. */
int hwp_prepare_stream(struct hw_store *st, const char *sql,
		       struct hwp_stmt **out);
#define HWP_PG_STREAM 2 /* hwp_pg_prepare's kept for it */
/* Release a statement (NULL is fine). */
void hwp_finalize(struct hwp_stmt *s);
/* The engine's message for the last error on st's connection. */
const char *hwp_errmsg(struct hw_store *st);
/* The engine's code for it (HWP_*). */
int hwp_errcode(struct hw_store *st);
/* 1 when no transaction is open. */
int hwp_autocommit(struct hw_store *st);
/* Rows the last INSERT, UPDATE or DELETE changed. */
long long hwp_changes(struct hw_store *st);

/* The PostgreSQL engine's connection-level side (store-pg.c). */
int hwp_pg_prepare(struct hw_store *st, const char *sql, int kept,
		   struct hwp_stmt **out);
void hwp_pg_finalize(struct pg_stmt *s);
const char *hwp_pg_errmsg(struct hw_store *st);
int hwp_pg_errcode(struct hw_store *st);
int hwp_pg_autocommit(struct hw_store *st);
long long hwp_pg_changes(struct hw_store *st);
int hwp_pg_exec(struct hw_store *st, const char *sql);
int hwp_pg_begin(struct hw_store *st);
int hwp_pg_read_begin(struct hw_store *st);
int hwp_pg_commit(struct hw_store *st);
void hwp_pg_rollback(struct hw_store *st);

/* Begin a read transaction: SQLite's deferred BEGIN (its snapshot taken
 * at the first read), PostgreSQL's REPEATABLE READ, READ ONLY. */
int hwp_read_begin(struct hw_store *st, struct hw_error *err);

/* 'hwDB': marks a file as ours, beside user_version. */
#define HW_APPLICATION_ID 0x68774442

/* Indexes a large import drops and builds again after its inserts (one
 * sort is cheaper than as many inserts at random places): the schema
 * and the bulk load share their SQL. */
#define ASSET_OWNER_SQL "CREATE INDEX asset_owner ON asset(owner)"
#define DEPENDENCY_DST_SQL "CREATE INDEX dependency_dst ON dependency(dst, src)"

#define CACHE_SIZE_SQL "PRAGMA cache_size = -262144" /* KiB */

/* Rows of Q_DEP_UPSERT_MANY. */
#define DEP_ROWS_MANY 64

/* Every statement the library runs, prepared once per connection. */
enum stmt_id {
	Q_INFOTYPE_GET,
	Q_INFOTYPE_INSERT,
	Q_INFOTYPE_REPLACE,
	Q_INFOTYPE_ALL,
	Q_ASSET_GET,
	Q_ASSET_INSERT,
	Q_ASSET_INSERT_N,
	Q_ASSET_UPSERT,
	Q_ASSET_N,
	Q_ASSET_DEPENDENTS,
	Q_ASSET_DELETE,
	Q_ASSET_ALL,
	Q_ASSET_MATCH,
	Q_ASSET_COUNT,
	Q_ASSET_IDS,
	Q_ASSIGN_OF,
	Q_ASSIGN_CLEAR,
	Q_ASSIGN_INSERT,
	Q_DEP_INSERT,
	Q_DEP_UPSERT,
	Q_DEP_UPSERT_MANY,
	Q_DEP_DELETE,
	Q_DEP_OF,
	Q_DEP_ALL,
	Q_DEP_BY_KEYS,
	Q_SETTING_GET,
	Q_SETTING_SET,
	Q_DEP_COUNT_UPTO,
	Q_DEP_COUNT,
	Q_ASSET_ANY,
	Q_ASSET_ID,
	Q_SCAN_ASSETS,
	Q_SCAN_ASSIGN,
	Q_SCAN_DEPS,
	Q_NODE_BY_N,
	Q_ASSIGN_BY_N,
	Q_DEPENDENTS_OF,
	Q_FACTOR_PUT,
	Q_FACTOR_INSERT,
	Q_FACTOR_CLEAR,
	Q_SCAN_FACTORS,
	Q_SCAN_ADJUSTED,
	Q_SCAN_TYPES,
	Q_WEIGHT_ALL,
	Q_WEIGHT_SET,
	Q_FOLLOW_BLOCKER,
	Q_FOLLOW,
	Q_GENERATION,
	Q_GENERATION_TAG,
	Q_MAX
};

/* The ids a load knows the asset table does not hold
 * (store-load-ids.c): once all is set, an id whose hash is not in set. */
struct load_ids {
	struct hwp_map set; /* hashes of the ids stored, as keys */
	int all;	    /* set holds every id stored */
	size_t reads;	    /* lookups before that */
};

/* The information types a load looked up, by id (store-infotype.c):
 * kept until its end or the next write of one.  Its assignments name
 * few types many times, and on PostgreSQL every lookup would first send
 * the rows waiting for COPY and wait for the server. */
struct load_types {
	struct hw_infotype *v; /* sorted by id (strcmp) */
	size_t n, cap;
};

/* A bulk load in progress (store-bulk.c). */
struct store_load {
	int active;	      /* between hwp_load_begin and its end */
	int owner_dropped;    /* asset_owner dropped, to build again */
	int dst_state;	      /* dependency_dst: 0 undecided, 1 kept,
				 2 dropped */
	int empty;	      /* no asset when it began (after a
				 replace's clear): assets get the
				 numbers 1, 2, ... from the load, and
				 only plain inserts are written
				 (PostgreSQL: through COPY) */
	long long last_n;     /* the number given last, so */
	int aside;	      /* PostgreSQL: references and indexes laid
				 aside, to put back at the end */
	unsigned char *known; /* bit k: key k is an asset */
	unsigned char *named; /* bit k: a loaded dependency names key k */
	size_t cap;	      /* bits in both */
	struct load_ids ids;  /* PostgreSQL: the ids not stored */
	struct load_types types;
};

/* The newest record of each asset a load wrote records of, kept until
 * its end (store-audit-link.c). */
struct audit_link {
	char *id; /* NULL: a free slot */
	long long seq;
	long long was; /* audit_last's seq when read (0: none) */
};
struct audit_links {
	struct audit_link *slot; /* open addressing, cap a power of 2 */
	size_t cap, n;
	char *block, *next; /* the ids: blocks, each naming the one before */
	size_t left;	    /* bytes free at next */
	int stored;	    /* audit_last: 0 not read yet, 1 empty, 2 not,
			       3 all of it in the table (read_all) */
	size_t reads;	    /* audit_last's rows read one at a time */
	struct audit_link *now[2]; /* the slots of the record being
				      appended (hwp_audit_links) */
};

/* A record a load appended, kept for the next insert of a batch of
 * AUDIT_BATCH (store-audit.c): its texts (actor, action, object,
 * before, after) at offsets in the batch's text buffer, AUDIT_NONE
 * for NULL. */
#define AUDIT_BATCH 32
/* The columns of an audit row as written, in the order bound. */
#define AUDIT_ROW_COLS                                                         \
	"seq, time, actor, action, object, before, after, hash, link_a, "      \
	"link_b"
#define AUDIT_NONE ((size_t)-1)
struct audit_row {
	long long seq, us, link[2];
	unsigned char hash[32];
	size_t at[5], len[5];
};

/* The audit trail's state (store-audit.c). */
enum audit_stmt { AQ_LAST, AQ_INSERT, AQ_MAX };
struct store_audit {
	struct hwp_stmt *stmt[AQ_MAX]; /* prepared on first use */
	int hooked;		    /* commit and rollback hooks set */
	int known;		    /* seq and prev read in this transaction */
	long long seq;		    /* the newest record's */
	unsigned char prev[32];	    /* the newest record's hash */
	int mute;		    /* writes not recorded one by one */
	long long muted;	    /* writes not recorded since mute was set */
	struct hwp_buf before, after, text; /* scratch */
	struct evp_md_st *md;		    /* SHA-256, fetched once */
	struct evp_md_ctx_st *mdctx;	    /* reused for every hash */
	struct audit_links links;	    /* in a load */
	struct hwp_stmt *last_stmt[5]; /* the histories' (store-audit-link.c) */
	struct audit_row rows[AUDIT_BATCH]; /* a load's, not inserted yet */
	int nrows;
	struct hwp_buf rowtext; /* their texts */
	struct hwp_stmt *batch;	/* inserts AUDIT_BATCH rows */
	long long clock_sec;	/* now_text's second ... */
	char clock_text[32];	/* ... as text */
};

struct hw_store {
	sqlite3 *db;	     /* SQLite, or ... */
	struct pg_conn *pg;  /* ... PostgreSQL (libpq's PGconn) */
	struct pg_state *pgs; /* the PostgreSQL engine's state */
	/* PostgreSQL: called at a commit (nonzero: roll back instead) and
	 * a rollback, as SQLite's hooks are (store-audit.c sets both). */
	int (*on_commit)(void *st);
	void (*on_rollback)(void *st);
	char *path;
	/* opened with HW_OPEN_SHARED */
	int shared;
	struct hwp_stmt *stmt[Q_MAX]; /* prepared on first use */
	struct store_load load;
	char *actor; /* who writes (hw_store_set_actor); NULL: "unknown" */
	long wait_ms; /* hw_store_set_wait */
	void (*wait_notice)(void *ctx, long ms);
	void *wait_ctx;
	long long wait_until; /* hw_store_set_deadline (monotonic ms), 0 */
	long long busy_since; /* a wait began (monotonic ms) */
	int busy_told;	      /* wait_notice called for it */
	struct store_audit audit;
};

/* The busy handler of a new connection: it waits 5 s for another's
 * write lock until hw_store_set_wait says otherwise (store-wait.c). */
#define DEFAULT_WAIT_MS 5000
void hwp_wait_install(struct hw_store *st);
/* Now on the monotonic clock, in ms. */
long long hwp_mono_ms(void);

/* Release the audit trail's statements and buffers (hw_store_close). */
void hwp_audit_close(struct hw_store *st);

/* The first record of a database made before the audit trail (schema
 * 4 or older), upgraded: actor "migration", action "migrate", object
 * "inventory", after the digest of the inventory as it stood
 * (store-audit-log.c); nothing if the trail has a record already. */
int hwp_audit_migrated(struct hw_store *st, struct hw_error *err);

/* The migration 5 -> 6: the audit trail's rows into audit6, with
 * their links (store-audit-upgrade.c). */
int hwp_audit_upgrade(struct hw_store *st, struct hw_error *err);

/* Before a write: -1 (HW_EINVAL naming what) when no transaction is
 * open, so that nothing is written unaudited (store-audit.c). */
int hwp_audit_ready(struct hw_store *st, const char *what,
		    struct hw_error *err);
/* The assets a record's object names: "asset:ID" one, "dependency:
 * FROM>TO" two (one if FROM is TO), others none; the count. */
struct hwp_audit_ends {
	const char *id[2]; /* not NUL-terminated: len bytes */
	size_t len[2];
};
int hwp_audit_ends(const char *object, struct hwp_audit_ends *e);
/* The newest record, before record seq of object, of each asset the
 * object names, in link[] (0 for none); a newest not before seq is
 * damage.  Once the record is written, hwp_audit_linked makes it their
 * newest. */
int hwp_audit_links(struct hw_store *st, const char *object, long long seq,
		    long long link[2], struct hw_error *err);
int hwp_audit_linked(struct hw_store *st, const char *object, long long seq,
		     struct hw_error *err);
/* At a load's end: the records it appended that wait for a batch
 * inserted (store-audit.c). */
int hwp_audit_rows_flush(struct hw_store *st, struct hw_error *err);
/* At a load's end: its assets' newest records into audit_last. */
int hwp_audit_links_flush(struct hw_store *st, struct hw_error *err);
void hwp_audit_links_free(struct audit_links *m);

/* store-load-ids.c: 1 when a load on PostgreSQL knows that the asset
 * table does not hold id, 0 when it may, -1 on error (a read of every
 * id, past the first lookups); hwp_load_id_stored: id is stored now. */
int hwp_load_id_absent(struct hw_store *st, const char *id,
		       struct hw_error *err);
int hwp_load_id_stored(struct hw_store *st, const char *id,
		       struct hw_error *err);
void hwp_load_ids_free(struct load_ids *ids);

/* audit verify: record seq of object with links link[] against the
 * trail's own, in m (a table of the verifier's): 1 if they are the
 * records before it of the assets it names (it becomes their newest),
 * 0 if not (the asset's id in bad), -1 out of memory. */
int hwp_audit_links_check(struct audit_links *m, const char *object,
			  long long seq, const long long link[2],
			  char bad[HW_ID_MAX + 1]);
/* After the last record: 1 if audit_last holds exactly m's newest
 * records, 0 if not (the asset in bad, the trail's newest in *want and
 * audit_last's in *got, 0 for none), -1 with err. */
int hwp_audit_last_check(struct hw_store *st, struct audit_links *m,
			 char bad[HW_ID_MAX + 1], long long *want,
			 long long *got, struct hw_error *err);
/* The links' statements and table released (hw_store_close). */
void hwp_audit_links_close(struct hw_store *st);
/* A record seq joins the history of an asset its object does not name
 * (an audit_asset row; store-audit-link.c). */
int hwp_audit_join(struct hw_store *st, const char *asset, long long seq,
		   struct hw_error *err);
/* Before hw_store_clear's deletes: one record with the counts. */
int hwp_audit_clear(struct hw_store *st, struct hw_error *err);
/* A setting or weight (kind) written: takes over before and after
 * ({"name", "value"}; before NULL for a new one). */
int hwp_audit_named(struct hw_store *st, const char *kind, const char *name,
		    struct json_t *before, struct json_t *after,
		    struct hw_error *err);

/* A record's time, microseconds since 1970 (UTC), as its text
 * YYYY-MM-DDTHH:MM:SS.ffffffZ; -1 if out of years 1 to 9999. */
int hwp_audit_time_text(long long us, char out[HW_TIME_TEXT]);
/* A hash as 64 lower-case hex digits. */
void hwp_audit_hex(const unsigned char h[32], char out[65]);
/* SHA-256 of n bytes (OpenSSL EVP), with st's digest context. */
int hwp_audit_sha256(struct hw_store *st, const void *data, size_t n,
		     unsigned char out[32], struct hw_error *err);
/* The hash of a record: the SHA-256 of its canonical text, written in
 * b (DESIGN.md "Audit record", version 1); before and after are
 * canonical JSON texts, NULL for null. */
int hwp_audit_hash(struct hw_store *st, struct hwp_buf *b, long long seq,
		   const char *time, const char *actor, const char *action,
		   const char *object, const char *before, size_t before_len,
		   const char *after, size_t after_len,
		   const unsigned char prev[32], unsigned char out[32],
		   struct hw_error *err);

/* Give the database its id (hw_store_database_id) if it has none: the
 * migration to schema 7, inside its transaction. */
int hwp_database_id_create(struct hw_store *st, struct hw_error *err);

/* The generation's triggers (store-generation.c): create them (the
 * migration to schema 9, and a bulk load's end) or drop them (a bulk
 * load's start: one bump for the whole load instead of one per row);
 * and one bump. */
int hwp_generation_triggers(struct hw_store *st, int create,
			    struct hw_error *err);
int hwp_generation_bump(struct hw_store *st, struct hw_error *err);
/* The migration to HWP_TAG_SCHEMA: the tag column where it is missing,
 * and the triggers made again to draw it. */
int hwp_generation_tag(struct hw_store *st, struct hw_error *err);
/* Is the file's SQL code (triggers, views) other than what highwater
 * makes?  A crafted file's trigger would run inside highwater's writes.
 * version: the file's schema; from HWP_GENERATION_SCHEMA on it has the
 * generation triggers, all of which must be there, unaltered (as schema
 * 9 made them, or as HWP_TAG_SCHEMA makes them: a schema 9 file whose
 * migration to 10 was undone may hold either).  1 with the problem in
 * buf, 0 if none, -1 if the schema cannot be read. */
/* The schema that brought the generation's triggers, and the one that
 * gave them the random tag. */
#define HWP_GENERATION_SCHEMA 9
#define HWP_TAG_SCHEMA 10
int hwp_schema_code_problem(struct hw_store *st, int version, char *buf,
			    size_t size, struct hw_error *err);

/* A pragma's (or a query's) first value into *out: SQLite's result
 * code, SQLITE_OK when read (store.c). */
int hwp_pragma_int(struct hw_store *st, const char *sql, long long *out);

/* A new, empty database at path (hw_store_create without the
 * catalogue) inside a write transaction the caller ends: commit, or
 * hwp_store_create_undo, which rolls back, closes and leaves nothing (a
 * SQLite file is removed; on PostgreSQL the schema was made inside the
 * transaction).  store.c */
struct hw_store *hwp_store_create_begun(const char *path,
					struct hw_error *err);
void hwp_store_create_undo(struct hw_store *st);

/* hw_store_copy with force: an existing SQLite file at target is
 * replaced (hw_out_place's rules), as a backup's is (store-copy.c). */
int hwp_store_copy(struct hw_store *src, const char *target, int force,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, long long *rows, struct hw_error *err);

/* Bring the schema from version from (0: an empty file) up to this
 * highwater's (store-schema.c). */
int hwp_migrate(struct hw_store *st, int from, struct hw_error *err);

/* The error the engine reports, after what. */
int hwp_db_error(struct hw_store *st, struct hw_error *err, const char *what);

/* Around a statement that may fail with the transaction going on
 * (SQLite undoes just the statement; a failed statement ends a
 * PostgreSQL transaction, which a savepoint keeps): set one, then end
 * it, released when the statement did its work (ok), else rolled back
 * to.  Nothing on SQLite. */
int hwp_savepoint(struct hw_store *st, struct hw_error *err);
int hwp_savepoint_end(struct hw_store *st, int ok, struct hw_error *err);

/* Run SQL whose failure changes nothing (a clean-up): no error. */
void hwp_exec_quiet(struct hw_store *st, const char *sql);

/* Run SQL without results. */
int hwp_exec_sql(struct hw_store *st, const char *sql, struct hw_error *err);

/* Statement id for a scan of a whole table: on PostgreSQL a streamed
 * statement of its own (hwp_prepare_stream), on SQLite the cached one;
 * hwp_stmt_stream_done when the scan ends (finalized, or reset). */
struct hwp_stmt *hwp_stmt_stream(struct hw_store *st, enum stmt_id id,
				 struct hw_error *err);
void hwp_stmt_stream_done(struct hw_store *st, struct hwp_stmt *s);

/* The cached statement for id, reset and with bindings cleared. */
struct hwp_stmt *hwp_stmt(struct hw_store *st, enum stmt_id id,
		       struct hw_error *err);

/* Bind text (NULL binds NULL), or a level as its name. */
int hwp_bind_text(struct hwp_stmt *s, int i, const char *v);
int hwp_bind_level(struct hwp_stmt *s, int i, enum hw_level l);

/* The level stored in column i, as highwater writes it (lower case);
 * NULL is none.  Anything else clears *ok; na only where allow_na. */
enum hw_level hwp_col_level(struct hwp_stmt *s, int i, int allow_na, int *ok);

/* Key n, id, name and type of an asset as read back: 0, or -1 with the
 * error (levels_ok: its levels read well). */
int hwp_check_asset_row(struct hw_store *st, long long n, const char *id,
			const char *name, const char *type, int levels_ok,
			struct hw_error *err);
/* A text column of asset id as read back (what names it; NULL is
 * fine): UTF-8 without a control character a terminal would obey, as
 * an import accepts (its length is not checked: an older highwater
 * took any).  0, or -1 with the error. */
int hwp_check_asset_text(struct hw_store *st, const char *id,
			 const char *what, const char *s,
			 struct hw_error *err);

/* The selected levels of an assignment read back (columns first..+2):
 * confidentiality may be na; none may be missing.  1 if they read
 * well. */
int hwp_col_selected(struct hwp_stmt *s, int first, struct hw_sc *out);

/* A copy of a text column (NULL stays NULL); sets *bad on ENOMEM. */
char *hwp_col_dup(struct hwp_stmt *s, int i, int *bad);

/* Map a failed step to an error, telling constraint failures apart. */
int hwp_step_error(struct hw_store *st, int rc, struct hw_error *err,
		   const char *what);

/* The integer a one-row statement gives, its parameter ?1 bound to *arg
 * when arg is not NULL; what names it in errors. */
int hwp_stmt_int(struct hw_store *st, enum stmt_id id, const long long *arg,
		 long long *out, const char *what, struct hw_error *err);

/* Factors from the factor columns starting at column first (NULLs: no
 * data).  Returns 0, or -1 with the factor whose stored value is out of
 * its range (the table's CHECKs) in *badk. */
int hwp_row_factors(struct hwp_stmt *s, int first, struct hw_factors *f,
		    enum hw_factor *badk);

/* The error for a factor hwp_row_factors refused, of the asset id or
 * (id NULL) key n. */
int hwp_bad_factor(struct hw_store *st, const char *id, long long n,
		   enum hw_factor k, struct hw_error *err);

/* A load's information types forgotten (store-infotype.c): at its end,
 * and before one is written (a write a savepoint undoes had emptied
 * them first, and nothing reads them back inside it). */
void hwp_load_types_forget(struct hw_store *st);

/* The inventory's writes without their audit records (store-inventory.c):
 * the public hw_store_* operations (store-inventory-audit.c) read the
 * object before and after and record the write around them. */
int hwp_infotype_put(struct hw_store *st, const struct hw_infotype *t,
		     int replace, struct hw_error *err);
int hwp_asset_delete(struct hw_store *st, const char *id, int force,
		     struct hw_error *err);
int hwp_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		struct hw_error *err);
int hwp_dep_delete(struct hw_store *st, const char *from, const char *to,
		   struct hw_error *err);

/* hw_store_asset_put that also tells the asset's key and whether it
 * existed before (then replaced, with its assignments). */
int hwp_asset_insert(struct hw_store *st, const struct hw_asset *a, int replace,
		     hw_key *key, int *existed, struct hw_error *err);

/* A statement kept in *slot: prepared (persistent) on first use, reset
 * and its bindings cleared after; NULL with err set ("WHAT: the
 * engine's message") if it cannot be prepared. */
struct hwp_stmt *hwp_cached(struct hw_store *st, struct hwp_stmt **slot,
			 const char *sql, const char *what,
			 struct hw_error *err);

/* Statements run rarely (history, baselines): prepared per call, not
 * cached; NULL with err set ("WHAT: the engine's message") on failure. */
struct hwp_stmt *hwp_prepare(struct hw_store *st, const char *sql,
			  const char *what, struct hw_error *err);

/* A history time: bound as "YYYY-MM-DDTHH:MM:SSZ" (0 binds NULL); read
 * back, NULL is 0 and anything but a time as highwater writes it is -1
 * (the caller names the damage). */
void hwp_bind_time(struct hwp_stmt *s, int i, hw_time t);
int hwp_col_time(struct hwp_stmt *s, int i, hw_time *out);

#endif /* HW_STORE_SQL_H */

/*
 * store.c: opening, creating and closing a store: the SQLite connection
 * and its pragmas, the checks on open, and the schema with its
 * migrations (indexed by PRAGMA user_version).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "store-sql.h"

/* 'hwDB': marks a file as ours, beside user_version. */
#define HW_APPLICATION_ID 0x68774442

/* Indexes a large import drops and builds again after its inserts (one
 * sort is cheaper than as many inserts at random places): the schema
 * and the import share their SQL. */
#define ASSET_OWNER_SQL "CREATE INDEX asset_owner ON asset(owner)"
#define DEPENDENCY_DST_SQL "CREATE INDEX dependency_dst ON dependency(dst, src)"

/* CHECKs on levels as chains of comparisons: the same meaning as an IN
 * list, without the temporary table SQLite builds to evaluate an IN list
 * of three or more values on every insert. */
#define IS_LEVEL(c) "(" c " = 'low' OR " c " = 'moderate' OR " c " = 'high')"
#define IS_LEVEL_NA(c) "(" c " = 'na' OR " IS_LEVEL(c) ")"
#define IS_BOOL(c) "(" c " = 0 OR " c " = 1)"

/* Columns and constraints every schema version shares, word for word. */
#define ID_CHECK                                                               \
	"CHECK (length(id) BETWEEN 1 AND 64"                                   \
	"    AND id NOT GLOB '*[^A-Za-z0-9._:-]*')"
#define INFO_TYPE_HEAD                                                         \
	"  id TEXT PRIMARY KEY " ID_CHECK ","                                  \
	"  name TEXT NOT NULL CHECK (length(name) > 0),"                       \
	"  category TEXT,"
#define INFO_TYPE_TAIL                                                         \
	"  CHECK ((confidentiality IS NULL) = (integrity IS NULL)"             \
	"    AND (integrity IS NULL) = (availability IS NULL))"                \
	") STRICT;"
#define ASSET_HEAD                                                             \
	"  n INTEGER PRIMARY KEY,"                                             \
	"  id TEXT NOT NULL UNIQUE " ID_CHECK ","                              \
	"  name TEXT NOT NULL CHECK (length(name) > 0),"                       \
	"  type TEXT NOT NULL CHECK (length(type) > 0),"                       \
	"  owner TEXT CHECK (owner IS NULL OR length(owner) > 0),"             \
	"  description TEXT,"
#define ASSIGNMENT_HEAD                                                        \
	"  asset INTEGER NOT NULL REFERENCES asset(n) ON DELETE CASCADE,"      \
	"  info_type TEXT NOT NULL REFERENCES info_type(id),"
#define ASSIGNMENT_TAIL                                                        \
	"  justification TEXT,"                                                \
	"  PRIMARY KEY (asset, info_type),"                                    \
	"  CHECK (base_c IS NULL"                                              \
	"    OR (sel_c = base_c AND sel_i = base_i AND sel_a = base_a)"        \
	"    OR length(trim(justification)) > 0)"                              \
	") STRICT, WITHOUT ROWID;"

/* Migrations: step i takes user_version i to i + 1.  Each runs in one
 * transaction with foreign-key enforcement off (dropping a table must
 * not cascade to its dependents), checked with foreign_key_check before
 * it commits. */
/* clang-format off */
static const char *const migrations[] = {
	/* 0 -> 1: the inventory. */
	"CREATE TABLE setting ("
	"  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),"
	"  value TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE info_type (" INFO_TYPE_HEAD
	"  confidentiality TEXT CHECK (confidentiality IN"
	"    ('na', 'low', 'moderate', 'high')),"
	"  integrity TEXT CHECK (integrity IN ('low', 'moderate', 'high')),"
	"  availability TEXT CHECK (availability IN ('low', 'moderate', 'high')),"
	"  builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),"
	INFO_TYPE_TAIL
	"CREATE TABLE asset (" ASSET_HEAD
	"  confidentiality TEXT CHECK (confidentiality IN"
	"    ('low', 'moderate', 'high')),"
	"  integrity TEXT CHECK (integrity IN ('low', 'moderate', 'high')),"
	"  availability TEXT CHECK (availability IN ('low', 'moderate', 'high')),"
	"  internet_facing INTEGER NOT NULL DEFAULT 0"
	"    CHECK (internet_facing IN (0, 1))"
	") STRICT;"
	ASSET_OWNER_SQL ";"
	"CREATE TABLE assignment (" ASSIGNMENT_HEAD
	"  base_c TEXT CHECK (base_c IN ('na', 'low', 'moderate', 'high')),"
	"  base_i TEXT CHECK (base_i IN ('low', 'moderate', 'high')),"
	"  base_a TEXT CHECK (base_a IN ('low', 'moderate', 'high')),"
	"  sel_c TEXT NOT NULL CHECK (sel_c IN ('na', 'low', 'moderate', 'high')),"
	"  sel_i TEXT NOT NULL CHECK (sel_i IN ('low', 'moderate', 'high')),"
	"  sel_a TEXT NOT NULL CHECK (sel_a IN ('low', 'moderate', 'high')),"
	ASSIGNMENT_TAIL
	"CREATE INDEX assignment_type ON assignment(info_type);"
	"CREATE TABLE dependency ("
	"  src INTEGER NOT NULL REFERENCES asset(n) ON DELETE CASCADE,"
	"  dst INTEGER NOT NULL REFERENCES asset(n) ON DELETE CASCADE,"
	"  type TEXT NOT NULL CHECK (length(type) > 0),"
	"  carries INTEGER NOT NULL DEFAULT 7 CHECK (carries BETWEEN 1 AND 7),"
	"  PRIMARY KEY (src, dst),"
	"  CHECK (src <> dst)"
	") STRICT, WITHOUT ROWID;"
	DEPENDENCY_DST_SQL ";",
	/* 1 -> 2: risk factors and the risk model's weights. */
	"CREATE TABLE asset_factor ("
	"  asset INTEGER PRIMARY KEY REFERENCES asset(n) ON DELETE CASCADE,"
	"  vulnerabilities INTEGER CHECK (vulnerabilities >= 0),"
	"  worst_cvss REAL CHECK (worst_cvss BETWEEN 0 AND 10),"
	"  last_patched TEXT CHECK (last_patched IS date(last_patched)),"
	"  end_of_life TEXT CHECK (end_of_life IS date(end_of_life)),"
	"  authorized INTEGER CHECK (authorized = 0 OR authorized = 1),"
	"  implemented_baseline TEXT CHECK (implemented_baseline = 'none'"
	"    OR implemented_baseline = 'low'"
	"    OR implemented_baseline = 'moderate'"
	"    OR implemented_baseline = 'high'),"
	"  downtime_cost REAL CHECK (downtime_cost >= 0)"
	") STRICT;"
	"CREATE TABLE risk_weight ("
	"  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),"
	"  value REAL NOT NULL"
	") STRICT;",

	/* 2 -> 3: the same constraints without IN lists.  SQLite's table
	 * rebuild (ALTER TABLE documentation, "other kinds of table schema
	 * changes"): create the new table, copy, drop the old one, rename,
	 * recreate its indexes.  Row numbers of assets are kept, so the
	 * dependencies, assignments and factors that refer to them stay
	 * valid.  The dependency and asset_factor tables have no IN list
	 * and stay as they are. */
	"CREATE TABLE new_info_type (" INFO_TYPE_HEAD
	"  confidentiality TEXT CHECK " IS_LEVEL_NA("confidentiality") ","
	"  integrity TEXT CHECK " IS_LEVEL("integrity") ","
	"  availability TEXT CHECK " IS_LEVEL("availability") ","
	"  builtin INTEGER NOT NULL DEFAULT 0 CHECK " IS_BOOL("builtin") ","
	INFO_TYPE_TAIL
	"INSERT INTO new_info_type (id, name, category, confidentiality,"
	"  integrity, availability, builtin)"
	"  SELECT id, name, category, confidentiality, integrity,"
	"  availability, builtin FROM info_type;"
	"DROP TABLE info_type;"
	"ALTER TABLE new_info_type RENAME TO info_type;"
	"CREATE TABLE new_asset (" ASSET_HEAD
	"  confidentiality TEXT CHECK " IS_LEVEL("confidentiality") ","
	"  integrity TEXT CHECK " IS_LEVEL("integrity") ","
	"  availability TEXT CHECK " IS_LEVEL("availability") ","
	"  internet_facing INTEGER NOT NULL DEFAULT 0"
	"    CHECK " IS_BOOL("internet_facing")
	") STRICT;"
	"INSERT INTO new_asset (n, id, name, type, owner, description,"
	"  confidentiality, integrity, availability, internet_facing)"
	"  SELECT n, id, name, type, owner, description, confidentiality,"
	"  integrity, availability, internet_facing FROM asset;"
	"DROP TABLE asset;"
	"ALTER TABLE new_asset RENAME TO asset;"
	ASSET_OWNER_SQL ";"
	"CREATE TABLE new_assignment (" ASSIGNMENT_HEAD
	"  base_c TEXT CHECK " IS_LEVEL_NA("base_c") ","
	"  base_i TEXT CHECK " IS_LEVEL("base_i") ","
	"  base_a TEXT CHECK " IS_LEVEL("base_a") ","
	"  sel_c TEXT NOT NULL CHECK " IS_LEVEL_NA("sel_c") ","
	"  sel_i TEXT NOT NULL CHECK " IS_LEVEL("sel_i") ","
	"  sel_a TEXT NOT NULL CHECK " IS_LEVEL("sel_a") ","
	ASSIGNMENT_TAIL
	"INSERT INTO new_assignment (asset, info_type, base_c, base_i, base_a,"
	"  sel_c, sel_i, sel_a, justification)"
	"  SELECT asset, info_type, base_c, base_i, base_a, sel_c, sel_i,"
	"  sel_a, justification FROM assignment;"
	"DROP TABLE assignment;"
	"ALTER TABLE new_assignment RENAME TO assignment;"
	"CREATE INDEX assignment_type ON assignment(info_type);",

	/* 3 -> 4: an assignment follows its information type.  Its base
	 * levels are always the type's provisional levels, and an
	 * objective whose selected level equals its base follows them.
	 * Before, changing a custom type left the assignments at its old
	 * levels: objectives that were not adjusted (selected = base) now
	 * take the type's current levels, adjusted ones keep their
	 * selected level and justification.  Assignments of a type that
	 * has no levels now keep what they select, as given levels; those
	 * given levels gain the type's levels as base where that needs no
	 * justification (or has one). */
	"UPDATE assignment AS g SET"
	"  sel_c = CASE WHEN g.sel_c = g.base_c THEN t.confidentiality"
	"    ELSE g.sel_c END,"
	"  sel_i = CASE WHEN g.sel_i = g.base_i THEN t.integrity"
	"    ELSE g.sel_i END,"
	"  sel_a = CASE WHEN g.sel_a = g.base_a THEN t.availability"
	"    ELSE g.sel_a END,"
	"  base_c = t.confidentiality, base_i = t.integrity,"
	"  base_a = t.availability"
	"  FROM info_type AS t WHERE t.id = g.info_type"
	"  AND g.base_c IS NOT NULL AND t.confidentiality IS NOT NULL;"
	"UPDATE assignment SET base_c = NULL, base_i = NULL, base_a = NULL"
	"  WHERE base_c IS NOT NULL AND info_type IN"
	"  (SELECT id FROM info_type WHERE confidentiality IS NULL);"
	"UPDATE assignment AS g SET base_c = t.confidentiality,"
	"  base_i = t.integrity, base_a = t.availability"
	"  FROM info_type AS t WHERE t.id = g.info_type"
	"  AND g.base_c IS NULL AND t.confidentiality IS NOT NULL"
	"  AND ((g.sel_c = t.confidentiality AND g.sel_i = t.integrity"
	"    AND g.sel_a = t.availability)"
	"    OR length(trim(g.justification)) > 0);",

	/* 4 -> 5: history.  Records name assets by id, not by key, so that
	 * an asset removed later keeps its history.  Times are text:
	 * YYYY-MM-DDTHH:MM:SSZ (UTC), the audit's with microseconds. */
	/* -- audit trail (store-audit.c) -- */
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
	"  time TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT,"
	"  prev BLOB NOT NULL,"
	"  hash BLOB NOT NULL"
	") STRICT;"
	"CREATE TABLE audit_asset ("
	"  asset TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (asset, seq)"
	") STRICT, WITHOUT ROWID;"
	/* -- authorized components (asset authorize) -- */
	"ALTER TABLE asset_factor ADD COLUMN authorized_by TEXT;"
	"ALTER TABLE asset_factor ADD COLUMN authorized_at TEXT;"
	/* -- change records (store-change.c) -- */
	"CREATE TABLE change_record ("
	"  n INTEGER PRIMARY KEY CHECK (n >= 1),"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  description TEXT,"
	"  state TEXT NOT NULL CHECK (state = 'new' OR state = 'assessed'"
	"    OR state = 'approved' OR state = 'rejected'"
	"    OR state = 'implemented' OR state = 'closed'"
	"    OR state = 'cancelled'),"
	"  result TEXT CHECK (result IS NULL OR result = 'success'"
	"    OR result = 'failed' OR result = 'backed-out'"
	"    OR result = 'rejected'),"
	"  requester TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  planned TEXT,"
	"  assessed_at TEXT,"
	"  decided_by TEXT,"
	"  chair TEXT,"
	"  reason TEXT,"
	"  decided_at TEXT,"
	"  implemented_by TEXT,"
	"  implemented_at TEXT,"
	"  closed_at TEXT,"
	"  reverted_by TEXT,"
	"  reverted_at TEXT,"
	"  CHECK ((state = 'closed') = (result IS NOT NULL))"
	") STRICT;"
	"CREATE TABLE change_target ("
	"  change INTEGER NOT NULL REFERENCES change_record(n)"
	"    ON DELETE CASCADE,"
	"  asset TEXT NOT NULL,"
	"  ord INTEGER NOT NULL," /* the order given */
	"  PRIMARY KEY (change, asset)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX change_target_asset ON change_target(asset, change);"
	"CREATE TABLE change_edit ("
	"  change INTEGER NOT NULL REFERENCES change_record(n)"
	"    ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind = 'add-dep' OR kind = 'rm-dep'"
	"    OR kind = 'set' OR kind = 'add-asset'),"
	"  spec TEXT NOT NULL,"
	"  undo TEXT,"
	"  PRIMARY KEY (change, ord)"
	") STRICT, WITHOUT ROWID;"
	/* -- stored assessments (posture.c's JSON) -- */
	"CREATE TABLE change_assessment ("
	"  change INTEGER PRIMARY KEY REFERENCES change_record(n)"
	"    ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  body TEXT NOT NULL"
	") STRICT;"
	/* -- incidents (store-incident.c) -- */
	"CREATE TABLE incident ("
	"  n INTEGER PRIMARY KEY CHECK (n >= 1),"
	"  asset TEXT NOT NULL,"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  opened TEXT NOT NULL,"
	"  resolved TEXT CHECK (resolved IS NULL OR resolved >= opened),"
	"  change INTEGER REFERENCES change_record(n),"
	"  reporter TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX incident_asset ON incident(asset, opened);"
	/* -- configuration baselines (store-snapshot.c) -- */
	/* Rows name assets by id (an asset removed since keeps its
	 * entries); no reference to asset(n), whose keys may be reused. */
	"CREATE TABLE snapshot ("
	"  n INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64"
	"    AND name NOT GLOB '*[^A-Za-z0-9._:-]*'),"
	"  created TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  assets INTEGER NOT NULL DEFAULT 0 CHECK (assets >= 0),"
	"  dependencies INTEGER NOT NULL DEFAULT 0 CHECK (dependencies >= 0),"
	"  assignments INTEGER NOT NULL DEFAULT 0 CHECK (assignments >= 0)"
	") STRICT;"
	"CREATE TABLE snapshot_asset ("
	"  snap INTEGER NOT NULL,"
	"  id TEXT NOT NULL,"
	"  name TEXT, type TEXT, owner TEXT, description TEXT,"
	"  confidentiality TEXT, integrity TEXT, availability TEXT,"
	"  internet_facing INTEGER,"
	"  vulnerabilities INTEGER, worst_cvss REAL, last_patched TEXT,"
	"  end_of_life TEXT, authorized INTEGER, implemented_baseline TEXT,"
	"  downtime_cost REAL, authorized_by TEXT, authorized_at TEXT,"
	"  PRIMARY KEY (snap, id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE snapshot_dep ("
	"  snap INTEGER NOT NULL,"
	"  src TEXT NOT NULL,"
	"  dst TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  carries INTEGER NOT NULL,"
	"  PRIMARY KEY (snap, src, dst)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE snapshot_assignment ("
	"  snap INTEGER NOT NULL,"
	"  asset TEXT NOT NULL,"
	"  info_type TEXT NOT NULL,"
	"  sel_c TEXT, sel_i TEXT, sel_a TEXT, justification TEXT,"
	"  PRIMARY KEY (snap, asset, info_type)"
	") STRICT, WITHOUT ROWID;",

	/* 5 -> 6: the audit trail's rows made smaller (an import's records
	 * are most of what it writes): the time as microseconds since 1970,
	 * no prev (the row before holds it), and an asset's history as
	 * links from record to record (link_a for the first asset the
	 * object names, link_b for a dependency's "to") back from its
	 * newest (audit_last) instead of a row of audit_asset per asset
	 * and record; audit_asset keeps the records that join a history
	 * otherwise.  hwp_audit_upgrade copies the rows into audit6. */
	"CREATE TABLE audit6 ("
	"  seq INTEGER PRIMARY KEY CHECK (seq >= 1),"
	"  time INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  before TEXT,"
	"  after TEXT,"
	"  hash BLOB NOT NULL,"
	"  link_a INTEGER CHECK (link_a >= 1 AND link_a < seq),"
	"  link_b INTEGER CHECK (link_b >= 1 AND link_b < seq)"
	") STRICT;"
	"CREATE TABLE audit_last ("
	"  asset TEXT PRIMARY KEY,"
	"  seq INTEGER NOT NULL CHECK (seq >= 1)"
	") STRICT, WITHOUT ROWID;",

	/* 6 -> 7: the database's own id, one UUID (version 4) made here
	 * by hwp_database_id_create and never changed: every copy of the
	 * file keeps it, and OSCAL exports derive their stable (version
	 * 5) UUIDs from it.  IF NOT EXISTS: a file that has it already
	 * keeps it. */
	"CREATE TABLE IF NOT EXISTS database_id ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  uuid TEXT NOT NULL CHECK (length(uuid) = 36"
	"    AND uuid NOT GLOB '*[^0-9a-f-]*')"
	") STRICT;",

	/* 7 -> 8: the service's users (store-user.c): roles a bit set
	 * (user.h's HW_ROLE_*), a token kept only as the SHA-256 of its
	 * text, and the owner values of the assets each answers for.  IF
	 * NOT EXISTS, as in 6 -> 7: a file that has them keeps them. */
	"CREATE TABLE IF NOT EXISTS users ("
	"  name TEXT PRIMARY KEY COLLATE BINARY"
	"    CHECK (length(name) BETWEEN 1 AND 64"
	"    AND name NOT GLOB '*[^A-Za-z0-9._@-]*'),"
	"  roles INTEGER NOT NULL CHECK (roles BETWEEN 1 AND 15),"
	"  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
	"  created TEXT NOT NULL,"
	"  token_at TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE IF NOT EXISTS user_owns ("
	"  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
	"  owner TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 256),"
	"  PRIMARY KEY (user, owner)"
	") STRICT, WITHOUT ROWID;",

	/* 8 -> 9: the inventory's generation (store-generation.c): one
	 * counter, raised by triggers on every write to the tables the
	 * graph and the analyses read (hwp_generation_triggers, run by
	 * migrate after this SQL).  A later migration that rebuilds one
	 * of those tables drops its triggers: it must create them again.
	 * IF NOT EXISTS and OR IGNORE, as in 6 -> 7. */
	"CREATE TABLE IF NOT EXISTS generation ("
	"  one INTEGER PRIMARY KEY CHECK (one = 1),"
	"  n INTEGER NOT NULL CHECK (n >= 0)"
	") STRICT;"
	"INSERT OR IGNORE INTO generation (one, n) VALUES (1, 0);",
};
/* clang-format on */

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int hwp_pragma_int(struct hw_store *st, const char *sql, long long *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int pragma_int(struct hw_store *st, const char *sql, int *out,
		      struct hw_error *err)
{
	long long v = 0;
	int rc = hwp_pragma_int(st, sql, &v);

	if (rc == SQLITE_OK)
		*out = (int)v;
	if (rc == SQLITE_NOTADB)
		return hw_error_set(err, HW_ENOTHW,
				    "'%s' is not a highwater database",
				    st->path);
	if (rc != SQLITE_OK)
		return hw_error_set(err, HW_EDB, "cannot read '%s': %s",
				    st->path, sqlite3_errmsg(st->db));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Opening, creating, migrating                                        */

int hw_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

static struct hw_store *store_alloc(const char *path, struct hw_error *err)
{
	struct hw_store *st = calloc(1, sizeof *st);

	if (st == NULL || (st->path = strdup(path)) == NULL) {
		free(st);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	return st;
}

const char *hwp_store_path(const struct hw_store *st)
{
	return st->path;
}

int hwp_store_shared(const struct hw_store *st)
{
	return st->shared ? HW_OPEN_SHARED : 0;
}

int hw_store_close(struct hw_store *st)
{
	int i, rc = SQLITE_OK;

	if (st == NULL)
		return 0;
	for (i = 0; i < Q_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	hwp_audit_close(st);
	if (st->db != NULL)
		rc = sqlite3_close(st->db);
	free(st->path);
	free(st->actor);
	free(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Connect to name (st->path, its real path, or a file: URI with
 * SQLITE_OPEN_URI in flags); messages name st->path. */
static int store_connect(struct hw_store *st, const char *name, int flags,
			 struct hw_error *err)
{
	/* One connection per store, used by one thread: no mutexes. */
	if (sqlite3_open_v2(name, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return hw_error_set(
		    err, HW_EDB, "cannot open '%s': %s", st->path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	/* The file is input: the SQL kept in it (a CHECK constraint, a
	 * default, an index's expression) calls no function with side
	 * effects, and no SQL writes the schema behind SQLite's back
	 * (PRAGMA writable_schema). */
	if (sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
			      (int *)NULL) != SQLITE_OK ||
	    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
			      (int *)NULL) != SQLITE_OK)
		return hw_error_set(err, HW_EDB,
				    "cannot open '%s': SQLite refused to "
				    "distrust the file's schema",
				    st->path);
	hwp_wait_install(st);
	/* A large page cache: bulk imports and graph loads touch every
	 * page of large indexes in no particular order.  Reads through a
	 * memory map: a whole-graph load then copies no page (a tenth of
	 * its time at a million assets).  Temporary files stay files: the
	 * sorter then sorts in runs (see hwp_index_create). */
	if (sqlite3_exec(st->db,
			 "PRAGMA foreign_keys = ON; " CACHE_SIZE_SQL
			 "; PRAGMA mmap_size = 1073741824",
			 NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	if (sqlite3_errcode(st->db) == SQLITE_NOTADB)
		return hw_error_set(err, HW_ENOTHW,
				    "'%s' is not a highwater database",
				    st->path);
	return hw_error_set(err, HW_EDB, "cannot read '%s': %s", st->path,
			    sqlite3_errmsg(st->db));
}

/* 1 if the database breaks a foreign key, 0 if not, -1 on error. */
static int foreign_key_broken(struct hw_store *st, struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s,
			       NULL) != SQLITE_OK)
		return hwp_db_error(st, err, "cannot check foreign keys");
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW) {
		hw_error_set(err, HW_EDB,
			     "'%s': a migration would break a foreign key "
			     "(left unchanged)",
			     st->path);
		return 1;
	}
	if (rc != SQLITE_DONE)
		return hwp_db_error(st, err, "cannot check foreign keys");
	return 0;
}

/* Bring the schema from version from up to SCHEMA_VERSION, each step and
 * its version bump in one transaction.  Foreign keys are off meanwhile
 * (a table rebuild drops a table others refer to; PRAGMA foreign_keys
 * is a no-op inside a transaction, so it is set around them) and are
 * checked before each commit. */
static int migrate(struct hw_store *st, int from, struct hw_error *err)
{
	char bump[64];
	int v, ret = -1;

	if (hwp_exec_sql(st, "PRAGMA foreign_keys = OFF", err) < 0)
		return -1;
	for (v = from; v < SCHEMA_VERSION; v++) {
		if (hwp_exec_sql(st, "BEGIN IMMEDIATE", err) < 0)
			goto out;
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (hwp_exec_sql(st, migrations[v], err) < 0 ||
		    foreign_key_broken(st, err) != 0 ||
		    (v == 5 && hwp_audit_upgrade(st, err) < 0) ||
		    (v == 6 && hwp_database_id_create(st, err) < 0) ||
		    (v + 1 == HWP_GENERATION_SCHEMA &&
		     hwp_generation_triggers(st, 1, err) < 0) ||
		    /* an older database's history starts with a digest of
		     * the inventory as it stood (a new one's with init),
		     * written in the rows of the last schema: whenever the
		     * trail is still empty then (a step before may have
		     * committed without it) */
		    (v == SCHEMA_VERSION - 1 && from > 0 &&
		     hwp_audit_migrated(st, err) < 0) ||
		    hwp_exec_sql(st, bump, err) < 0 ||
		    hwp_exec_sql(st, "COMMIT", err) < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
	}
	ret = 0;
out:
	if (hwp_exec_sql(st, "PRAGMA foreign_keys = ON", ret < 0 ? NULL : err) <
	    0)
		ret = -1;
	return ret;
}

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", path, suffix[i]) <
		    sizeof buf)
			unlink(buf);
	}
}

struct hw_store *hw_store_create(const char *path, const char *catalogue_csv,
				 struct hw_error *err)
{
	struct hw_store *st;
	char sql[64];
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		if (errno == EEXIST)
			hw_error_set(err, HW_EEXIST,
				     "'%s' already exists (refusing to "
				     "overwrite it)",
				     path);
		else
			hw_error_set(err, HW_EIO, "cannot create '%s': %s",
				     path, strerror(errno));
		return NULL;
	}
	close(fd);
	st = store_alloc(path, err);
	if (st == NULL)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
		 HW_APPLICATION_ID);
	if (store_connect(st, st->path, SQLITE_OPEN_READWRITE, err) < 0 ||
	    /* 16 KiB pages: at 1M, an import with its audit records
	     * 15% faster than with 4 KiB, reads no slower (bench/README.md) */
	    hwp_exec_sql(st, "PRAGMA page_size = 16384", err) < 0 ||
	    hwp_exec_sql(st, "PRAGMA journal_mode = WAL", err) < 0 ||
	    hwp_exec_sql(st, sql, err) < 0 || migrate(st, 0, err) < 0)
		goto fail;
	if (catalogue_csv != NULL) {
		if (hw_store_begin(st, err) < 0)
			goto fail;
		if (hw_store_load_catalogue(st, catalogue_csv, err) < 0 ||
		    hw_store_commit(st, err) < 0) {
			hw_store_rollback(st);
			goto fail;
		}
	}
	return st;
fail:
	hw_store_close(st);
	remove_db_files(path);
	return NULL;
}

/* The side files SQLite keeps beside a database in WAL mode. */
static const char *const side_suffix[] = {"-wal", "-shm"};

/* Make those side files of the database at real that exist and are ours
 * owner-only.  SQLite creates them with the database's mode: a 0400
 * database read once left a 0400 -shm that kept its owner from writing
 * after chmod 600, and a 0644 one leaves a -wal others may read.  By
 * name, never by opening them: closing any descriptor of a file drops
 * every POSIX lock this process holds on it, SQLite's included (another
 * connection of the service, or this one after its first reads). */
static void side_files_private(const char *real)
{
	char buf[4096];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof side_suffix / sizeof side_suffix[0]; i++) {
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", real,
				     side_suffix[i]) >= sizeof buf)
			continue;
		if (lstat(buf, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == geteuid() && (sb.st_mode & 07777) != 0600)
			(void)chmod(buf, 0600);
	}
}

/* 1 if a read-only open of the database at real must be immutable:
 * SQLite cannot create the -shm of a WAL database in a folder it may
 * not write, and without a -wal nothing waits to be read but the file
 * (sqlite.org/wal.html, "Read-Only Databases"). */
static int needs_immutable(const char *real)
{
	char buf[4096];
	const char *slash = strrchr(real, '/');
	size_t n;

	if (slash == NULL)
		return 0; /* realpath gives an absolute path */
	n = slash == real ? 1 : (size_t)(slash - real);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, real, n);
	buf[n] = '\0';
	if (access(buf, W_OK) == 0 || (errno != EACCES && errno != EROFS))
		return 0;
	if ((size_t)snprintf(buf, sizeof buf, "%s-wal", real) >= sizeof buf)
		return 0;
	return access(buf, F_OK) != 0 && errno == ENOENT;
}

/* "file:" URI of the absolute path real, with "?immutable=1"
 * (sqlite.org/uri.html: %HH escapes; '?', '#' and '%' must be). */
static char *immutable_uri(const char *real)
{
	static const char tail[] = "?immutable=1";
	const unsigned char *p;
	char *uri, *q;

	uri = malloc(strlen("file://") + 3 * strlen(real) + sizeof tail);
	if (uri == NULL)
		return NULL;
	q = uri + sprintf(uri, "file://");
	for (p = (const unsigned char *)real; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL)
			*q++ = (char)*p;
		else
			q += sprintf(q, "%%%02X", *p);
	}
	memcpy(q, tail, sizeof tail);
	return uri;
}

/* Connect to the existing database st->path, whose real path is real:
 * read-only as an immutable file: URI where needs_immutable says. */
static int store_connect_existing(struct hw_store *st, const char *real,
				  int readonly, struct hw_error *err)
{
	char *uri;
	int rc;

	if (!readonly)
		return store_connect(st, real, SQLITE_OPEN_READWRITE, err);
	if (!needs_immutable(real))
		return store_connect(st, real, SQLITE_OPEN_READONLY, err);
	uri = immutable_uri(real);
	if (uri == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc =
	    store_connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
	free(uri);
	return rc;
}

struct hw_store *hw_store_open(const char *path, int flags,
			       struct hw_error *err)
{
	struct hw_store *st;
	struct stat sb;
	int appid = 0, version = 0, rc;
	int readonly = (flags & HW_OPEN_READONLY) != 0;
	char *real = NULL, problem[256];

	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			hw_error_set(err, HW_ENOTFOUND,
				     "database '%s' does not exist (hint: "
				     "highwater init)",
				     path);
		else
			hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				     strerror(errno));
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		hw_error_set(err, HW_ENOTHW,
			     "'%s' is not a highwater database (not a file)",
			     path);
		return NULL;
	}
	/* Others who may write the database may change what it says
	 * (or empty it) behind the owner's back: only when meant. */
	if (!(flags & HW_OPEN_SHARED) && (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		hw_error_set(err, HW_EREFUSED,
			     "'%s' is writable by %s (mode %04o): chmod 600 "
			     "'%s', or --allow-shared if that is meant",
			     path,
			     sb.st_mode & S_IWOTH ? "others" : "its group",
			     (unsigned)(sb.st_mode & 07777), path);
		return NULL;
	}
	/* A symbolic link is followed: its side files are beside the
	 * file it names. */
	real = realpath(path, NULL);
	if (real == NULL) {
		hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
			     strerror(errno));
		return NULL;
	}
	st = store_alloc(path, err);
	if (st == NULL) {
		free(real);
		return NULL;
	}
	st->shared = (flags & HW_OPEN_SHARED) != 0;
	if (!st->shared)
		side_files_private(real); /* left by an older highwater */
	if (store_connect_existing(st, real, readonly, err) < 0)
		goto fail;
	if ((flags & HW_OPEN_AS_IS) && readonly)
		goto opened;
	if (pragma_int(st, "PRAGMA application_id", &appid, err) < 0 ||
	    pragma_int(st, "PRAGMA user_version", &version, err) < 0)
		goto fail;
	if (appid != HW_APPLICATION_ID) {
		hw_error_set(err, HW_ENOTHW, "'%s' is not a highwater database",
			     path);
		goto fail;
	}
	if (version > SCHEMA_VERSION) {
		hw_error_set(err, HW_ENEWER,
			     "'%s' was written by a newer highwater (schema "
			     "%d, this one knows up to %d): upgrade highwater",
			     path, version, SCHEMA_VERSION);
		goto fail;
	}
	/* The version indexes the migrations: a damaged or crafted one
	 * must not pick SQL from outside the array. */
	if (version < 1) {
		hw_error_set(err, HW_ENOTHW,
			     "'%s' is damaged: its schema version (PRAGMA "
			     "user_version) is %d, expected 1 to %d",
			     path, version, SCHEMA_VERSION);
		goto fail;
	}
	/* Before anything is written (a migration included): a crafted
	 * trigger would run inside highwater's own writes. */
	rc = hwp_schema_code_problem(st, version >= HWP_GENERATION_SCHEMA,
				     problem, sizeof problem, err);
	if (rc != 0) {
		if (rc > 0)
			hw_error_set(err, HW_ENOTHW, "'%s' is damaged: %s",
				     path, problem);
		goto fail;
	}
	if (version < SCHEMA_VERSION) {
		/* A read-only open never writes, not even to upgrade. */
		if (readonly) {
			hw_error_set(err, HW_EREFUSED,
				     "'%s' has schema version %d, this "
				     "highwater needs %d: upgrade it first "
				     "with 'highwater upgrade' (read commands "
				     "do not write)",
				     path, version, SCHEMA_VERSION);
			goto fail;
		}
		if (migrate(st, version, err) < 0)
			goto fail;
	}
opened:
	/* The reads above made the side files SQLite needed. */
	if (!st->shared)
		side_files_private(real);
	free(real);
	return st;
fail:
	hw_store_close(st);
	free(real);
	return NULL;
}

/* The catalogue's records go in as builtin information types. */
struct catalogue_load {
	struct hw_store *st;
	struct hw_error *err;
	long long n;
};

static int put_catalogue_type(const struct hw_infotype *t, void *ctx)
{
	struct catalogue_load *c = ctx;

	c->n++;
	return hw_store_infotype_put(c->st, t, 1, c->err);
}

int hw_store_load_catalogue(struct hw_store *st, const char *csv_path,
			    struct hw_error *err)
{
	struct catalogue_load c = {st, err, 0};
	json_t *after;
	int rc;

	/* One audit record for the catalogue, not one per type. */
	st->audit.mute = 1;
	rc = hwp_catalogue_read(csv_path, put_catalogue_type, &c, err);
	st->audit.mute = 0;
	if (rc < 0)
		return -1;
	after = json_pack("{s:s,s:I}", "catalogue", "SP 800-60",
			  "information_types", (json_int_t)c.n);
	if (after == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hwp_audit(st, "init", "catalogue", NULL, after, err);
	json_decref(after);
	return rc;
}

/*
 * store-schema.c: the schema, as the migrations that build it step by
 * step (indexed by PRAGMA user_version: a new file runs them all), and
 * running them.
 */
#include <stdio.h>

#include "store-sql.h"

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

	/* 9 -> 10: beside the counter, a tag every counted write draws
	 * at random (store-generation.c): two histories of one file that
	 * reach the same count (a backup restored, then written to) still
	 * differ, which the graph's snapshot (graph-cache.c) relies on.
	 * The column, where it is missing, and the triggers made again
	 * with it: hwp_generation_tag, run by migrate (ALTER TABLE has no
	 * IF NOT EXISTS). */
	"",
};
/* clang-format on */

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

int hw_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* 1 if the database breaks a foreign key, 0 if not, -1 on error. */
static int foreign_key_broken(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, "PRAGMA foreign_key_check", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot check foreign keys");
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc == HWP_ROW) {
		hw_error_set(err, HW_EDB,
			     "'%s': a migration would break a foreign key "
			     "(left unchanged)",
			     st->path);
		return 1;
	}
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot check foreign keys");
	return 0;
}

/* Bring the schema from version from up to SCHEMA_VERSION, each step and
 * its version bump in one transaction.  Foreign keys are off meanwhile
 * (a table rebuild drops a table others refer to; PRAGMA foreign_keys
 * is a no-op inside a transaction, so it is set around them) and are
 * checked before each commit. */
int hwp_migrate(struct hw_store *st, int from, struct hw_error *err)
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
		    (v + 1 == HWP_TAG_SCHEMA &&
		     hwp_generation_tag(st, err) < 0) ||
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

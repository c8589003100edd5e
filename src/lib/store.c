/*
 * store.c: the SQLite store, the only file that includes sqlite3.h.
 * Schema and migrations (indexed by PRAGMA user_version), opening and
 * creating databases safely, and every query the library runs, each a
 * cached prepared statement with bound parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw-private.h"

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
};
/* clang-format on */

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* Every statement the library runs, prepared once per connection. */
enum stmt_id {
	Q_INFOTYPE_GET,
	Q_INFOTYPE_INSERT,
	Q_INFOTYPE_REPLACE,
	Q_INFOTYPE_ALL,
	Q_ASSET_GET,
	Q_ASSET_INSERT,
	Q_ASSET_UPSERT,
	Q_ASSET_N,
	Q_ASSET_DEPENDENTS,
	Q_ASSET_DELETE,
	Q_ASSET_ALL,
	Q_ASSET_COUNT,
	Q_ASSIGN_OF,
	Q_ASSIGN_CLEAR,
	Q_ASSIGN_INSERT,
	Q_DEP_INSERT,
	Q_DEP_UPSERT,
	Q_DEP_UPSERT_MANY,
	Q_DEP_DELETE,
	Q_DEP_OF,
	Q_DEP_ALL,
	Q_SETTING_GET,
	Q_SETTING_SET,
	Q_DEP_COUNT_UPTO,
	Q_ASSET_ANY,
	Q_ASSET_ID,
	Q_SCAN_ASSETS,
	Q_SCAN_ASSIGN,
	Q_SCAN_DEPS,
	Q_NODE_BY_N,
	Q_ASSIGN_BY_N,
	Q_DEPENDENTS_OF,
	Q_FACTOR_PUT,
	Q_FACTOR_CLEAR,
	Q_SCAN_FACTORS,
	Q_SCAN_ADJUSTED,
	Q_SCAN_TYPES,
	Q_WEIGHT_ALL,
	Q_WEIGHT_SET,
	Q_FOLLOW_BLOCKER,
	Q_FOLLOW,
	Q_MAX
};

#define ASSET_COLS                                                         \
	"a.id, a.name, a.type, a.owner, a.description, a.confidentiality, " \
	"a.integrity, a.availability, a.internet_facing"
#define FACTOR_COLS                                                    \
	"f.vulnerabilities, f.worst_cvss, f.last_patched, f.end_of_life, " \
	"f.authorized, f.implemented_baseline, f.downtime_cost"
#define FACTOR_JOIN " LEFT JOIN asset_factor f ON f.asset = a.n"
/* The last column is NULL when the type named is not there (a row
 * left behind by a delete with foreign keys off). */
#define ASSIGN_COLS                                                     \
	"g.info_type, g.base_c, g.base_i, g.base_a, g.sel_c, g.sel_i, " \
	"g.sel_a, g.justification, "                                    \
	"(SELECT 1 FROM info_type i WHERE i.id = g.info_type)"
/* Left joins: a row naming an asset that is not there (a damaged file,
 * or one edited with foreign keys off) shows as NULL ids, an error. */
#define DEP_COLS                                                        \
	"f.id, t.id, d.type, d.carries, d.src, d.dst FROM dependency d "   \
	"LEFT JOIN asset f ON f.n = d.src LEFT JOIN asset t ON t.n = d.dst"

/* Many dependencies a statement: one statement and one cursor for
 * DEP_ROWS_MANY rows costs half as much a row as one each. */
#define DEP_ROW "(?, ?, ?, ?)"
#define DEP_ROWS_4 DEP_ROW ", " DEP_ROW ", " DEP_ROW ", " DEP_ROW
#define DEP_ROWS_16 DEP_ROWS_4 ", " DEP_ROWS_4 ", " DEP_ROWS_4 ", " DEP_ROWS_4
#define DEP_ROWS_MANY 64

static const char *const stmt_sql[Q_MAX] = {
	[Q_INFOTYPE_GET] = "SELECT id, name, category, confidentiality, "
			   "integrity, availability, builtin FROM info_type "
			   "WHERE id = ?1",
	[Q_INFOTYPE_INSERT] = "INSERT INTO info_type (id, name, category, "
			      "confidentiality, integrity, availability, "
			      "builtin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_INFOTYPE_REPLACE] =
	    "INSERT INTO info_type (id, name, category, confidentiality, "
	    "integrity, availability, builtin) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
	    "category = excluded.category, confidentiality = "
	    "excluded.confidentiality, integrity = excluded.integrity, "
	    "availability = excluded.availability, builtin = excluded.builtin",
	[Q_INFOTYPE_ALL] = "SELECT id, name, category, confidentiality, "
			   "integrity, availability, builtin FROM info_type "
			   "WHERE ?1 < 0 OR builtin = ?1 ORDER BY id",
	[Q_ASSET_GET] = "SELECT " ASSET_COLS ", " FACTOR_COLS
			", a.n FROM asset a" FACTOR_JOIN " WHERE a.id = ?1",
	[Q_ASSET_INSERT] =
	    "INSERT INTO asset (id, name, type, owner, description, "
	    "confidentiality, integrity, availability, internet_facing) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[Q_ASSET_UPSERT] =
	    "INSERT INTO asset (id, name, type, owner, description, "
	    "confidentiality, integrity, availability, internet_facing) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO "
	    "UPDATE SET name = excluded.name, type = excluded.type, owner = "
	    "excluded.owner, description = excluded.description, "
	    "confidentiality = excluded.confidentiality, integrity = "
	    "excluded.integrity, availability = excluded.availability, "
	    "internet_facing = excluded.internet_facing RETURNING n",
	[Q_ASSET_N] = "SELECT n FROM asset WHERE id = ?1",
	[Q_ASSET_DEPENDENTS] = "SELECT count(*) FROM dependency WHERE dst = ?1",
	[Q_ASSET_DELETE] = "DELETE FROM asset WHERE n = ?1",
	[Q_ASSET_ALL] = "SELECT " ASSET_COLS ", " FACTOR_COLS ", " ASSIGN_COLS
			", a.n FROM asset a" FACTOR_JOIN
			" LEFT JOIN assignment g ON g.asset = a.n "
			"ORDER BY a.id, g.info_type",
	[Q_ASSET_COUNT] = "SELECT count(*) FROM asset",
	[Q_ASSIGN_OF] = "SELECT " ASSIGN_COLS " FROM assignment g WHERE "
			"g.asset = ?1 ORDER BY g.info_type",
	[Q_ASSIGN_CLEAR] = "DELETE FROM assignment WHERE asset = ?1",
	[Q_ASSIGN_INSERT] = "INSERT INTO assignment (asset, info_type, base_c, "
			    "base_i, base_a, sel_c, sel_i, sel_a, "
			    "justification) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			    "?7, ?8, ?9)",
	[Q_DEP_INSERT] = "INSERT INTO dependency (src, dst, type, carries) "
			 "VALUES (?1, ?2, ?3, ?4)",
	[Q_DEP_UPSERT] = "INSERT INTO dependency (src, dst, type, carries) "
			 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (src, dst) DO "
			 "UPDATE SET type = excluded.type, carries = "
			 "excluded.carries",
	[Q_DEP_UPSERT_MANY] = "INSERT INTO dependency (src, dst, type, carries) "
			      "VALUES " DEP_ROWS_16 ", " DEP_ROWS_16 ", "
			      DEP_ROWS_16 ", " DEP_ROWS_16 " ON CONFLICT (src, "
			      "dst) DO UPDATE SET type = excluded.type, "
			      "carries = excluded.carries",
	[Q_DEP_DELETE] = "DELETE FROM dependency WHERE src = ?1 AND dst = ?2",
	[Q_DEP_OF] = "SELECT " DEP_COLS " WHERE d.src = ?1 OR d.dst = ?1 "
		     "ORDER BY f.id, t.id",
	[Q_DEP_ALL] = "SELECT " DEP_COLS " ORDER BY f.id, t.id",
	[Q_SETTING_GET] = "SELECT value FROM setting WHERE name = ?1",
	[Q_SETTING_SET] = "INSERT INTO setting (name, value) VALUES (?1, ?2) "
			  "ON CONFLICT (name) DO UPDATE SET value = "
			  "excluded.value",
	[Q_DEP_COUNT_UPTO] = "SELECT count(*) FROM (SELECT 1 FROM dependency "
			     "LIMIT ?1)",
	[Q_ASSET_ID] = "SELECT id FROM asset WHERE n = ?1",
	[Q_ASSET_ANY] = "SELECT EXISTS (SELECT 1 FROM asset)",
	[Q_SCAN_ASSETS] = "SELECT n, id, name, type, owner, confidentiality, "
			  "integrity, availability FROM asset",
	[Q_SCAN_ASSIGN] = "SELECT asset, sel_c, sel_i, sel_a FROM assignment",
	[Q_SCAN_DEPS] = "SELECT src, dst, type, carries FROM dependency",
	[Q_NODE_BY_N] = "SELECT n, id, name, type, owner, confidentiality, "
			"integrity, availability FROM asset WHERE n = ?1",
	[Q_ASSIGN_BY_N] = "SELECT asset, sel_c, sel_i, sel_a FROM assignment "
			  "WHERE asset = ?1",
	[Q_FACTOR_PUT] = "INSERT OR REPLACE INTO asset_factor (asset, "
			 "vulnerabilities, worst_cvss, last_patched, "
			 "end_of_life, authorized, implemented_baseline, "
			 "downtime_cost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			 "?8)",
	[Q_FACTOR_CLEAR] = "DELETE FROM asset_factor WHERE asset = ?1",
	/* Rows with factors, then internet-facing assets without: no
	 * per-asset lookups into asset_factor. */
	[Q_SCAN_FACTORS] = "SELECT a.n, a.internet_facing, " FACTOR_COLS
			   ", a.id FROM asset_factor f JOIN asset a ON a.n = "
			   "f.asset UNION ALL SELECT a.n, a.internet_facing, "
			   "NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.id "
			   "FROM asset a WHERE "
			   "a.internet_facing <> 0 AND NOT EXISTS (SELECT 1 "
			   "FROM asset_factor WHERE asset = a.n)",
	[Q_SCAN_ADJUSTED] = "SELECT asset, info_type, justification FROM "
			    "assignment WHERE base_c IS NOT NULL AND (sel_c "
			    "<> base_c OR sel_i <> base_i OR sel_a <> base_a)",
	[Q_SCAN_TYPES] = "SELECT asset, info_type, NULL FROM assignment "
			 "ORDER BY asset, info_type",
	[Q_WEIGHT_ALL] = "SELECT name, value FROM risk_weight",
	[Q_WEIGHT_SET] = "INSERT INTO risk_weight (name, value) VALUES (?1, "
			 "?2) ON CONFLICT (name) DO UPDATE SET value = "
			 "excluded.value",
	[Q_DEPENDENTS_OF] = "SELECT src, dst, type, carries FROM dependency "
			    "WHERE dst = ?1",
	/* The first asset (by id) a change of type ?1 to the levels ?2..?4
	 * cannot carry: with no levels, one that follows them (selected =
	 * base); with levels, one that gave its own without levels to
	 * follow and would now differ from them with no justification. */
	[Q_FOLLOW_BLOCKER] =
	    "SELECT a.id FROM assignment g JOIN asset a ON a.n = g.asset "
	    "WHERE g.info_type = ?1 AND CASE WHEN ?2 IS NULL THEN "
	    "g.base_c IS NOT NULL AND (g.sel_c = g.base_c OR g.sel_i = "
	    "g.base_i OR g.sel_a = g.base_a) ELSE g.base_c IS NULL AND "
	    "(g.sel_c <> ?2 OR g.sel_i <> ?3 OR g.sel_a <> ?4) AND "
	    "coalesce(length(trim(g.justification)), 0) = 0 END "
	    "ORDER BY a.id LIMIT 1",
	/* Per objective: selected = base follows the type's levels ?2..?4;
	 * anything else was adjusted and stays.  The base is the type's. */
	[Q_FOLLOW] =
	    "UPDATE assignment SET sel_c = CASE WHEN sel_c = base_c THEN "
	    "coalesce(?2, sel_c) ELSE sel_c END, sel_i = CASE WHEN sel_i = "
	    "base_i THEN coalesce(?3, sel_i) ELSE sel_i END, sel_a = CASE "
	    "WHEN sel_a = base_a THEN coalesce(?4, sel_a) ELSE sel_a END, "
	    "base_c = ?2, base_i = ?3, base_a = ?4 WHERE info_type = ?1 AND "
	    "(base_c IS NOT ?2 OR base_i IS NOT ?3 OR base_a IS NOT ?4)",
};

#define CACHE_SIZE_SQL "PRAGMA cache_size = -262144" /* KiB */

struct hw_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmt[Q_MAX]; /* prepared on first use */
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static int db_error(struct hw_store *st, struct hw_error *err,
		    const char *what)
{
	return hw_error_set(err, HW_EDB, "%s: %s", what,
			    st->db ? sqlite3_errmsg(st->db) : "no database");
}

static int exec_sql(struct hw_store *st, const char *sql,
		    struct hw_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(st, err, "cannot run SQL");
	return 0;
}

/* The cached statement for id, reset and with bindings cleared. */
static sqlite3_stmt *stmt(struct hw_store *st, enum stmt_id id,
			  struct hw_error *err)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s == NULL) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK) {
			db_error(st, err, "cannot prepare statement");
			return NULL;
		}
		st->stmt[id] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC)
		 : sqlite3_bind_null(s, i);
}

static int bind_level(sqlite3_stmt *s, int i, enum hw_level l)
{
	return bind_text(s, i, hw_level_name(l));
}

/* Nothing read back is trusted: a value highwater never writes (a
 * damaged file, or one edited with another tool) is an error naming the
 * table and what is wrong, never a crash, a guess or a silent write. */
int hwp_damaged(struct hw_store *st, struct hw_error *err, const char *table,
		const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return hw_error_set(err, HW_EDAMAGED, "'%.60s' is damaged: table %s: %s",
			    st->path, table, text);
}

/* The level stored in column i, as highwater writes it (lower case);
 * NULL is none.  Anything else clears *ok; na only where allow_na. */
static enum hw_level col_level(sqlite3_stmt *s, int i, int allow_na, int *ok)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	if (t == NULL)
		return HW_LEVEL_NONE;
	switch (t[0]) {
	case 'h':
		if (strcmp(t, "high") == 0)
			return HW_LEVEL_HIGH;
		break;
	case 'm':
		if (strcmp(t, "moderate") == 0)
			return HW_LEVEL_MODERATE;
		break;
	case 'l':
		if (strcmp(t, "low") == 0)
			return HW_LEVEL_LOW;
		break;
	case 'n':
		if (allow_na && strcmp(t, "na") == 0)
			return HW_LEVEL_NA;
		break;
	}
	*ok = 0;
	return HW_LEVEL_NONE;
}

/* Row number n, id, name and type of an asset as read back: 0, or -1
 * with the error (levels_ok: its levels read well). */
static int check_asset_row(struct hw_store *st, long long n, const char *id,
			   const char *name, const char *type, int levels_ok,
			   struct hw_error *err)
{
	if (n < 1)
		return hwp_damaged(st, err, "asset",
				   "row number %lld is out of range (expected "
				   "1 or more)",
				   n);
	if (id == NULL)
		return hwp_damaged(st, err, "asset", "row %lld has no id", n);
	if (hw_id_check(id, "id", NULL) < 0)
		return hwp_damaged(st, err, "asset",
				   "row %lld: the id is not valid", n);
	if (name == NULL || *name == '\0')
		return hwp_damaged(st, err, "asset", "'%s' has no name", id);
	if (type == NULL || hwp_vocab_index(hw_asset_types, type) < 0)
		return hwp_damaged(st, err, "asset",
				   "'%s' has an unknown asset type \"%.40s\"",
				   id, type ? type : "");
	if (!levels_ok)
		return hwp_damaged(st, err, "asset",
				   "'%s' has a level that is not low, moderate "
				   "or high",
				   id);
	return 0;
}

/* The selected levels of an assignment read back (columns first..+2):
 * confidentiality may be na; none may be missing. */
static int col_selected(sqlite3_stmt *s, int first, struct hw_sc *out)
{
	int ok = 1, o;

	for (o = 0; o < HW_NOBJ; o++) {
		out->v[o] = col_level(s, first + o, o == HW_C, &ok);
		if (out->v[o] == HW_LEVEL_NONE)
			ok = 0;
	}
	return ok;
}

/* A copy of a text column (NULL stays NULL); sets *bad on ENOMEM. */
static char *col_dup(sqlite3_stmt *s, int i, int *bad)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	char *d;

	if (t == NULL)
		return NULL;
	d = strdup(t);
	if (d == NULL)
		*bad = 1;
	return d;
}

/* Map a failed step to an error, telling constraint failures apart. */
static int step_error(struct hw_store *st, int rc, struct hw_error *err,
		      const char *what)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return hw_error_set(err, HW_EINVAL, "%s: %s", what,
				    sqlite3_errmsg(st->db));
	return db_error(st, err, what);
}

/* The integer a one-row statement gives, its parameter ?1 bound to *arg
 * when arg is not NULL; what names it in errors. */
static int stmt_int(struct hw_store *st, enum stmt_id id,
		    const sqlite3_int64 *arg, sqlite3_int64 *out,
		    const char *what, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, id, err);
	int rc;

	if (s == NULL)
		return -1;
	if (arg != NULL)
		sqlite3_bind_int64(s, 1, *arg);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : db_error(st, err, what);
}

static int pragma_int(struct hw_store *st, const char *sql, int *out,
		      struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(s, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
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

int hw_store_close(struct hw_store *st)
{
	int i, rc = SQLITE_OK;

	if (st == NULL)
		return 0;
	for (i = 0; i < Q_MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL)
		rc = sqlite3_close(st->db);
	free(st->path);
	free(st);
	return rc == SQLITE_OK ? 0 : -1;
}

static int store_connect(struct hw_store *st, int flags, struct hw_error *err)
{
	/* One connection per store, used by one thread: no mutexes. */
	if (sqlite3_open_v2(st->path, &st->db,
			    flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return hw_error_set(err, HW_EDB, "cannot open '%s': %s",
				    st->path,
				    st->db ? sqlite3_errmsg(st->db)
					   : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
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
		return db_error(st, err, "cannot check foreign keys");
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
		return db_error(st, err, "cannot check foreign keys");
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

	if (exec_sql(st, "PRAGMA foreign_keys = OFF", err) < 0)
		return -1;
	for (v = from; v < SCHEMA_VERSION; v++) {
		if (exec_sql(st, "BEGIN IMMEDIATE", err) < 0)
			goto out;
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
		if (exec_sql(st, migrations[v], err) < 0 ||
		    foreign_key_broken(st, err) != 0 ||
		    exec_sql(st, bump, err) < 0 ||
		    exec_sql(st, "COMMIT", err) < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
	}
	ret = 0;
out:
	if (exec_sql(st, "PRAGMA foreign_keys = ON", ret < 0 ? NULL : err) < 0)
		ret = -1;
	return ret;
}

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", path,
				     suffix[i]) < sizeof buf)
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
	if (store_connect(st, SQLITE_OPEN_READWRITE, err) < 0 ||
	    exec_sql(st, "PRAGMA journal_mode = WAL", err) < 0 ||
	    exec_sql(st, sql, err) < 0 || migrate(st, 0, err) < 0)
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

struct hw_store *hw_store_open(const char *path, int readonly,
			       struct hw_error *err)
{
	struct hw_store *st;
	struct stat sb;
	int appid = 0, version = 0;

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
	st = store_alloc(path, err);
	if (st == NULL)
		return NULL;
	if (store_connect(st, readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
		    err) < 0)
		goto fail;
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
	return st;
fail:
	hw_store_close(st);
	return NULL;
}

int hw_store_begin(struct hw_store *st, struct hw_error *err)
{
	return exec_sql(st, "BEGIN IMMEDIATE", err);
}

int hw_store_commit(struct hw_store *st, struct hw_error *err)
{
	return exec_sql(st, "COMMIT", err);
}

void hw_store_rollback(struct hw_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Information types                                                   */

/* Read one info_type row into *out, written only on success. */
static int row_infotype(struct hw_store *st, sqlite3_stmt *s,
			struct hw_infotype *out, struct hw_error *err)
{
	struct hw_infotype row, *t = &row;
	int bad = 0, ok = 1, o;

	memset(t, 0, sizeof *t);
	t->id = col_dup(s, 0, &bad);
	t->name = col_dup(s, 1, &bad);
	t->category = col_dup(s, 2, &bad);
	for (o = 0; o < HW_NOBJ; o++)
		t->prov.v[o] = col_level(s, 3 + o, o == HW_C, &ok);
	t->builtin = sqlite3_column_int(s, 6);
	if (bad) {
		hw_infotype_release(t);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (t->id == NULL || hw_id_check(t->id, "id", NULL) < 0 ||
	    t->name == NULL || !ok) {
		if (t->id == NULL || hw_id_check(t->id, "id", NULL) < 0)
			hwp_damaged(st, err, "info_type",
				    "a row has no valid id");
		else
			hwp_damaged(st, err, "info_type",
				    "'%s' has %s", t->id,
				    t->name ? "a level that is not na, low, "
					      "moderate or high"
					    : "no name");
		hw_infotype_release(t);
		return -1;
	}
	*out = row;
	return 0;
}

int hw_store_infotype_get(struct hw_store *st, const char *id,
			  struct hw_infotype *out, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_INFOTYPE_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return hw_error_set(err, HW_ENOTFOUND,
				    "unknown information type '%.64s' (hint: "
				    "highwater infotype list --search)",
				    id);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "cannot read information type");
	rc = row_infotype(st, s, out, err);
	sqlite3_reset(s);
	return rc;
}

static int check_infotype(const struct hw_infotype *t, struct hw_error *err)
{
	int o, set = 0;

	if (hw_id_check(t->id, "information type id", err) < 0)
		return -1;
	if (t->name == NULL || t->name[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "information type '%s' has no name", t->id);
	if (hwp_text_check(t->name, "name", err) < 0 ||
	    hwp_text_check(t->category, "category", err) < 0)
		return -1;
	for (o = 0; o < HW_NOBJ; o++) {
		if (t->prov.v[o] == HW_LEVEL_NA && o != HW_C)
			return hw_error_set(
			    err, HW_EINVAL,
			    "%s cannot be na (na applies only to "
			    "confidentiality)",
			    hw_objective_name(o));
		set += t->prov.v[o] != HW_LEVEL_NONE;
	}
	if (set != 0 && set != HW_NOBJ)
		return hw_error_set(err, HW_EINVAL,
				    "information type '%s' needs all three "
				    "levels or none",
				    t->id);
	return 0;
}

/* "moderate/moderate/moderate", or "no levels". */
static const char *levels_text(const struct hw_sc *sc, char *buf, size_t size)
{
	if (sc->v[HW_I] == HW_LEVEL_NONE)
		return "no levels";
	snprintf(buf, size, "%s/%s/%s", hw_level_name(sc->v[HW_C]),
		 hw_level_name(sc->v[HW_I]), hw_level_name(sc->v[HW_A]));
	return buf;
}

/* Statement q with type t's id and levels bound as ?1..?4. */
static sqlite3_stmt *type_stmt(struct hw_store *st, enum stmt_id q,
			       const struct hw_infotype *t,
			       struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, q, err);
	int o;

	if (s == NULL)
		return NULL;
	bind_text(s, 1, t->id);
	for (o = 0; o < HW_NOBJ; o++)
		bind_level(s, 2 + o, t->prov.v[o]);
	return s;
}

/* The asset (by id) that keeps type t from taking the levels t->prov:
 * 1 and an error naming it, 0 if none, -1 on a database error. */
static int follow_blocked(struct hw_store *st, const struct hw_infotype *t,
			  struct hw_error *err)
{
	sqlite3_stmt *s = type_stmt(st, Q_FOLLOW_BLOCKER, t, err);
	char buf[40];
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && t->prov.v[HW_I] == HW_LEVEL_NONE)
		hw_error_set(err, HW_EREFUSED,
			     "information type '%s' cannot lose its levels: "
			     "asset '%.64s' holds it at them and would be "
			     "left with none (give that assignment its own "
			     "levels, or remove it)",
			     t->id, sqlite3_column_text(s, 0));
	else if (rc == SQLITE_ROW)
		hw_error_set(err, HW_EREFUSED,
			     "information type '%s' cannot take the levels "
			     "%s: asset '%.64s' holds it at other levels with "
			     "no justification for differing from them",
			     t->id, levels_text(&t->prov, buf, sizeof buf),
			     sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0
				 : db_error(st, err, "cannot read assignments");
}

/* Before replacing a type: a shipped type changes only from the
 * catalogue itself (*skip when a file gives it unchanged); the
 * assignments of a custom type must be able to follow new levels. */
static int replace_allowed(struct hw_store *st, const struct hw_infotype *t,
			   int *skip, struct hw_error *err)
{
	struct hw_infotype old;
	struct hw_error e = {0};
	int o, changed = 0, ret = 0;

	*skip = 0;
	if (hw_store_infotype_get(st, t->id, &old, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	for (o = 0; o < HW_NOBJ; o++)
		changed |= old.prov.v[o] != t->prov.v[o];
	if (old.builtin && !t->builtin) {
		const char *diff = hw_infotype_shipped_diff(&old, t);

		*skip = diff == NULL;
		if (diff != NULL)
			ret = hw_error_set(err, HW_EREFUSED,
					   "information type '%s' is in the "
					   "shipped SP 800-60 catalogue: its %s "
					   "cannot change",
					   t->id, diff);
	} else if (changed && follow_blocked(st, t, err) != 0) {
		ret = -1;
	}
	hw_infotype_release(&old);
	return ret;
}

/* Assignments of t follow its new levels (see Q_FOLLOW). */
static int follow(struct hw_store *st, const struct hw_infotype *t,
		  struct hw_error *err)
{
	sqlite3_stmt *s = type_stmt(st, Q_FOLLOW, t, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0
				 : step_error(st, rc, err,
					      "cannot update assignments");
}

int hw_store_infotype_put(struct hw_store *st, const struct hw_infotype *t,
			  int replace, struct hw_error *err)
{
	sqlite3_stmt *s;
	int rc, o, skip = 0;

	if (check_infotype(t, err) < 0)
		return -1;
	if (replace && replace_allowed(st, t, &skip, err) < 0)
		return -1;
	if (skip)
		return 0;
	s = stmt(st, replace ? Q_INFOTYPE_REPLACE : Q_INFOTYPE_INSERT, err);
	if (s == NULL)
		return -1;
	bind_text(s, 1, t->id);
	bind_text(s, 2, t->name);
	bind_text(s, 3, t->category);
	for (o = 0; o < HW_NOBJ; o++)
		bind_level(s, 4 + o, t->prov.v[o]);
	sqlite3_bind_int(s, 7, t->builtin ? 1 : 0);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return hw_error_set(err, HW_EEXIST,
				    "information type '%s' already exists",
				    t->id);
	if (rc != SQLITE_DONE)
		return step_error(st, rc, err, "cannot store information type");
	return replace ? follow(st, t, err) : 0;
}

/* Does t match every word of search (or does its id start with it)? */
static int infotype_matches(const struct hw_infotype *t, const char *search)
{
	char word[128];
	const char *p = search;
	size_t n;

	n = strlen(search);
	if (strncasecmp(t->id, search, n) == 0)
		return 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (n >= sizeof word)
			n = sizeof word - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (!hwp_contains_ci(t->name, word) &&
		    !hwp_contains_ci(t->category, word) &&
		    !hwp_contains_ci(t->id, word))
			return 0;
		p += strcspn(p, " \t");
	}
	return 1;
}

int hw_store_infotype_each(struct hw_store *st, const char *search,
			   int builtin,
			   int (*fn)(const struct hw_infotype *, void *),
			   void *ctx, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_INFOTYPE_ALL, err);
	struct hw_infotype t;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int(s, 1, builtin);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_infotype(st, s, &t, err) < 0) {
			ret = -1;
			break;
		}
		if (search == NULL || infotype_matches(&t, search))
			ret = fn(&t, ctx);
		hw_infotype_release(&t);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(st, err, "cannot list information types");
	sqlite3_reset(s);
	return ret;
}

int hw_store_load_catalogue(struct hw_store *st, const char *csv_path,
			    struct hw_error *err)
{
	static const char header[] =
	    "id,name,category,confidentiality,integrity,availability";
	char line[1024], *f[6];
	struct hw_infotype t;
	FILE *fp;
	int lineno = 0, col = 0, n, o, ret = -1;

	fp = fopen(csv_path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s",
				    csv_path, strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, header) != 0) {
				hw_error_set_at(err, HW_EFORMAT, csv_path, 1, 1,
						"expected header \"%s\"",
						header);
				goto out;
			}
			continue;
		}
		if (line[0] == '\0')
			continue;
		n = hwp_csv_split(line, f, 6, &col);
		if (n != 6) {
			hw_error_set_at(err, HW_EFORMAT, csv_path, lineno,
					n < 0 ? col : 1,
					"expected 6 comma-separated fields");
			goto out;
		}
		memset(&t, 0, sizeof t);
		t.id = f[0];
		t.name = f[1];
		t.category = f[2][0] ? f[2] : NULL;
		t.builtin = 1;
		for (o = 0; o < HW_NOBJ; o++) {
			if (f[3 + o][0] == '\0')
				continue;
			if (hw_level_parse(f[3 + o], o == HW_C, &t.prov.v[o],
					   err) < 0) {
				hwp_error_locate(err, csv_path);
				err->line = lineno;
				goto out;
			}
		}
		if (hw_store_infotype_put(st, &t, 1, err) < 0) {
			if (err != NULL && err->source[0] == '\0') {
				hwp_error_locate(err, csv_path);
				err->line = lineno;
			}
			goto out;
		}
	}
	if (ferror(fp)) {
		hw_error_set(err, HW_EIO, "cannot read '%s'", csv_path);
		goto out;
	}
	ret = 0;
out:
	fclose(fp);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Assets                                                              */

/* Factors from the FACTOR_COLS starting at column first (NULLs: no
 * data).  Returns 0, or -1 with the factor whose stored value is out of
 * its range (the table's CHECKs) in *badk. */
static int row_factors(sqlite3_stmt *s, int first, struct hw_factors *f,
		       enum hw_factor *badk)
{
	enum hw_factor k;

	memset(f, 0, sizeof *f);
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		int i = first + (int)k;
		sqlite3_int64 n;
		double d;
		const char *t;

		if (sqlite3_column_type(s, i) == SQLITE_NULL)
			continue;
		f->known |= HW_F_BIT(k);
		switch (k) {
		case HW_F_VULNERABILITIES:
		case HW_F_AUTHORIZED:
			n = sqlite3_column_int64(s, i);
			if (sqlite3_column_type(s, i) != SQLITE_INTEGER ||
			    n < 0 || n > (k == HW_F_AUTHORIZED ? 1 : INT_MAX))
				goto bad;
			if (k == HW_F_AUTHORIZED)
				f->authorized = (int)n;
			else
				f->vulnerabilities = (int)n;
			break;
		case HW_F_WORST_CVSS:
		case HW_F_DOWNTIME_COST:
			d = sqlite3_column_double(s, i);
			/* Written the negated way, NaN fails too. */
			if (!(d >= 0 && d <= (k == HW_F_WORST_CVSS ? 10 : 1e15)))
				goto bad;
			if (k == HW_F_WORST_CVSS)
				f->worst_cvss = d;
			else
				f->downtime_cost = d;
			break;
		default: /* dates and the baseline, as text */
			t = (const char *)sqlite3_column_text(s, i);
			if (t == NULL ||
			    hw_factor_set(f, hw_factor_name(k), t, NULL) != 0)
				goto bad;
			break;
		}
	}
	return 0;
bad:
	*badk = k;
	return -1;
}

/* The error for a factor row_factors refused, of the asset id or (id
 * NULL) row number n. */
static int bad_factor(struct hw_store *st, const char *id, long long n,
		      enum hw_factor k, struct hw_error *err)
{
	if (id == NULL)
		return hwp_damaged(st, err, "asset_factor",
				   "asset number %lld has a %s that is out "
				   "of range",
				   n, hw_factor_name(k));
	return hwp_damaged(st, err, "asset_factor",
			   "'%.64s' has a %s that is out of range", id,
			   hw_factor_name(k));
}

/* Store the asset's factors: a row only when it has any. */
static int put_factors(struct hw_store *st, sqlite3_int64 n,
		       const struct hw_factors *f, struct hw_error *err)
{
	sqlite3_stmt *s;
	char buf[32];
	int rc;

	s = stmt(st, f->known ? Q_FACTOR_PUT : Q_FACTOR_CLEAR, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	if (f->known) {
		enum hw_factor k;

		for (k = 0; k < HW_F_FRAGILITY; k++) {
			if (!(f->known & HW_F_BIT(k)))
				continue;
			if (k == HW_F_VULNERABILITIES)
				sqlite3_bind_int(s, 2, f->vulnerabilities);
			else if (k == HW_F_WORST_CVSS ||
				 k == HW_F_DOWNTIME_COST)
				sqlite3_bind_double(s, 2 + (int)k,
						    k == HW_F_WORST_CVSS
							? f->worst_cvss
							: f->downtime_cost);
			else if (k == HW_F_AUTHORIZED)
				sqlite3_bind_int(s, 2 + (int)k,
						 f->authorized ? 1 : 0);
			else
				sqlite3_bind_text(s, 2 + (int)k,
						  hw_factor_text(f, k, buf), -1,
						  SQLITE_TRANSIENT);
		}
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0
				 : step_error(st, rc, err, "cannot store risk "
							   "factors");
}

/* Fill the asset fields from columns 0..15 of s, its row number in
 * column ncol.  Returns 0, or -1 with the error for a damaged row (the
 * fields read so far in a, to release). */
static int row_asset(struct hw_store *st, sqlite3_stmt *s, int ncol,
		     struct hw_asset *a, int *bad, struct hw_error *err)
{
	enum hw_factor k;
	int o, ok = 1;

	memset(a, 0, sizeof *a);
	a->id = col_dup(s, 0, bad);
	a->name = col_dup(s, 1, bad);
	a->type = col_dup(s, 2, bad);
	a->owner = col_dup(s, 3, bad);
	a->description = col_dup(s, 4, bad);
	for (o = 0; o < HW_NOBJ; o++)
		a->direct.v[o] = col_level(s, 5 + o, 0, &ok);
	a->internet_facing = sqlite3_column_int(s, 8);
	if (*bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (check_asset_row(st, sqlite3_column_int64(s, ncol), a->id, a->name,
			    a->type, ok, err) < 0)
		return -1;
	if (sqlite3_column_int64(s, 8) != (a->internet_facing != 0))
		return hwp_damaged(st, err, "asset",
				   "'%s' has an internet_facing that is not 0 "
				   "or 1",
				   a->id);
	if (row_factors(s, 9, &a->factors, &k) < 0)
		return bad_factor(st, a->id, 0, k, err);
	return 0;
}

/* Append the assignment in columns first..first+8 of s to a.  Returns
 * 0, or -1 with the error (*bad set when out of memory). */
static int push_assignment(struct hw_store *st, struct hw_asset *a,
			   sqlite3_stmt *s, int first, int *bad,
			   struct hw_error *err)
{
	struct hw_assignment *g, *grown;
	int o, ok = 1;

	grown = realloc(a->types, (a->ntypes + 1) * sizeof *grown);
	if (grown == NULL) {
		*bad = 1;
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	a->types = grown;
	g = &a->types[a->ntypes++];
	memset(g, 0, sizeof *g);
	g->type_id = col_dup(s, first, bad);
	for (o = 0; o < HW_NOBJ; o++)
		g->base.v[o] = col_level(s, first + 1 + o, o == HW_C, &ok);
	if (!col_selected(s, first + 4, &g->selected))
		ok = 0;
	g->justification = col_dup(s, first + 7, bad);
	if (*bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (g->type_id == NULL || !ok)
		return hwp_damaged(st, err, "assignment",
				   "'%s' has an assignment with %s", a->id,
				   g->type_id ? "a level that is not na, low, "
						"moderate or high"
					      : "no information type");
	if (sqlite3_column_type(s, first + 8) == SQLITE_NULL)
		return hwp_damaged(st, err, "assignment",
				   "'%s' holds information type '%.64s', "
				   "which is not in table info_type",
				   a->id, g->type_id);
	return 0;
}

static int asset_n(struct hw_store *st, const char *id, sqlite3_int64 *n,
		   struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_ASSET_N, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "unknown asset '%.64s'",
				    id);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "cannot look up asset");
	return 0;
}

int hw_store_asset_get(struct hw_store *st, const char *id,
		       struct hw_asset *out, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_ASSET_GET, err);
	struct hw_asset a;
	sqlite3_int64 n;
	int rc, ret, bad = 0;

	if (s == NULL)
		return -1;
	bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "unknown asset '%.64s'",
				    id);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "cannot read asset");
	ret = row_asset(st, s, 16, &a, &bad, err);
	n = sqlite3_column_int64(s, 16);
	sqlite3_reset(s);
	s = ret < 0 ? NULL : stmt(st, Q_ASSIGN_OF, err);
	if (s == NULL) {
		hw_asset_release(&a);
		return -1;
	}
	sqlite3_bind_int64(s, 1, n);
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = push_assignment(st, &a, s, 0, &bad, err);
	sqlite3_reset(s);
	if (ret < 0 || rc != SQLITE_DONE) {
		hw_asset_release(&a);
		if (ret < 0)
			return -1;
		return db_error(st, err, "cannot read assignments");
	}
	*out = a;
	return 0;
}

int hw_store_assignment_prepare(struct hw_store *st, struct hw_assignment *g,
				struct hw_error *err)
{
	struct hw_infotype t;
	int o, adjusted = 0;

	if (hw_store_infotype_get(st, g->type_id, &t, err) < 0)
		return -1;
	g->base = t.prov;
	for (o = 0; o < HW_NOBJ; o++) {
		if (g->selected.v[o] == HW_LEVEL_NA && o != HW_C) {
			hw_infotype_release(&t);
			return hw_error_set(err, HW_EINVAL,
					    "%s cannot be na (na applies only "
					    "to confidentiality)",
					    hw_objective_name(o));
		}
		if (g->selected.v[o] == HW_LEVEL_NONE) {
			if (t.prov.v[o] == HW_LEVEL_NONE) {
				hw_error_set(err, HW_EINVAL,
					     "information type '%s' has no "
					     "provisional levels: give "
					     "confidentiality, integrity and "
					     "availability",
					     t.id);
				hw_infotype_release(&t);
				return -1;
			}
			g->selected.v[o] = t.prov.v[o];
		}
		if (t.prov.v[o] != HW_LEVEL_NONE &&
		    g->selected.v[o] != t.prov.v[o])
			adjusted = 1;
	}
	hw_infotype_release(&t);
	if (hwp_text_check(g->justification, "justification", err) < 0)
		return -1;
	if (adjusted && (g->justification == NULL ||
			 strspn(g->justification, " \t\r\n") ==
			     strlen(g->justification)))
		return hw_error_set(err, HW_EINVAL,
				    "adjusting the provisional levels of '%s' "
				    "needs a justification",
				    g->type_id);
	return 0;
}

static int check_asset(const struct hw_asset *a, struct hw_error *err)
{
	int o;

	if (hw_id_check(a->id, "asset id", err) < 0)
		return -1;
	if (a->name == NULL || a->name[0] == '\0')
		return hw_error_set(err, HW_EINVAL, "asset '%s' has no name",
				    a->id);
	if (hwp_text_check(a->name, "name", err) < 0 ||
	    hwp_text_check(a->owner, "owner", err) < 0 ||
	    hwp_text_check(a->description, "description", err) < 0)
		return -1;
	if (!hw_vocab_has(hw_asset_types, a->type))
		return hw_error_set(err, HW_EINVAL,
				    "unknown asset type \"%.40s\" (expected "
				    "%s)",
				    a->type ? a->type : "",
				    hw_vocab_text(hw_asset_types));
	if (a->owner != NULL && a->owner[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "empty owner (leave it out for none)");
	for (o = 0; o < HW_NOBJ; o++)
		if (a->direct.v[o] == HW_LEVEL_NA)
			return hw_error_set(err, HW_EINVAL,
					    "%s of an asset cannot be na (na "
					    "applies only to information "
					    "types; expected low, moderate, "
					    "high)",
					    hw_objective_name(o));
	return 0;
}

static void bind_asset(sqlite3_stmt *s, const struct hw_asset *a)
{
	int o;

	bind_text(s, 1, a->id);
	bind_text(s, 2, a->name);
	bind_text(s, 3, a->type);
	bind_text(s, 4, a->owner);
	bind_text(s, 5, a->description);
	for (o = 0; o < HW_NOBJ; o++)
		bind_level(s, 6 + o, a->direct.v[o]);
	sqlite3_bind_int(s, 9, a->internet_facing ? 1 : 0);
}

int hw_store_asset_put(struct hw_store *st, const struct hw_asset *a,
		       int replace, struct hw_error *err)
{
	long long n;
	int existed;

	return hwp_asset_put(st, a, replace, &n, &existed, err);
}

int hwp_asset_put(struct hw_store *st, const struct hw_asset *a, int replace,
		  long long *nout, int *existed, struct hw_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 n = 0;
	size_t i;
	int rc, o;

	if (check_asset(a, err) < 0)
		return -1;
	/* A plain insert first: a new asset has no assignments to clear. */
	s = stmt(st, Q_ASSET_INSERT, err);
	if (s == NULL)
		return -1;
	bind_asset(s, a);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		n = sqlite3_last_insert_rowid(st->db);
		rc = SQLITE_ROW; /* as the upsert's RETURNING gives */
	}
	sqlite3_reset(s);
	*existed = rc == SQLITE_CONSTRAINT_UNIQUE;
	if (*existed && !replace)
		return hw_error_set(err, HW_EEXIST, "asset '%s' already exists",
				    a->id);
	if (*existed) {
		s = stmt(st, Q_ASSET_UPSERT, err);
		if (s == NULL)
			return -1;
		bind_asset(s, a);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	if (rc != SQLITE_ROW)
		return step_error(st, rc, err, "cannot store asset");
	if (*existed) {
		s = stmt(st, Q_ASSIGN_CLEAR, err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, n);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_error(st, err, "cannot clear assignments");
	}
	*nout = n;
	if ((*existed || a->factors.known) &&
	    put_factors(st, n, &a->factors, err) < 0)
		return -1;
	for (i = 0; i < a->ntypes; i++) {
		const struct hw_assignment *g = &a->types[i];

		s = stmt(st, Q_ASSIGN_INSERT, err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, n);
		bind_text(s, 2, g->type_id);
		for (o = 0; o < HW_NOBJ; o++) {
			bind_level(s, 3 + o, g->base.v[o]);
			bind_level(s, 6 + o, g->selected.v[o]);
		}
		bind_text(s, 9, g->justification);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return hw_error_set(err, HW_EEXIST,
					    "asset '%s' holds information "
					    "type '%s' twice",
					    a->id, g->type_id);
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return hw_error_set(err, HW_ENOTFOUND,
					    "unknown information type '%s'",
					    g->type_id);
		if (rc != SQLITE_DONE)
			return step_error(st, rc, err,
					  "cannot store assignment");
	}
	return 0;
}

int hw_store_asset_delete(struct hw_store *st, const char *id, int force,
			  struct hw_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 n, deps = 0;
	int rc;

	if (asset_n(st, id, &n, err) < 0)
		return -1;
	if (!force) {
		if (stmt_int(st, Q_ASSET_DEPENDENTS, &n, &deps,
			     "cannot count dependents", err) < 0)
			return -1;
		if (deps > 0)
			return hw_error_set(
			    err, HW_EREFUSED,
			    "%lld asset%s depend%s on '%s' (use --force to "
			    "remove it and those dependencies)",
			    (long long)deps, deps == 1 ? "" : "s",
			    deps == 1 ? "s" : "", id);
	}
	s = stmt(st, Q_ASSET_DELETE, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot delete asset");
	return 0;
}

int hw_store_asset_each(struct hw_store *st,
			int (*fn)(const struct hw_asset *, void *), void *ctx,
			struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_ASSET_ALL, err);
	struct hw_asset a;
	sqlite3_int64 an = 0;
	int rc, ret = 0, bad = 0, have = 0;

	if (s == NULL)
		return -1;
	memset(&a, 0, sizeof a);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* An asset's rows (one an assignment) come together. */
		sqlite3_int64 n = sqlite3_column_int64(s, 25);

		if (!have || n != an) {
			if (have) {
				ret = fn(&a, ctx);
				hw_asset_release(&a);
				have = 0;
				if (ret != 0)
					break;
			}
			have = 1;
			an = n;
			if (row_asset(st, s, 25, &a, &bad, err) < 0) {
				ret = -1;
				break;
			}
		}
		if (sqlite3_column_type(s, 16) != SQLITE_NULL &&
		    push_assignment(st, &a, s, 16, &bad, err) < 0) {
			ret = -1;
			break;
		}
	}
	if (ret < 0)
		have = 0;
	else if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(st, err, "cannot list assets");
	else if (ret == 0 && have)
		ret = fn(&a, ctx);
	hw_asset_release(&a);
	sqlite3_reset(s);
	return ret;
}

int hw_store_asset_count(struct hw_store *st, long *out, struct hw_error *err)
{
	sqlite3_int64 n;

	if (stmt_int(st, Q_ASSET_COUNT, NULL, &n, "cannot count assets", err) <
	    0)
		return -1;
	*out = (long)n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dependencies                                                        */

int hw_store_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		     struct hw_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 from, to;
	int rc;

	if (d->from != NULL && d->to != NULL && strcmp(d->from, d->to) == 0)
		return hw_error_set(err, HW_EINVAL,
				    "asset '%.64s' cannot depend on itself",
				    d->from);
	if (!hw_vocab_has(hw_dep_types, d->type))
		return hw_error_set(err, HW_EINVAL,
				    "unknown dependency type \"%.40s\" "
				    "(expected %s)",
				    d->type ? d->type : "",
				    hw_vocab_text(hw_dep_types));
	if (d->carries == 0 || d->carries > HW_CARRY_ALL)
		return hw_error_set(err, HW_EINVAL,
				    "a dependency must carry at least one of "
				    "c, i, a");
	if (asset_n(st, d->from, &from, err) < 0 ||
	    asset_n(st, d->to, &to, err) < 0)
		return -1;
	s = stmt(st, replace ? Q_DEP_UPSERT : Q_DEP_INSERT, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	bind_text(s, 3, d->type);
	sqlite3_bind_int(s, 4, (int)d->carries);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return hw_error_set(err, HW_EEXIST,
				    "'%s' already depends on '%s'", d->from,
				    d->to);
	if (rc != SQLITE_DONE)
		return step_error(st, rc, err, "cannot store dependency");
	return 0;
}

/* Bind row r as parameters first..first+3 of s. */
static void bind_dep_row(sqlite3_stmt *s, int first,
			 const struct hwp_dep_row *r)
{
	sqlite3_bind_int64(s, first, (sqlite3_int64)r->src);
	sqlite3_bind_int64(s, first + 1, (sqlite3_int64)r->dst);
	bind_text(s, first + 2, hw_dep_types[r->type]);
	sqlite3_bind_int(s, first + 3, r->carries);
}

static int put_dep_row(struct hw_store *st, const struct hwp_dep_row *r,
		       struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_DEP_UPSERT, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_dep_row(s, 1, r);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE
		   ? 0
		   : step_error(st, rc, err, "cannot store dependency");
}

int hwp_dep_put_rows(struct hw_store *st, const struct hwp_dep_row *rows,
		     size_t n, size_t *bad, struct hw_error *err)
{
	sqlite3_stmt *s;
	size_t i, j;
	int rc;

	for (i = 0; i + DEP_ROWS_MANY <= n; i += DEP_ROWS_MANY) {
		s = stmt(st, Q_DEP_UPSERT_MANY, err);
		if (s == NULL)
			return -1;
		for (j = 0; j < DEP_ROWS_MANY; j++)
			bind_dep_row(s, 1 + 4 * (int)j, &rows[i + j]);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			continue;
		/* Which row: one at a time (the statement left no trace). */
		for (j = 0; j < DEP_ROWS_MANY; j++)
			if (put_dep_row(st, &rows[i + j], err) < 0) {
				*bad = i + j;
				return -1;
			}
		return db_error(st, err, "cannot store dependencies");
	}
	for (; i < n; i++)
		if (put_dep_row(st, &rows[i], err) < 0) {
			*bad = i;
			return -1;
		}
	return 0;
}

int hw_store_dep_delete(struct hw_store *st, const char *from, const char *to,
			struct hw_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 f, t;
	int rc;

	if (asset_n(st, from, &f, err) < 0 || asset_n(st, to, &t, err) < 0)
		return -1;
	s = stmt(st, Q_DEP_DELETE, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, f);
	sqlite3_bind_int64(s, 2, t);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot delete dependency");
	if (sqlite3_changes(st->db) == 0)
		return hw_error_set(err, HW_ENOTFOUND,
				    "'%s' does not depend on '%s'", from, to);
	return 0;
}

int hw_store_dep_each(struct hw_store *st, const char *asset,
		      int (*fn)(const struct hw_dep *, void *), void *ctx,
		      struct hw_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 n = 0;
	struct hw_dep d;
	int rc, ret = 0;

	if (asset != NULL && asset_n(st, asset, &n, err) < 0)
		return -1;
	s = stmt(st, asset ? Q_DEP_OF : Q_DEP_ALL, err);
	if (s == NULL)
		return -1;
	if (asset != NULL)
		sqlite3_bind_int64(s, 1, n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 carries = sqlite3_column_int64(s, 3);

		/* Borrowed column text: valid until the next step. */
		d.from = (char *)sqlite3_column_text(s, 0);
		d.to = (char *)sqlite3_column_text(s, 1);
		d.type = (char *)sqlite3_column_text(s, 2);
		d.carries = (unsigned)(carries & 7);
		if (d.from == NULL || d.to == NULL) {
			ret = hwp_damaged(st, err, "dependency",
					  "a row names asset number %lld, "
					  "which does not exist (or has no "
					  "id)",
					  (long long)sqlite3_column_int64(
					      s, d.from == NULL ? 4 : 5));
			break;
		}
		if (sqlite3_column_int64(s, 4) == sqlite3_column_int64(s, 5)) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' depends on itself", d.from);
			break;
		}
		if (d.type == NULL ||
		    hwp_vocab_index(hw_dep_types, d.type) < 0) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' -> '%s': unknown dependency "
					  "type \"%.40s\"",
					  d.from, d.to, d.type ? d.type : "");
			break;
		}
		if (carries < 1 || carries > 7) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' -> '%s': carries %lld is out "
					  "of range (expected 1 to 7)",
					  d.from, d.to, (long long)carries);
			break;
		}
		ret = fn(&d, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_error(st, err, "cannot list dependencies");
	sqlite3_reset(s);
	return ret;
}

int hw_store_clear(struct hw_store *st, struct hw_error *err)
{
	return exec_sql(st,
			"DELETE FROM dependency; DELETE FROM assignment; "
			"DELETE FROM asset_factor; "
			"DELETE FROM asset; DELETE FROM info_type WHERE "
			"builtin = 0;",
			err);
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */

int hw_store_setting_get(struct hw_store *st, const char *name, char **out,
			 struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SETTING_GET, err);
	char *v = NULL;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = col_dup(s, 0, &bad);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no setting '%s'", name);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "cannot read setting");
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = v;
	return 0;
}

int hw_store_setting_set(struct hw_store *st, const char *name,
			 const char *value, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SETTING_SET, err);
	int rc;

	if (s == NULL || hwp_text_check(value, name, err) < 0)
		return -1;
	bind_text(s, 1, name);
	bind_text(s, 2, value);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0
				 : step_error(st, rc, err, "cannot save setting");
}

/* ------------------------------------------------------------------ */
/* Bulk import support                                                 */

int hwp_foreign_keys(struct hw_store *st, int on, struct hw_error *err)
{
	return exec_sql(
	    st, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
	    err);
}

int hwp_dep_count_upto(struct hw_store *st, long long limit, long long *out,
		       struct hw_error *err)
{
	sqlite3_int64 arg = limit, n;

	if (stmt_int(st, Q_DEP_COUNT_UPTO, &arg, &n,
		     "cannot count dependencies", err) < 0)
		return -1;
	*out = n;
	return 0;
}

static const char *const index_sql[][2] = {
    [HWP_INDEX_ASSET_OWNER] = {"DROP INDEX asset_owner", ASSET_OWNER_SQL},
    [HWP_INDEX_DEPENDENCY_DST] = {"DROP INDEX dependency_dst",
				  DEPENDENCY_DST_SQL},
};

int hwp_index_drop(struct hw_store *st, enum hwp_index which,
		   struct hw_error *err)
{
	return exec_sql(st, index_sql[which][0], err);
}

int hwp_index_create(struct hw_store *st, enum hwp_index which, int threads,
		     struct hw_error *err)
{
	char sql[64];
	int rc;

	/* SQLite sorts the entries of a new index.  With a small cache it
	 * sorts runs of a few MiB, which fit the CPU caches, on helper
	 * threads, and merges them: at a million assets three times
	 * faster than one sort of everything in memory.  The settings go
	 * back after. */
	snprintf(sql, sizeof sql,
		 "PRAGMA threads = %d; PRAGMA cache_size = -4096",
		 threads < 0 ? 0 : threads);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	rc = exec_sql(st, index_sql[which][1], err);
	sqlite3_exec(st->db, "PRAGMA threads = 0; " CACHE_SIZE_SQL, NULL, NULL,
		     NULL);
	return rc;
}

int hwp_asset_any(struct hw_store *st, int *out, struct hw_error *err)
{
	sqlite3_int64 any;

	if (stmt_int(st, Q_ASSET_ANY, NULL, &any, "cannot count assets", err) <
	    0)
		return -1;
	*out = any != 0;
	return 0;
}

int hwp_asset_id(struct hw_store *st, long long n, char **out,
		 struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_ASSET_ID, err);
	char *id = NULL;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = col_dup(s, 0, &bad);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no asset number %lld",
				    n);
	if (rc != SQLITE_ROW)
		return db_error(st, err, "cannot look up asset");
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = id;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Bulk scans for the graph engine: rows go to callbacks, the text they
 * pass is borrowed for the call.                                      */

/* The rows below are checked as they are read: the graph engine indexes
 * arrays with row numbers and types, and hashes ids. */
static int node_row(struct hw_store *st, sqlite3_stmt *s, struct hwp_node *nd,
		    struct hw_error *err)
{
	int o, ok = 1;

	nd->n = sqlite3_column_int64(s, 0);
	nd->id = (const char *)sqlite3_column_text(s, 1);
	nd->name = (const char *)sqlite3_column_text(s, 2);
	nd->type = (const char *)sqlite3_column_text(s, 3);
	nd->owner = (const char *)sqlite3_column_text(s, 4);
	for (o = 0; o < HW_NOBJ; o++)
		nd->direct.v[o] = col_level(s, 5 + o, 0, &ok);
	return check_asset_row(st, nd->n, nd->id, nd->name, nd->type, ok, err);
}

static int levels_row(struct hw_store *st, sqlite3_stmt *s,
		      struct hwp_levels *lv, struct hw_error *err)
{
	lv->n = sqlite3_column_int64(s, 0);
	if (lv->n < 1)
		return hwp_damaged(st, err, "assignment",
				   "asset number %lld is out of range "
				   "(expected 1 or more)",
				   lv->n);
	if (!col_selected(s, 1, &lv->sc))
		return hwp_damaged(st, err, "assignment",
				   "asset number %lld has an assignment with "
				   "a level that is not na, low, moderate or "
				   "high",
				   lv->n);
	return 0;
}

static int edge_row(struct hw_store *st, sqlite3_stmt *s, struct hwp_edge *e,
		    struct hw_error *err)
{
	sqlite3_int64 carries = sqlite3_column_int64(s, 3);

	e->src = sqlite3_column_int64(s, 0);
	e->dst = sqlite3_column_int64(s, 1);
	e->type = (const char *)sqlite3_column_text(s, 2);
	e->carries = (unsigned)(carries & 7);
	if (e->src < 1 || e->dst < 1 || e->src == e->dst)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld are out of "
				   "range (expected 1 or more, and two "
				   "assets)",
				   e->src, e->dst);
	if (e->type == NULL || hwp_vocab_index(hw_dep_types, e->type) < 0)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld: unknown "
				   "dependency type \"%.40s\"",
				   e->src, e->dst, e->type ? e->type : "");
	if (carries < 1 || carries > 7)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld: carries %lld "
				   "is out of range (expected 1 to 7)",
				   e->src, e->dst, (long long)carries);
	return 0;
}

/* Run a scan statement (already bound) through fn for each row. */
static int scan(struct hw_store *st, sqlite3_stmt *s, int kind,
		int (*fn)(void *, const void *), void *ctx,
		struct hw_error *err)
{
	struct hwp_node nd;
	struct hwp_edge e;
	struct hwp_levels lv;
	int rc, ret = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (kind == 0)
			ret = node_row(st, s, &nd, err) < 0 ? -1
							    : fn(ctx, &nd);
		else if (kind == 1)
			ret = levels_row(st, s, &lv, err) < 0 ? -1
							      : fn(ctx, &lv);
		else
			ret = edge_row(st, s, &e, err) < 0 ? -1 : fn(ctx, &e);
		if (ret != 0)
			break;
	}
	sqlite3_reset(s);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read the inventory");
	if (ret != 0 && err != NULL && err->code == HW_OK)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return ret ? -1 : 0;
}

int hwp_scan_nodes(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SCAN_ASSETS, err);

	return s ? scan(st, s, 0, fn, ctx, err) : -1;
}

int hwp_scan_levels(struct hw_store *st, int (*fn)(void *, const void *),
		    void *ctx, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SCAN_ASSIGN, err);

	return s ? scan(st, s, 1, fn, ctx, err) : -1;
}

int hwp_scan_edges(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SCAN_DEPS, err);

	return s ? scan(st, s, 2, fn, ctx, err) : -1;
}

int hwp_node_by_n(struct hw_store *st, long long n,
		  int (*fn)(void *, const void *), void *ctx,
		  struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_NODE_BY_N, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	return scan(st, s, 0, fn, ctx, err);
}

int hwp_levels_by_n(struct hw_store *st, long long n,
		    int (*fn)(void *, const void *), void *ctx,
		    struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_ASSIGN_BY_N, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	return scan(st, s, 1, fn, ctx, err);
}

int hwp_dependents_of(struct hw_store *st, long long n,
		      int (*fn)(void *, const void *), void *ctx,
		      struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_DEPENDENTS_OF, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, n);
	return scan(st, s, 2, fn, ctx, err);
}

int hwp_asset_n(struct hw_store *st, const char *id, long long *n,
		struct hw_error *err)
{
	sqlite3_int64 v;

	if (asset_n(st, id, &v, err) < 0)
		return -1;
	*n = v;
	return 0;
}

int hwp_scan_factors(struct hw_store *st, int (*fn)(void *, const void *),
		     void *ctx, struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_SCAN_FACTORS, err);
	struct hwp_factor_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		enum hw_factor k;

		r.n = sqlite3_column_int64(s, 0);
		r.internet_facing = sqlite3_column_int(s, 1);
		if (sqlite3_column_int64(s, 1) != (r.internet_facing != 0)) {
			const char *id =
			    (const char *)sqlite3_column_text(s, 9);

			hwp_damaged(st, err, "asset",
				    "'%.64s' has an internet_facing that is "
				    "not 0 or 1",
				    id ? id : "?");
			sqlite3_reset(s);
			return -1;
		}
		if (row_factors(s, 2, &r.f, &k) < 0) {
			bad_factor(st, (const char *)sqlite3_column_text(s, 9),
				   r.n, k, err);
			sqlite3_reset(s);
			return -1;
		}
		ret = fn(ctx, &r);
	}
	sqlite3_reset(s);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read risk factors");
	if (ret != 0 && err != NULL && err->code == HW_OK)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return ret ? -1 : 0;
}

/* Assignment rows (asset, information type, justification) of the
 * statement q. */
static int scan_assignments(struct hw_store *st, enum stmt_id q,
			    int (*fn)(void *, const void *), void *ctx,
			    struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, q, err);
	struct hwp_adjusted_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.n = sqlite3_column_int64(s, 0);
		r.info_type = (const char *)sqlite3_column_text(s, 1);
		r.justification = (const char *)sqlite3_column_text(s, 2);
		ret = fn(ctx, &r);
	}
	sqlite3_reset(s);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_error(st, err, "cannot read assignments");
	return ret ? -1 : 0;
}

int hwp_scan_adjusted(struct hw_store *st, int (*fn)(void *, const void *),
		      void *ctx, struct hw_error *err)
{
	return scan_assignments(st, Q_SCAN_ADJUSTED, fn, ctx, err);
}

int hwp_scan_types(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	return scan_assignments(st, Q_SCAN_TYPES, fn, ctx, err);
}

/* ------------------------------------------------------------------ */
/* Risk weights                                                        */

int hw_store_weights(struct hw_store *st, struct hw_weights *out,
		     struct hw_error *err)
{
	sqlite3_stmt *s = stmt(st, Q_WEIGHT_ALL, err);
	struct hw_weights w;
	int rc;

	if (s == NULL)
		return -1;
	hw_weights_default(&w);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int i = name ? hw_weight_find(name) : -1;

		double v = sqlite3_column_double(s, 1);

		/* Names a newer version knows and we do not stay unused.
		 * Values index tables and divide: the range is checked
		 * (written the negated way, NaN fails too). */
		if (i < 0)
			continue;
		if (!(v >= hw_weight_defs[i].min &&
		      v <= hw_weight_defs[i].max)) {
			hwp_damaged(st, err, "risk_weight",
				    "%s = %g is out of range (expected %g to "
				    "%g)",
				    hw_weight_defs[i].name, v,
				    hw_weight_defs[i].min,
				    hw_weight_defs[i].max);
			sqlite3_reset(s);
			return -1;
		}
		w.v[i] = v;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(st, err, "cannot read risk weights");
	if (!(w.v[HW_W_BAND_MODERATE] < w.v[HW_W_BAND_HIGH] &&
	      w.v[HW_W_BAND_HIGH] < w.v[HW_W_BAND_VERY_HIGH]))
		return hwp_damaged(st, err, "risk_weight",
				   "the bands do not rise (band.moderate %g, "
				   "band.high %g, band.very_high %g)",
				   w.v[HW_W_BAND_MODERATE], w.v[HW_W_BAND_HIGH],
				   w.v[HW_W_BAND_VERY_HIGH]);
	*out = w;
	return 0;
}

int hw_store_weight_set(struct hw_store *st, const char *name,
			const char *value, struct hw_error *err)
{
	struct hw_weights w;
	sqlite3_stmt *s;
	int i, rc;

	if (hw_store_weights(st, &w, err) < 0 ||
	    hw_weight_set(&w, name, value, err) < 0)
		return -1;
	i = hw_weight_find(name);
	s = stmt(st, Q_WEIGHT_SET, err);
	if (s == NULL)
		return -1;
	bind_text(s, 1, name);
	sqlite3_bind_double(s, 2, w.v[i]);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0
				 : step_error(st, rc, err, "cannot store weight");
}

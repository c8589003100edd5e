/*
 * store-sql.c: the SQLite plumbing every store file shares: the text of
 * every statement the library runs and their per-connection cache,
 * binding values, reading values back without trusting them
 * (hwp_damaged), and transactions.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

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
			", a.n, f.authorized_by, f.authorized_at FROM asset a"
			FACTOR_JOIN " WHERE a.id = ?1",
	[Q_ASSET_INSERT] =
	    "INSERT INTO asset (id, name, type, owner, description, "
	    "confidentiality, integrity, availability, internet_facing) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO "
	    "NOTHING RETURNING n",
	/* A load into an empty inventory numbers the assets itself: a
	 * plain insert (PostgreSQL's COPY takes it) */
	[Q_ASSET_INSERT_N] =
	    "INSERT INTO asset (id, name, type, owner, description, "
	    "confidentiality, integrity, availability, internet_facing, n) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
			", a.n, f.authorized_by, f.authorized_at FROM asset a"
			FACTOR_JOIN
			" LEFT JOIN assignment g ON g.asset = a.n "
			"ORDER BY a.id, g.info_type",
	/* Ids from ?1 up to before ?2 (NULL: the end), through the id's
	 * index; the id or the name like ?3 (NULL: any), ignoring the case
	 * of ASCII letters (SQLite's LIKE; lower() is ASCII's on both
	 * engines, PostgreSQL's under COLLATE "C"). */
	[Q_ASSET_MATCH] = "SELECT " ASSET_COLS ", " FACTOR_COLS ", " ASSIGN_COLS
			  ", a.n, f.authorized_by, f.authorized_at FROM asset a"
			  FACTOR_JOIN
			  " LEFT JOIN assignment g ON g.asset = a.n "
			  "WHERE a.id >= ?1 AND (a.id < ?2 OR ?2 IS NULL) AND "
			  "(lower(a.id) LIKE lower(?3) ESCAPE '\\' OR "
			  "lower(a.name) LIKE lower(?3) ESCAPE '\\' OR "
			  "?3 IS NULL) "
			  "ORDER BY a.id, g.info_type",
	[Q_ASSET_COUNT] = "SELECT count(*) FROM asset",
	/* From the prefix on, in the order of the id's unique index. */
	[Q_ASSET_IDS] = "SELECT id FROM asset WHERE id >= ?1 ORDER BY id",
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
	[Q_DEP_BY_KEYS] = "SELECT type, carries FROM dependency WHERE src = ?1 "
			  "AND dst = ?2",
	[Q_SETTING_GET] = "SELECT value FROM setting WHERE name = ?1",
	[Q_SETTING_SET] = "INSERT INTO setting (name, value) VALUES (?1, ?2) "
			  "ON CONFLICT (name) DO UPDATE SET value = "
			  "excluded.value",
	[Q_DEP_COUNT_UPTO] = "SELECT count(*) FROM (SELECT 1 FROM dependency "
			     "LIMIT ?1) AS upto",
	[Q_DEP_COUNT] = "SELECT count(*) FROM dependency",
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
	[Q_FACTOR_PUT] =
	    "INSERT INTO asset_factor (asset, vulnerabilities, worst_cvss, "
	    "last_patched, end_of_life, authorized, implemented_baseline, "
	    "downtime_cost, authorized_by, authorized_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (asset) DO UPDATE "
	    "SET vulnerabilities = excluded.vulnerabilities, worst_cvss = "
	    "excluded.worst_cvss, last_patched = excluded.last_patched, "
	    "end_of_life = excluded.end_of_life, authorized = "
	    "excluded.authorized, implemented_baseline = "
	    "excluded.implemented_baseline, downtime_cost = "
	    "excluded.downtime_cost, authorized_by = excluded.authorized_by, "
	    "authorized_at = excluded.authorized_at",
	[Q_FACTOR_INSERT] =
	    "INSERT INTO asset_factor (asset, vulnerabilities, worst_cvss, "
	    "last_patched, end_of_life, authorized, implemented_baseline, "
	    "downtime_cost, authorized_by, authorized_at) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
	    "WHERE g.info_type = ?1 AND CASE WHEN CAST(?2 AS TEXT) IS NULL THEN "
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
	    "(base_c IS DISTINCT FROM ?2 OR base_i IS DISTINCT FROM ?3 OR "
	    "base_a IS DISTINCT FROM ?4)",
	[Q_GENERATION] = "SELECT n FROM generation WHERE one = 1",
	[Q_GENERATION_TAG] = "SELECT n, tag FROM generation WHERE one = 1",
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

int hwp_db_error(struct hw_store *st, struct hw_error *err, const char *what)
{
	/* Another connection kept its write lock past our wait: said as
	 * such (a client may try again), never "database is locked". */
	if ((st->db != NULL || st->pg != NULL) &&
	    (hwp_errcode(st) & 0xff) == HWP_BUSY)
		return hw_error_set(err, HW_EBUSY,
				    "'%s' is busy: another process has been "
				    "writing to it for over %ld s (an "
				    "import?): try again when it is done",
				    st->path, (st->wait_ms + 999) / 1000);
	return hw_error_set(err, HW_EDB, "%s: %s", what, hwp_errmsg(st));
}

/* ------------------------------------------------------------------ */
/* The engine facade, SQLite's side (store-pg.c is PostgreSQL's)       */

_Static_assert(HWP_ROW == SQLITE_ROW && HWP_DONE == SQLITE_DONE &&
		   HWP_BUSY == SQLITE_BUSY && HWP_LOCKED == SQLITE_LOCKED &&
		   HWP_NOMEM == SQLITE_NOMEM && HWP_NOTADB == SQLITE_NOTADB &&
		   HWP_CONSTRAINT == SQLITE_CONSTRAINT &&
		   HWP_CONSTRAINT_CHECK == SQLITE_CONSTRAINT_CHECK &&
		   HWP_CONSTRAINT_FOREIGNKEY == SQLITE_CONSTRAINT_FOREIGNKEY &&
		   HWP_CONSTRAINT_NOTNULL == SQLITE_CONSTRAINT_NOTNULL &&
		   HWP_CONSTRAINT_PRIMARYKEY == SQLITE_CONSTRAINT_PRIMARYKEY &&
		   HWP_CONSTRAINT_UNIQUE == SQLITE_CONSTRAINT_UNIQUE,
	       "the facade's result codes are SQLite's");
_Static_assert(HWP_INTEGER == SQLITE_INTEGER && HWP_FLOAT == SQLITE_FLOAT &&
		   HWP_TEXT == SQLITE_TEXT && HWP_BLOB == SQLITE_BLOB &&
		   HWP_NULL == SQLITE_NULL,
	       "the facade's column types are SQLite's");

/* Prepare sql, kept (the statement cache) or for one use. */
static int prepare(struct hw_store *st, const char *sql, int kept,
		   struct hwp_stmt **out)
{
	struct hwp_stmt *s;
	int rc;

	*out = NULL;
	if (st->pg != NULL)
		return hwp_pg_prepare(st, sql, kept, out);
	s = calloc(1, sizeof *s);
	if (s == NULL)
		return HWP_NOMEM;
	rc = sqlite3_prepare_v3(st->db, sql, -1,
				kept == 1 ? SQLITE_PREPARE_PERSISTENT : 0, &s->lite,
				NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(s->lite);
		free(s);
		return rc;
	}
	*out = s;
	return HWP_OK;
}

int hwp_prepare_raw(struct hw_store *st, const char *sql,
		    struct hwp_stmt **out)
{
	return prepare(st, sql, 0, out);
}

int hwp_prepare_kept(struct hw_store *st, const char *sql,
		     struct hwp_stmt **out)
{
	return prepare(st, sql, 1, out);
}

int hwp_prepare_stream(struct hw_store *st, const char *sql,
		       struct hwp_stmt **out)
{
	return prepare(st, sql, HWP_PG_STREAM, out);
}

void hwp_finalize(struct hwp_stmt *s)
{
	if (s == NULL)
		return;
	if (s->pg != NULL)
		hwp_pg_finalize(s->pg);
	else
		sqlite3_finalize(s->lite);
	free(s);
}

const char *hwp_errmsg(struct hw_store *st)
{
	if (st->pg != NULL)
		return hwp_pg_errmsg(st);
	return st->db != NULL ? sqlite3_errmsg(st->db) : "no database";
}

int hwp_errcode(struct hw_store *st)
{
	if (st->pg != NULL)
		return hwp_pg_errcode(st);
	return st->db != NULL ? sqlite3_extended_errcode(st->db) : HWP_ERROR;
}

int hwp_autocommit(struct hw_store *st)
{
	if (st->pg != NULL)
		return hwp_pg_autocommit(st);
	return sqlite3_get_autocommit(st->db);
}

long long hwp_changes(struct hw_store *st)
{
	if (st->pg != NULL)
		return hwp_pg_changes(st);
	return sqlite3_changes64(st->db);
}

int hwp_exec_sql(struct hw_store *st, const char *sql, struct hw_error *err)
{
	int rc = st->pg != NULL ? hwp_pg_exec(st, sql)
				: sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc != HWP_OK)
		return hwp_db_error(st, err, "cannot run SQL");
	return 0;
}

int hwp_savepoint(struct hw_store *st, struct hw_error *err)
{
	return st->pg != NULL ? hwp_exec_sql(st, "SAVEPOINT hw_step", err) : 0;
}

int hwp_savepoint_end(struct hw_store *st, int ok, struct hw_error *err)
{
	if (st->pg == NULL)
		return 0;
	return hwp_exec_sql(st,
			    ok ? "RELEASE SAVEPOINT hw_step"
			       : "ROLLBACK TO SAVEPOINT hw_step; "
				 "RELEASE SAVEPOINT hw_step",
			    err);
}

void hwp_exec_quiet(struct hw_store *st, const char *sql)
{
	if (st->pg != NULL)
		(void)hwp_pg_exec(st, sql);
	else
		(void)sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

/* The cached statement for id, reset and with bindings cleared. */
struct hwp_stmt *hwp_stmt_stream(struct hw_store *st, enum stmt_id id,
				 struct hw_error *err)
{
	struct hwp_stmt *s;

	if (st->pg == NULL)
		return hwp_stmt(st, id, err);
	if (hwp_prepare_stream(st, stmt_sql[id], &s) != HWP_OK) {
		hwp_db_error(st, err, "cannot prepare statement");
		return NULL;
	}
	return s;
}

void hwp_stmt_stream_done(struct hw_store *st, struct hwp_stmt *s)
{
	if (st->pg != NULL)
		hwp_finalize(s);
	else
		hwp_reset(s);
}

struct hwp_stmt *hwp_stmt(struct hw_store *st, enum stmt_id id,
			  struct hw_error *err)
{
	return hwp_cached(st, &st->stmt[id], stmt_sql[id],
			  "cannot prepare statement", err);
}

int hwp_bind_text(struct hwp_stmt *s, int i, const char *v)
{
	return v ? hwp_bind_textn(s, i, v, -1, HWP_STATIC)
		 : hwp_bind_null(s, i);
}

int hwp_bind_level(struct hwp_stmt *s, int i, enum hw_level l)
{
	return hwp_bind_text(s, i, hw_level_name(l));
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
	return hw_error_set(err, HW_EDAMAGED,
			    "'%.60s' is damaged: table %s: %s", st->path, table,
			    text);
}

/* The level stored in column i, as highwater writes it (lower case);
 * NULL is none.  Anything else clears *ok; na only where allow_na. */
enum hw_level hwp_col_level(struct hwp_stmt *s, int i, int allow_na, int *ok)
{
	const char *t = (const char *)hwp_col_text(s, i);

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
int hwp_check_asset_row(struct hw_store *st, long long n, const char *id,
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

int hwp_check_asset_text(struct hw_store *st, const char *id,
			 const char *what, const char *s,
			 struct hw_error *err)
{
	if (s == NULL || hwp_text_check(s, what, NULL) == 0)
		return 0;
	return hwp_damaged(st, err, "asset",
			   "'%s': its %s is not text (a control character "
			   "or bytes that are not UTF-8)",
			   id, what);
}

/* The selected levels of an assignment read back (columns first..+2):
 * confidentiality may be na; none may be missing. */
int hwp_col_selected(struct hwp_stmt *s, int first, struct hw_sc *out)
{
	int ok = 1, o;

	for (o = 0; o < HW_NOBJ; o++) {
		out->v[o] = hwp_col_level(s, first + o, o == HW_C, &ok);
		if (out->v[o] == HW_LEVEL_NONE)
			ok = 0;
	}
	return ok;
}

/* A copy of a text column (NULL stays NULL); sets *bad on ENOMEM. */
char *hwp_col_dup(struct hwp_stmt *s, int i, int *bad)
{
	const char *t = (const char *)hwp_col_text(s, i);
	char *d;

	if (t == NULL)
		return NULL;
	d = strdup(t);
	if (d == NULL)
		*bad = 1;
	return d;
}

/* Map a failed step to an error, telling constraint failures apart. */
int hwp_step_error(struct hw_store *st, int rc, struct hw_error *err,
		   const char *what)
{
	if ((rc & 0xff) == HWP_CONSTRAINT)
		return hw_error_set(err, HW_EINVAL, "%s: %s", what,
				    hwp_errmsg(st));
	return hwp_db_error(st, err, what);
}

/* The integer a one-row statement gives, its parameter ?1 bound to *arg
 * when arg is not NULL; what names it in errors. */
int hwp_stmt_int(struct hw_store *st, enum stmt_id id, const long long *arg,
		 long long *out, const char *what, struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, id, err);
	int rc;

	if (s == NULL)
		return -1;
	if (arg != NULL)
		hwp_bind_int64(s, 1, *arg);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		*out = hwp_col_int64(s, 0);
	hwp_reset(s);
	return rc == HWP_ROW ? 0 : hwp_db_error(st, err, what);
}

/* Factors from the FACTOR_COLS starting at column first (NULLs: no
 * data).  Returns 0, or -1 with the factor whose stored value is out of
 * its range (the table's CHECKs) in *badk. */
int hwp_row_factors(struct hwp_stmt *s, int first, struct hw_factors *f,
		    enum hw_factor *badk)
{
	enum hw_factor k;

	memset(f, 0, sizeof *f);
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		int i = first + (int)k;
		long long n;
		double d;
		const char *t;

		if (hwp_col_type(s, i) == HWP_NULL)
			continue;
		f->known |= HW_F_BIT(k);
		switch (k) {
		case HW_F_VULNERABILITIES:
		case HW_F_AUTHORIZED:
			n = hwp_col_int64(s, i);
			if (hwp_col_type(s, i) != HWP_INTEGER ||
			    n < 0 || n > (k == HW_F_AUTHORIZED ? 1 : INT_MAX))
				goto bad;
			if (k == HW_F_AUTHORIZED)
				f->authorized = (int)n;
			else
				f->vulnerabilities = (int)n;
			break;
		case HW_F_WORST_CVSS:
		case HW_F_DOWNTIME_COST:
			d = hwp_col_double(s, i);
			/* Written the negated way, NaN fails too. */
			if (!(d >= 0 &&
			      d <= (k == HW_F_WORST_CVSS ? 10 : 1e15)))
				goto bad;
			if (k == HW_F_WORST_CVSS)
				f->worst_cvss = d;
			else
				f->downtime_cost = d;
			break;
		default: /* dates and the baseline, as text */
			t = (const char *)hwp_col_text(s, i);
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

/* The error for a factor hwp_row_factors refused, of the asset id or (id
 * NULL) row number n. */
int hwp_bad_factor(struct hw_store *st, const char *id, long long n,
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

/* ------------------------------------------------------------------ */
/* Transactions                                                        */

int hw_store_begin(struct hw_store *st, struct hw_error *err)
{
	if (st->pg == NULL)
		return hwp_exec_sql(st, "BEGIN IMMEDIATE", err);
	if (hwp_pg_begin(st) != HWP_OK)
		return hwp_db_error(st, err, "cannot begin a transaction");
	return 0;
}

int hwp_read_begin(struct hw_store *st, struct hw_error *err)
{
	if (st->pg == NULL)
		return hwp_exec_sql(st, "BEGIN", err);
	if (hwp_pg_read_begin(st) != HWP_OK)
		return hwp_db_error(st, err, "cannot begin a transaction");
	return 0;
}

int hw_store_commit(struct hw_store *st, struct hw_error *err)
{
	if (st->pg == NULL)
		return hwp_exec_sql(st, "COMMIT", err);
	if (hwp_pg_commit(st) != HWP_OK)
		return hwp_db_error(st, err, "cannot commit");
	return 0;
}

void hw_store_rollback(struct hw_store *st)
{
	if (st->pg != NULL)
		hwp_pg_rollback(st);
	else if (!hwp_autocommit(st))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

struct hwp_stmt *hwp_cached(struct hw_store *st, struct hwp_stmt **slot,
			 const char *sql, const char *what,
			 struct hw_error *err)
{
	if (*slot == NULL) {
		if (hwp_prepare_kept(st, sql, slot) != HWP_OK)
			hwp_db_error(st, err, what);
		return *slot;
	}
	hwp_reset(*slot);
	hwp_clear_bindings(*slot);
	return *slot;
}

struct hwp_stmt *hwp_prepare(struct hw_store *st, const char *sql,
			  const char *what, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;

	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		hwp_db_error(st, err, what);
	return s;
}

void hwp_bind_time(struct hwp_stmt *s, int i, hw_time t)
{
	char buf[HW_TIME_TEXT];

	if (t == 0)
		hwp_bind_null(s, i);
	else
		hwp_bind_textn(s, i, hw_time_format(t, buf), -1,
				  HWP_TRANSIENT);
}

int hwp_col_time(struct hwp_stmt *s, int i, hw_time *out)
{
	const char *t = (const char *)hwp_col_text(s, i);
	char back[HW_TIME_TEXT];
	hw_time v;

	*out = 0;
	if (t == NULL)
		return 0;
	if (hw_time_parse(t, &v, NULL) < 0 || v <= 0 ||
	    strcmp(hw_time_format(v, back), t) != 0)
		return -1;
	*out = v;
	return 0;
}

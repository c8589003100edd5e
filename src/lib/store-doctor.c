/*
 * store-doctor.c: "highwater doctor" in the library: a database file
 * checked as input, read-only (its pages, its schema version, its
 * foreign keys with the rows named, the values the loads rely on read
 * by those loads, the audit chain), and the repair that loses nothing:
 * rows whose parent row is gone, removed in one audited transaction.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-sql.h"

/* 'hwDB', as store.c marks a file. */
#define HW_APPLICATION_ID 0x68774442

/* Rows a check names before it says how many more there are. */
#define ROWS_NAMED 20
/* Rows of each table the repair's audit record lists. */
#define ROWS_RECORDED 1000

#define RESTORE "restore the database from a backup ('highwater backup' makes one)"

static const char *const check_names[HW_DOCTOR_NCHECKS] = {
    "file", "integrity", "foreign keys", "values", "audit trail"};

const char *hw_doctor_check_name(enum hw_doctor_check c)
{
	return (unsigned)c < HW_DOCTOR_NCHECKS ? check_names[c] : "?";
}

struct doc {
	struct hw_store *st;
	const char *path;
	int (*fn)(const struct hw_doctor_finding *, void *);
	void *ctx;
	struct hw_doctor_result *res;
	int stop;      /* fn's non-zero return */
	long fk_rows;  /* foreign keys broken */
	char last[256]; /* the values check's last problem (no repeats) */
	int cut;	/* a load stopped at a row named under foreign keys */
	int mendable;	/* of this schema: the repair may open it */
};

/* Tell fn one finding: text from fmt, one line (control characters
 * read from the file shown as '?').  Returns d->stop. */
__attribute__((format(printf, 6, 7))) static int
say(struct doc *d, enum hw_doctor_check c, int ok, int repairable,
    const char *advice, const char *fmt, ...)
{
	struct hw_doctor_finding f;
	char text[512];
	va_list ap;
	char *p;

	if (d->stop)
		return d->stop;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	/* the repair's writable open would migrate an older file (and
	 * refuse its broken keys) or refuse a newer one */
	if (repairable && !d->mendable) {
		repairable = 0;
		advice = "'highwater doctor --repair' removes such rows once "
			 "the file is of this highwater's schema version";
	}
	f.check = c;
	f.ok = ok;
	f.skipped = 0;
	f.repairable = repairable;
	f.text = text;
	f.advice = ok || repairable ? NULL : advice;
	if (!ok) {
		d->res->problems++;
		if (repairable)
			d->res->repairable++;
	}
	d->stop = d->fn(&f, d->ctx);
	return d->stop;
}

/* A one-value pragma or query: the SQLite result code (SQLITE_OK). */
static int read_int(struct hw_store *st, const char *sql, long long *out)
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

/* ------------------------------------------------------------------ */
/* The file and its pages                                              */

/* 1 if the file is a highwater database whose pages may be read on, 0
 * if not (said), with its schema version in *version. */
static int check_file(struct doc *d, long long *version)
{
	long long appid = 0;
	int rc;

	rc = read_int(d->st, "PRAGMA application_id", &appid);
	if (rc == SQLITE_NOTADB) {
		say(d, HW_DOCTOR_FILE, 0, 0, "check the path (--db, $HIGHWATER_DB)",
		    "not a SQLite database, so not a highwater one");
		return 0;
	}
	if (rc == SQLITE_OK)
		rc = read_int(d->st, "PRAGMA user_version", version);
	if (rc != SQLITE_OK) {
		say(d, HW_DOCTOR_FILE, 0, 0,
		    RESTORE "; 'sqlite3 FILE .recover' may save what is "
			    "readable",
		    "cannot read its header: %s", sqlite3_errmsg(d->st->db));
		return 0;
	}
	if (appid != HW_APPLICATION_ID) {
		say(d, HW_DOCTOR_FILE, 0, 0,
		    "check the path (--db, $HIGHWATER_DB)",
		    "a SQLite database but not a highwater one (its "
		    "application id is 0x%08llx, highwater's 0x%08x)",
		    (unsigned long long)appid & 0xffffffffULL,
		    HW_APPLICATION_ID);
		return 0;
	}
	return 1;
}

/* The schema version's finding; 1 if the loads may read the file (this
 * schema), else 0. */
static int check_version(struct doc *d, long long version)
{
	int ours = hw_store_schema_version();

	if (version > ours) {
		say(d, HW_DOCTOR_FILE, 0, 0,
		    "use the highwater that wrote it, or a newer one",
		    "schema version %lld: written by a newer highwater (this "
		    "one knows up to %d)",
		    version, ours);
		return 0;
	}
	if (version < 1) {
		say(d, HW_DOCTOR_FILE, 0, 0, RESTORE,
		    "damaged: its schema version (PRAGMA user_version) is "
		    "%lld, expected 1 to %d",
		    version, ours);
		return 0;
	}
	if (version < ours) {
		say(d, HW_DOCTOR_FILE, 0, 0,
		    "run 'highwater upgrade' (it writes: back the file up "
		    "first)",
		    "schema version %lld, this highwater needs %d: the other "
		    "commands refuse it until it is upgraded",
		    version, ours);
		return 0;
	}
	say(d, HW_DOCTOR_FILE, 1, 0, NULL,
	    "ok (a highwater database, schema version %lld)", version);
	return 1;
}

/* 1 if SQLite's own check of the pages holds, 0 if not (said). */
static int check_integrity(struct doc *d, int full)
{
	const char *pragma = full ? "integrity_check" : "quick_check";
	sqlite3_stmt *s = NULL;
	const char *t, *e;
	long n = 0;
	int rc;

	rc = sqlite3_prepare_v2(d->st->db,
				full ? "PRAGMA integrity_check"
				     : "PRAGMA quick_check",
				-1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(s, 0);
		rc = SQLITE_OK;
		if (n == 0 && t != NULL && strcmp(t, "ok") == 0)
			continue;
		if (t == NULL)
			t = "(null)";
		/* a row may hold several lines, the first naming the
		 * schema ("*** in database main ***") */
		for (; *t != '\0'; t = *e ? e + 1 : e) {
			e = t + strcspn(t, "\n");
			if (strncmp(t, "*** ", 4) == 0)
				continue;
			if (++n <= ROWS_NAMED)
				say(d, HW_DOCTOR_INTEGRITY, 0, 0,
				    RESTORE "; 'sqlite3 FILE .recover' may "
					    "save what is readable",
				    "PRAGMA %s: %.*s", pragma,
				    (int)(e - t > 300 ? 300 : e - t), t);
		}
	}
	if (rc != SQLITE_DONE) {
		n++;
		say(d, HW_DOCTOR_INTEGRITY, 0, 0,
		    RESTORE "; 'sqlite3 FILE .recover' may save what is "
			    "readable",
		    "PRAGMA %s stopped: %s", pragma,
		    sqlite3_errmsg(d->st->db));
	} else if (n > ROWS_NAMED) {
		say(d, HW_DOCTOR_INTEGRITY, 0, 0, RESTORE,
		    "PRAGMA %s: and %ld more such problems", pragma,
		    n - ROWS_NAMED);
	}
	sqlite3_finalize(s);
	if (n == 0)
		say(d, HW_DOCTOR_INTEGRITY, 1, 0, NULL,
		    full ? "ok (PRAGMA integrity_check: every page, row and "
			   "index entry)"
			 : "ok (PRAGMA quick_check: every page and row; "
			   "--full checks every index too)");
	return n == 0;
}

/* ------------------------------------------------------------------ */
/* Foreign keys                                                        */

/* The rows of a table that break a foreign key, named by query sql:
 * name(d, s) says one; n: how many PRAGMA foreign_key_check found. */
struct orphans {
	const char *table;
	const char *sql;
	void (*name)(struct doc *d, sqlite3_stmt *s);
	int repairable;
};

static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? t : "(null)";
}

static void name_dep(struct doc *d, sqlite3_stmt *s)
{
	long long src = sqlite3_column_int64(s, 0),
		  dst = sqlite3_column_int64(s, 1);
	int has_src = sqlite3_column_type(s, 2) != SQLITE_NULL,
	    has_dst = sqlite3_column_type(s, 3) != SQLITE_NULL;

	if (!has_src && !has_dst)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: asset number %lld depends on asset "
		    "number %lld, and neither exists",
		    src, dst);
	else if (!has_src)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: asset number %lld, which does not "
		    "exist, depends on '%.64s'",
		    src, col_text(s, 3));
	else
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: '%.64s' depends on asset number "
		    "%lld, which does not exist",
		    col_text(s, 2), dst);
}

static void name_assignment(struct doc *d, sqlite3_stmt *s)
{
	if (sqlite3_column_type(s, 1) == SQLITE_NULL)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table assignment: asset number %lld, which does not "
		    "exist, holds information type '%.64s'",
		    (long long)sqlite3_column_int64(s, 0), col_text(s, 2));
	else
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0,
		    "add the information type again ('highwater infotype "
		    "add'), or " RESTORE,
		    "table assignment: '%.64s' holds information type "
		    "'%.64s', which is not in table info_type",
		    col_text(s, 1), col_text(s, 2));
}

static void name_factor(struct doc *d, sqlite3_stmt *s)
{
	say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
	    "table asset_factor: asset number %lld, which does not exist, "
	    "has risk factors",
	    (long long)sqlite3_column_int64(s, 0));
}

static void name_owns(struct doc *d, sqlite3_stmt *s)
{
	say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
	    "table user_owns: user '%.64s', who does not exist, answers for "
	    "owner '%.64s'",
	    col_text(s, 0), col_text(s, 1));
}

/* What the repair may remove: a row whose parent is gone, and which
 * says nothing of anything left.  An assignment of an asset that is
 * there, of a type that is gone, is not one of them (its levels would
 * go). */
static const struct orphans orphan_kinds[] = {
    {"dependency",
     "SELECT d.src, d.dst, a.id, b.id FROM dependency AS d"
     " LEFT JOIN asset AS a ON a.n = d.src"
     " LEFT JOIN asset AS b ON b.n = d.dst"
     " WHERE a.n IS NULL OR b.n IS NULL ORDER BY d.src, d.dst",
     name_dep, 1},
    {"assignment",
     "SELECT g.asset, a.id, g.info_type FROM assignment AS g"
     " LEFT JOIN asset AS a ON a.n = g.asset"
     " WHERE a.n IS NULL OR NOT EXISTS"
     " (SELECT 1 FROM info_type AS t WHERE t.id = g.info_type)"
     " ORDER BY g.asset, g.info_type",
     name_assignment, 0},
    {"asset_factor",
     "SELECT f.asset FROM asset_factor AS f WHERE NOT EXISTS"
     " (SELECT 1 FROM asset AS a WHERE a.n = f.asset) ORDER BY f.asset",
     name_factor, 1},
    {"user_owns",
     "SELECT o.user, o.owner FROM user_owns AS o WHERE NOT EXISTS"
     " (SELECT 1 FROM users AS u WHERE u.name = o.user)"
     " ORDER BY o.user, o.owner",
     name_owns, 1},
};

/* The rows of one table that PRAGMA foreign_key_check found (n), named
 * where the table is known, else counted. */
static void name_orphans(struct doc *d, const char *table, long n)
{
	const struct orphans *k = NULL;
	sqlite3_stmt *s = NULL;
	long named = 0;
	size_t i;
	int rc;

	for (i = 0; i < sizeof orphan_kinds / sizeof orphan_kinds[0]; i++)
		if (strcmp(orphan_kinds[i].table, table) == 0)
			k = &orphan_kinds[i];
	if (k == NULL ||
	    sqlite3_prepare_v2(d->st->db, k->sql, -1, &s, NULL) != SQLITE_OK) {
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0, RESTORE,
		    "table %.64s: %ld row%s name%s a row that does not exist "
		    "(PRAGMA foreign_key_check)",
		    table, n, n == 1 ? "" : "s", n == 1 ? "s" : "");
		sqlite3_finalize(s);
		return;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && !d->stop) {
		if (++named <= ROWS_NAMED)
			k->name(d, s);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0, RESTORE,
		    "table %s: cannot name the rows: %s", table,
		    sqlite3_errmsg(d->st->db));
	else if (named > ROWS_NAMED)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, k->repairable, RESTORE,
		    "table %s: and %ld more such rows", table,
		    named - ROWS_NAMED);
	sqlite3_finalize(s);
}

#define FK_TABLES 32

static void check_foreign_keys(struct doc *d)
{
	struct {
		char name[64];
		long n;
	} t[FK_TABLES];
	size_t nt = 0, i;
	sqlite3_stmt *s = NULL;
	const char *name;
	int rc;

	rc = sqlite3_prepare_v2(d->st->db, "PRAGMA foreign_key_check", -1, &s,
				NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		name = col_text(s, 0);
		d->fk_rows++;
		for (i = 0; i < nt; i++)
			if (strcmp(t[i].name, name) == 0)
				break;
		if (i == nt && nt < FK_TABLES) {
			snprintf(t[nt].name, sizeof t[nt].name, "%s", name);
			t[nt++].n = 0;
		}
		if (i < nt)
			t[i].n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0, RESTORE,
		    "PRAGMA foreign_key_check stopped: %s",
		    sqlite3_errmsg(d->st->db));
	sqlite3_finalize(s);
	for (i = 0; i < nt; i++)
		name_orphans(d, t[i].name, t[i].n);
	if (rc == SQLITE_DONE && d->fk_rows == 0)
		say(d, HW_DOCTOR_FOREIGN_KEYS, 1, 0, NULL,
		    "ok (PRAGMA foreign_key_check: every row's references "
		    "are there)");
}

static void skipped(struct doc *d, enum hw_doctor_check c, const char *text);

/* ------------------------------------------------------------------ */
/* Values: the loads themselves read everything                        */

struct counts {
	long assets, deps, types;
};

static int count_asset(const struct hw_asset *a, void *ctx)
{
	(void)a;
	((struct counts *)ctx)->assets++;
	return 0;
}

static int count_dep(const struct hw_dep *e, void *ctx)
{
	(void)e;
	((struct counts *)ctx)->deps++;
	return 0;
}

static int count_type(const struct hw_infotype *t, void *ctx)
{
	(void)t;
	((struct counts *)ctx)->types++;
	return 0;
}

static int any_row(void *ctx, const void *row)
{
	(void)ctx;
	(void)row;
	return 0;
}

static int any_user(const struct hw_user *u, void *ctx)
{
	(void)u;
	(void)ctx;
	return 0;
}

static int any_change(const struct hw_change *c, void *ctx)
{
	(void)c;
	(void)ctx;
	return 0;
}

static int any_incident(const struct hw_incident *i, void *ctx)
{
	(void)i;
	(void)ctx;
	return 0;
}

static int any_snapshot(const struct hw_snapshot *s, void *ctx)
{
	(void)s;
	(void)ctx;
	return 0;
}

/* What a load said of a value: its problem (0), or -1 when the load
 * failed for want of memory (a problem of this process, not of the
 * file).  "'DB' is damaged: " is left out: every line is of DB. */
static int value_problem(struct doc *d, struct hw_error *e)
{
	const char *t = e->text, *p = strstr(t, " is damaged: ");

	if (e->code == HW_ENOMEM)
		return -1;
	if (p != NULL)
		t = p + strlen(" is damaged: ");
	/* a row whose parent is gone: said under foreign keys */
	if (d->fk_rows > 0 && (strstr(t, "which does not exist") != NULL ||
			       strstr(t, "which is not in table") != NULL)) {
		d->cut = 1;
		t = NULL;
	}
	if (t != NULL && strcmp(t, d->last) != 0) {
		snprintf(d->last, sizeof d->last, "%s", t);
		say(d, HW_DOCTOR_VALUES, 0, 0,
		    "a value highwater never writes (another tool wrote it, "
		    "or damage): " RESTORE,
		    "%s", t);
	}
	hw_error_clear(e);
	return 0;
}

static int check_values(struct doc *d, struct hw_error *err)
{
	struct hw_store *st = d->st;
	struct counts n = {0, 0, 0};
	struct hw_error e = {0};
	struct hw_weights w;
	struct hw_graph *g;
	long before = d->res->problems;
	char uuid[HW_UUID_TEXT], *v;
	long long gen;
	enum hw_level l;
	size_t i;

#define LOAD(call)                                                             \
	do {                                                                   \
		if ((call) < 0 && value_problem(d, &e) < 0)                    \
			goto nomem;                                            \
	} while (0)
	g = hw_graph_load(st, &e);
	if (g == NULL && value_problem(d, &e) < 0)
		goto nomem;
	hw_graph_free(g);
	LOAD(hw_store_asset_each(st, count_asset, &n, &e));
	LOAD(hw_store_dep_each(st, NULL, count_dep, &n, &e));
	LOAD(hw_store_infotype_each(st, NULL, -1, count_type, &n, &e));
	LOAD(hwp_scan_factors(st, any_row, NULL, &e));
	LOAD(hw_store_weights(st, &w, &e));
	for (i = 0; hw_settings[i].name != NULL; i++) {
		v = NULL;
		LOAD(hw_setting_value(st, &hw_settings[i], &v, &e));
		free(v);
		if (hw_settings[i].level)
			LOAD(hw_setting_level(st, hw_settings[i].name, &l, &e));
	}
	LOAD(hw_store_database_id(st, uuid, &e));
	LOAD(hw_store_generation(st, &gen, &e));
	LOAD(hw_user_each(st, any_user, NULL, &e));
	LOAD(hw_store_change_each(st, NULL, 0, any_change, NULL, &e));
	LOAD(hw_store_incident_each(st, NULL, any_incident, NULL, &e));
	LOAD(hw_store_snapshot_each(st, any_snapshot, NULL, &e));
#undef LOAD
	if (d->cut)
		skipped(d, HW_DOCTOR_VALUES,
			"checked in part (a load stops at a row named under "
			"foreign keys: run doctor again once they are "
			"repaired)");
	else if (d->res->problems == before && d->last[0] == '\0')
		say(d, HW_DOCTOR_VALUES, 1, 0, NULL,
		    "ok (%ld asset%s, %ld dependenc%s, %ld information "
		    "type%s, settings, weights and history read as the "
		    "commands read them)",
		    n.assets, n.assets == 1 ? "" : "s", n.deps,
		    n.deps == 1 ? "y" : "ies", n.types,
		    n.types == 1 ? "" : "s");
	return 0;
nomem:
	*err = e;
	return -1;
}

static void check_audit(struct doc *d)
{
	struct hw_audit_verdict v;
	struct hw_error e = {0};
	const char *t, *p;

	if (hw_audit_verify(d->st, NULL, &v, NULL, NULL, &e) < 0) {
		p = strstr(e.text, " is damaged: ");
		t = p ? p + strlen(" is damaged: ") : e.text;
		say(d, HW_DOCTOR_AUDIT, 0, 0,
		    "keep this file as evidence; " RESTORE, "%s", t);
		return;
	}
	if (v.broken != 0) {
		say(d, HW_DOCTOR_AUDIT, 0, 0,
		    "the trail was changed outside highwater: keep this file "
		    "as evidence; " RESTORE,
		    "%s", v.why);
		return;
	}
	say(d, HW_DOCTOR_AUDIT, 1, 0, NULL,
	    "ok (%lld record%s, head %s: 'audit verify' agrees)", v.records,
	    v.records == 1 ? "" : "s", v.head);
}

static void skipped(struct doc *d, enum hw_doctor_check c, const char *text)
{
	struct hw_doctor_finding f = {c, 0, 1, 0, NULL, NULL};

	if (d->stop)
		return;
	f.text = text;
	d->stop = d->fn(&f, d->ctx);
}

int hw_doctor_check(const char *path, int flags,
		    int (*fn)(const struct hw_doctor_finding *, void *),
		    void *ctx, struct hw_doctor_result *out,
		    struct hw_error *err)
{
	struct hw_doctor_result res = {0, 0};
	struct doc d;
	struct hw_error e = {0};
	long long version = 0;
	int pages_ok, schema_ok, rc = 0;

	memset(&d, 0, sizeof d);
	d.path = path;
	d.fn = fn;
	d.ctx = ctx;
	d.res = &res;
	d.st = hw_store_open(path,
			     HW_OPEN_READONLY | HW_OPEN_AS_IS |
				 (flags & HW_OPEN_SHARED),
			     &e);
	if (d.st == NULL) {
		if (e.code != HW_ENOTHW) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		say(&d, HW_DOCTOR_FILE, 0, 0,
		    "check the path (--db, $HIGHWATER_DB)",
		    "not a SQLite database, so not a highwater one");
		goto done;
	}
	if (!check_file(&d, &version))
		goto done;
	schema_ok = check_version(&d, version);
	d.mendable = schema_ok;
	pages_ok = check_integrity(&d, (flags & HW_DOCTOR_FULL) != 0);
	if (!pages_ok) {
		skipped(&d, HW_DOCTOR_FOREIGN_KEYS, "not checked (the pages are damaged)");
		skipped(&d, HW_DOCTOR_VALUES, "not checked (the pages are damaged)");
		skipped(&d, HW_DOCTOR_AUDIT, "not checked (the pages are damaged)");
		goto done;
	}
	check_foreign_keys(&d);
	if (!schema_ok) {
		skipped(&d, HW_DOCTOR_VALUES, "not checked (not this highwater's schema)");
		skipped(&d, HW_DOCTOR_AUDIT, "not checked (not this highwater's schema)");
		goto done;
	}
	if (!d.stop && check_values(&d, err) < 0) {
		rc = -1;
		goto done;
	}
	if (!d.stop)
		check_audit(&d);
done:
	hw_store_close(d.st);
	if (rc == 0 && d.stop)
		rc = d.stop;
	if (rc == 0 && out != NULL)
		*out = res;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Repair                                                              */

/* What the repair removes from one table: the rows (listed by list,
 * their columns named cols, up to ROWS_RECORDED of them) and the
 * statement that removes them. */
struct removal {
	const char *table;
	const char *list;
	const char *const cols[6];
	const char *remove;
};

static const struct removal removals[] = {
    {"dependency",
     "SELECT d.src, d.dst, a.id, b.id, d.type, d.carries"
     " FROM dependency AS d"
     " LEFT JOIN asset AS a ON a.n = d.src"
     " LEFT JOIN asset AS b ON b.n = d.dst"
     " WHERE a.n IS NULL OR b.n IS NULL ORDER BY d.src, d.dst",
     {"src", "dst", "from", "to", "type", "carries"},
     "DELETE FROM dependency WHERE src NOT IN (SELECT n FROM asset)"
     " OR dst NOT IN (SELECT n FROM asset)"},
    {"assignment",
     "SELECT asset, info_type, sel_c, sel_i, sel_a, justification"
     " FROM assignment WHERE asset NOT IN (SELECT n FROM asset)"
     " ORDER BY asset, info_type",
     {"asset", "info_type", "sel_c", "sel_i", "sel_a", "justification"},
     "DELETE FROM assignment WHERE asset NOT IN (SELECT n FROM asset)"},
    {"asset_factor",
     "SELECT asset, vulnerabilities, last_patched, end_of_life,"
     " implemented_baseline FROM asset_factor"
     " WHERE asset NOT IN (SELECT n FROM asset) ORDER BY asset",
     {"asset", "vulnerabilities", "last_patched", "end_of_life",
      "implemented_baseline", NULL},
     "DELETE FROM asset_factor WHERE asset NOT IN (SELECT n FROM asset)"},
    {"user_owns",
     "SELECT user, owner FROM user_owns"
     " WHERE user NOT IN (SELECT name FROM users) ORDER BY user, owner",
     {"user", "owner", NULL},
     "DELETE FROM user_owns WHERE user NOT IN (SELECT name FROM users)"},
};

/* A column as JSON: integers and text as they are, anything else (a
 * real, a blob) as null: the record lists which rows went. */
static json_t *col_json(sqlite3_stmt *s, int i)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(s, i));
	case SQLITE_TEXT:
		return json_stringn((const char *)sqlite3_column_text(s, i),
				    (size_t)sqlite3_column_bytes(s, i));
	default:
		return json_null();
	}
}

/* List and remove one table's rows into *o (the record's part), their
 * count into *n. */
static int remove_rows(struct hw_store *st, const struct removal *r,
		       json_t *o, long long *n, struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *rows = json_array(), *row, *part;
	int rc, i, ret = -1;

	*n = 0;
	if (rows == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(st->db, r->list, -1, &s, NULL) != SQLITE_OK) {
		hwp_db_error(st, err, "cannot list the rows to remove");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (++*n > ROWS_RECORDED)
			continue;
		row = json_object();
		for (i = 0; row != NULL && i < 6 && r->cols[i] != NULL; i++)
			if (json_object_set_new(row, r->cols[i],
						col_json(s, i)) < 0) {
				json_decref(row);
				row = NULL;
			}
		if (row == NULL || json_array_append_new(rows, row) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		hwp_db_error(st, err, "cannot list the rows to remove");
		goto out;
	}
	if (*n > 0) {
		if (hwp_exec_sql(st, r->remove, err) < 0)
			goto out;
		part = json_pack("{s:I,s:O}", "count", (json_int_t)*n, "rows",
				 rows);
		if (part == NULL || json_object_set_new(o, r->table, part) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	ret = 0;
out:
	sqlite3_finalize(s);
	json_decref(rows);
	return ret;
}

int hw_doctor_repair(struct hw_store *st, struct hw_doctor_repaired *out,
		     struct hw_error *err)
{
	struct hw_doctor_repaired r = {0, 0, 0, 0};
	long long *count[] = {&r.dependencies, &r.assignments, &r.factors,
			      &r.user_owns};
	json_t *removed = json_object(), *before = NULL;
	size_t i;
	int ret = -1;

	if (removed == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (hw_store_begin(st, err) < 0) {
		json_decref(removed);
		return -1;
	}
	for (i = 0; i < sizeof removals / sizeof removals[0]; i++)
		if (remove_rows(st, &removals[i], removed, count[i], err) < 0)
			goto out;
	if (json_object_size(removed) == 0) {
		hw_store_rollback(st);
		ret = 0;
		goto done;
	}
	before = json_pack("{s:O}", "orphan_rows", removed);
	if (before == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (hwp_audit(st, "repair", "database", before, NULL, err) < 0 ||
	    hw_store_commit(st, err) < 0)
		goto out;
	ret = 0;
	goto done;
out:
	hw_store_rollback(st);
done:
	json_decref(before);
	json_decref(removed);
	if (ret == 0 && out != NULL)
		*out = r;
	return ret;
}

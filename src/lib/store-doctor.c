/*
 * store-doctor.c: what "highwater doctor" asks of SQLite: the file's
 * application id and schema version, its pages (PRAGMA quick_check or
 * integrity_check), its foreign keys (PRAGMA foreign_key_check, the
 * rows named), each finding told to doctor.c's function; and the
 * repair that loses nothing: rows whose parent row is gone, removed in
 * one audited transaction.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-sql.h"

/* Rows a check names before it says how many more there are. */
#define ROWS_NAMED 20
/* Rows of each table the repair's audit record lists. */
#define ROWS_RECORDED 1000

static const char *const check_names[HW_DOCTOR_NCHECKS] = {
    "file", "integrity", "foreign keys", "values", "audit trail"};

const char *hw_doctor_check_name(enum hw_doctor_check c)
{
	return (unsigned)c < HW_DOCTOR_NCHECKS ? check_names[c] : "?";
}

/* Tell fn one finding: text from fmt, one line (control characters
 * read from the file shown as '?').  Returns d->stop. */
int hwp_doctor_say(struct hwp_doctor *d, enum hw_doctor_check c, int ok,
		   int repairable, const char *advice, const char *fmt, ...)
{
	struct hw_doctor_finding f;
	char text[512];
	va_list ap;
	char *p;
	size_t n;

	if (d->stop)
		return d->stop;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	/* control characters and what is not UTF-8 (a cut character
	 * included) shown as '?' */
	for (p = text; *p != '\0'; p += n) {
		n = hwp_utf8_char((unsigned char *)p, NULL);
		if (n == 0 || (unsigned char)*p < 0x20 || *p == 0x7f) {
			*p = '?';
			n = 1;
		}
	}
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

/* ------------------------------------------------------------------ */
/* The file and its pages                                              */

/* 1 if the file is a highwater database whose pages may be read on, 0
 * if not (said), with its schema version in *version. */
/* PostgreSQL: the schema's version from highwater_schema (the server
 * keeps no header of ours). */
static int pg_file(struct hwp_doctor *d, long long *version)
{
	struct hwp_stmt *s = NULL;
	int rc;

	rc = hwp_prepare_raw(d->st,
			     "SELECT version FROM highwater_schema WHERE one "
			     "= 1 AND application = 'highwater'",
			     &s);
	if (rc == HWP_OK && (rc = hwp_step(s)) == HWP_ROW)
		*version = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc == HWP_ROW)
		return 1;
	hwp_doctor_say(d, HW_DOCTOR_FILE, 0, 0,
		       "check the URI (--db, $HIGHWATER_DB): its database and "
		       "schema (search_path)",
		       "not a highwater database (no highwater_schema row: "
		       "%s)",
		       rc == HWP_DONE ? "none" : hwp_errmsg(d->st));
	return 0;
}

int hwp_doctor_file(struct hwp_doctor *d, long long *version)
{
	long long appid = 0;
	int rc;

	if (d->st->pg != NULL)
		return pg_file(d, version);
	rc = hwp_pragma_int(d->st, "PRAGMA application_id", &appid);
	if (rc == HWP_NOTADB) {
		hwp_doctor_say(d, HW_DOCTOR_FILE, 0, 0,
			       "check the path (--db, $HIGHWATER_DB)",
			       "not a SQLite database, so not a highwater one");
		return 0;
	}
	if (rc == HWP_OK)
		rc = hwp_pragma_int(d->st, "PRAGMA user_version", version);
	if (rc != HWP_OK) {
		hwp_doctor_say(d, HW_DOCTOR_FILE, 0, 0,
			       HWP_DOCTOR_RESTORE
			       "; 'sqlite3 FILE .recover' may save what is "
			       "readable",
			       "cannot read its header: %s",
			       hwp_errmsg(d->st));
		return 0;
	}
	if (appid != HW_APPLICATION_ID) {
		hwp_doctor_say(
		    d, HW_DOCTOR_FILE, 0, 0,
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
int hwp_doctor_version(struct hwp_doctor *d, long long version)
{
	int ours = hw_store_schema_version();

	if (version > ours) {
		hwp_doctor_say(
		    d, HW_DOCTOR_FILE, 0, 0,
		    "use the highwater that wrote it, or a newer one",
		    "schema version %lld: written by a newer highwater (this "
		    "one knows up to %d)",
		    version, ours);
		return 0;
	}
	if (version < 1) {
		hwp_doctor_say(
		    d, HW_DOCTOR_FILE, 0, 0, HWP_DOCTOR_RESTORE,
		    "damaged: its schema version (PRAGMA user_version) is "
		    "%lld, expected 1 to %d",
		    version, ours);
		return 0;
	}
	if (version < ours) {
		hwp_doctor_say(
		    d, HW_DOCTOR_FILE, 0, 0,
		    "run 'highwater upgrade' (it writes: back the file up "
		    "first)",
		    "schema version %lld, this highwater needs %d: the other "
		    "commands refuse it until it is upgraded",
		    version, ours);
		return 0;
	}
	hwp_doctor_say(d, HW_DOCTOR_FILE, 1, 0, NULL,
		       "ok (a highwater database, schema version %lld)",
		       version);
	return 1;
}

/* The file's SQL code (triggers, views): 1 if it is highwater's, 0 if
 * not (said: the other commands refuse the file, and so would the
 * repair's open). */
int hwp_doctor_code(struct hwp_doctor *d, long long version)
{
	struct hw_error e = {0};
	char problem[256];
	int rc;

	/* PostgreSQL: the triggers are the server's objects, which only
	 * their owners may change */
	if (d->st->pg != NULL)
		return 1;
	rc = hwp_schema_code_problem(d->st, version,
				     problem,
				     sizeof problem, &e);
	if (rc < 0)
		hwp_doctor_say(d, HW_DOCTOR_FILE, 0, 0, HWP_DOCTOR_RESTORE,
			       "%s", e.text);
	else if (rc > 0)
		hwp_doctor_say(d, HW_DOCTOR_FILE, 0, 0,
			       "drop it in the sqlite3 shell if you know who "
			       "made it and why, else " HWP_DOCTOR_RESTORE,
			       "damaged: %s", problem);
	return rc == 0;
}

/* 1 if SQLite's own check of the pages holds, 0 if not (said). */
int hwp_doctor_integrity(struct hwp_doctor *d, int full)
{
	const char *pragma = full ? "integrity_check" : "quick_check";
	struct hwp_stmt *s = NULL;
	const char *t, *e;
	long n = 0;
	int rc;

	if (d->st->pg != NULL) {
		hwp_doctor_say(d, HW_DOCTOR_INTEGRITY, 1, 0, NULL,
			       "left to the server (PostgreSQL checks its own "
			       "pages; pg_amcheck checks tables and indexes)");
		return 1;
	}
	rc = hwp_prepare_raw(d->st, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", &s);
	while (rc == HWP_OK && (rc = hwp_step(s)) == HWP_ROW) {
		t = (const char *)hwp_col_text(s, 0);
		rc = HWP_OK;
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
				hwp_doctor_say(d, HW_DOCTOR_INTEGRITY, 0, 0,
					       HWP_DOCTOR_RESTORE
					       "; 'sqlite3 FILE .recover' may "
					       "save what is readable",
					       "PRAGMA %s: %.*s", pragma,
					       (int)(e - t > 300 ? 300 : e - t),
					       t);
		}
	}
	if (rc != HWP_DONE) {
		n++;
		hwp_doctor_say(d, HW_DOCTOR_INTEGRITY, 0, 0,
			       HWP_DOCTOR_RESTORE
			       "; 'sqlite3 FILE .recover' may save what is "
			       "readable",
			       "PRAGMA %s stopped: %s", pragma,
			       hwp_errmsg(d->st));
	} else if (n > ROWS_NAMED) {
		hwp_doctor_say(d, HW_DOCTOR_INTEGRITY, 0, 0, HWP_DOCTOR_RESTORE,
			       "PRAGMA %s: and %ld more such problems", pragma,
			       n - ROWS_NAMED);
	}
	hwp_finalize(s);
	if (n == 0)
		hwp_doctor_say(
		    d, HW_DOCTOR_INTEGRITY, 1, 0, NULL,
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
	void (*name)(struct hwp_doctor *d, struct hwp_stmt *s);
	int repairable;
};

static const char *col_text(struct hwp_stmt *s, int i)
{
	const char *t = (const char *)hwp_col_text(s, i);

	return t ? t : "(null)";
}

static void name_dep(struct hwp_doctor *d, struct hwp_stmt *s)
{
	long long src = hwp_col_int64(s, 0),
		  dst = hwp_col_int64(s, 1);
	int has_src = hwp_col_type(s, 2) != HWP_NULL,
	    has_dst = hwp_col_type(s, 3) != HWP_NULL;

	if (!has_src && !has_dst)
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: asset number %lld depends on asset "
		    "number %lld, and neither exists",
		    src, dst);
	else if (!has_src)
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: asset number %lld, which does not "
		    "exist, depends on '%.64s'",
		    src, col_text(s, 3));
	else
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table dependency: '%.64s' depends on asset number "
		    "%lld, which does not exist",
		    col_text(s, 2), dst);
}

static void name_assignment(struct hwp_doctor *d, struct hwp_stmt *s)
{
	if (hwp_col_type(s, 1) == HWP_NULL)
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
		    "table assignment: asset number %lld, which does not "
		    "exist, holds information type '%.64s'",
		    (long long)hwp_col_int64(s, 0), col_text(s, 2));
	else
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 0,
		    "add the information type again ('highwater infotype "
		    "add'), or " HWP_DOCTOR_RESTORE,
		    "table assignment: '%.64s' holds information type "
		    "'%.64s', which is not in table info_type",
		    col_text(s, 1), col_text(s, 2));
}

static void name_factor(struct hwp_doctor *d, struct hwp_stmt *s)
{
	hwp_doctor_say(
	    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
	    "table asset_factor: asset number %lld, which does not exist, "
	    "has risk factors",
	    (long long)hwp_col_int64(s, 0));
}

static void name_owns(struct hwp_doctor *d, struct hwp_stmt *s)
{
	hwp_doctor_say(
	    d, HW_DOCTOR_FOREIGN_KEYS, 0, 1, NULL,
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
static void name_orphans(struct hwp_doctor *d, const char *table, long n)
{
	const struct orphans *k = NULL;
	struct hwp_stmt *s = NULL;
	long named = 0;
	size_t i;
	int rc;

	for (i = 0; i < sizeof orphan_kinds / sizeof orphan_kinds[0]; i++)
		if (strcmp(orphan_kinds[i].table, table) == 0)
			k = &orphan_kinds[i];
	if (k == NULL ||
	    hwp_prepare_raw(d->st, k->sql, &s) != HWP_OK) {
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 0, 0, HWP_DOCTOR_RESTORE,
		    "table %.64s: %ld row%s name%s a row that does not exist "
		    "(PRAGMA foreign_key_check)",
		    table, n, n == 1 ? "" : "s", n == 1 ? "s" : "");
		hwp_finalize(s);
		return;
	}
	while ((rc = hwp_step(s)) == HWP_ROW && !d->stop) {
		if (++named <= ROWS_NAMED)
			k->name(d, s);
	}
	if (rc != HWP_DONE && rc != HWP_ROW)
		hwp_doctor_say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0,
			       HWP_DOCTOR_RESTORE,
			       "table %s: cannot name the rows: %s", table,
			       hwp_errmsg(d->st));
	else if (named > ROWS_NAMED)
		hwp_doctor_say(d, HW_DOCTOR_FOREIGN_KEYS, 0, k->repairable,
			       HWP_DOCTOR_RESTORE,
			       "table %s: and %ld more such rows", table,
			       named - ROWS_NAMED);
	hwp_finalize(s);
}

#define FK_TABLES 32

void hwp_doctor_foreign_keys(struct hwp_doctor *d)
{
	struct {
		char name[64];
		long n;
	} t[FK_TABLES];
	size_t nt = 0, i;
	struct hwp_stmt *s = NULL;
	const char *name;
	int rc;

	if (d->st->pg != NULL) {
		hwp_doctor_say(d, HW_DOCTOR_FOREIGN_KEYS, 1, 0, NULL,
			       "ok (the server holds every row's references: "
			       "its foreign keys)");
		return;
	}
	rc = hwp_prepare_raw(d->st, "PRAGMA foreign_key_check", &s);
	while (rc == HWP_OK && (rc = hwp_step(s)) == HWP_ROW) {
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
		rc = HWP_OK;
	}
	if (rc != HWP_DONE)
		hwp_doctor_say(d, HW_DOCTOR_FOREIGN_KEYS, 0, 0,
			       HWP_DOCTOR_RESTORE,
			       "PRAGMA foreign_key_check stopped: %s",
			       hwp_errmsg(d->st));
	hwp_finalize(s);
	for (i = 0; i < nt; i++)
		name_orphans(d, t[i].name, t[i].n);
	if (rc == HWP_DONE && d->fk_rows == 0)
		hwp_doctor_say(
		    d, HW_DOCTOR_FOREIGN_KEYS, 1, 0, NULL,
		    "ok (PRAGMA foreign_key_check: every row's references "
		    "are there)");
}

void hwp_doctor_skipped(struct hwp_doctor *d, enum hw_doctor_check c,
			const char *text)
{
	struct hw_doctor_finding f = {c, 0, 1, 0, NULL, NULL};

	if (d->stop)
		return;
	f.text = text;
	d->stop = d->fn(&f, d->ctx);
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
static json_t *col_json(struct hwp_stmt *s, int i)
{
	switch (hwp_col_type(s, i)) {
	case HWP_INTEGER:
		return json_integer(hwp_col_int64(s, i));
	case HWP_TEXT:
		return json_stringn((const char *)hwp_col_text(s, i),
				    (size_t)hwp_col_bytes(s, i));
	default:
		return json_null();
	}
}

/* List and remove one table's rows into *o (the record's part), their
 * count into *n. */
static int remove_rows(struct hw_store *st, const struct removal *r, json_t *o,
		       long long *n, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	json_t *rows = json_array(), *row, *part;
	int rc, i, ret = -1;

	*n = 0;
	if (rows == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (hwp_prepare_raw(st, r->list, &s) != HWP_OK) {
		hwp_db_error(st, err, "cannot list the rows to remove");
		goto out;
	}
	while ((rc = hwp_step(s)) == HWP_ROW) {
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
	if (rc != HWP_DONE) {
		hwp_db_error(st, err, "cannot list the rows to remove");
		goto out;
	}
	if (*n > 0) {
		if (hwp_exec_sql(st, r->remove, err) < 0)
			goto out;
		part = json_pack("{s:I,s:O}", "count", (json_int_t)*n, "rows",
				 rows);
		if (part == NULL ||
		    json_object_set_new(o, r->table, part) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	ret = 0;
out:
	hwp_finalize(s);
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

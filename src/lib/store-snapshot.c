/*
 * store-snapshot.c: configuration baselines in the store: saving
 * the inventory as a named snapshot (one INSERT ... SELECT a table, the
 * rows never pass through C), reading the list back, and the store's
 * part of a drift: SQLite joins a snapshot's tables with the live ones
 * (or another snapshot's) by asset id into a temporary table, which is
 * then counted and read back in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-sql.h"

#include "drift.h"

/* clang-format off */
/* The asset columns a snapshot keeps, with the prefixes of the asset
 * table (a) and of the factor table (f); snapshot_asset has the same
 * names. */
#define ASSET_COLS(a, f)                                                     \
	a "name, " a "type, " a "owner, " a "description, " a                \
	"confidentiality, " a "integrity, " a "availability, " a             \
	"internet_facing, " f "vulnerabilities, " f "worst_cvss, " f         \
	"last_patched, " f "end_of_life, " f "authorized, " f                \
	"implemented_baseline, " f "downtime_cost, " f "authorized_by, " f   \
	"authorized_at"
#define NE(o, n, c) o c " IS DISTINCT FROM " n c
/* Some column of old row o differs from new row (a, f). */
#define ASSET_DIFFER(o, a, f)                                                \
	"(" NE(o, a, "name") " OR " NE(o, a, "type") " OR " NE(o, a, "owner") \
	" OR " NE(o, a, "description") " OR " NE(o, a, "confidentiality")     \
	" OR " NE(o, a, "integrity") " OR " NE(o, a, "availability")          \
	" OR " NE(o, a, "internet_facing") " OR " NE(o, f,                    \
						  "vulnerabilities") " OR "   \
	NE(o, f, "worst_cvss") " OR " NE(o, f, "last_patched") " OR "         \
	NE(o, f, "end_of_life") " OR " NE(o, f, "authorized") " OR "          \
	NE(o, f, "implemented_baseline") " OR " NE(o, f, "downtime_cost")     \
	" OR " NE(o, f, "authorized_by") " OR " NE(o, f, "authorized_at") ")"
#define LIVE_ASSETS "asset a LEFT JOIN asset_factor f ON f.asset = a.n"

/* The live dependencies with their ends' ids, in the order of those
 * ids: assets by id outside (CROSS JOIN fixes the order), each one's
 * dependencies by the primary key.  Rows then come almost sorted (only
 * each asset's few ends to sort), and whatever they are looked up in
 * or inserted into by (from, to) is visited in order: at a million
 * assets, a third of the time of a scan in dependency_dst order.
 * (SQLite's CROSS JOIN ... ON; PostgreSQL's engine reads it as JOIN.) */
#define LIVE_DEPS_BY_ID                                                      \
	"asset s CROSS JOIN dependency d ON d.src = s.n "                    \
	"CROSS JOIN asset t ON t.n = d.dst"
#define DEP_DIFFER(o, n) "(" NE(o, n, "type") " OR " NE(o, n, "carries") ")"
#define ASSIGN_COLS(g) g "sel_c, " g "sel_i, " g "sel_a, " g "justification"
#define ASSIGN_DIFFER(o, n)                                                  \
	"(" NE(o, n, "sel_c") " OR " NE(o, n, "sel_i") " OR "                 \
	NE(o, n, "sel_a") " OR " NE(o, n, "justification") ")"

/* ------------------------------------------------------------------ */
/* Saving                                                              */

static const char *const save_sql[] = {
	"INSERT INTO snapshot_asset (snap, id, " ASSET_COLS("", "")
	") SELECT ?1, a.id, " ASSET_COLS("a.", "f.") " FROM " LIVE_ASSETS
	" ORDER BY a.id",
	"INSERT INTO snapshot_dep (snap, src, dst, type, carries) "
	"SELECT ?1, s.id, t.id, d.type, d.carries FROM " LIVE_DEPS_BY_ID
	" ORDER BY s.id, t.id",
	"INSERT INTO snapshot_assignment (snap, asset, info_type, "
	ASSIGN_COLS("") ") SELECT ?1, a.id, g.info_type, " ASSIGN_COLS("g.")
	" FROM assignment g JOIN asset a ON a.n = g.asset "
	"ORDER BY a.id, g.info_type",
};

/* clang-format on */

/* Run sql with ?1 (and ?2 when b > 0) bound; *changes (may be NULL)
 * gets the rows it wrote. */
static int run(struct hw_store *st, const char *sql, long long a, long long b,
	       long long *changes, const char *what, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		return hwp_db_error(st, err, what);
	hwp_bind_int64(s, 1, a);
	if (b > 0)
		hwp_bind_int64(s, 2, b);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, what);
	if (changes != NULL)
		*changes = hwp_changes(st);
	return 0;
}

/* The end of a walk over s's rows: finalize; then fn's non-zero return
 * (stop), or the error of the last step (rc) unless it was the end. */
static int walk_end(struct hw_store *st, struct hwp_stmt *s, int rc, int stop,
		    const char *what, struct hw_error *err)
{
	hwp_finalize(s);
	if (stop != 0)
		return stop;
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, what);
	return 0;
}

/* The key of baseline name into *n: 0, or -1 (HW_ENOTFOUND). */
static int snapshot_n(struct hw_store *st, const char *name, long long *n,
		      struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, "SELECT n FROM snapshot WHERE name = ?1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read baselines");
	hwp_bind_text(s, 1, name);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		*n = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc == HWP_ROW)
		return 0;
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read baselines");
	return hw_error_set(err, HW_ENOTFOUND, "no baseline \"%.64s\"", name);
}

static int save_in_tx(struct hw_store *st, const char *name, hw_time at,
		      long long *n, long long counts[3], struct hw_error *err)
{
	char now[HW_TIME_TEXT];
	struct hwp_stmt *s = NULL;
	json_t *after = NULL;
	char object[16 + HW_ID_MAX];
	int rc;
	size_t i;

	if (snapshot_n(st, name, n, NULL) == 0)
		return hw_error_set(err, HW_EEXIST,
				    "baseline \"%s\" already exists", name);
	if (hwp_prepare_raw(st, "INSERT INTO snapshot (name, created, actor) "
			       "VALUES (?1, ?2, ?3) RETURNING n", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot save the baseline");
	hwp_bind_text(s, 1, name);
	hwp_bind_text(s, 2, hw_time_format(at != 0 ? at : hw_time_now(), now));
	hwp_bind_text(s, 3, hwp_actor(st));
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		*n = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc != HWP_ROW)
		return hwp_step_error(st, rc, err, "cannot save the baseline");
	for (i = 0; i < 3; i++)
		if (run(st, save_sql[i], *n, 0, &counts[i],
			"cannot save the baseline", err) < 0)
			return -1;
	if (hwp_prepare_raw(st, "UPDATE snapshot SET assets = ?2, dependencies "
			       "= ?3, assignments = ?4 WHERE n = ?1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot save the baseline");
	hwp_bind_int64(s, 1, *n);
	for (i = 0; i < 3; i++)
		hwp_bind_int64(s, (int)i + 2, counts[i]);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot save the baseline");
	after = json_pack("{s:s, s:I, s:I}", "name", name, "assets",
			  (json_int_t)counts[0], "dependencies",
			  (json_int_t)counts[1]);
	if (after == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	snprintf(object, sizeof object, "baseline:%s", name);
	rc = hwp_audit(st, "save", object, NULL, after, err);
	json_decref(after);
	return rc;
}

int hw_store_snapshot_save(struct hw_store *st, const char *name, hw_time at,
			   struct hw_snapshot *out, struct hw_error *err)
{
	long long n, counts[3] = {0, 0, 0};

	if (hw_id_check(name, "baseline name", err) < 0)
		return -1;
	if (hw_store_begin(st, err) < 0)
		return -1;
	if (save_in_tx(st, name, at, &n, counts, err) < 0 ||
	    hw_store_commit(st, err) < 0) {
		hw_store_rollback(st);
		return -1;
	}
	return out != NULL ? hw_store_snapshot_get(st, name, out, err) : 0;
}

/* ------------------------------------------------------------------ */
/* Reading baselines back                                              */

void hw_snapshot_release(struct hw_snapshot *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->created);
	free(s->actor);
	memset(s, 0, sizeof *s);
}

#define SNAPSHOT_COLS                                                          \
	"SELECT name, created, actor, assets, dependencies, assignments "      \
	"FROM snapshot "

/* The row of s as a record (strings borrowed from s): 0, or -1 with a
 * damaged value named. */
static int snapshot_row(struct hw_store *st, struct hwp_stmt *s,
			struct hw_snapshot *out, struct hw_error *err)
{
	hw_time t;
	int i;

	out->name = (char *)hwp_col_text(s, 0);
	out->created = (char *)hwp_col_text(s, 1);
	out->actor = (char *)hwp_col_text(s, 2);
	out->assets = hwp_col_int64(s, 3);
	out->dependencies = hwp_col_int64(s, 4);
	out->assignments = hwp_col_int64(s, 5);
	if (out->name == NULL || !hw_id_valid(out->name))
		return hwp_damaged(st, err, "snapshot",
				   "a baseline's name "
				   "is not 1-64 characters of "
				   "A-Za-z0-9._:-");
	if (out->created == NULL || hw_time_parse(out->created, &t, NULL) < 0)
		return hwp_damaged(st, err, "snapshot",
				   "baseline \"%s\": created \"%.40s\" is not "
				   "a time",
				   out->name,
				   out->created ? out->created : "(null)");
	if (out->actor == NULL)
		return hwp_damaged(st, err, "snapshot",
				   "baseline \"%s\" has no actor", out->name);
	for (i = 3; i < 6; i++)
		if (hwp_col_type(s, i) != HWP_INTEGER ||
		    hwp_col_int64(s, i) < 0)
			return hwp_damaged(st, err, "snapshot",
					   "baseline \"%s\": a count is not a "
					   "number of rows",
					   out->name);
	return 0;
}

int hw_store_snapshot_get(struct hw_store *st, const char *name,
			  struct hw_snapshot *out, struct hw_error *err)
{
	struct hw_snapshot row = {0}, copy = {0};
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, SNAPSHOT_COLS "WHERE name = ?1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read baselines");
	hwp_bind_text(s, 1, name);
	rc = hwp_step(s);
	if (rc != HWP_ROW) {
		hwp_finalize(s);
		if (rc != HWP_DONE)
			return hwp_db_error(st, err, "cannot read baselines");
		return hw_error_set(err, HW_ENOTFOUND, "no baseline \"%.64s\"",
				    name);
	}
	if (snapshot_row(st, s, &row, err) < 0) {
		hwp_finalize(s);
		return -1;
	}
	copy = row;
	copy.name = strdup(row.name);
	copy.created = strdup(row.created);
	copy.actor = strdup(row.actor);
	hwp_finalize(s);
	if (copy.name == NULL || copy.created == NULL || copy.actor == NULL) {
		hw_snapshot_release(&copy);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	*out = copy;
	return 0;
}

int hw_store_snapshot_each(struct hw_store *st,
			   int (*fn)(const struct hw_snapshot *, void *),
			   void *ctx, struct hw_error *err)
{
	struct hw_snapshot row;
	struct hwp_stmt *s = NULL;
	int rc, stop = 0;

	if (hwp_prepare_raw(st, SNAPSHOT_COLS "ORDER BY n", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read baselines");
	while ((rc = hwp_step(s)) == HWP_ROW) {
		if (snapshot_row(st, s, &row, err) < 0) {
			hwp_finalize(s);
			return -1;
		}
		if ((stop = fn(&row, ctx)) != 0)
			break;
	}
	return walk_end(st, s, rc, stop, "cannot read baselines", err);
}

/* ------------------------------------------------------------------ */
/* Drift                                                               */

/* clang-format off */
#define B17                                                                  \
	"b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, " \
	"b16, b17"
#define A17                                                                  \
	"a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, " \
	"a16, a17"

/* What a drift found, before it is counted and read in order.  Kinds
 * and sections are the enums' values. */
static const char drift_table_sql[] =
	"CREATE TEMP TABLE hw_drift (sect INTEGER, kind INTEGER, id TEXT, "
	"other TEXT, " B17 ", " A17 ")";

#define INTO_ASSET "INSERT INTO temp.hw_drift (sect, kind, id, " B17 ", " A17 ") "
#define INTO_ADDED "INSERT INTO temp.hw_drift (sect, kind, id, " A17 ") "
#define INTO_DEP "INSERT INTO temp.hw_drift (sect, kind, id, other, b1, b2, a1, a2) "
#define INTO_DEP_ADDED "INSERT INTO temp.hw_drift (sect, kind, id, other, a1, a2) "
#define INTO_ASSIGN "INSERT INTO temp.hw_drift (sect, kind, id, other, b1, b2, b3, b4, a1, a2, a3, a4) "
#define INTO_ASSIGN_ADDED "INSERT INTO temp.hw_drift (sect, kind, id, other, a1, a2, a3, a4) "
#define GONE_OR_CHANGED(col) "CASE WHEN " col " IS NULL THEN 2 ELSE 3 END"
#define ADDED_KIND(auth) "CASE WHEN " auth " = 1 THEN 1 ELSE 0 END"

/* From baseline ?1 to the inventory now. */
static const char *const drift_live_sql[] = {
	INTO_ASSET "SELECT 0, " GONE_OR_CHANGED("a.id") ", o.id, "
	ASSET_COLS("o.", "o.") ", " ASSET_COLS("a.", "f.")
	" FROM snapshot_asset o LEFT JOIN asset a ON a.id = o.id "
	"LEFT JOIN asset_factor f ON f.asset = a.n WHERE o.snap = ?1 AND "
	"(a.id IS NULL OR " ASSET_DIFFER("o.", "a.", "f.") ")",
	INTO_ADDED "SELECT 0, " ADDED_KIND("f.authorized") ", a.id, "
	ASSET_COLS("a.", "f.") " FROM " LIVE_ASSETS " WHERE NOT EXISTS "
	"(SELECT 1 FROM snapshot_asset o WHERE o.snap = ?1 AND o.id = a.id)",
	INTO_DEP "SELECT 2, " GONE_OR_CHANGED("d.src") ", o.src, o.dst, "
	"o.type, o.carries, d.type, d.carries FROM snapshot_dep o "
	"LEFT JOIN asset s ON s.id = o.src LEFT JOIN asset t ON t.id = o.dst "
	"LEFT JOIN dependency d ON d.src = s.n AND d.dst = t.n "
	"WHERE o.snap = ?1 AND (d.src IS NULL OR " DEP_DIFFER("o.", "d.") ")",
	INTO_DEP_ADDED "SELECT 2, 1, s.id, t.id, d.type, d.carries "
	"FROM " LIVE_DEPS_BY_ID " WHERE NOT EXISTS (SELECT 1 FROM "
	"snapshot_dep o WHERE o.snap = ?1 AND o.src = s.id AND o.dst = t.id)",
	INTO_ASSIGN "SELECT 1, " GONE_OR_CHANGED("g.asset") ", o.asset, "
	"o.info_type, " ASSIGN_COLS("o.") ", " ASSIGN_COLS("g.")
	" FROM snapshot_assignment o LEFT JOIN asset a ON a.id = o.asset "
	"LEFT JOIN assignment g ON g.asset = a.n AND g.info_type = "
	"o.info_type WHERE o.snap = ?1 AND (g.asset IS NULL OR "
	ASSIGN_DIFFER("o.", "g.") ")",
	INTO_ASSIGN_ADDED "SELECT 1, 1, a.id, g.info_type, " ASSIGN_COLS("g.")
	" FROM assignment g JOIN asset a ON a.n = g.asset WHERE NOT EXISTS "
	"(SELECT 1 FROM snapshot_assignment o WHERE o.snap = ?1 AND "
	"o.asset = a.id AND o.info_type = g.info_type)",
};

/* From baseline ?1 to baseline ?2. */
static const char *const drift_snap_sql[] = {
	INTO_ASSET "SELECT 0, " GONE_OR_CHANGED("y.id") ", o.id, "
	ASSET_COLS("o.", "o.") ", " ASSET_COLS("y.", "y.")
	" FROM snapshot_asset o LEFT JOIN snapshot_asset y ON y.snap = ?2 "
	"AND y.id = o.id WHERE o.snap = ?1 AND (y.id IS NULL OR "
	ASSET_DIFFER("o.", "y.", "y.") ")",
	INTO_ADDED "SELECT 0, " ADDED_KIND("y.authorized") ", y.id, "
	ASSET_COLS("y.", "y.") " FROM snapshot_asset y WHERE y.snap = ?2 AND "
	"NOT EXISTS (SELECT 1 FROM snapshot_asset o WHERE o.snap = ?1 AND "
	"o.id = y.id)",
	INTO_DEP "SELECT 2, " GONE_OR_CHANGED("y.src") ", o.src, o.dst, "
	"o.type, o.carries, y.type, y.carries FROM snapshot_dep o "
	"LEFT JOIN snapshot_dep y ON y.snap = ?2 AND y.src = o.src AND "
	"y.dst = o.dst WHERE o.snap = ?1 AND (y.src IS NULL OR "
	DEP_DIFFER("o.", "y.") ")",
	INTO_DEP_ADDED "SELECT 2, 1, y.src, y.dst, y.type, y.carries "
	"FROM snapshot_dep y WHERE y.snap = ?2 AND NOT EXISTS (SELECT 1 FROM "
	"snapshot_dep o WHERE o.snap = ?1 AND o.src = y.src AND "
	"o.dst = y.dst)",
	INTO_ASSIGN "SELECT 1, " GONE_OR_CHANGED("y.asset") ", o.asset, "
	"o.info_type, " ASSIGN_COLS("o.") ", " ASSIGN_COLS("y.")
	" FROM snapshot_assignment o LEFT JOIN snapshot_assignment y ON "
	"y.snap = ?2 AND y.asset = o.asset AND y.info_type = o.info_type "
	"WHERE o.snap = ?1 AND (y.asset IS NULL OR "
	ASSIGN_DIFFER("o.", "y.") ")",
	INTO_ASSIGN_ADDED "SELECT 1, 1, y.asset, y.info_type, "
	ASSIGN_COLS("y.") " FROM snapshot_assignment y WHERE y.snap = ?2 AND "
	"NOT EXISTS (SELECT 1 FROM snapshot_assignment o WHERE o.snap = ?1 "
	"AND o.asset = y.asset AND o.info_type = y.info_type)",
};

/* clang-format on */

#define NSTEPS (sizeof drift_live_sql / sizeof drift_live_sql[0])

/* Columns each section fills. */
static const size_t section_cols[HW_DRIFT_SECTIONS] = {
    [HW_DRIFT_ASSETS] = 17, [HW_DRIFT_ASSIGNMENTS] = 4, [HW_DRIFT_DEPS] = 2};

/* The asset columns (of ASSET_COLS) that are reals. */
#define DRIFT_CVSS 9
#define DRIFT_DOWNTIME 14

/* A real as SQLite turns it into text (printf's %!.15g: 15 significant
 * digits, and ".0" where there would be no point), from PostgreSQL's
 * text of it, in buf; NULL stays NULL, anything else as it is. */
static const char *drift_real(const char *v, char buf[40])
{
	char *end, *e;
	double d;

	if (v == NULL)
		return NULL;
	d = strtod(v, &end);
	if (end == v || *end != '\0')
		return v;
	snprintf(buf, 34, "%.15g", d);
	if (strpbrk(buf, ".ni") != NULL) /* a point, inf or nan */
		return buf;
	e = strchr(buf, 'e');
	if (e == NULL) {
		strcat(buf, ".0");
	} else {
		memmove(e + 2, e, strlen(e) + 1);
		memcpy(e, ".0", 2);
	}
	return buf;
}

/* The columns of hw_drift, in order. */
static const char *const drift_cols[] = {
    "sect", "kind", "id", "other", "b1", "b2", "b3", "b4", "b5", "b6",
    "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16",
    "b17", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10",
    "a11", "a12", "a13", "a14", "a15", "a16", "a17"};

/* Is column name in the list from p up to its closing ')'? */
static int listed(const char *p, const char *name)
{
	size_t n = strlen(name), len;

	while (*p != ')' && *p != '\0') {
		p += strspn(p, " ,");
		len = strcspn(p, ",)");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* PostgreSQL: "(step UNION ALL step ...) AS hw_drift" from the steps'
 * SELECTs, each row widened to every column (NULL for those it does not
 * fill, values as text), in b: what hw_drift would hold, without
 * writing (a read-only session may not make a temporary table). */
static int drift_union(const char *const *steps, struct hwp_buf *b,
		       struct hw_error *err)
{
	size_t i, k;

	if (hwp_buf_adds(b, "(", err) < 0)
		return -1;
	for (i = 0; i < NSTEPS; i++) {
		/* "INSERT INTO temp.hw_drift (COLS) SELECT ..." */
		const char *open = strchr(steps[i], '('), *close;

		close = strchr(open, ')');
		if (hwp_buf_adds(b, i ? " UNION ALL SELECT " : "SELECT ",
				 err) < 0)
			return -1;
		for (k = 0; k < sizeof drift_cols / sizeof drift_cols[0];
		     k++) {
			const char *c = drift_cols[k];
			int rc = hwp_buf_adds(b, k ? ", " : "", err);

			if (rc == 0 && listed(open + 1, c))
				rc = hwp_buf_adds(b, "x.", err) |
				     hwp_buf_adds(b, c, err) |
				     hwp_buf_adds(b, k < 2 ? "" : "::text",
						  err);
			else if (rc == 0)
				rc = hwp_buf_adds(b,
						  k < 2 ? "NULL::bigint"
							: "NULL::text",
						  err);
			if (rc == 0) /* the union's names: the first's */
				rc = hwp_buf_adds(b, " AS ", err) |
				     hwp_buf_adds(b, c, err);
			if (rc != 0)
				return -1;
		}
		if (hwp_buf_adds(b, " FROM (", err) < 0 ||
		    hwp_buf_adds(b, close + 2, err) < 0 ||
		    hwp_buf_adds(b, ") AS x ", err) < 0 ||
		    hwp_buf_add(b, open, (size_t)(close - open + 1), err) < 0)
			return -1;
	}
	return hwp_buf_adds(b, ") AS hw_drift", err);
}

/* A drift query: head, then "temp.hw_drift" (SQLite's table) or its union
 * (PostgreSQL: from, its baselines ?1 and ?2 bound), then tail. */
static struct hwp_stmt *drift_query(struct hw_store *st, const char *head,
				    const char *tail, const char *from,
				    long long a, long long b)
{
	struct hwp_buf sql = HWP_BUF_INIT;
	struct hw_error e = {0};
	struct hwp_stmt *s = NULL;

	if (hwp_buf_adds(&sql, head, &e) == 0 &&
	    hwp_buf_adds(&sql, from != NULL ? from : "temp.hw_drift", &e) ==
		0 &&
	    hwp_buf_adds(&sql, tail, &e) == 0 &&
	    hwp_prepare_raw(st, sql.data, &s) == HWP_OK && from != NULL) {
		hwp_bind_int64(s, 1, a);
		if (strstr(from, "?2") != NULL)
			hwp_bind_int64(s, 2, b);
	}
	hwp_buf_release(&sql);
	return s;
}

static int drift_counts(struct hw_store *st, struct hw_drift_counts *c,
			const char *from, long long a, long long b,
			struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc;

	memset(c, 0, sizeof *c);
	s = drift_query(st, "SELECT sect, kind, count(*) FROM ",
			" GROUP BY sect, kind", from, a, b);
	if (s == NULL)
		return hwp_db_error(st, err, "cannot count the drift");
	while ((rc = hwp_step(s)) == HWP_ROW) {
		int sect = hwp_col_int(s, 0);
		int kind = hwp_col_int(s, 1);

		if (sect >= 0 && sect < HW_DRIFT_SECTIONS && kind >= 0 &&
		    kind < HW_DRIFT_KINDS)
			c->n[sect][kind] = hwp_col_int64(s, 2);
	}
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot count the drift");
	return 0;
}

static int drift_rows(struct hw_store *st, const char *from, long long a,
		      long long b,
		      int (*fn)(const struct hwp_drift_row *, void *),
		      void *ctx, struct hw_error *err)
{
	struct hwp_drift_row row;
	struct hwp_stmt *s = NULL;
	char real[2][2][40];
	int rc, stop = 0;
	size_t i;

	s = drift_query(st, "SELECT sect, kind, id, other, " B17 ", " A17
			" FROM ", " ORDER BY sect, kind, id, other", from, a,
			b);
	if (s == NULL)
		return hwp_db_error(st, err, "cannot read the drift");
	while ((rc = hwp_step(s)) == HWP_ROW) {
		memset(&row, 0, sizeof row);
		row.section = (enum hw_drift_section)hwp_col_int(s, 0);
		row.kind = (enum hw_drift_kind)hwp_col_int(s, 1);
		row.id = (const char *)hwp_col_text(s, 2);
		row.other = (const char *)hwp_col_text(s, 3);
		if ((unsigned)row.section >= HW_DRIFT_SECTIONS ||
		    (unsigned)row.kind >= HW_DRIFT_KINDS) {
			hwp_finalize(s);
			return hwp_damaged(st, err, "hw_drift",
					   "a row of no section or kind");
		}
		row.ncols = section_cols[row.section];
		for (i = 0; i < row.ncols; i++) {
			row.before[i] =
			    (const char *)hwp_col_text(s, 4 + (int)i);
			row.after[i] = (const char *)hwp_col_text(
			    s, 4 + HWP_DRIFT_COLS + (int)i);
			if (st->pg != NULL && row.section == HW_DRIFT_ASSETS &&
			    (i == DRIFT_CVSS || i == DRIFT_DOWNTIME)) {
				row.before[i] = drift_real(row.before[i],
							   real[0][i == DRIFT_CVSS]);
				row.after[i] = drift_real(row.after[i],
							  real[1][i == DRIFT_CVSS]);
			}
		}
		if (row.id == NULL ||
		    (row.section != HW_DRIFT_ASSETS && row.other == NULL)) {
			hwp_finalize(s);
			return hwp_damaged(st, err, "snapshot",
					   "a row names no asset");
		}
		if ((stop = fn(&row, ctx)) != 0)
			break;
	}
	return walk_end(st, s, rc, stop, "cannot read the drift", err);
}

static int drift_in_tx(struct hw_store *st, const char *from, const char *to,
		       int (*counted)(const struct hw_drift_counts *, void *),
		       int (*fn)(const struct hwp_drift_row *, void *),
		       void *ctx, struct hw_error *err)
{
	const char *const *steps = to != NULL ? drift_snap_sql : drift_live_sql;
	struct hw_drift_counts counts;
	struct hwp_buf u = HWP_BUF_INIT;
	const char *un = NULL;
	long long a, b = 0;
	size_t i;
	int rc = -1;

	if (snapshot_n(st, from, &a, err) < 0 ||
	    (to != NULL && snapshot_n(st, to, &b, err) < 0))
		return -1;
	if (st->pg != NULL) {
		if (drift_union(steps, &u, err) < 0)
			goto out;
		un = u.data;
	} else {
		if (hwp_exec_sql(st, drift_table_sql, err) < 0)
			return -1;
		for (i = 0; i < NSTEPS; i++)
			if (run(st, steps[i], a, b, NULL, "cannot compare",
				err) < 0)
				return -1;
	}
	if (drift_counts(st, &counts, un, a, b, err) < 0)
		goto out;
	if (counted != NULL && (rc = counted(&counts, ctx)) != 0)
		goto out;
	rc = drift_rows(st, un, a, b, fn, ctx, err);
out:
	hwp_buf_release(&u);
	return rc;
}

int hwp_drift_scan(struct hw_store *st, const char *from, const char *to,
		   int (*counted)(const struct hw_drift_counts *, void *),
		   int (*fn)(const struct hwp_drift_row *, void *), void *ctx,
		   struct hw_error *err)
{
	int rc, own = hwp_autocommit(st);

	/* One read transaction: the drift is one moment's (the caller's,
	 * if it is in one).  SQLite's temporary table lives in the
	 * connection's temporary database, which a read-only store may
	 * write; PostgreSQL reads the steps' union instead (drift_union). */
	if (own && hwp_read_begin(st, err) < 0)
		return -1;
	rc = drift_in_tx(st, from, to, counted, fn, ctx, err);
	if (st->db != NULL)
		hwp_exec_quiet(st, "DROP TABLE IF EXISTS temp.hw_drift");
	if (own && rc == 0 && hwp_exec_sql(st, "COMMIT", err) < 0)
		rc = -1;
	if (own && rc != 0)
		hw_store_rollback(st);
	return rc;
}

/*
 * store-incident.c: incidents in the store (history.h): add,
 * read, resolve, list and import them, each write audited as
 * incident:INC-NNNN; and the history scans the risk model and first
 * response read: an asset's fragility (changes closed, failed or backed
 * out, incidents, time to repair, in windows) and the changes
 * implemented in a period.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Statements: few and rare, prepared per call (the cache is for the
 * inventory's hot paths). */

static struct hwp_stmt *prepare(struct hw_store *st, const char *sql,
			     struct hw_error *err)
{
	return hwp_prepare(st, sql, "cannot prepare statement", err);
}

/* A time column as highwater writes it ("YYYY-MM-DDTHH:MM:SSZ"), NULL
 * as 0 where allowed.  0, or -1 with *what naming the column. */
static int col_time(struct hwp_stmt *s, int i, int null_ok, hw_time *out)
{
	if (hwp_col_time(s, i, out) < 0 || (*out == 0 && !null_ok))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The audit record of a write (hwp_incident_json: the history JSON). */

static int audit(struct hw_store *st, const char *action,
		 const struct hw_incident *before,
		 const struct hw_incident *after, struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT], object[HW_CHANGE_ID_TEXT + 16];
	json_t *b = before ? hwp_incident_json(before) : NULL;
	json_t *a = after ? hwp_incident_json(after) : NULL;

	snprintf(object, sizeof object, "incident:%s",
		 hw_incident_id((after ? after : before)->n, id));
	return hwp_audit_new(st, action, object, b, before != NULL, a,
			     after != NULL, err);
}

/* ------------------------------------------------------------------ */
/* Incidents                                                           */

#define INCIDENT_COLS "n, asset, title, opened, resolved, change, reporter"

/* The incident in the row of s (INCIDENT_COLS).  0, or -1 with the
 * error (a damaged row; *out released). */
static int row_incident(struct hw_store *st, struct hwp_stmt *s,
			struct hw_incident *out, struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT];
	int bad = 0;

	memset(out, 0, sizeof *out);
	out->n = hwp_col_int64(s, 0);
	out->asset = hwp_col_dup(s, 1, &bad);
	out->title = hwp_col_dup(s, 2, &bad);
	out->reporter = hwp_col_dup(s, 6, &bad);
	if (bad) {
		hw_incident_release(out);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	hw_incident_id(out->n, id);
	if (out->n < 1 || out->asset == NULL || out->asset[0] == '\0' ||
	    out->title == NULL || out->title[0] == '\0' ||
	    out->reporter == NULL) {
		hw_incident_release(out);
		return hwp_damaged(st, err, "incident",
				   "%s has an empty number, asset, title or "
				   "reporter",
				   id);
	}
	if (col_time(s, 3, 0, &out->opened) < 0 ||
	    col_time(s, 4, 1, &out->resolved) < 0) {
		hw_incident_release(out);
		return hwp_damaged(st, err, "incident",
				   "%s has an opened or resolved time that is "
				   "not YYYY-MM-DDTHH:MM:SSZ",
				   id);
	}
	if (out->resolved && out->resolved < out->opened) {
		hw_incident_release(out);
		return hwp_damaged(st, err, "incident",
				   "%s was resolved before it was opened", id);
	}
	if (hwp_col_type(s, 5) != HWP_NULL) {
		out->change = hwp_col_int64(s, 5);
		if (out->change < 1) {
			hw_incident_release(out);
			return hwp_damaged(st, err, "incident",
					   "%s names change number %lld", id,
					   out->change);
		}
	}
	return 0;
}

/* What an incident must be before it is stored: 0, or -1 with the
 * error. */
static int incident_check(struct hw_store *st, const struct hw_incident *i,
			  struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT];
	struct hwp_stmt *s;
	int rc;

	if (i->title == NULL || i->title[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "an incident needs a title");
	if (hwp_text_check(i->title, "title", err) < 0 ||
	    hwp_text_check(i->asset, "asset", err) < 0)
		return -1;
	if (i->opened <= 0)
		return hw_error_set(err, HW_EINVAL,
				    "an incident needs the time it opened");
	if (i->resolved && i->resolved < i->opened) {
		char a[HW_TIME_TEXT], b[HW_TIME_TEXT];

		return hw_error_set(err, HW_EINVAL,
				    "resolved %s is before opened %s",
				    hw_time_format(i->resolved, a),
				    hw_time_format(i->opened, b));
	}
	if (i->change == 0)
		return 0;
	s = prepare(st, "SELECT 1 FROM change_record WHERE n = ?1", err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, i->change);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no change %s",
				    hw_change_id(i->change, id));
	return rc == HWP_ROW ? 0
				: hwp_db_error(st, err, "cannot read changes");
}

static int insert(struct hw_store *st, const struct hw_incident *i,
		  const char *reporter, struct hw_error *err)
{
	struct hwp_stmt *s = prepare(st,
				  "INSERT INTO incident (" INCIDENT_COLS
				  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
				  err);
	int rc;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, i->n);
	hwp_bind_text(s, 2, i->asset);
	hwp_bind_text(s, 3, i->title);
	hwp_bind_time(s, 4, i->opened);
	hwp_bind_time(s, 5, i->resolved);
	if (i->change)
		hwp_bind_int64(s, 6, i->change);
	hwp_bind_text(s, 7, reporter);
	rc = hwp_step(s);
	hwp_finalize(s);
	return rc == HWP_DONE ? 0
				 : hwp_step_error(st, rc, err,
						  "cannot store the incident");
}

int hw_store_incident_add(struct hw_store *st, struct hw_incident *i,
			  struct hw_error *err)
{
	struct hw_incident stored;
	long long last = 0;
	struct hwp_stmt *s;
	hw_key key;
	int rc;

	if (hwp_audit_ready(st, "an incident's write", err) < 0)
		return -1;
	if (i->asset == NULL || hwp_asset_n(st, i->asset, &key, err) < 0)
		return i->asset ? -1
				: hw_error_set(err, HW_EINVAL,
					       "an incident needs an asset");
	if (incident_check(st, i, err) < 0)
		return -1;
	s = prepare(st, "SELECT coalesce(max(n), 0) FROM incident", err);
	if (s == NULL)
		return -1;
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		last = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read incidents");
	stored = *i;
	stored.n = last + 1;
	stored.reporter = (char *)hwp_actor(st);
	if (insert(st, &stored, stored.reporter, err) < 0 ||
	    audit(st, "add", NULL, &stored, err) < 0)
		return -1;
	i->n = stored.n;
	return 0;
}

int hw_store_incident_get(struct hw_store *st, long long n,
			  struct hw_incident *out, struct hw_error *err)
{
	struct hwp_stmt *s = prepare(
	    st, "SELECT " INCIDENT_COLS " FROM incident WHERE n = ?1", err);
	char id[HW_CHANGE_ID_TEXT];
	int rc, ret;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		ret = row_incident(st, s, out, err);
	else if (rc == HWP_DONE)
		ret = hw_error_set(err, HW_ENOTFOUND, "no incident %s",
				   hw_incident_id(n, id));
	else
		ret = hwp_db_error(st, err, "cannot read incidents");
	hwp_finalize(s);
	return ret;
}

int hw_store_incident_resolve(struct hw_store *st, long long n, hw_time at,
			      struct hw_error *err)
{
	struct hw_incident before, after;
	char id[HW_CHANGE_ID_TEXT], a[HW_TIME_TEXT], b[HW_TIME_TEXT];
	struct hwp_stmt *s;
	int rc = -1;

	if (hwp_audit_ready(st, "an incident's write", err) < 0)
		return -1;
	if (hw_store_incident_get(st, n, &before, err) < 0)
		return -1;
	hw_incident_id(n, id);
	if (before.resolved) {
		hw_error_set(err, HW_EREFUSED, "%s is already resolved (at %s)",
			     id, hw_time_format(before.resolved, a));
		goto out;
	}
	if (at < before.opened) {
		hw_error_set(err, HW_EINVAL,
			     "%s: resolve time %s is before the open time %s",
			     id, hw_time_format(at, a),
			     hw_time_format(before.opened, b));
		goto out;
	}
	s = prepare(st, "UPDATE incident SET resolved = ?2 WHERE n = ?1", err);
	if (s == NULL)
		goto out;
	hwp_bind_int64(s, 1, n);
	hwp_bind_time(s, 2, at);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE) {
		rc = hwp_step_error(st, rc, err, "cannot resolve the incident");
		goto out;
	}
	after = before;
	after.resolved = at;
	rc = audit(st, "resolve", &before, &after, err);
out:
	hw_incident_release(&before);
	return rc;
}

int hw_store_incident_each(struct hw_store *st, const char *asset,
			   int (*fn)(const struct hw_incident *, void *),
			   void *ctx, struct hw_error *err)
{
	struct hwp_stmt *s = prepare(st,
				  "SELECT " INCIDENT_COLS " FROM incident "
				  "WHERE asset = ?1 OR ?1 IS NULL ORDER BY n",
				  err);
	struct hw_incident i;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, asset);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		if (row_incident(st, s, &i, err) < 0) {
			ret = -1;
			break;
		}
		ret = fn(&i, ctx);
		hw_incident_release(&i);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read incidents");
	hwp_finalize(s);
	return ret;
}

static int same_incident(const struct hw_incident *a,
			 const struct hw_incident *b)
{
	return strcmp(a->asset, b->asset) == 0 &&
	       strcmp(a->title, b->title) == 0 && a->opened == b->opened &&
	       a->resolved == b->resolved && a->change == b->change &&
	       strcmp(a->reporter ? a->reporter : "",
		      b->reporter ? b->reporter : "") == 0;
}

int hw_store_incident_import(struct hw_store *st, const struct hw_incident *i,
			     struct hw_error *err)
{
	struct hw_incident old, stored;
	struct hw_error e = {0};
	char id[HW_CHANGE_ID_TEXT];
	int rc;

	if (hwp_audit_ready(st, "an incident's write", err) < 0)
		return -1;
	if (i->n < 1)
		return hw_error_set(err, HW_EINVAL,
				    "an imported incident needs its number");
	if (i->asset == NULL || i->asset[0] == '\0')
		return hw_error_set(err, HW_EINVAL, "%s needs an asset",
				    hw_incident_id(i->n, id));
	if (incident_check(st, i, err) < 0)
		return -1;
	stored = *i;
	if (stored.reporter == NULL)
		stored.reporter = (char *)hwp_actor(st);
	rc = hw_store_incident_get(st, i->n, &old, &e);
	if (rc == 0) {
		rc = same_incident(&old, &stored)
			 ? 0
			 : hw_error_set(err, HW_EEXIST,
					"%s exists and differs from the one "
					"imported",
					hw_incident_id(i->n, id));
		hw_incident_release(&old);
		return rc;
	}
	if (e.code != HW_ENOTFOUND) {
		hw_error_set(err, e.code, "%s", e.text);
		return -1;
	}
	if (insert(st, &stored, stored.reporter, err) < 0 ||
	    audit(st, "add", NULL, &stored, err) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* History scans                                                       */

/* Times are stored as "YYYY-MM-DDTHH:MM:SSZ", so that text order is
 * time order: the windows compare text.  Seconds since 1970 of a time
 * are each engine's own (SQLite's is NULL for a text that is not a
 * time; PostgreSQL refuses the statement). */
#define LITE_SECONDS(c) "strftime('%s', " c ")"
#define PG_SECONDS(c) "extract(epoch FROM (" c ")::timestamptz)::bigint"
#define FRAGILITY_SQL(SECONDS)                                               \
    "WITH c AS (SELECT t.asset AS id, count(*) AS closed,"                   \
    "  count(*) FILTER (WHERE r.result <> 'success') AS bad"                 \
    "  FROM change_record r JOIN change_target t ON t.change = r.n"          \
    "  WHERE r.state = 'closed'"                                             \
    "  AND r.result IN ('success', 'failed', 'backed-out')"                  \
    "  AND r.closed_at >= ?1 AND r.closed_at < ?4 GROUP BY t.asset),"        \
    " i AS (SELECT asset AS id, count(*) AS opened,"                         \
    "  count(*) FILTER (WHERE " SECONDS("opened") " IS NULL) AS bad"         \
    "  FROM incident WHERE opened >= ?2 AND opened < ?4 GROUP BY asset),"    \
    " m AS (SELECT asset AS id, count(*) AS repaired,"                       \
    "  sum(" SECONDS("resolved") " - " SECONDS("opened") ") AS secs,"        \
    "  count(*) FILTER (WHERE " SECONDS("resolved") " IS NULL"               \
    "   OR " SECONDS("opened") " IS NULL) AS bad"                            \
    "  FROM incident WHERE resolved >= ?3 AND resolved < ?4"                 \
    "  GROUP BY asset),"                                                     \
    " ids AS (SELECT id FROM c UNION SELECT id FROM i"                       \
    "  UNION SELECT id FROM m)"                                              \
    " SELECT a.n, a.id, coalesce(c.closed, 0), coalesce(c.bad, 0),"          \
    "  coalesce(i.opened, 0), coalesce(m.repaired, 0),"                      \
    "  coalesce(m.secs, 0), coalesce(i.bad, 0) + coalesce(m.bad, 0)"         \
    " FROM ids JOIN asset a ON a.id = ids.id"                                \
    " LEFT JOIN c ON c.id = ids.id LEFT JOIN i ON i.id = ids.id"             \
    " LEFT JOIN m ON m.id = ids.id ORDER BY a.n"

static const char fragility_sql[] = FRAGILITY_SQL(LITE_SECONDS);
static const char fragility_sql_pg[] = FRAGILITY_SQL(PG_SECONDS);

int hwp_scan_fragility(struct hw_store *st, hw_time changes_since,
		       hw_time incidents_since, hw_time repairs_since,
		       hw_time until, int (*fn)(void *, const void *),
		       void *ctx, struct hw_error *err)
{
	struct hwp_stmt *s = prepare(
	    st, st->pg != NULL ? fragility_sql_pg : fragility_sql, err);
	struct hwp_fragility_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_time(s, 1, changes_since);
	hwp_bind_time(s, 2, incidents_since);
	hwp_bind_time(s, 3, repairs_since);
	hwp_bind_time(s, 4, until);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		long long v[5];
		int k;

		for (k = 0; k < 5; k++)
			v[k] = hwp_col_int64(s, 2 + k);
		memset(&r, 0, sizeof r);
		r.n = hwp_col_int64(s, 0);
		r.id = (const char *)hwp_col_text(s, 1);
		if (hwp_col_int64(s, 7) != 0) {
			ret = hwp_damaged(st, err, "incident",
					  "an incident of '%s' has an opened or "
					  "resolved time that is not a time",
					  r.id ? r.id : "?");
			break;
		}
		if (v[0] < 0 || v[1] < 0 || v[1] > v[0] || v[2] < 0 ||
		    v[3] < 0 || v[4] < 0 || v[0] > INT32_MAX ||
		    v[2] > INT32_MAX || v[3] > INT32_MAX) {
			ret = hwp_damaged(st, err, "incident",
					  "'%s' has a time to repair or counts "
					  "out of range",
					  r.id ? r.id : "?");
			break;
		}
		r.f.changes = (int32_t)v[0];
		r.f.failed = (int32_t)v[1];
		r.f.incidents = (int32_t)v[2];
		r.f.repaired = (int32_t)v[3];
		r.f.repair_hours = v[3] ? (double)v[4] / 3600.0 / (double)v[3]
					: 0;
		if (fn(ctx, &r) != 0) {
			ret = hw_error_set(err, HW_ENOMEM, "out of memory");
			break;
		}
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read changes and incidents");
	hwp_finalize(s);
	return ret;
}

int hwp_scan_changes_implemented(struct hw_store *st, hw_time since,
				 hw_time until,
				 int (*fn)(void *, const void *), void *ctx,
				 struct hw_error *err)
{
	struct hwp_stmt *s = prepare(
	    st,
	    "SELECT r.n, r.title, r.implemented_by, r.implemented_at, t.asset"
	    " FROM change_record r JOIN change_target t ON t.change = r.n"
	    " WHERE r.implemented_at >= ?1 AND r.implemented_at < ?2"
	    " ORDER BY r.implemented_at DESC, r.n DESC, t.asset",
	    err);
	struct hwp_implemented_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_time(s, 1, since);
	hwp_bind_time(s, 2, until);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		char id[HW_CHANGE_ID_TEXT];

		r.change = hwp_col_int64(s, 0);
		r.title = (const char *)hwp_col_text(s, 1);
		r.implemented_by = (const char *)hwp_col_text(s, 2);
		r.target = (const char *)hwp_col_text(s, 4);
		if (r.change < 1 || r.title == NULL || r.target == NULL ||
		    col_time(s, 3, 0, &r.implemented_at) < 0) {
			ret = hwp_damaged(st, err, "change_record",
					  "%s has no title, target or a bad "
					  "implemented_at",
					  hw_change_id(r.change, id));
			break;
		}
		if (fn(ctx, &r) != 0) {
			ret = hw_error_set(err, HW_ENOMEM, "out of memory");
			break;
		}
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read changes");
	hwp_finalize(s);
	return ret;
}

/*
 * store-limits.c: the inventory's two size limits, HWP_ASSETS_MAX assets
 * in a database and HWP_DEPS_MAX dependencies of one asset (what it
 * depends on; what depends on it is not bounded: everything may
 * authenticate via one directory).  Checked where they may be passed:
 * asset add, dep add, and once at the end of an import, before its
 * commit.  Each check is cheap while the inventory is far from the limit.
 */
#include "store-sql.h"

/* The integer the one-row query sql gives, ?1 bound to arg (when not
 * negative) and ?2 to arg2. */
static int query_int(struct hw_store *st, const char *sql, long long arg,
		     long long arg2, long long *out,
		     struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	*out = 0;
	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot check the limits");
	if (arg >= 0)
		hwp_bind_int64(s, 1, arg);
	if (arg2 >= 0)
		hwp_bind_int64(s, 2, arg2);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		*out = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot check the limits");
	return 0;
}

int hwp_limit_assets(struct hw_store *st, struct hw_error *err)
{
	long long n;

	/* Row numbers are given in order: the largest bounds the count. */
	if (query_int(st, "SELECT max(n) FROM asset", -1, -1, &n, err) < 0)
		return -1;
	if (n <= HWP_ASSETS_MAX)
		return 0;
	if (query_int(st, "SELECT count(*) FROM (SELECT 1 FROM asset LIMIT ?1) AS upto",
		      (long long)HWP_ASSETS_MAX + 1, -1, &n, err) < 0)
		return -1;
	if (n <= HWP_ASSETS_MAX)
		return 0;
	return hw_error_set(err, HW_EINVAL,
			    "more than %d assets (the most a database holds)",
			    HWP_ASSETS_MAX);
}

/* The dependencies of the asset with row number src, at most
 * HWP_DEPS_MAX + 1 counted. */
static int deps_of(struct hw_store *st, long long src, long long *n,
		   struct hw_error *err)
{
	return query_int(st,
			 "SELECT count(*) FROM (SELECT 1 FROM dependency "
			 "WHERE src = ?2 LIMIT ?1) AS upto",
			 (long long)HWP_DEPS_MAX + 1, src, n, err);
}

static int too_many_deps(const char *id, struct hw_error *err)
{
	return hw_error_set(err, HW_EINVAL,
			    "asset '%s' depends on more than %d assets (the "
			    "most dependencies an asset has)",
			    id, HWP_DEPS_MAX);
}

int hwp_limit_deps_of(struct hw_store *st, hw_key src, const char *id,
		      struct hw_error *err)
{
	long long n;

	if (deps_of(st, src, &n, err) < 0)
		return -1;
	return n > HWP_DEPS_MAX ? too_many_deps(id, err) : 0;
}

int hwp_limit_deps(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	long long n;
	int rc;

	/* No asset can pass the limit while the table is within it. */
	if (query_int(st,
		      "SELECT count(*) FROM (SELECT 1 FROM dependency LIMIT "
		      "?1) AS upto",
		      (long long)HWP_DEPS_MAX + 1, -1, &n, err) < 0)
		return -1;
	if (n <= HWP_DEPS_MAX)
		return 0;
	if (hwp_prepare_raw(st, "SELECT a.id FROM (SELECT src FROM dependency "
			       "GROUP BY src HAVING count(*) > ?1 ORDER BY src "
			       "LIMIT 1) d JOIN asset a ON a.n = d.src", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot check the limits");
	hwp_bind_int64(s, 1, HWP_DEPS_MAX);
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		const unsigned char *id = hwp_col_text(s, 0);

		too_many_deps(id ? (const char *)id : "?", err);
		hwp_finalize(s);
		return -1;
	}
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot check the limits");
	return 0;
}

/*
 * check-store-bulk.c: the store interface's bulk side: bulk loads
 * (commit, abort, dry run, references checked at the end, deferred
 * indexes back after), the graph scans and the key lookups.
 */
#include "hw-private.h"

#include "fixture.h"
#include "store-pg.h"
#include "store-sql.h"

/* An asset with one owner and no levels, for loads. */
static struct hw_asset bulk_asset(const char *id)
{
	struct hw_asset a = {0};

	a.id = (char *)id;
	a.name = (char *)id;
	a.type = (char *)"server";
	a.owner = (char *)"ops";
	return a;
}

static hw_key load_asset(const char *id)
{
	struct hw_error err = {0};
	struct hw_asset a = bulk_asset(id);
	hw_key key = 0;
	int existed = -1;

	ck_assert_msg(hwp_load_asset(fx_st, &a, 1, &key, &existed, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(existed, 0);
	ck_assert(key > 0);
	return key;
}

static struct hwp_dep_row dep_row(hw_key src, hw_key dst)
{
	struct hwp_dep_row r = {0};

	r.src = (uint64_t)src;
	r.dst = (uint64_t)dst;
	r.type = 0; /* hw_dep_types[0] */
	r.carries = HW_CARRY_ALL;
	return r;
}

static long asset_count(void)
{
	struct hw_error err = {0};
	long n = -1;

	ck_assert_int_eq(hw_store_asset_count(fx_st, &n, &err), 0);
	return n;
}

static int dep_cb(const struct hw_dep *d, void *ctx)
{
	(void)d;
	(*(int *)ctx)++;
	return 0;
}

static int dep_count(void)
{
	struct hw_error err = {0};
	int n = 0;

	ck_assert_int_eq(hw_store_dep_each(fx_st, NULL, dep_cb, &n, &err), 0);
	return n;
}

/* Both indexes a load may defer are in the schema, and the reverse
 * lookup of dependencies uses its index (SQLite's: PostgreSQL's load
 * keeps its indexes). */
static void assert_indexes(void)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int found = 0;

	if (fx_pg_host() != NULL)
		return;
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM sqlite_master WHERE "
				 "type = 'index' AND name IN "
				 "('asset_owner', 'dependency_dst')"),
			 2);
	ck_assert_int_eq(
	    sqlite3_open_v2(fx_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "EXPLAIN QUERY PLAN SELECT src "
					    "FROM dependency WHERE dst = 1",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(s, 3),
			   "dependency_dst") != NULL)
			found = 1;
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	ck_assert_msg(found, "the query plan does not use dependency_dst");
}

/* Load a -> b -> c into the store: their keys in k. */
static void load_chain(hw_key k[3])
{
	struct hw_error err = {0};
	struct hwp_dep_row rows[2];
	size_t bad = 99;

	k[0] = load_asset("a");
	k[1] = load_asset("b");
	k[2] = load_asset("c");
	ck_assert_int_eq(hwp_load_assets_done(fx_st, &err), 0);
	ck_assert_int_eq(hwp_load_deps_coming(fx_st, 2, &err), 0);
	rows[0] = dep_row(k[0], k[1]);
	rows[1] = dep_row(k[1], k[2]);
	ck_assert_msg(hwp_load_deps(fx_st, rows, 2, &bad, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(bad, 99);
}

START_TEST(test_store_bulk_load_commits)
{
	struct hw_error err = {0};
	hw_key k[3];

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	load_chain(k);
	ck_assert_msg(hwp_load_end(fx_st, 2, 0, &err) == 0, "%s", err.text);
	ck_assert_int_eq(asset_count(), 3);
	ck_assert_int_eq(dep_count(), 2);
	assert_indexes();
	/* Foreign keys are on again: deleting c takes b -> c with it. */
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "c", 1, &err)), 0);
	ck_assert_int_eq(dep_count(), 1);
	/* Safe after the end. */
	hwp_load_abort(fx_st);
	ck_assert_int_eq(asset_count(), 2);
}
END_TEST

/* A load raises the generation once, not once a row; its triggers are
 * back after it (a write raises it again), and a dry run leaves it. */
START_TEST(test_store_bulk_bumps_generation_once)
{
	struct hw_error err = {0};
	struct hw_asset x = bulk_asset("after");
	long long g = fx_generation();
	hw_key k[3];

	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	load_chain(k);
	ck_assert_msg(hwp_load_end(fx_st, 2, 0, &err) == 0, "%s", err.text);
	ck_assert_int_eq(fx_generation(), g + 1);
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 1, NULL, &err), 0);
	load_asset("dry");
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 1, &err), 0);
	ck_assert_int_eq(fx_generation(), g + 1);
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &x, 0, &err)), 0);
	ck_assert_int_eq(fx_generation(), g + 2);
}
END_TEST

START_TEST(test_store_bulk_replace_empties_first)
{
	struct hw_error err = {0};
	hw_key k[3];

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	load_chain(k);
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 0, &err), 0);
	ck_assert_int_eq(hwp_load_begin(fx_st, 1, 0, NULL, &err), 0);
	load_asset("d");
	/* No hwp_load_assets_done: the end builds the owner index. */
	ck_assert_int_eq(hwp_load_end(fx_st, 1, 0, &err), 0);
	ck_assert_int_eq(asset_count(), 1);
	ck_assert_int_eq(dep_count(), 0);
	assert_indexes();
}
END_TEST

START_TEST(test_store_bulk_keys)
{
	struct hw_error err = {0};
	hw_key k[3], n = 0;
	char *id = NULL;

	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	load_chain(k);
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 0, &err), 0);
	ck_assert_int_eq(hwp_asset_n(fx_st, "b", &n, &err), 0);
	ck_assert_int_eq(n, k[1]);
	ck_assert_int_eq(hwp_asset_id(fx_st, k[2], &id, &err), 0);
	ck_assert_str_eq(id, "c");
	free(id);
	ck_assert_int_eq(hwp_asset_n(fx_st, "zz", &n, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_asset_id(fx_st, k[2] + 100, &id, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
}
END_TEST

/* What the scans give, gathered. */
struct seen {
	int nodes, levels, edges;
	hw_key last_src, last_dst, levels_of;
	char ids[64];
	enum hw_level c;
};

static int on_node(void *ctx, const void *row)
{
	struct seen *s = ctx;
	const struct hwp_node *nd = row;

	s->nodes++;
	strncat(s->ids, nd->id, sizeof s->ids - strlen(s->ids) - 1);
	ck_assert_str_eq(nd->owner, "ops");
	return 0;
}

static int on_levels(void *ctx, const void *row)
{
	struct seen *s = ctx;
	const struct hwp_levels *lv = row;

	s->levels++;
	s->levels_of = lv->n;
	s->c = lv->sc.v[HW_C];
	return 0;
}

static int on_edge(void *ctx, const void *row)
{
	struct seen *s = ctx;
	const struct hwp_edge *e = row;

	s->edges++;
	s->last_src = e->src;
	s->last_dst = e->dst;
	ck_assert_str_eq(e->type, hw_dep_types[0]);
	ck_assert_uint_eq(e->carries, HW_CARRY_ALL);
	return 0;
}

static int stop(void *ctx, const void *row)
{
	(void)ctx;
	(void)row;
	return 1;
}

START_TEST(test_store_bulk_scans)
{
	struct hw_error err = {0};
	struct hw_assignment g = {0};
	struct hw_asset x = bulk_asset("x");
	struct seen s = {0};
	hw_key k[3], kx = 0;
	int existed;

	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	load_chain(k);
	g.type_id = (char *)"C.2.4.1";
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), 0);
	x.types = &g;
	x.ntypes = 1;
	ck_assert_int_eq(hwp_load_asset(fx_st, &x, 1, &kx, &existed, &err), 0);
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 0, &err), 0);

	ck_assert_int_eq(hwp_scan_nodes(fx_st, on_node, &s, &err), 0);
	ck_assert_int_eq(s.nodes, 4);
	ck_assert_ptr_nonnull(strchr(s.ids, 'x'));
	ck_assert_int_eq(hwp_scan_levels(fx_st, on_levels, &s, &err), 0);
	ck_assert_int_eq(s.levels, 1);
	ck_assert_int_eq(s.levels_of, kx);
	ck_assert_int_eq(s.c, g.selected.v[HW_C]);
	ck_assert_int_eq(hwp_scan_edges(fx_st, on_edge, &s, &err), 0);
	ck_assert_int_eq(s.edges, 2);

	/* One key at a time: who depends on b is a. */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hwp_dependents_of(fx_st, k[1], on_edge, &s, &err), 0);
	ck_assert_int_eq(s.edges, 1);
	ck_assert_int_eq(s.last_src, k[0]);
	ck_assert_int_eq(s.last_dst, k[1]);
	ck_assert_int_eq(hwp_node_by_n(fx_st, k[2], on_node, &s, &err), 0);
	ck_assert_str_eq(s.ids, "c");
	ck_assert_int_eq(hwp_levels_by_n(fx_st, kx, on_levels, &s, &err), 0);
	ck_assert_int_eq(s.levels, 1);

	/* A callback that stops: -1, out of memory. */
	ck_assert_int_eq(hwp_scan_nodes(fx_st, stop, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOMEM);
}
END_TEST

START_TEST(test_store_bulk_abort_leaves_database)
{
	struct hw_error err = {0};
	struct hw_asset x = bulk_asset("kept");
	char *before, *after;

	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &x, 0, &err)), 0);
	before = fx_schema(fx_db);
	ck_assert_int_eq(hwp_load_begin(fx_st, 1, 0, NULL, &err), 0);
	load_asset("gone");
	hwp_load_abort(fx_st);
	hwp_load_abort(fx_st); /* twice is fine */
	ck_assert_int_eq(asset_count(), 1);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "kept", &x, &err), 0);
	hw_asset_release(&x);
	after = fx_schema(fx_db);
	ck_assert_str_eq(after, before);
	assert_indexes();
	free(before);
	free(after);
	/* A new load can start. */
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	hwp_load_abort(fx_st);
}
END_TEST

START_TEST(test_store_bulk_dry_run_leaves_database)
{
	struct hw_error err = {0};
	char *before, *after;
	hw_key k[3];

	before = fx_schema(fx_db);
	ck_assert_int_eq(hwp_load_begin(fx_st, 1, 1, NULL, &err), 0);
	load_chain(k);
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 1, &err), 0);
	ck_assert_int_eq(asset_count(), 0);
	ck_assert_int_eq(dep_count(), 0);
	after = fx_schema(fx_db);
	ck_assert_str_eq(after, before);
	assert_indexes();
	free(before);
	free(after);
}
END_TEST

START_TEST(test_store_bulk_dangling_fails_at_end)
{
	struct hw_error err = {0};
	struct hwp_dep_row r;
	size_t bad = 0;
	hw_key a;

	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	a = load_asset("a");
	r = dep_row(a, a + 500);
	ck_assert_int_eq(hwp_load_deps(fx_st, &r, 1, &bad, &err), 0);
	ck_assert_int_eq(hwp_load_end(fx_st, 0, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.text, "is not an asset"));
	ck_assert_int_eq(asset_count(), 0);
	ck_assert_int_eq(dep_count(), 0);
	assert_indexes();
	hwp_load_abort(fx_st); /* after a failure, too */
}
END_TEST

START_TEST(test_store_bulk_reference_to_stored_asset)
{
	struct hw_error err = {0};
	struct hw_asset x = bulk_asset("old");
	struct hwp_dep_row r;
	size_t bad = 0;
	hw_key a, old = 0;

	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &x, 0, &err)), 0);
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	a = load_asset("new");
	ck_assert_int_eq(hwp_asset_n(fx_st, "old", &old, &err), 0);
	r = dep_row(a, old);
	ck_assert_int_eq(hwp_load_deps(fx_st, &r, 1, &bad, &err), 0);
	ck_assert_msg(hwp_load_end(fx_st, 0, 0, &err) == 0, "%s", err.text);
	ck_assert_int_eq(dep_count(), 1);
}
END_TEST

START_TEST(test_store_bulk_misuse)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hwp_load_end(fx_st, 0, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hwp_load_abort(fx_st);
	/* A key out of any range fails at once, naming the row. */
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	{
		hw_key a = load_asset("a");
		struct hwp_dep_row r[2] = {dep_row(a, a), dep_row(a, -5)};
		size_t bad = 9;

		r[0].dst = (uint64_t)load_asset("b");
		ck_assert_int_eq(hwp_load_deps(fx_st, r, 2, &bad, &err), -1);
		ck_assert_int_eq(bad, 1);
		ck_assert_int_eq(err.code, HW_ENOTFOUND);
	}
	hwp_load_abort(fx_st);
	ck_assert_int_eq(asset_count(), 0);
}
END_TEST


/* What an audited import asks of the store: whether the inventory was
 * empty, a stored dependency by its keys, keys kept as they are; and the
 * load's audit records indexed by asset at its end. */
START_TEST(test_store_bulk_import_lookups)
{
	struct hw_error err = {0};
	unsigned carries = 0;
	hw_key k[3];
	int type = -1;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(hwp_load_empty(fx_st), 1);
	load_chain(k);
	ck_assert_int_eq(hwp_load_end(fx_st, 2, 0, &err), 0);
	ck_assert_int_eq(hwp_load_empty(fx_st), 0); /* no load */

	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(hwp_load_empty(fx_st), 0);
	ck_assert_int_eq(
	    hwp_load_dep_get(fx_st, k[0], k[1], &type, &carries, &err), 1);
	ck_assert_str_eq(hw_dep_types[type], "runs_on");
	ck_assert_uint_eq(carries, HW_CARRY_ALL);
	ck_assert_int_eq(
	    hwp_load_dep_get(fx_st, k[1], k[0], &type, &carries, &err), 0);
	/* A dependency on a kept key needs no lookup at the end. */
	ck_assert_int_eq(hwp_load_keep(fx_st, k[2], &err), 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "asset:c", NULL, 0, "{}",
					2, &err),
			 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "dependency:c>a", NULL,
					0, "{}", 2, &err),
			 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "asset:b", NULL, 0, "{}",
					2, &err),
			 0);
	/* The newest record of each asset is kept until the load's end. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit_last WHERE seq "
				 "IN (SELECT seq FROM audit WHERE object IN "
				 "('dependency:c>a', 'asset:b'))"),
			 0);
	ck_assert_int_eq(hwp_load_end(fx_st, 2, 0, &err), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit_last WHERE seq "
				 "IN (SELECT seq FROM audit WHERE object IN "
				 "('dependency:c>a', 'asset:b'))"),
			 3);
	/* Each record links the record of each asset before it. */
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit AS d"
				 " JOIN audit AS c ON c.seq = d.link_a"
				 " WHERE d.object = 'dependency:c>a'"
				 " AND c.object = 'asset:c' AND d.link_b IS NULL"),
			 1);
	/* A dry run keeps none. */
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "asset:a", NULL, 0, "{}",
					2, &err),
			 0);
	ck_assert_int_eq(hwp_load_end(fx_st, 2, 1, &err), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit WHERE object = "
				 "'asset:a'"),
			 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit_last AS l"
				 " JOIN audit AS a ON a.seq = l.seq"
				 " WHERE l.asset = 'a'"
				 " AND a.object = 'dependency:c>a'"),
			 1);
	/* A load's records wait for a batch: a commit that would leave
	 * them out fails (a rollback) rather than lose them. */
	ck_assert_int_eq(hwp_load_begin(fx_st, 0, 0, NULL, &err), 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "asset:z", NULL, 0, "{}",
					2, &err),
			 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), -1);
	hwp_load_abort(fx_st);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit WHERE object = "
				 "'asset:z'"),
			 0);
	memset(&err, 0, sizeof err);
	/* Outside a load, audit_last follows each record at once. */
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hwp_audit_text(fx_st, "add", "asset:a", NULL, 0, "{}",
					2, &err),
			 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM audit_last AS l"
				 " JOIN audit AS a ON a.seq = l.seq"
				 " JOIN audit AS d ON d.seq = a.link_a"
				 " WHERE l.asset = 'a' AND a.object = 'asset:a'"
				 " AND d.object = 'dependency:c>a'"),
			 1);
}
END_TEST

/* A row of probe: its values bound as given, t as the integer t_int
 * when NULL, b as three bytes or NULL. */
static void probe_row(struct hwp_stmt *s, long long i, int j, double d,
		      const char *t, long long t_int, int blob)
{
	static const unsigned char b[3] = {0, 1, 255};

	hwp_bind_int64(s, 1, i);
	hwp_bind_int(s, 2, j);
	hwp_bind_double(s, 3, d);
	if (t != NULL)
		hwp_bind_text(s, 4, t);
	else
		hwp_bind_int64(s, 4, t_int);
	if (blob)
		hwp_bind_blob(s, 5, b, 3, 0);
	else
		hwp_bind_null(s, 5);
	hwp_bind_text(s, 6, "v");
	ck_assert_int_eq(hwp_step(s), HWP_DONE);
	hwp_reset(s);
}

/* A transaction begun in copy mode (PostgreSQL), and sql prepared. */
static struct hwp_stmt *copy_mode_insert(const char *sql)
{
	struct hw_error err = {0};
	struct hwp_stmt *s = NULL;

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hwp_pg_copy_mode(fx_st, 1), HWP_OK);
	ck_assert_int_eq(hwp_prepare_kept(fx_st, sql, &s), HWP_OK);
	return s;
}

/* Plain inserts land the same on both engines; on PostgreSQL, in copy
 * mode, in COPY's binary form while each value is its column's type
 * (bigint, int, double, text, bytea) and in text from the first row
 * that is not (an integer bound to a text column), a table with
 * another type (varchar) in text throughout; an insert the server
 * refuses, and an integer beyond int's range, fail with the server's
 * own words. */
START_TEST(test_store_copy_mode_values)
{
	struct hw_error err = {0};
	struct hwp_stmt *s = NULL, *v = NULL, *bad = NULL;
	int pg = fx_pg_host() != NULL;

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(
	    hwp_exec_sql(fx_st,
			 "CREATE TABLE probe (i bigint, j int, "
			 "d double precision, t text, b bytea, v text);"
			 "CREATE TABLE probe_v (v varchar(10));",
			 &err),
	    0);
	if (pg)
		ck_assert_int_eq(hwp_pg_copy_mode(fx_st, 1), HWP_OK);
	ck_assert_int_eq(hwp_prepare_kept(fx_st,
					  "INSERT INTO probe (i, j, d, t, b, v) "
					  "VALUES (?, ?, ?, ?, ?, ?)",
					  &s),
			 HWP_OK);
	probe_row(s, 1, 2, 0.1, "tab\there\\ and\nline", 0, 1);
	hwp_bind_null(s, 1);
	hwp_bind_null(s, 2);
	hwp_bind_null(s, 3);
	hwp_bind_null(s, 4);
	hwp_bind_null(s, 5);
	hwp_bind_null(s, 6);
	ck_assert_int_eq(hwp_step(s), HWP_DONE);
	hwp_reset(s);
	probe_row(s, -9007199254740993LL, -7, -1.5e300, NULL, 42, 0);
	probe_row(s, 4, 8, 2.5, "\xc3\xa9t\xc3\xa9", 0, 1);
	ck_assert_int_eq(hwp_prepare_kept(fx_st,
					  "INSERT INTO probe_v (v) VALUES (?)",
					  &v),
			 HWP_OK);
	hwp_bind_text(v, 1, "abc");
	ck_assert_int_eq(hwp_step(v), HWP_DONE);
	if (pg)
		ck_assert_int_eq(hwp_pg_copy_mode(fx_st, 0), HWP_OK);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	hwp_finalize(s);
	hwp_finalize(v);

	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM probe"), 4);
	ck_assert_int_eq(
	    fx_sql_int("SELECT count(*) FROM probe WHERE i = 1 AND j = 2 AND "
		       "d = 0.1 AND t = 'tab\there\\ and\nline' AND "
		       "length(b) = 3 AND v = 'v'"),
	    1);
	ck_assert_int_eq(fx_sql_int(pg ? "SELECT count(*) FROM probe WHERE "
					 "b = '\\x0001ff'::bytea"
				       : "SELECT count(*) FROM probe WHERE "
					 "b = X'0001ff'"),
			 2);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM probe WHERE i IS NULL "
				 "AND j IS NULL AND d IS NULL AND t IS NULL "
				 "AND b IS NULL AND v IS NULL"),
			 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM probe WHERE "
				 "i = -9007199254740993 AND j = -7 AND "
				 "t = '42' AND d = -1.5e300 AND b IS NULL"),
			 1);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM probe WHERE i = 4 "
				 "AND j = 8 AND d = 2.5 AND "
				 "t = '\xc3\xa9t\xc3\xa9'"),
			 1);
	ck_assert_int_eq(
	    fx_sql_int("SELECT count(*) FROM probe_v WHERE v = 'abc'"), 1);

	/* Refused as the server words it. */
	if (!pg)
		return;
	bad = copy_mode_insert("INSERT INTO probe (nope) VALUES (?)");
	hwp_bind_int(bad, 1, 1);
	ck_assert_int_ne(hwp_step(bad), HWP_DONE);
	ck_assert_str_eq(hwp_errmsg(fx_st),
			 "column \"nope\" of relation \"probe\" does not exist");
	hwp_finalize(bad);
	hw_store_rollback(fx_st);
	/* An integer beyond int's range goes in text, for the server to
	 * refuse in its words, as it would any value of the wrong kind. */
	bad = copy_mode_insert("INSERT INTO probe (i, j) VALUES (?, ?)");
	hwp_bind_int(bad, 1, 5);
	hwp_bind_int(bad, 2, 6);
	ck_assert_int_eq(hwp_step(bad), HWP_DONE);
	hwp_reset(bad);
	hwp_bind_int(bad, 1, 7);
	hwp_bind_int64(bad, 2, 3000000000LL);
	ck_assert_int_eq(hwp_step(bad), HWP_DONE);
	ck_assert_int_ne(hwp_pg_copy_mode(fx_st, 0), HWP_OK);
	ck_assert_str_eq(hwp_errmsg(fx_st),
			 "value \"3000000000\" is out of range for type integer");
	hwp_finalize(bad);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(fx_sql_int("SELECT count(*) FROM probe"), 4);
}
END_TEST

static Suite *store_bulk_suite(void)
{
	Suite *s = suite_create("store-bulk");
	TCase *core = tcase_create("core");
	TCase *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_test(core, test_store_bulk_load_commits);
	tcase_add_test(core, test_store_bulk_bumps_generation_once);
	tcase_add_test(core, test_store_bulk_replace_empties_first);
	tcase_add_test(core, test_store_bulk_keys);
	tcase_add_test(core, test_store_bulk_scans);
	tcase_add_test(core, test_store_bulk_reference_to_stored_asset);
	tcase_add_test(core, test_store_bulk_import_lookups);
	tcase_add_test(core, test_store_copy_mode_values);
	tcase_add_test(errors, test_store_bulk_abort_leaves_database);
	tcase_add_test(errors, test_store_bulk_dry_run_leaves_database);
	tcase_add_test(errors, test_store_bulk_dangling_fails_at_end);
	tcase_add_test(limits, test_store_bulk_misuse);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(store_bulk_suite());
}

/*
 * check-store.c: the SQLite store: creating and opening databases
 * safely, the catalogue, assets, assignments, dependencies, constraints
 * and transactions.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include "fixture.h"
#include "store-sql.h"

static void add_asset(const char *id, const char *type, enum hw_level c,
		      enum hw_level i, enum hw_level a)
{
	struct hw_error err = {0};
	struct hw_asset x = {0};

	x.id = (char *)id;
	x.name = (char *)id;
	x.type = (char *)type;
	x.direct.v[HW_C] = c;
	x.direct.v[HW_I] = i;
	x.direct.v[HW_A] = a;
	ck_assert_msg(FX_TX(hw_store_asset_put(fx_st, &x, 0, &err)) == 0, "%s",
		      err.text);
}

static void add_dep(const char *from, const char *to)
{
	struct hw_error err = {0};
	struct hw_dep d = {(char *)from, (char *)to, (char *)"runs_on",
			   HW_CARRY_ALL};

	ck_assert_msg(FX_TX(hw_store_dep_add(fx_st, &d, 0, &err)) == 0, "%s",
		      err.text);
}

static int count_cb(const struct hw_infotype *t, void *ctx)
{
	(void)t;
	(*(int *)ctx)++;
	return 0;
}

static int dep_count_cb(const struct hw_dep *d, void *ctx)
{
	(void)d;
	(*(int *)ctx)++;
	return 0;
}

/* A statement stepped again after an error gives the error again (on
 * SQLite its automatic reset runs it again), never DONE. */
START_TEST(test_store_step_after_error)
{
	struct hwp_stmt *s = NULL;
	int rc;

	ck_assert_int_eq(hwp_prepare_raw(fx_st,
					 "INSERT INTO setting (name, value) "
					 "VALUES ('step-test', '1')",
					 &s),
			 HWP_OK);
	ck_assert_int_eq(hwp_step(s), HWP_DONE);
	hwp_reset(s);
	rc = hwp_step(s);
	ck_assert_int_eq(rc, HWP_CONSTRAINT_PRIMARYKEY);
	ck_assert_int_eq(hwp_step(s), rc);
	ck_assert_int_eq(hwp_step(s), rc);
	hwp_reset(s);
	ck_assert_int_eq(hwp_step(s), rc);
	hwp_finalize(s);
}
END_TEST

START_TEST(test_store_create_mode_0600)
{
	struct stat sb;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(stat(fx_db, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(hw_store_schema_version(), 10);
}
END_TEST

/* Run SQL on a raw connection; the SQLite result code. */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", 0, 0, 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, 0, 0, 0);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return rc;
}

/* One integer from a query on a raw connection. */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return v;
}

/* A version-1 database with a little of everything, built from the
 * version-1 schema text (tests/data/schema-v1.sql) by a raw connection. */
static void make_v1_db(const char *path)
{
	FILE *fp = fopen(fx_testdata("schema-v1.sql"), "r");
	char *sql = NULL;
	size_t cap = 0;
	ssize_t len;
	sqlite3 *db;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	while ((len = getline(&sql, &cap, fp)) > 0)
		if (strncmp(sql, "--", 2) != 0)
			ck_assert_msg(sqlite3_exec(db, sql, 0, 0, 0) ==
					  SQLITE_OK,
				      "%s", sqlite3_errmsg(db));
	free(sql);
	fclose(fp);
	ck_assert_int_eq(
	    sqlite3_exec(
		db,
		"PRAGMA application_id = 1752646722;"
		"PRAGMA user_version = 1;"
		"PRAGMA foreign_keys = ON;"
		"INSERT INTO info_type VALUES ('C.2.4.1', 'Contingency "
		"Planning', 'Services', 'moderate', 'moderate', 'moderate', 1);"
		"INSERT INTO info_type VALUES ('X.1', 'Sensor', NULL, 'na', "
		"'high', 'high', 0);"
		"INSERT INTO info_type VALUES ('X.2', 'Unrated', NULL, NULL, "
		"NULL, NULL, 0);"
		"INSERT INTO asset VALUES (5, 'scada', 'SCADA', 'application', "
		"'ot@example.org', 'Plant control', 'low', 'high', NULL, 1);"
		"INSERT INTO asset VALUES (9, 'db', 'DB', 'database', NULL, "
		"NULL, NULL, NULL, NULL, 0);"
		"INSERT INTO asset VALUES (12, 'srv', 'Server', 'server', "
		"NULL, NULL, NULL, NULL, 'moderate', 0);"
		"INSERT INTO assignment VALUES (5, 'X.1', 'na', 'high', "
		"'high', 'na', 'high', 'high', NULL);"
		"INSERT INTO assignment VALUES (5, 'C.2.4.1', 'moderate', "
		"'moderate', 'moderate', 'high', 'moderate', 'moderate', "
		"'holds the plan');"
		/* Left behind by changes of X.3 (from na/high/high, and
		 * from moderate/high/high) and of X.2 (from low/low/low). */
		"INSERT INTO info_type VALUES ('X.3', 'Telemetry', NULL, "
		"'low', 'low', 'low', 0);"
		"INSERT INTO assignment VALUES (9, 'X.3', 'na', 'high', "
		"'high', 'na', 'high', 'high', NULL);"
		"INSERT INTO assignment VALUES (12, 'X.3', 'moderate', 'high', "
		"'high', 'high', 'high', 'high', 'exposed');"
		"INSERT INTO assignment VALUES (9, 'X.2', 'low', 'low', "
		"'low', 'low', 'low', 'low', NULL);"
		"INSERT INTO dependency VALUES (5, 9, 'stores_data_in', 3);"
		"INSERT INTO dependency VALUES (9, 12, 'runs_on', 7);"
		"INSERT INTO setting VALUES ('organisation', 'Acme');",
		0, 0, 0),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

START_TEST(test_store_migrates_v1)
{
	struct hw_error err = {0};
	struct hw_store *st;
	struct hw_asset a;
	char path[400], *fresh, *migrated, *v;
	int n = 0;

	FX_SQLITE_ONLY();
	snprintf(path, sizeof path, "%s/v1.db", fx_dir);
	make_v1_db(path);
	st = hw_store_open(path, 0, &err);
	ck_assert_msg(st != NULL, "%s", err.text);
	/* The data survives, row numbers and all. */
	ck_assert_int_eq(hw_store_asset_get(st, "scada", &a, &err), 0);
	ck_assert_str_eq(a.name, "SCADA");
	ck_assert_str_eq(a.owner, "ot@example.org");
	ck_assert_str_eq(a.description, "Plant control");
	ck_assert_int_eq(a.direct.v[HW_C], HW_LEVEL_LOW);
	ck_assert_int_eq(a.direct.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(a.direct.v[HW_A], HW_LEVEL_NONE);
	ck_assert_int_eq(a.internet_facing, 1);
	ck_assert_uint_eq(a.ntypes, 2);
	ck_assert_str_eq(a.types[0].type_id, "C.2.4.1");
	ck_assert_int_eq(a.types[0].selected.v[HW_C], HW_LEVEL_HIGH);
	ck_assert_str_eq(a.types[0].justification, "holds the plan");
	ck_assert_str_eq(a.types[1].type_id, "X.1");
	ck_assert_int_eq(a.types[1].selected.v[HW_C], HW_LEVEL_NA);
	hw_asset_release(&a);
	/* Objectives that were not adjusted follow the type's levels of
	 * today; adjusted ones keep theirs; the base is the type's. */
	ck_assert_int_eq(hw_store_asset_get(st, "db", &a, &err), 0);
	ck_assert_uint_eq(a.ntypes, 2);
	ck_assert_str_eq(a.types[0].type_id, "X.2");
	ck_assert_int_eq(a.types[0].base.v[HW_I], HW_LEVEL_NONE);
	ck_assert_int_eq(a.types[0].selected.v[HW_I], HW_LEVEL_LOW);
	ck_assert_str_eq(a.types[1].type_id, "X.3");
	ck_assert_int_eq(a.types[1].selected.v[HW_C], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[1].selected.v[HW_I], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[1].selected.v[HW_A], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[1].base.v[HW_C], HW_LEVEL_LOW);
	ck_assert_int_eq(hw_assignment_adjusted(&a.types[1]), 0);
	hw_asset_release(&a);
	ck_assert_int_eq(hw_store_asset_get(st, "srv", &a, &err), 0);
	ck_assert_uint_eq(a.ntypes, 1);
	ck_assert_int_eq(a.types[0].selected.v[HW_C], HW_LEVEL_HIGH);
	ck_assert_int_eq(a.types[0].selected.v[HW_I], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[0].selected.v[HW_A], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[0].base.v[HW_C], HW_LEVEL_LOW);
	ck_assert_str_eq(a.types[0].justification, "exposed");
	hw_asset_release(&a);
	ck_assert_int_eq(hw_store_dep_each(st, NULL, dep_count_cb, &n, &err),
			 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(hw_store_setting_get(st, "organisation", &v, &err), 0);
	ck_assert_str_eq(v, "Acme");
	free(v);
	ck_assert_int_eq(hw_store_close(st), 0);
	ck_assert_int_eq(raw_int(path, "PRAGMA user_version"),
			 hw_store_schema_version());
	ck_assert_int_eq(raw_int(path, "SELECT n FROM asset WHERE id = 'srv'"),
			 12);
	ck_assert_int_eq(raw_int(path, "SELECT carries FROM dependency WHERE "
				       "src = 5 AND dst = 9"),
			 3);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM info_type"), 4);
	/* The same schema as a database created today, with no IN list. */
	fresh = fx_schema(fx_db);
	migrated = fx_schema(path);
	ck_assert_str_eq(migrated, fresh);
	ck_assert_ptr_null(strstr(migrated, " IN ("));
	free(fresh);
	free(migrated);
	/* The new CHECKs still refuse what the old ones did... */
	ck_assert_int_ne(raw_exec(path, "UPDATE asset SET integrity = 'hihg' "
					"WHERE id = 'db'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE asset SET confidentiality = "
					"'na' WHERE id = 'db'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE asset SET internet_facing = 2 "
					"WHERE id = 'db'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE info_type SET integrity = "
					"'na' WHERE id = 'X.1'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE info_type SET builtin = 3 "
					"WHERE id = 'X.1'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE assignment SET sel_a = 'LOW' "
					"WHERE info_type = 'X.1'"),
			 SQLITE_OK);
	ck_assert_int_ne(raw_exec(path, "UPDATE assignment SET base_c = '' "
					"WHERE info_type = 'X.1'"),
			 SQLITE_OK);
	/* ... and allow what they allowed, NULL included. */
	ck_assert_int_eq(raw_exec(path, "UPDATE asset SET integrity = NULL, "
					"availability = 'high' WHERE id = "
					"'db'"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_exec(path, "UPDATE info_type SET "
					"confidentiality = 'low' WHERE id = "
					"'X.1'"),
			 SQLITE_OK);
	/* Foreign keys point at the rebuilt tables: deleting an asset
	 * still takes its assignments and dependencies with it, and an
	 * assignment of an unknown type is refused. */
	ck_assert_int_ne(raw_exec(path,
				  "INSERT INTO assignment VALUES (9, "
				  "'Z.9', NULL, NULL, NULL, 'low', 'low', "
				  "'low', NULL)"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_exec(path, "DELETE FROM asset WHERE id = 'scada'"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM assignment "
				       "WHERE asset = 5"),
			 0);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM assignment"), 3);
	ck_assert_int_eq(raw_int(path, "SELECT count(*) FROM dependency"), 1);
	ck_assert_int_eq(raw_exec(path, "PRAGMA foreign_key_check"), SQLITE_OK);
}
END_TEST

START_TEST(test_store_create_refuses_existing)
{
	struct hw_error err = {0};
	const char *p = fx_write("existing.db", "precious");
	char buf[32] = "";
	FILE *fp;

	ck_assert_ptr_null(hw_store_create(p, NULL, &err));
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.text, "already exists"));
	fp = fopen(p, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "precious");
}
END_TEST

START_TEST(test_store_open_missing_has_hint)
{
	struct hw_error err = {0};
	char p[400];

	snprintf(p, sizeof p, "%s/nope.db", fx_dir);
	ck_assert_ptr_null(hw_store_open(p, 1, &err));
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.text, "highwater init"));
	ck_assert_int_eq(access(p, F_OK), -1); /* not created */
}
END_TEST

START_TEST(test_store_open_rejects_foreign_files)
{
	struct hw_error err = {0};
	const char *text = fx_write("text.db", "just some text, long enough "
					       "to not be a header\n");
	char other[400];
	sqlite3 *db;

	FX_SQLITE_ONLY();
	ck_assert_ptr_null(hw_store_open(text, 0, &err));
	ck_assert_int_eq(err.code, HW_ENOTHW);
	ck_assert_ptr_null(hw_store_open(fx_write("empty.db", ""), 1, &err));
	hw_error_clear(&err);
	ck_assert_ptr_null(hw_store_open(fx_write("empty2.db", ""), 1, &err));
	ck_assert_int_eq(err.code, HW_ENOTHW);
	/* A real SQLite database that is not ours. */
	snprintf(other, sizeof other, "%s/other.db", fx_dir);
	ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t (x)", 0, 0, 0),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	hw_error_clear(&err);
	ck_assert_ptr_null(hw_store_open(other, 0, &err));
	ck_assert_int_eq(err.code, HW_ENOTHW);
	ck_assert_ptr_nonnull(strstr(err.text, "not a highwater database"));
}
END_TEST

START_TEST(test_store_refuses_newer_schema)
{
	struct hw_error err = {0};
	sqlite3 *db;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hw_store_close(fx_st), 0);
	fx_st = NULL;
	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", 0, 0, 0),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	ck_assert_ptr_null(hw_store_open(fx_db, 0, &err));
	ck_assert_int_eq(err.code, HW_ENEWER);
	ck_assert_ptr_nonnull(strstr(err.text, "newer highwater"));
	/* Put it back so the teardown can close a store. */
	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	{
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
			 hw_store_schema_version());
		sqlite3_exec(db, sql, 0, 0, 0);
	}
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	fx_st = hw_store_open(fx_db, 0, &err);
	ck_assert_ptr_nonnull(fx_st);
}
END_TEST

START_TEST(test_store_catalogue_loaded)
{
	struct hw_error err = {0};
	struct hw_infotype t;
	int n = 0;

	ck_assert_int_eq(
	    hw_store_infotype_each(fx_st, NULL, 1, count_cb, &n, &err), 0);
	ck_assert_int_eq(n, 169);
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "C.2.4.1", &t, &err), 0);
	ck_assert_str_eq(t.name, "Contingency Planning");
	ck_assert_int_eq(t.prov.v[HW_C], HW_LEVEL_MODERATE);
	ck_assert_int_eq(t.prov.v[HW_I], HW_LEVEL_MODERATE);
	ck_assert_int_eq(t.prov.v[HW_A], HW_LEVEL_MODERATE);
	ck_assert_int_eq(t.builtin, 1);
	hw_infotype_release(&t);
	/* Types without provisional levels keep them empty. */
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "D.26.1", &t, &err), 0);
	ck_assert_int_eq(t.prov.v[HW_C], HW_LEVEL_NONE);
	ck_assert_int_eq(t.prov.v[HW_A], HW_LEVEL_NONE);
	hw_infotype_release(&t);
	/* Search by words, any case, and by id prefix. */
	n = 0;
	hw_store_infotype_each(fx_st, "CONTINGENCY", -1, count_cb, &n, &err);
	ck_assert_int_eq(n, 1);
	n = 0;
	hw_store_infotype_each(fx_st, "C.2.4", -1, count_cb, &n, &err);
	ck_assert_int_eq(n, 3);
	n = 0;
	hw_store_infotype_each(fx_st, "no such words", -1, count_cb, &n, &err);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_store_asset_roundtrip)
{
	struct hw_error err = {0};
	struct hw_asset a = {0}, b;
	struct hw_assignment g = {0};

	a.id = (char *)"payroll";
	a.name = (char *)"Payroll";
	a.type = (char *)"application";
	a.owner = (char *)"hr-it@example.org";
	a.direct.v[HW_I] = HW_LEVEL_HIGH;
	a.internet_facing = 1;
	g.type_id = (char *)"C.2.4.1";
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), 0);
	a.types = &g;
	a.ntypes = 1;
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), 0);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "payroll", &b, &err), 0);
	ck_assert_str_eq(b.name, "Payroll");
	ck_assert_str_eq(b.owner, "hr-it@example.org");
	ck_assert_ptr_null(b.description);
	ck_assert_int_eq(b.direct.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(b.direct.v[HW_C], HW_LEVEL_NONE);
	ck_assert_int_eq(b.internet_facing, 1);
	ck_assert_uint_eq(b.ntypes, 1);
	ck_assert_str_eq(b.types[0].type_id, "C.2.4.1");
	ck_assert_int_eq(b.types[0].base.v[HW_A], HW_LEVEL_MODERATE);
	ck_assert_int_eq(b.types[0].selected.v[HW_A], HW_LEVEL_MODERATE);
	hw_asset_release(&b);
	/* A second insert of the same id is refused. */
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
}
END_TEST

/* Collects the ids hw_store_asset_ids gives, one a line; stops after
 * the third when asked. */
struct ids_seen {
	char text[256];
	int n, stop_at;
};

static int ids_cb(const char *id, void *ctx)
{
	struct ids_seen *s = ctx;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof s->text - len, "%s\n", id);
	return ++s->n == s->stop_at ? 7 : 0;
}

START_TEST(test_store_asset_ids)
{
	static const char *const ids[] = {"web-2", "db:01", "web-10", "db",
					  "web-1", "dbx",   "a"};
	struct hw_error err = {0};
	struct ids_seen s = {{0}, 0, 0};
	size_t i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct hw_asset a = {0};

		a.id = (char *)ids[i];
		a.name = (char *)"x";
		a.type = (char *)"server";
		ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)),
				 0);
	}
	/* Every id in binary order; then those with a prefix alone. */
	ck_assert_int_eq(hw_store_asset_ids(fx_st, NULL, ids_cb, &s, &err), 0);
	ck_assert_str_eq(s.text, "a\ndb\ndb:01\ndbx\nweb-1\nweb-10\nweb-2\n");
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_store_asset_ids(fx_st, "db", ids_cb, &s, &err), 0);
	ck_assert_str_eq(s.text, "db\ndb:01\ndbx\n");
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_store_asset_ids(fx_st, "web-1", ids_cb, &s, &err),
			 0);
	ck_assert_str_eq(s.text, "web-1\nweb-10\n");
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_store_asset_ids(fx_st, "zz", ids_cb, &s, &err), 0);
	ck_assert_str_eq(s.text, "");
	/* A non-zero return stops the walk and is returned. */
	memset(&s, 0, sizeof s);
	s.stop_at = 3;
	ck_assert_int_eq(hw_store_asset_ids(fx_st, "", ids_cb, &s, &err), 7);
	ck_assert_str_eq(s.text, "a\ndb\ndb:01\n");
}
END_TEST

START_TEST(test_store_asset_checks)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};

	a.id = (char *)"bad id";
	a.name = (char *)"x";
	a.type = (char *)"server";
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "invalid asset id"));
	hw_error_clear(&err);
	a.id = (char *)"ok";
	a.type = (char *)"mainframe";
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "unknown asset type"));
	hw_error_clear(&err);
	a.type = (char *)"server";
	a.direct.v[HW_C] = HW_LEVEL_NA;
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot be na"));
}
END_TEST

START_TEST(test_store_check_constraints)
{
	FX_SQLITE_ONLY();

	/* The schema itself refuses bad levels and ids, whatever the
	 * caller: write through a second, raw connection. */
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db,
				      "INSERT INTO asset (id, name, type, "
				      "integrity) VALUES ('x', 'x', 'server', "
				      "'hihg')",
				      0, 0, 0),
			 SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db,
				      "INSERT INTO asset (id, name, type) "
				      "VALUES ('bad id', 'x', 'server')",
				      0, 0, 0),
			 SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db,
				      "INSERT INTO asset (id, name, type, "
				      "confidentiality) VALUES ('y', 'y', "
				      "'server', 'na')",
				      0, 0, 0),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}
END_TEST

START_TEST(test_store_assignment_rules)
{
	struct hw_error err = {0};
	struct hw_assignment g = {0};

	/* Adjusting a provisional level needs a justification. */
	g.type_id = (char *)"C.2.4.1";
	g.selected.v[HW_C] = HW_LEVEL_HIGH;
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "justification"));
	g.justification = (char *)"   ";
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), -1);
	g.justification = (char *)"holds the regional plan";
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), 0);
	ck_assert_int_eq(g.selected.v[HW_C], HW_LEVEL_HIGH);
	ck_assert_int_eq(g.selected.v[HW_I], HW_LEVEL_MODERATE); /* base */
	ck_assert_int_eq(hw_assignment_adjusted(&g), 1);
	/* No provisional levels: they must be given. */
	memset(&g, 0, sizeof g);
	g.type_id = (char *)"D.26.1";
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "no provisional levels"));
	g.selected.v[HW_C] = HW_LEVEL_LOW;
	g.selected.v[HW_I] = HW_LEVEL_HIGH;
	g.selected.v[HW_A] = HW_LEVEL_HIGH;
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), 0);
	ck_assert_int_eq(hw_assignment_adjusted(&g), 0);
	/* na only for confidentiality; unknown types are named. */
	g.selected.v[HW_I] = HW_LEVEL_NA;
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), -1);
	g.type_id = (char *)"Z.9.9";
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
}
END_TEST

/* A shipped type is replaced only as shipped (a no-op), whoever asks. */
START_TEST(test_store_shipped_type_kept)
{
	struct hw_error err = {0};
	struct hw_infotype t = {0}, got;

	t.id = (char *)"C.2.4.1";
	t.name = (char *)"Contingency Planning";
	t.prov.v[HW_C] = t.prov.v[HW_I] = t.prov.v[HW_A] = HW_LEVEL_MODERATE;
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), 0);
	t.name = (char *)"Hijack";
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_ptr_nonnull(strstr(err.text, "its name cannot change"));
	t.name = (char *)"Contingency Planning";
	t.prov.v[HW_A] = HW_LEVEL_HIGH;
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "its availability cannot"));
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "C.2.4.1", &got, &err),
			 0);
	ck_assert_str_eq(got.name, "Contingency Planning");
	ck_assert_str_eq(got.category,
			 "Internal Risk Management and Mitigation");
	ck_assert_int_eq(got.prov.v[HW_A], HW_LEVEL_MODERATE);
	ck_assert_int_eq(got.builtin, 1);
	hw_infotype_release(&got);
}
END_TEST

/* Assignments follow their type: unadjusted objectives move with its
 * levels, adjusted ones stay; a type that would leave one without a
 * level keeps its levels. */
START_TEST(test_store_assignments_follow_type)
{
	struct hw_error err = {0};
	struct hw_infotype t = {0};
	struct hw_assignment g[2] = {{0}};
	struct hw_asset a = {0}, b = {0}, got;

	t.id = (char *)"X.SENS";
	t.name = (char *)"Sensor data";
	t.prov.v[HW_C] = HW_LEVEL_NA;
	t.prov.v[HW_I] = t.prov.v[HW_A] = HW_LEVEL_HIGH;
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 0, &err)), 0);
	g[0].type_id = g[1].type_id = (char *)"X.SENS";
	g[1].selected.v[HW_C] = HW_LEVEL_MODERATE;
	g[1].justification = (char *)"operators read it";
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g[0], &err), 0);
	ck_assert_int_eq(hw_store_assignment_prepare(fx_st, &g[1], &err), 0);
	a.id = (char *)"scada";
	b.id = (char *)"hmi";
	a.name = b.name = (char *)"N";
	a.type = b.type = (char *)"application";
	a.types = &g[0];
	b.types = &g[1];
	a.ntypes = b.ntypes = 1;
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), 0);
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &b, 0, &err)), 0);
	t.prov.v[HW_C] = t.prov.v[HW_I] = t.prov.v[HW_A] = HW_LEVEL_LOW;
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), 0);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "scada", &got, &err), 0);
	ck_assert_int_eq(got.types[0].selected.v[HW_C], HW_LEVEL_LOW);
	ck_assert_int_eq(got.types[0].selected.v[HW_I], HW_LEVEL_LOW);
	ck_assert_int_eq(got.types[0].base.v[HW_A], HW_LEVEL_LOW);
	hw_asset_release(&got);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "hmi", &got, &err), 0);
	ck_assert_int_eq(got.types[0].selected.v[HW_C], HW_LEVEL_MODERATE);
	ck_assert_int_eq(got.types[0].selected.v[HW_I], HW_LEVEL_LOW);
	ck_assert_str_eq(got.types[0].justification, "operators read it");
	hw_asset_release(&got);
	memset(&t.prov, 0, sizeof t.prov);
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_ptr_nonnull(strstr(err.text, "asset 'hmi'"));
}
END_TEST

START_TEST(test_store_delete_refused_while_depended_on)
{
	struct hw_error err = {0};
	int n = 0;

	add_asset("app", "application", HW_LEVEL_HIGH, HW_LEVEL_HIGH,
		  HW_LEVEL_HIGH);
	add_asset("db", "database", 0, 0, 0);
	add_asset("srv", "server", 0, 0, 0);
	add_dep("app", "db");
	add_dep("db", "srv");
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "db", 0, &err)),
			 -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_str_eq(err.text, "1 asset depends on 'db'");
	/* Nothing depends on app: it goes without force. */
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "app", 0, NULL)),
			 0);
	add_asset("app", "application", 0, 0, 0);
	add_dep("app", "db");
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "db", 1, &err)), 0);
	hw_store_dep_each(fx_st, NULL, dep_count_cb, &n, &err);
	ck_assert_int_eq(n, 0); /* both of db's dependencies went too */
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "db", 1, &err)),
			 -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
}
END_TEST

START_TEST(test_store_dep_rules)
{
	struct hw_error err = {0};
	struct hw_dep d = {(char *)"a", (char *)"a", (char *)"uses", 7};
	int n = 0;

	add_asset("a", "server", 0, 0, 0);
	add_asset("b", "server", 0, 0, 0);
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 0, &err)), -1);
	ck_assert_str_eq(err.text, "asset 'a' cannot depend on itself");
	d.to = (char *)"ghost";
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 0, &err)), -1);
	ck_assert_str_eq(err.text, "unknown asset 'ghost'");
	d.to = (char *)"b";
	d.type = (char *)"needs";
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 0, &err)), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "unknown dependency type"));
	d.type = (char *)"uses";
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 0, NULL)), 0);
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 0, &err)), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	d.carries = HW_CARRY_A;
	ck_assert_int_eq(FX_TX(hw_store_dep_add(fx_st, &d, 1, NULL)), 0);
	/* A cycle is legal. */
	add_dep("b", "a");
	hw_store_dep_each(fx_st, "a", dep_count_cb, &n, &err);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(FX_TX(hw_store_dep_delete(fx_st, "a", "b", NULL)), 0);
	hw_error_clear(&err);
	ck_assert_int_eq(FX_TX(hw_store_dep_delete(fx_st, "a", "b", &err)), -1);
	ck_assert_str_eq(err.text, "'a' does not depend on 'b'");
}
END_TEST

START_TEST(test_store_rollback_leaves_nothing)
{
	struct hw_error err = {0};
	struct hw_asset a;
	long n = -1;

	memset(&a, 0, sizeof a);
	a.id = (char *)"tmp";
	a.name = (char *)"tmp";
	a.type = (char *)"server";
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_put(fx_st, &a, 0, &err), 0);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "tmp", &a, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_int_eq(hw_store_asset_count(fx_st, &n, NULL), 0);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_store_readonly_refuses_writes)
{
	struct hw_error err = {0};
	struct hw_store *ro = hw_store_open(fx_db, 1, &err);
	struct hw_asset a = {0};

	ck_assert_ptr_nonnull(ro);
	a.id = (char *)"x";
	a.name = (char *)"x";
	a.type = (char *)"server";
	ck_assert_int_eq(hw_store_asset_put(ro, &a, 0, &err), -1);
	ck_assert_int_eq(hw_store_close(ro), 0);
}
END_TEST

START_TEST(test_store_settings)
{
	struct hw_error err = {0};
	char *v = NULL;

	ck_assert_int_eq(hw_store_setting_get(fx_st, "organisation", &v, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_int_eq(
	    FX_TX(hw_store_setting_set(fx_st, "organisation", "Acme", NULL)),
	    0);
	ck_assert_int_eq(hw_store_setting_get(fx_st, "organisation", &v, NULL),
			 0);
	ck_assert_str_eq(v, "Acme");
	free(v);
}
END_TEST

/* A write waiting for another connection's write lock gives up at its
 * deadline with HW_EBUSY, never "database is locked"; a second take of
 * the lock after the deadline waits no more; reads never wait, and a
 * read snapshot is refused inside a transaction. */
START_TEST(test_store_busy_deadline)
{
	struct hw_error err = {0};
	struct hw_store *other = hw_store_open(fx_db, 0, &err);
	long long gen;
	char want[512];

	ck_assert_msg(other != NULL, "%s", err.text);
	ck_assert_int_eq(hw_store_begin(other, &err), 0);
	hw_store_set_deadline(fx_st, 200);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), -1);
	ck_assert_int_eq(err.code, HW_EBUSY);
	snprintf(want, sizeof want,
		 "'%s' is busy: another process has been writing to it for "
		 "over 1 s (an import?): try again when it is done",
		 fx_db);
	ck_assert_str_eq(err.text, want);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), -1);
	ck_assert_int_eq(err.code, HW_EBUSY);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_read_begin(fx_st, &gen, &err), 0);
	hw_store_read_end(fx_st);
	hw_store_rollback(other);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_read_begin(fx_st, &gen, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(hw_store_close(other), 0);
}
END_TEST

/* The generation: every write to the inventory's tables raises it,
 * from a raw connection (what the sqlite3 shell is) as from highwater;
 * a write undone or to another table leaves it. */
START_TEST(test_store_generation_counts_writes)
{
	struct hw_error err = {0};
	long long g, n;

	FX_SQLITE_ONLY();
	g = fx_generation();
	ck_assert_int_eq(raw_int(fx_db, "SELECT count(*) FROM sqlite_master "
					"WHERE type = 'trigger' AND name "
					"GLOB 'generation_*'"),
			 15);
	add_asset("web", "server", HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW);
	ck_assert_int_gt(n = fx_generation(), g);
	g = n;
	ck_assert_int_eq(raw_exec(fx_db, "INSERT INTO asset (id, name, type) "
					 "VALUES ('sh', 'Shell', 'server')"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 1);
	ck_assert_int_eq(raw_exec(fx_db, "UPDATE asset SET name = 'Sh' WHERE "
					 "id = 'sh'"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 2);
	ck_assert_int_eq(
	    raw_exec(fx_db, "INSERT INTO dependency (src, dst, type) SELECT "
			    "a.n, b.n, 'runs_on' FROM asset a, asset b "
			    "WHERE a.id = 'sh' AND b.id = 'web'"),
	    SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 3);
	ck_assert_int_eq(raw_exec(fx_db, "INSERT INTO asset_factor (asset, "
					 "vulnerabilities) SELECT n, 2 FROM "
					 "asset WHERE id = 'sh'"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 4);
	ck_assert_int_eq(raw_exec(fx_db, "UPDATE info_type SET name = 'X' "
					 "WHERE id = 'C.2.8.9'"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 5);
	/* Undone, or not the inventory: unchanged. */
	ck_assert_int_eq(raw_exec(fx_db, "BEGIN; DELETE FROM dependency; "
					 "ROLLBACK"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_exec(fx_db, "INSERT INTO setting (name, value) "
					 "VALUES ('x', 'y')"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 5);
	/* The asset, and with it its dependency and factors (cascades
	 * fire the triggers too). */
	ck_assert_int_eq(raw_exec(fx_db, "DELETE FROM asset WHERE id = 'sh'"),
			 SQLITE_OK);
	ck_assert_int_eq(fx_generation(), g + 8);
	/* Inside a transaction it is refused: its writes may be undone. */
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_generation(fx_st, &n, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_str_eq(err.text, "the inventory's generation is read "
				   "outside a transaction only");
	hw_store_rollback(fx_st);
	/* A missing row is damage, not generation 0. */
	ck_assert_int_eq(raw_exec(fx_db, "DELETE FROM generation"), SQLITE_OK);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_generation(fx_st, &n, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
}
END_TEST

/* The stamp: the database's id, the generation and a tag each counted
 * write draws anew, so that two histories that reach one generation (a
 * backup restored, then written to) differ; read in a read transaction
 * only. */
static void fx_stamp(struct hw_stamp *out)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_read_begin(fx_st, NULL, &err), 0);
	ck_assert_int_eq(hw_store_stamp(fx_st, out, &err), 0);
	hw_store_read_end(fx_st);
}

START_TEST(test_store_stamp)
{
	struct hw_error err = {0};
	struct hw_stamp a, b, c;
	char id[HW_UUID_TEXT];

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hw_store_stamp(fx_st, &a, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	fx_stamp(&a);
	fx_stamp(&b);
	ck_assert_mem_eq(&a, &b, sizeof a); /* nothing written: equal */
	ck_assert_int_eq(hw_store_database_id(fx_st, id, &err), 0);
	ck_assert_str_eq(a.database_id, id);
	ck_assert_int_eq(a.generation, fx_generation());
	/* Written back and forth by the shell: the count moves on and the
	 * tag is drawn again at each write. */
	ck_assert_int_eq(raw_exec(fx_db, "UPDATE generation SET n = n - 1"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_exec(fx_db, "INSERT INTO asset (id, name, type) "
					 "VALUES ('sh', 'Shell', 'server')"),
			 SQLITE_OK);
	fx_stamp(&b);
	ck_assert_int_eq(b.generation, a.generation);
	ck_assert_mem_ne(b.tag, a.tag, sizeof a.tag);
	ck_assert_int_eq(raw_exec(fx_db, "UPDATE generation SET n = n - 1"),
			 SQLITE_OK);
	ck_assert_int_eq(raw_exec(fx_db, "DELETE FROM asset WHERE id = 'sh'"),
			 SQLITE_OK);
	fx_stamp(&c);
	ck_assert_int_eq(c.generation, a.generation);
	ck_assert_mem_ne(c.tag, b.tag, sizeof c.tag);
	ck_assert_mem_ne(c.tag, a.tag, sizeof c.tag);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_test(core, test_store_create_mode_0600);
	tcase_add_test(core, test_store_step_after_error);
	tcase_add_test(core, test_store_catalogue_loaded);
	tcase_add_test(core, test_store_asset_roundtrip);
	tcase_add_test(core, test_store_asset_ids);
	tcase_add_test(core, test_store_settings);
	tcase_add_test(core, test_store_dep_rules);
	tcase_add_test(core, test_store_generation_counts_writes);
	tcase_add_test(core, test_store_stamp);
	tcase_add_test(core, test_store_busy_deadline);
	tcase_add_test(errors, test_store_create_refuses_existing);
	tcase_add_test(errors, test_store_open_missing_has_hint);
	tcase_add_test(errors, test_store_open_rejects_foreign_files);
	tcase_add_test(errors, test_store_refuses_newer_schema);
	tcase_add_test(limits, test_store_migrates_v1);
	tcase_add_test(errors, test_store_asset_checks);
	tcase_add_test(errors, test_store_assignment_rules);
	tcase_add_test(errors, test_store_shipped_type_kept);
	tcase_add_test(core, test_store_assignments_follow_type);
	tcase_add_test(errors, test_store_delete_refused_while_depended_on);
	tcase_add_test(limits, test_store_check_constraints);
	tcase_add_test(limits, test_store_rollback_leaves_nothing);
	tcase_add_test(limits, test_store_readonly_refuses_writes);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(store_suite());
}

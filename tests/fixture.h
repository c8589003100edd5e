/*
 * fixture.h: shared by the Check tests: a fresh store in a temporary
 * folder for each test, and the paths of the shipped data files.
 */
#ifndef HW_TEST_FIXTURE_H
#define HW_TEST_FIXTURE_H

#include <check.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "highwater.h"

#define FX_UNUSED __attribute__((unused))

static char fx_dir[256] FX_UNUSED;
static char fx_db[300] FX_UNUSED;
static struct hw_store *fx_st FX_UNUSED;

/* A data file from $HIGHWATER_DATADIR (set by the test harness), else
 * from the source tree beside the test. */
static inline const char *fx_data(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("HIGHWATER_DATADIR");

	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "data", name);
	return buf;
}

/* A test fixture file from $HW_TESTDATA, else tests/data. */
static inline const char *fx_testdata(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("HW_TESTDATA");

	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/data", name);
	return buf;
}

/* HW_TEST_ENGINE=postgresql (tests/run): the store is a database of
 * the test cluster (HW_PG_HOST), named for the fixture's folder, made
 * here and dropped at teardown. */
static int fx_on_sqlite; /* FX_SQLITE_ONLY moved this test to SQLite */

static inline const char *fx_pg_host(void)
{
	const char *e = getenv("HW_TEST_ENGINE"), *h = getenv("HW_PG_HOST");

	return !fx_on_sqlite && e != NULL && strcmp(e, "postgresql") == 0 &&
			       h != NULL
		   ? h
		   : NULL;
}

/* The database name of the fixture folder (its XXXXXX part). */
static inline const char *fx_pg_name(void)
{
	static char name[64];

	/* quoted wherever it is used: its case is kept */
	snprintf(name, sizeof name, "fx_%.40s",
		 fx_dir + strlen("/tmp/hw-check-"));
	return name;
}

/* "VERB "name" TAIL" on connection c, name the fixture's database. */
static inline void fx_pg_admin_run(PGconn *c, const char *verb,
				   const char *tail)
{
	char sql[200];
	PGresult *r;

	snprintf(sql, sizeof sql, "%s \"%s\"%s", verb, fx_pg_name(), tail);
	r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql,
		      PQerrorMessage(c));
	PQclear(r);
}

/* Drop the fixture's database on the cluster's maintenance database,
 * and make it anew when create: libpq itself, one connection (a psql
 * a statement cost a shell and Debian's Perl wrapper each time). */
static inline void fx_pg_admin(int create)
{
	char conninfo[400];
	PGconn *c;

	snprintf(conninfo, sizeof conninfo,
		 "host='%s' user=hw dbname=postgres "
		 "options='-c client_min_messages=warning'",
		 fx_pg_host());
	c = PQconnectdb(conninfo);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	fx_pg_admin_run(c, "DROP DATABASE IF EXISTS", " WITH (FORCE)");
	if (create)
		fx_pg_admin_run(c, "CREATE DATABASE", "");
	PQfinish(c);
}

static inline void fx_setup(void)
{
	struct hw_error err = {0};

	fx_on_sqlite = 0;
	snprintf(fx_dir, sizeof fx_dir, "/tmp/hw-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx_dir));
	snprintf(fx_db, sizeof fx_db, "%s/test.db", fx_dir);
	if (fx_pg_host() != NULL) {
		fx_pg_admin(1);
		snprintf(fx_db, sizeof fx_db, "postgresql://hw@/%s?host=%s",
			 fx_pg_name(), fx_pg_host());
	}
	fx_st =
	    hw_store_create(fx_db, fx_data("sp800-60-info-types.csv"), &err);
	ck_assert_msg(fx_st != NULL, "create: %s", err.text);
}

static inline void fx_teardown(void)
{
	char cmd[400];

	ck_assert_int_eq(hw_store_close(fx_st), 0);
	fx_st = NULL;
	if (fx_pg_host() != NULL)
		fx_pg_admin(0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A write in a transaction of its own (every write is audited, and
 * none is taken outside a transaction): expr's value, committed when
 * 0, else rolled back; -2 if no transaction could begin, -3 if the
 * commit failed. */
#define FX_TX(expr) fx_tx_end(hw_store_begin(fx_st, NULL) == 0 ? (expr) : -2)
static inline int fx_tx_end(int rc)
{
	if (rc == -2)
		return rc;
	if (rc != 0) {
		hw_store_rollback(fx_st);
		return rc;
	}
	return hw_store_commit(fx_st, NULL) == 0 ? 0 : -3;
}

/* The store's generation (hw_store_generation), asserted to read. */
static inline long long fx_generation(void)
{
	struct hw_error err = {0};
	long long g = -1;

	ck_assert_msg(hw_store_generation(fx_st, &g, &err) == 0, "%s",
		      err.text);
	return g;
}

/* Write text to a file in the fixture folder; returns its path. */
static inline const char *fx_write(const char *name, const char *text)
{
	static char path[400];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", fx_dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* PostgreSQL: the tables' columns and the indexes and triggers of the
 * database at uri, one a line, by name. */
static inline char *fx_pg_schema(const char *uri)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	int i;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, "SELECT 'column', table_name, column_name, data_type "
		      "FROM information_schema.columns WHERE table_schema = "
		      "current_schema() UNION ALL SELECT 'index', tablename, "
		      "indexname, indexdef FROM pg_indexes WHERE schemaname = "
		      "current_schema() UNION ALL SELECT 'trigger', "
		      "event_object_table, trigger_name, action_statement "
		      "FROM information_schema.triggers WHERE trigger_schema = "
		      "current_schema() ORDER BY 1, 2, 3, 4");
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++)
		fprintf(fp, "%s|%s|%s|%s\n", PQgetvalue(r, i, 0),
			PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
			PQgetvalue(r, i, 3));
	PQclear(r);
	PQfinish(c);
	ck_assert_int_eq(fclose(fp), 0);
	return out;
}

/* The integer a one-row query gives, on a second connection to the
 * fixture's database (either engine). */
static inline long long fx_sql_int(const char *sql)
{
	long long v;

	if (fx_pg_host() != NULL) {
		PGconn *c = PQconnectdb(fx_db);
		PGresult *r;

		ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
		r = PQexec(c, sql);
		ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
		ck_assert_int_eq(PQntuples(r), 1);
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		sqlite3_stmt *s;

		ck_assert_int_eq(sqlite3_open_v2(fx_db, &db,
						 SQLITE_OPEN_READONLY, NULL),
				 SQLITE_OK);
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
				 SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
		v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	}
	return v;
}

/* A test about SQLite's database file itself (read or written behind
 * the store: its bytes, schema versions, rows crafted with sqlite3):
 * when the suite runs on PostgreSQL it runs on a SQLite file all the
 * same (a new one, in place of the fixture's database), so that the
 * suite's sanitizer run, on PostgreSQL, still covers SQLite's code. */
#define FX_SQLITE_ONLY() fx_sqlite_here()
static inline void fx_sqlite_here(void)
{
	struct hw_error err = {0};

	if (fx_pg_host() == NULL)
		return;
	ck_assert_int_eq(hw_store_close(fx_st), 0);
	fx_pg_admin(0);
	fx_on_sqlite = 1;
	snprintf(fx_db, sizeof fx_db, "%s/test.db", fx_dir);
	fx_st =
	    hw_store_create(fx_db, fx_data("sp800-60-info-types.csv"), &err);
	ck_assert_msg(fx_st != NULL, "create: %s", err.text);
}

/* The schema of a database, one object a line, by name: what two
 * databases must share to be the same schema. */
static inline char *fx_schema(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	if (strncmp(path, "postgresql://", 13) == 0)
		return fx_pg_schema(path);
	fp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT type, name, tbl_name, "
					    "sql FROM sqlite_schema ORDER "
					    "BY name",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		fprintf(fp, "%s|%s|%s|%s\n", sqlite3_column_text(s, 0),
			sqlite3_column_text(s, 1), sqlite3_column_text(s, 2),
			sqlite3_column_text(s, 3)
			    ? (const char *)sqlite3_column_text(s, 3)
			    : "");
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	ck_assert_int_eq(fclose(fp), 0);
	return out;
}

/* A security category triple. */
static inline struct hw_sc fx_sc3(enum hw_level c, enum hw_level i,
				  enum hw_level a)
{
	struct hw_sc s = {{c, i, a}};
	return s;
}

/* A graph from arrays (hw_graph_build), categorized; fails the test on
 * error. */
static inline struct hw_graph *fx_graph(size_t n, const struct hw_sc *own,
					size_t m, const struct hw_graph_edge *e)
{
	struct hw_error err = {0};
	struct hw_graph *g = hw_graph_build(n, own, m, e, &err);

	ck_assert_msg(g != NULL, "%s", err.text);
	ck_assert_int_eq(hw_graph_categorize(g, &err), 0);
	return g;
}

/* The impact of targets t[0..nt) (hw_graph_impact); fails the test on
 * error. */
static inline struct hw_impact *fx_impact(const struct hw_graph *g, uint32_t *t,
					  size_t nt, int depth, unsigned types,
					  enum hw_direction d)
{
	struct hw_impact_opts o = {depth, types, d};
	struct hw_error err = {0};
	struct hw_impact *imp = hw_graph_impact(g, t, nt, &o, &err);

	ck_assert_msg(imp != NULL, "%s", err.text);
	return imp;
}

/* A small deterministic generator: the next number below n. */
static inline unsigned fx_rnd(unsigned *state, unsigned n)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) % n;
}

/* Run a suite; the exit status is the number of failures (capped). */
static inline int fx_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif

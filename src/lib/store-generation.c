/*
 * store-generation.c: the inventory's generation, a counter the database
 * bumps on every write to a table the graph or the analyses read, by
 * triggers (so that a write from outside highwater, the sqlite3 shell,
 * bumps it too): what tells a service's warm graph it is stale.
 */
#include <stdio.h>
#include <string.h>

#include "store-sql.h"

/* The tables whose writes bump the generation: what hw_graph_load reads
 * (assets, assignments, dependencies) and what the analyses read beside
 * it (information types, risk factors). */
static const char *const generation_tables[] = {
    "asset", "assignment", "dependency", "info_type", "asset_factor",
};
static const char *const generation_ops[] = {"INSERT", "UPDATE", "DELETE"};

#define NTABLES (sizeof generation_tables / sizeof generation_tables[0])
#define NOPS (sizeof generation_ops / sizeof generation_ops[0])

#define BUMP_SQL "UPDATE generation SET n = n + 1 WHERE one = 1"

/* Trigger t, o's name. */
static void trigger_name(char *buf, size_t size, size_t t, size_t o)
{
	snprintf(buf, size, "generation_%s_%.3s", generation_tables[t],
		 generation_ops[o]);
}

/* Trigger t, o's CREATE statement; with IF NOT EXISTS, or as SQLite
 * keeps it in sqlite_schema (without). */
static void trigger_sql(char *buf, size_t size, size_t t, size_t o,
			int if_not_exists)
{
	char name[64];

	trigger_name(name, sizeof name, t, o);
	snprintf(buf, size,
		 "CREATE TRIGGER %s%s AFTER %s ON %s BEGIN " BUMP_SQL "; END",
		 if_not_exists ? "IF NOT EXISTS " : "", name,
		 generation_ops[o], generation_tables[t]);
}

/* Create (IF NOT EXISTS) or drop (IF EXISTS) every trigger. */
int hwp_generation_triggers(struct hw_store *st, int create,
			    struct hw_error *err)
{
	char sql[256], name[64];
	size_t t, o;

	for (t = 0; t < NTABLES; t++)
		for (o = 0; o < NOPS; o++) {
			if (create) {
				trigger_sql(sql, sizeof sql, t, o, 1);
			} else {
				trigger_name(name, sizeof name, t, o);
				snprintf(sql, sizeof sql,
					 "DROP TRIGGER IF EXISTS %s", name);
			}
			if (hwp_exec_sql(st, sql, err) < 0)
				return -1;
		}
	return 0;
}

/* Is this trigger, by name and text, one highwater makes? */
static int ours(const char *name, const char *sql)
{
	char want_name[64], want_sql[256];
	size_t t, o;

	for (t = 0; t < NTABLES; t++)
		for (o = 0; o < NOPS; o++) {
			trigger_name(want_name, sizeof want_name, t, o);
			trigger_sql(want_sql, sizeof want_sql, t, o, 0);
			if (strcmp(name, want_name) == 0 &&
			    strcmp(sql, want_sql) == 0)
				return 1;
		}
	return 0;
}

int hwp_schema_code_problem(struct hw_store *st, int with_triggers,
			    char *buf, size_t size, struct hw_error *err)
{
	sqlite3_stmt *s;
	const char *type, *name, *sql;
	int rc, n = 0, found = 0;

	rc = sqlite3_prepare_v2(st->db,
				"SELECT type, name, sql FROM sqlite_schema "
				"WHERE type IN ('trigger', 'view') ORDER BY name",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return hwp_db_error(st, err, "cannot read the schema");
	while (!found && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		type = (const char *)sqlite3_column_text(s, 0);
		name = (const char *)sqlite3_column_text(s, 1);
		sql = (const char *)sqlite3_column_text(s, 2);
		if (with_triggers && type != NULL && name != NULL &&
		    sql != NULL && strcmp(type, "trigger") == 0 &&
		    ours(name, sql)) {
			n++;
			continue;
		}
		found = 1;
		snprintf(buf, size,
			 "%s '%.64s' is not highwater's (its SQL would run "
			 "inside highwater's own)",
			 type != NULL ? type : "?", name != NULL ? name : "?");
	}
	if (!found && rc != SQLITE_DONE) {
		rc = hwp_db_error(st, err, "cannot read the schema");
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	if (!found && with_triggers && n != (int)(NTABLES * NOPS)) {
		found = 1;
		snprintf(buf, size,
			 "%d of its %d triggers that count writes are missing",
			 (int)(NTABLES * NOPS) - n, (int)(NTABLES * NOPS));
	}
	return found;
}

int hwp_generation_bump(struct hw_store *st, struct hw_error *err)
{
	return hwp_exec_sql(st, BUMP_SQL, err);
}

/* Inside a transaction it may count writes yet rolled back, and a later
 * write reach the same number with another inventory. */
static int outside_transaction(struct hw_store *st, struct hw_error *err)
{
	if (!sqlite3_get_autocommit(st->db))
		return hw_error_set(err, HW_EINVAL,
				    "the inventory's generation is read "
				    "outside a transaction only");
	return 0;
}

static int read_generation(struct hw_store *st, long long *out,
			   struct hw_error *err)
{
	sqlite3_stmt *s;
	int rc;

	s = hwp_stmt(st, Q_GENERATION, err);
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return hwp_damaged(st, err, "generation",
				   "no generation row (expected one counter)");
	if (rc != SQLITE_ROW)
		return hwp_step_error(st, rc, err,
				      "cannot read the inventory's generation");
	return 0;
}

int hw_store_generation(struct hw_store *st, long long *out,
			struct hw_error *err)
{
	if (outside_transaction(st, err) < 0)
		return -1;
	return read_generation(st, out, err);
}

int hw_store_read_begin(struct hw_store *st, long long *gen,
			struct hw_error *err)
{
	/* A deferred transaction's snapshot is taken at its first read:
	 * the generation's, so that it and all read after agree (without
	 * gen, the caller's first read). */
	if (outside_transaction(st, err) < 0 ||
	    hwp_exec_sql(st, "BEGIN", err) < 0)
		return -1;
	if (gen != NULL && read_generation(st, gen, err) < 0) {
		hw_store_read_end(st);
		return -1;
	}
	return 0;
}

void hw_store_read_end(struct hw_store *st)
{
	hw_store_rollback(st);
}

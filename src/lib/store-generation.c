/*
 * store-generation.c: the inventory's generation, a counter the database
 * bumps on every write to a table the graph or the analyses read, by
 * triggers (so that a write from outside highwater, the sqlite3 shell,
 * bumps it too): what tells a service's warm graph it is stale.
 */
#include <stdio.h>

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

/* Create (IF NOT EXISTS) or drop (IF EXISTS) every trigger. */
int hwp_generation_triggers(struct hw_store *st, int create,
			    struct hw_error *err)
{
	char sql[256];
	size_t t, o;

	for (t = 0; t < NTABLES; t++)
		for (o = 0; o < NOPS; o++) {
			if (create)
				snprintf(sql, sizeof sql,
					 "CREATE TRIGGER IF NOT EXISTS "
					 "generation_%s_%.3s AFTER %s ON %s "
					 "BEGIN " BUMP_SQL "; END",
					 generation_tables[t],
					 generation_ops[o], generation_ops[o],
					 generation_tables[t]);
			else
				snprintf(sql, sizeof sql,
					 "DROP TRIGGER IF EXISTS "
					 "generation_%s_%.3s",
					 generation_tables[t],
					 generation_ops[o]);
			if (hwp_exec_sql(st, sql, err) < 0)
				return -1;
		}
	return 0;
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

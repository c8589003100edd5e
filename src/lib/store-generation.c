/*
 * store-generation.c: the inventory's generation, a counter the database
 * bumps on every write to a table the graph or the analyses read, by
 * triggers (so that a write from outside highwater, the sqlite3 shell,
 * bumps it too), each bump drawing a random tag (schema 10): what tells
 * a service's warm graph it is stale, and, with the database's id, the
 * stamp a graph snapshot is made at (hw_store_stamp).  And the check
 * that these triggers are the only SQL code a file holds.
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

/* Each bump draws a new tag (schema 10 on); schema 9's bumped n only. */
#define BUMP_SQL "UPDATE generation SET n = n + 1, tag = randomblob(8) WHERE one = 1"
#define BUMP_SQL_9 "UPDATE generation SET n = n + 1 WHERE one = 1"

/* Trigger t, o's name. */
static void trigger_name(char *buf, size_t size, size_t t, size_t o)
{
	snprintf(buf, size, "generation_%s_%.3s", generation_tables[t],
		 generation_ops[o]);
}

/* Trigger t, o's CREATE statement with the bump given; with IF NOT
 * EXISTS, or as SQLite keeps it in sqlite_schema (without). */
static void trigger_sql(char *buf, size_t size, size_t t, size_t o,
			const char *bump, int if_not_exists)
{
	char name[64];

	trigger_name(name, sizeof name, t, o);
	snprintf(buf, size, "CREATE TRIGGER %s%s AFTER %s ON %s BEGIN %s; END",
		 if_not_exists ? "IF NOT EXISTS " : "", name,
		 generation_ops[o], generation_tables[t], bump);
}

/* Create (IF NOT EXISTS) or drop (IF EXISTS) every trigger. */
int hwp_generation_triggers(struct hw_store *st, int create,
			    struct hw_error *err)
{
	char sql[256], name[64];
	size_t t, o;

	/* PostgreSQL: the triggers stay; a setting for this transaction
	 * tells them a bulk load bumps once (store-pg-schema.c). */
	if (st->pg != NULL)
		return hwp_exec_sql(st,
				    create ? "SET LOCAL highwater.bulk = 'off'"
					   : "SET LOCAL highwater.bulk = 'on'",
				    err);
	for (t = 0; t < NTABLES; t++)
		for (o = 0; o < NOPS; o++) {
			if (create) {
				trigger_sql(sql, sizeof sql, t, o, BUMP_SQL,
					    1);
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

/* Is this trigger, by name and text, one highwater makes in a file of
 * schema version? */
static int ours(const char *name, const char *sql, int version)
{
	char want_name[64], want_sql[256];
	size_t t, o;

	for (t = 0; t < NTABLES; t++)
		for (o = 0; o < NOPS; o++) {
			trigger_name(want_name, sizeof want_name, t, o);
			if (strcmp(name, want_name) != 0)
				continue;
			trigger_sql(want_sql, sizeof want_sql, t, o, BUMP_SQL,
				    0);
			if (strcmp(sql, want_sql) == 0)
				return 1;
			trigger_sql(want_sql, sizeof want_sql, t, o, BUMP_SQL_9,
				    0);
			return version < HWP_TAG_SCHEMA &&
			       strcmp(sql, want_sql) == 0;
		}
	return 0;
}

/* What a schema row's SQL makes, from its first words as SQLite keeps
 * them ("CREATE", the object's keyword upper-cased, one space between):
 * 1 for a table or an index, which run no code of their own. */
static int inert(const char *sql)
{
	return strncmp(sql, "CREATE TABLE ", 13) == 0 ||
	       strncmp(sql, "CREATE INDEX ", 13) == 0 ||
	       strncmp(sql, "CREATE UNIQUE INDEX ", 20) == 0;
}

/* The kind of object sql makes, for a message. */
static const char *kind(const char *sql)
{
	if (strncmp(sql, "CREATE TRIGGER ", 15) == 0)
		return "trigger";
	if (strncmp(sql, "CREATE VIEW ", 12) == 0)
		return "view";
	return "schema entry";
}

/* SQLite makes each object of the schema from its row's sql alone (the
 * type column is not read): every row's SQL is judged. */
int hwp_schema_code_problem(struct hw_store *st, int version, char *buf,
			    size_t size, struct hw_error *err)
{
	int with_triggers = version >= HWP_GENERATION_SCHEMA;
	struct hwp_stmt *s;
	const char *name, *sql;
	char shown[65];
	int rc, n = 0, found = 0;
	size_t i;

	rc = hwp_prepare_raw(st, "SELECT name, sql FROM sqlite_schema "
				"WHERE sql IS NOT NULL ORDER BY rowid", &s);
	if (rc != HWP_OK)
		return hwp_db_error(st, err, "cannot read the schema");
	while (!found && (rc = hwp_step(s)) == HWP_ROW) {
		name = (const char *)hwp_col_text(s, 0);
		sql = (const char *)hwp_col_text(s, 1);
		if (sql == NULL || inert(sql))
			continue;
		if (with_triggers && name != NULL && ours(name, sql, version)) {
			n++;
			continue;
		}
		found = 1;
		/* the name as read from the file: printable ASCII only */
		for (i = 0; name != NULL && name[i] != '\0' &&
			    i < sizeof shown - 1;
		     i++)
			shown[i] = name[i] >= 0x20 && name[i] < 0x7f ? name[i]
								     : '?';
		shown[i] = '\0';
		snprintf(buf, size,
			 "%s '%s' is not highwater's (its SQL would run "
			 "inside highwater's own)",
			 kind(sql), shown);
	}
	if (!found && rc != HWP_DONE) {
		rc = hwp_db_error(st, err, "cannot read the schema");
		hwp_finalize(s);
		return rc;
	}
	hwp_finalize(s);
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
	return hwp_exec_sql(st,
			    st->pg != NULL ? "SELECT hw_generation_next()"
					   : BUMP_SQL,
			    err);
}

int hwp_generation_tag(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s;
	int has, rc;

	if (hwp_prepare_raw(st, "SELECT 1 FROM pragma_table_info('generation') "
			       "WHERE name = 'tag'", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the schema");
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the schema");
	has = rc == HWP_ROW;
	if (!has && hwp_exec_sql(st,
				 "ALTER TABLE generation ADD COLUMN tag BLOB "
				 "CHECK (tag IS NULL OR length(tag) = 8)",
				 err) < 0)
		return -1;
	/* A tag from the start: a copy of the file from before the
	 * migration, written to as often, still differs. */
	return hwp_exec_sql(st,
			    "UPDATE generation SET tag = randomblob(8) "
			    "WHERE one = 1",
			    err) < 0 ||
			       hwp_generation_triggers(st, 0, err) < 0 ||
			       hwp_generation_triggers(st, 1, err) < 0
		   ? -1
		   : 0;
}

/* Inside a transaction it may count writes yet rolled back, and a later
 * write reach the same number with another inventory. */
static int outside_transaction(struct hw_store *st, struct hw_error *err)
{
	if (!hwp_autocommit(st))
		return hw_error_set(err, HW_EINVAL,
				    "the inventory's generation is read "
				    "outside a transaction only");
	return 0;
}

/* The counter into *out, and with tag (8 bytes, left zero when the row
 * has none) the tag the last counted write drew (schema 10 on). */
static int read_generation(struct hw_store *st, long long *out,
			   unsigned char *tag, struct hw_error *err)
{
	struct hwp_stmt *s;
	const void *t;
	int rc;

	s = hwp_stmt(st, tag != NULL ? Q_GENERATION_TAG : Q_GENERATION, err);
	if (s == NULL)
		return -1;
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		*out = hwp_col_int64(s, 0);
		/* the table's CHECK holds it to 8 bytes or none */
		if (tag != NULL && (t = hwp_col_blob(s, 1)) != NULL &&
		    hwp_col_bytes(s, 1) == 8)
			memcpy(tag, t, 8);
	}
	hwp_reset(s);
	if (rc == HWP_DONE)
		return hwp_damaged(st, err, "generation",
				   "no generation row (expected one counter)");
	if (rc != HWP_ROW)
		return hwp_step_error(st, rc, err,
				      "cannot read the inventory's generation");
	return 0;
}

int hw_store_generation(struct hw_store *st, long long *out,
			struct hw_error *err)
{
	if (outside_transaction(st, err) < 0)
		return -1;
	return read_generation(st, out, NULL, err);
}

int hw_store_read_begin(struct hw_store *st, long long *gen,
			struct hw_error *err)
{
	/* A deferred transaction's snapshot is taken at its first read:
	 * the generation's, so that it and all read after agree (without
	 * gen, the caller's first read). */
	if (outside_transaction(st, err) < 0)
		return -1;
	if (hwp_read_begin(st, err) < 0)
		return -1;
	if (gen != NULL && read_generation(st, gen, NULL, err) < 0) {
		hw_store_read_end(st);
		return -1;
	}
	return 0;
}

int hw_store_stamp(struct hw_store *st, struct hw_stamp *out,
		   struct hw_error *err)
{
	memset(out, 0, sizeof *out);
	if (hwp_autocommit(st))
		return hw_error_set(err, HW_EINVAL,
				    "the inventory's stamp is read inside a "
				    "read transaction only");
	if (hw_store_database_id(st, out->database_id, err) < 0)
		return -1;
	return read_generation(st, &out->generation, out->tag, err);
}

void hw_store_read_end(struct hw_store *st)
{
	hw_store_rollback(st);
}

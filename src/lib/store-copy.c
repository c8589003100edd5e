/*
 * store-copy.c: a whole inventory, history included, copied into a new
 * database on either engine (SQLite to PostgreSQL, back, or to the
 * same): every table's rows as they are, read as one moment saw them,
 * written in one transaction, the copy's audit chain verified before it
 * is committed.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "canon.h"
#include "store-pg.h"
#include "store-sql.h"

/* The tables of the schema, in an order that satisfies every reference
 * (a referenced table before the tables that refer to it).  A source
 * table not named here is refused: nothing is left behind unseen. */
static const char *const copied[] = {
    "setting",
    "info_type",
    "asset",
    "assignment",
    "dependency",
    "asset_factor",
    "risk_weight",
    "audit",
    "audit_asset",
    "audit_last",
    "change_record",
    "change_target",
    "change_edit",
    "change_assessment",
    "incident",
    "snapshot",
    "snapshot_asset",
    "snapshot_dep",
    "snapshot_assignment",
    "database_id",
    "users",
    "user_owns",
    "generation",
};
#define NCOPIED (sizeof copied / sizeof copied[0])

/* The engine's own bookkeeping, never copied: the schema version table
 * of PostgreSQL (the target has its own). */
static int engine_table(const struct hw_store *st, const char *name)
{
	return st->pg != NULL && strcmp(name, "highwater_schema") == 0;
}

/* Identity sequences of the PostgreSQL schema: after rows are copied
 * with their numbers, the next number follows the highest. */
static const char *const sequences[][2] = {
    {"asset", "asset_n_seq"},
    {"snapshot", "snapshot_n_seq"},
};

/* A name read back from a database is put into SQL only if it is one
 * of ours: lower-case letters, digits and underscores. */
static int plain_name(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 63)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* Append printf-style text (short: a name and punctuation) to b. */
static int add(struct hwp_buf *b, struct hw_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int add(struct hwp_buf *b, struct hw_error *err, const char *fmt, ...)
{
	char piece[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof piece)
		return hw_error_set(err, HW_EINVAL, "a name too long for SQL");
	return hwp_buf_adds(b, piece, err);
}

static int known_table(const char *name)
{
	size_t i;

	for (i = 0; i < NCOPIED; i++)
		if (strcmp(copied[i], name) == 0)
			return 1;
	return 0;
}

/* Every table of src must be one this file copies. */
static int tables_known(struct hw_store *src, struct hw_error *err)
{
	const char *sql =
	    src->pg != NULL
		? "SELECT table_name FROM information_schema.tables "
		  "WHERE table_schema = current_schema()"
		: "SELECT name FROM sqlite_master WHERE type = 'table' "
		  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
	struct hwp_stmt *s;
	const char *name;
	int rc;

	if (hwp_prepare_raw(src, sql, &s) != HWP_OK)
		return hwp_db_error(src, err, "cannot list the tables");
	while ((rc = hwp_step(s)) == HWP_ROW) {
		name = (const char *)hwp_col_text(s, 0);
		if (name == NULL || known_table(name) ||
		    engine_table(src, name))
			continue;
		hw_error_set(err, HW_EREFUSED,
			     "'%s': table '%.64s' is not one highwater copies "
			     "(a newer schema, or one altered by hand?)",
			     src->path, name);
		hwp_finalize(s);
		return -1;
	}
	hwp_finalize(s);
	return rc == HWP_DONE
		   ? 0
		   : hwp_db_error(src, err, "cannot list the tables");
}

/* The column list of table in st, quoted and comma-separated, into b:
 * the number of columns, 0 if the table has none there, -1 on error. */
static int column_list(struct hw_store *st, const char *table,
		       struct hwp_buf *b, struct hw_error *err)
{
	const char *sql =
	    st->pg != NULL
		? "SELECT column_name FROM information_schema.columns "
		  "WHERE table_schema = current_schema() AND table_name = ?1 "
		  "ORDER BY ordinal_position"
		: "SELECT name FROM pragma_table_info(?1) ORDER BY cid";
	struct hwp_stmt *s;
	const char *name;
	int rc, n = 0;

	hwp_buf_reset(b);
	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the columns");
	hwp_bind_text(s, 1, table);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		name = (const char *)hwp_col_text(s, 0);
		if (!plain_name(name)) {
			hwp_finalize(s);
			return hw_error_set(err, HW_EDAMAGED,
					    "'%s': table %s has a column "
					    "named otherwise than highwater "
					    "names them",
					    st->path, table);
		}
		if (add(b, err, "%s\"%s\"", n > 0 ? ", " : "", name) < 0) {
			hwp_finalize(s);
			return -1;
		}
		n++;
	}
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the columns");
	return n;
}

struct copy_run {
	struct hw_store *src, *dst;
	long long done, total;
	void (*progress)(long long, long long, void *);
	void *pctx;
};

/* Bind column i of the source row as parameter i + 1, by its type. */
static int bind_value(struct hwp_stmt *in, struct hwp_stmt *out, int i)
{
	int n;

	switch (hwp_col_type(in, i)) {
	case HWP_INTEGER:
		return hwp_bind_int64(out, i + 1, hwp_col_int64(in, i));
	case HWP_FLOAT:
		return hwp_bind_double(out, i + 1, hwp_col_double(in, i));
	case HWP_TEXT:
		n = hwp_col_bytes(in, i);
		return hwp_bind_textn(out, i + 1,
				      (const char *)hwp_col_text(in, i), n,
				      HWP_TRANSIENT);
	case HWP_BLOB:
		n = hwp_col_bytes(in, i);
		return hwp_bind_blob(out, i + 1, hwp_col_blob(in, i), n,
				     HWP_TRANSIENT);
	default:
		return hwp_bind_null(out, i + 1);
	}
}

/* Every row of one table, from the source into the target. */
static int copy_table(struct copy_run *r, const char *table,
		      struct hw_error *err)
{
	struct hwp_buf cols = {0}, sql = {0};
	struct hwp_stmt *in = NULL, *out = NULL;
	int n, want, i, rc, ret = -1;

	want = column_list(r->dst, table, &cols, err);
	if (want <= 0) {
		if (want == 0)
			hw_error_set(err, HW_EINVAL,
				     "'%s': the new database has no table %s",
				     r->dst->path, table);
		goto out;
	}
	/* The source's columns must be the target's, by name and order. */
	n = column_list(r->src, table, &sql, err);
	if (n < 0)
		goto out;
	if (n != want || strcmp(sql.data, cols.data) != 0) {
		hw_error_set(err, HW_EREFUSED,
			     "'%s': table %s has other columns than this "
			     "highwater's (%s; expected %s)",
			     r->src->path, table, n > 0 ? sql.data : "none",
			     cols.data);
		goto out;
	}
	hwp_buf_reset(&sql);
	if (hwp_buf_adds(&sql, "SELECT ", err) < 0 ||
	    hwp_buf_adds(&sql, cols.data, err) < 0 ||
	    add(&sql, err, " FROM \"%s\"", table) < 0)
		goto out;
	if (hwp_prepare_stream(r->src, sql.data, &in) != HWP_OK) {
		hwp_db_error(r->src, err, "cannot read the inventory");
		goto out;
	}
	/* A plain insert (the table's name is one of ours, unquoted):
	 * into PostgreSQL its rows go through COPY (copy mode, copy_all) */
	hwp_buf_reset(&sql);
	if (add(&sql, err, "INSERT INTO %s (", table) < 0 ||
	    hwp_buf_adds(&sql, cols.data, err) < 0 ||
	    hwp_buf_adds(&sql, ") VALUES (", err) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (add(&sql, err, "%s?%d", i > 0 ? ", " : "", i + 1) < 0)
			goto out;
	if (hwp_buf_adds(&sql, ")", err) < 0)
		goto out;
	if (hwp_prepare_raw(r->dst, sql.data, &out) != HWP_OK) {
		hwp_db_error(r->dst, err, "cannot write the copy");
		goto out;
	}
	while ((rc = hwp_step(in)) == HWP_ROW) {
		for (i = 0; i < n; i++)
			if (bind_value(in, out, i) != HWP_OK) {
				hwp_db_error(r->dst, err,
					     "cannot write the copy");
				goto out;
			}
		rc = hwp_step(out);
		hwp_reset(out);
		if (rc != HWP_DONE) {
			hw_error_set(err, HW_EDB, "'%s': table %s: %s",
				     r->dst->path, table, hwp_errmsg(r->dst));
			goto out;
		}
		if (++r->done % 4096 == 0 && r->progress != NULL)
			r->progress(r->done, r->total, r->pctx);
	}
	if (rc != HWP_DONE) {
		hw_error_set(err, HW_EDB, "'%s': table %s: %s", r->src->path,
			     table, hwp_errmsg(r->src));
		goto out;
	}
	ret = 0;
out:
	hwp_finalize(in);
	hwp_finalize(out);
	hwp_buf_release(&cols);
	hwp_buf_release(&sql);
	return ret;
}

/* One integer a query gives (st's engine). */
static int query_int(struct hw_store *st, const char *sql, long long *v,
		     struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc;

	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the inventory");
	rc = hwp_step(s);
	*v = rc == HWP_ROW ? hwp_col_int64(s, 0) : 0;
	hwp_finalize(s);
	return rc == HWP_ROW
		   ? 0
		   : hwp_db_error(st, err, "cannot read the inventory");
}

/* Rows in all, for the progress. */
static int count_rows(struct hw_store *src, long long *total,
		      struct hw_error *err)
{
	char sql[128];
	long long n;
	size_t t;

	*total = 0;
	for (t = 0; t < NCOPIED; t++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"",
			 copied[t]);
		if (query_int(src, sql, &n, err) < 0)
			return -1;
		*total += n;
	}
	return 0;
}

/* The target as made: emptied of what creating it put there (its own
 * id, generation row and defaults), the references checked at commit,
 * the generation's triggers off (one bump at the end). */
static int target_ready(struct hw_store *dst, struct hw_error *err)
{
	char sql[128];
	size_t t;

	if (hwp_exec_sql(dst,
			 dst->pg != NULL ? "SET CONSTRAINTS ALL DEFERRED"
					 : "PRAGMA defer_foreign_keys = ON",
			 err) < 0 ||
	    hwp_generation_triggers(dst, 0, err) < 0)
		return -1;
	for (t = NCOPIED; t-- > 0;) {
		snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", copied[t]);
		if (hwp_exec_sql(dst, sql, err) < 0)
			return -1;
	}
	return 0;
}

/* PostgreSQL: each identity sequence past the highest number copied. */
static int sequences_after(struct hw_store *dst, struct hw_error *err)
{
	char sql[160];
	long long max;
	size_t i;

	if (dst->pg == NULL)
		return 0;
	for (i = 0; i < sizeof sequences / sizeof sequences[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT coalesce(max(n), 0) FROM %s",
			 sequences[i][0]);
		if (query_int(dst, sql, &max, err) < 0)
			return -1;
		snprintf(sql, sizeof sql, "ALTER SEQUENCE %s RESTART WITH %lld",
			 sequences[i][1], max + 1);
		if (hwp_exec_sql(dst, sql, err) < 0)
			return -1;
	}
	return 0;
}

/* The copy's chain verifies, with the source's head. */
static int chain_checked(struct copy_run *r, const char *head, long long seq,
			 struct hw_error *err)
{
	struct hw_audit_verdict v;

	if (hw_audit_verify(r->dst, head[0] != '\0' ? head : NULL, &v, NULL,
			    NULL, err) < 0)
		return -1;
	if (v.broken != 0)
		return hw_error_set(err, HW_EDAMAGED,
				    "the copy's audit chain does not verify "
				    "at record %lld: %s",
				    v.broken, v.why);
	if (v.records != seq || (head[0] != '\0' && !v.expect_found))
		return hw_error_set(err, HW_EDAMAGED,
				    "the copy's audit chain is not the "
				    "source's (%lld records, %lld there)",
				    v.records, seq);
	return 0;
}

/* src inside its read transaction, dst inside its write transaction. */
static int copy_all(struct copy_run *r, struct hw_error *err)
{
	char head[65] = "";
	long long seq = 0;
	size_t t;

	if (tables_known(r->src, err) < 0 ||
	    hw_audit_head(r->src, head, &seq, err) < 0 ||
	    count_rows(r->src, &r->total, err) < 0 ||
	    target_ready(r->dst, err) < 0)
		return -1;
	if (r->dst->pg != NULL && hwp_pg_copy_mode(r->dst, 1) != HWP_OK)
		return hwp_db_error(r->dst, err, "cannot write the copy");
	for (t = 0; t < NCOPIED; t++)
		if (copy_table(r, copied[t], err) < 0)
			return -1;
	if (r->dst->pg != NULL && hwp_pg_copy_mode(r->dst, 0) != HWP_OK)
		return hwp_db_error(r->dst, err, "cannot write the copy");
	if (r->progress != NULL)
		r->progress(r->done, r->total, r->pctx);
	return sequences_after(r->dst, err) < 0 ||
		       hwp_generation_bump(r->dst, err) < 0 ||
		       hwp_generation_triggers(r->dst, 1, err) < 0 ||
		       chain_checked(r, head, seq, err) < 0
		   ? -1
		   : 0;
}

int hwp_store_copy(struct hw_store *src, const char *target, int force,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, long long *rows, struct hw_error *err)
{
	struct copy_run r = {src, NULL, 0, 0, progress, pctx};
	char tmp[PATH_MAX];
	const char *at = target;
	/* (a command that reads may have begun the read already) */
	int own_read = hwp_autocommit(src);
	int fd;

	/* A SQLite target is made beside its name and renamed whole. */
	if (!hwp_pg_is_uri(target)) {
		if (hw_out_check(target, force, err) < 0)
			return -1;
		fd = hw_out_temp(target, tmp, sizeof tmp, err);
		if (fd < 0)
			return -1;
		close(fd);
		unlink(tmp);
		at = tmp;
	}
	if (own_read && hw_store_read_begin(src, NULL, err) < 0)
		return -1;
	r.dst = hwp_store_create_begun(at, err);
	if (r.dst == NULL)
		goto fail;
	if (copy_all(&r, err) < 0 || hw_store_commit(r.dst, err) < 0)
		goto fail;
	if (own_read)
		hw_store_read_end(src);
	if (hw_store_close(r.dst) < 0) {
		r.dst = NULL;
		hw_error_set(err, HW_EIO, "cannot close '%s'", at);
		goto undo_file;
	}
	r.dst = NULL;
	if (at != target && hw_out_place(tmp, target, force, err) < 0)
		goto undo_file;
	if (rows != NULL)
		*rows = r.done;
	return 0;
fail:
	if (own_read)
		hw_store_read_end(src);
	if (r.dst != NULL)
		hwp_store_create_undo(r.dst);
	return -1;
undo_file:
	if (at != target)
		unlink(tmp);
	return -1;
}

int hw_store_copy(struct hw_store *src, const char *target,
		  void (*progress)(long long done, long long total, void *),
		  void *pctx, long long *rows, struct hw_error *err)
{
	struct stat sb;

	/* A new database, as init makes one: never over a file. */
	if (!hwp_pg_is_uri(target) && lstat(target, &sb) == 0)
		return hw_error_set(err, HW_EEXIST,
				    "'%s' already exists (refusing to "
				    "overwrite it)",
				    target);
	return hwp_store_copy(src, target, 0, progress, pctx, rows, err);
}

/*
 * store-bulk.c: the store's bulk operations: the graph scans
 * (rows to callbacks, checked as they are read) and bulk loads (foreign
 * keys off and secondary indexes deferred to one sort each, dependency
 * rows many a statement, references checked at the end).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "store-pg.h"
#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Bulk scans for the graph engine: rows go to callbacks, the text they
 * pass is borrowed for the call.                                      */

/* The rows below are checked as they are read: the graph engine indexes
 * arrays with row numbers and types, and hashes ids. */
static int node_row(struct hw_store *st, struct hwp_stmt *s,
		    struct hwp_node *nd, struct hw_error *err)
{
	int o, ok = 1;

	nd->n = hwp_col_int64(s, 0);
	nd->id = (const char *)hwp_col_text(s, 1);
	nd->name = (const char *)hwp_col_text(s, 2);
	nd->type = (const char *)hwp_col_text(s, 3);
	nd->owner = (const char *)hwp_col_text(s, 4);
	for (o = 0; o < HW_NOBJ; o++)
		nd->direct.v[o] = hwp_col_level(s, 5 + o, 0, &ok);
	if (hwp_check_asset_row(st, nd->n, nd->id, nd->name, nd->type, ok,
				err) < 0 ||
	    hwp_check_asset_text(st, nd->id, "name", nd->name, err) < 0)
		return -1;
	return hwp_check_asset_text(st, nd->id, "owner", nd->owner, err);
}

static int levels_row(struct hw_store *st, struct hwp_stmt *s,
		      struct hwp_levels *lv, struct hw_error *err)
{
	lv->n = hwp_col_int64(s, 0);
	if (lv->n < 1)
		return hwp_damaged(st, err, "assignment",
				   "asset number %lld is out of range "
				   "(expected 1 or more)",
				   lv->n);
	if (!hwp_col_selected(s, 1, &lv->sc))
		return hwp_damaged(st, err, "assignment",
				   "asset number %lld has an assignment with "
				   "a level that is not na, low, moderate or "
				   "high",
				   lv->n);
	return 0;
}

static int edge_row(struct hw_store *st, struct hwp_stmt *s, struct hwp_edge *e,
		    struct hw_error *err)
{
	long long carries = hwp_col_int64(s, 3);

	e->src = hwp_col_int64(s, 0);
	e->dst = hwp_col_int64(s, 1);
	e->type = (const char *)hwp_col_text(s, 2);
	e->carries = (unsigned)(carries & 7);
	if (e->src < 1 || e->dst < 1 || e->src == e->dst)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld are out of "
				   "range (expected 1 or more, and two "
				   "assets)",
				   e->src, e->dst);
	if (e->type == NULL || hwp_vocab_index(hw_dep_types, e->type) < 0)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld: unknown "
				   "dependency type \"%.40s\"",
				   e->src, e->dst, e->type ? e->type : "");
	if (carries < 1 || carries > 7)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld: carries %lld "
				   "is out of range (expected 1 to 7)",
				   e->src, e->dst, (long long)carries);
	return 0;
}

/* Run a scan statement (already bound) through fn for each row. */
static int scan(struct hw_store *st, struct hwp_stmt *s, int kind,
		int (*fn)(void *, const void *), void *ctx,
		struct hw_error *err)
{
	struct hwp_node nd;
	struct hwp_edge e;
	struct hwp_levels lv;
	int rc, ret = 0;

	while ((rc = hwp_step(s)) == HWP_ROW) {
		if (kind == 0)
			ret = node_row(st, s, &nd, err) < 0 ? -1 : fn(ctx, &nd);
		else if (kind == 1)
			ret =
			    levels_row(st, s, &lv, err) < 0 ? -1 : fn(ctx, &lv);
		else
			ret = edge_row(st, s, &e, err) < 0 ? -1 : fn(ctx, &e);
		if (ret != 0)
			break;
	}
	hwp_reset(s);
	if (ret == 0 && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the inventory");
	if (ret != 0 && err != NULL && err->code == HW_OK)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return ret ? -1 : 0;
}

/* A whole table's scan: its rows streamed (never all held at once). */
static int scan_table(struct hw_store *st, enum stmt_id q, int kind,
		      int (*fn)(void *, const void *), void *ctx,
		      struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt_stream(st, q, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = scan(st, s, kind, fn, ctx, err);
	hwp_stmt_stream_done(st, s);
	return rc;
}

int hwp_scan_nodes(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	return scan_table(st, Q_SCAN_ASSETS, 0, fn, ctx, err);
}

int hwp_scan_levels(struct hw_store *st, int (*fn)(void *, const void *),
		    void *ctx, struct hw_error *err)
{
	return scan_table(st, Q_SCAN_ASSIGN, 1, fn, ctx, err);
}

int hwp_scan_edges(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	return scan_table(st, Q_SCAN_DEPS, 2, fn, ctx, err);
}

int hwp_node_by_n(struct hw_store *st, hw_key n,
		  int (*fn)(void *, const void *), void *ctx,
		  struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_NODE_BY_N, err);

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	return scan(st, s, 0, fn, ctx, err);
}

int hwp_levels_by_n(struct hw_store *st, hw_key n,
		    int (*fn)(void *, const void *), void *ctx,
		    struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_ASSIGN_BY_N, err);

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	return scan(st, s, 1, fn, ctx, err);
}

int hwp_dependents_of(struct hw_store *st, hw_key n,
		      int (*fn)(void *, const void *), void *ctx,
		      struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_DEPENDENTS_OF, err);

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	return scan(st, s, 2, fn, ctx, err);
}

int hwp_scan_factors(struct hw_store *st, int (*fn)(void *, const void *),
		     void *ctx, struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_SCAN_FACTORS, err);
	struct hwp_factor_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = hwp_step(s)) == HWP_ROW) {
		enum hw_factor k;

		r.n = hwp_col_int64(s, 0);
		r.internet_facing = hwp_col_int(s, 1);
		if (hwp_col_int64(s, 1) != (r.internet_facing != 0)) {
			const char *id = (const char *)hwp_col_text(s, 9);

			hwp_damaged(st, err, "asset",
				    "'%.64s' has an internet_facing that is "
				    "not 0 or 1",
				    id ? id : "?");
			hwp_reset(s);
			return -1;
		}
		if (hwp_row_factors(s, 2, &r.f, &k) < 0) {
			hwp_bad_factor(st, (const char *)hwp_col_text(s, 9),
				       r.n, k, err);
			hwp_reset(s);
			return -1;
		}
		ret = fn(ctx, &r);
	}
	hwp_reset(s);
	if (ret == 0 && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read risk factors");
	if (ret != 0 && err != NULL && err->code == HW_OK)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return ret ? -1 : 0;
}

/* Assignment rows (asset, information type, justification) of the
 * statement q. */
static int scan_assignments(struct hw_store *st, enum stmt_id q,
			    int (*fn)(void *, const void *), void *ctx,
			    struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, q, err);
	struct hwp_adjusted_row r;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	while (ret == 0 && (rc = hwp_step(s)) == HWP_ROW) {
		r.n = hwp_col_int64(s, 0);
		r.info_type = (const char *)hwp_col_text(s, 1);
		r.justification = (const char *)hwp_col_text(s, 2);
		ret = fn(ctx, &r);
	}
	hwp_reset(s);
	if (ret == 0 && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read assignments");
	return ret ? -1 : 0;
}

int hwp_scan_adjusted(struct hw_store *st, int (*fn)(void *, const void *),
		      void *ctx, struct hw_error *err)
{
	return scan_assignments(st, Q_SCAN_ADJUSTED, fn, ctx, err);
}

int hwp_scan_types(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err)
{
	return scan_assignments(st, Q_SCAN_TYPES, fn, ctx, err);
}

/* ------------------------------------------------------------------ */
/* Bulk loads                                                          */

/* Bind row r as parameters first..first+3 of s. */
static void bind_dep_row(struct hwp_stmt *s, int first,
			 const struct hwp_dep_row *r)
{
	hwp_bind_int64(s, first, (long long)r->src);
	hwp_bind_int64(s, first + 1, (long long)r->dst);
	hwp_bind_text(s, first + 2, hw_dep_types[r->type]);
	hwp_bind_int(s, first + 3, r->carries);
}

static int put_dep_row(struct hw_store *st, const struct hwp_dep_row *r,
		       struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_DEP_UPSERT, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_dep_row(s, 1, r);
	rc = hwp_step(s);
	hwp_reset(s);
	return rc == HWP_DONE
		   ? 0
		   : hwp_step_error(st, rc, err, "cannot store dependency");
}

/* Insert or update n rows in this order; on failure *bad is the row. */
static int put_deps(struct hw_store *st, const struct hwp_dep_row *rows,
		    size_t n, size_t *bad, struct hw_error *err)
{
	struct hwp_stmt *s;
	size_t i, j;
	int rc;

	/* PostgreSQL, into an empty inventory: plain inserts, which go
	 * through COPY (none is there to update: the load's own
	 * duplicates are refused before they are stored). */
	if (st->pg != NULL && st->load.active && st->load.empty) {
		for (i = 0; i < n; i++) {
			s = hwp_stmt(st, Q_DEP_INSERT, err);
			if (s == NULL)
				return -1;
			bind_dep_row(s, 1, &rows[i]);
			rc = hwp_step(s);
			hwp_reset(s);
			if (rc != HWP_DONE) {
				*bad = i;
				return hwp_step_error(
				    st, rc, err, "cannot store dependency");
			}
		}
		return 0;
	}

	for (i = 0; i + DEP_ROWS_MANY <= n; i += DEP_ROWS_MANY) {
		s = hwp_stmt(st, Q_DEP_UPSERT_MANY, err);
		if (s == NULL || hwp_savepoint(st, err) < 0)
			return -1;
		for (j = 0; j < DEP_ROWS_MANY; j++)
			bind_dep_row(s, 1 + 4 * (int)j, &rows[i + j]);
		rc = hwp_step(s);
		hwp_reset(s);
		if (hwp_savepoint_end(st, rc == HWP_DONE, err) < 0)
			return -1;
		if (rc == HWP_DONE)
			continue;
		/* Which row: one at a time (the statement left no trace). */
		for (j = 0; j < DEP_ROWS_MANY; j++)
			if (put_dep_row(st, &rows[i + j], err) < 0) {
				*bad = i + j;
				return -1;
			}
		/* PostgreSQL refuses one statement that writes a row twice
		 * (the same dependency twice in the batch), which rows one
		 * at a time write as SQLite's statement did. */
		if (st->db != NULL)
			return hwp_db_error(st, err,
					    "cannot store dependencies");
	}
	for (; i < n; i++)
		if (put_dep_row(st, &rows[i], err) < 0) {
			*bad = i;
			return -1;
		}
	return 0;
}

/* Indexes a load may defer: how to drop one and build it again. */
enum deferred { DEFER_ASSET_OWNER, DEFER_DEPENDENCY_DST };
static const char *const index_sql[][2] = {
    [DEFER_ASSET_OWNER] = {"DROP INDEX asset_owner", ASSET_OWNER_SQL},
    [DEFER_DEPENDENCY_DST] = {"DROP INDEX dependency_dst", DEPENDENCY_DST_SQL},
};

static int index_build(struct hw_store *st, enum deferred which, int threads,
		       struct hw_error *err)
{
	char sql[64];
	int rc;

	/* SQLite sorts the entries of a new index.  With a small cache it
	 * sorts runs of a few MiB, which fit the CPU caches, on helper
	 * threads, and merges them: at a million assets three times
	 * faster than one sort of everything in memory.  The settings go
	 * back after. */
	snprintf(sql, sizeof sql,
		 "PRAGMA threads = %d; PRAGMA cache_size = -4096",
		 threads < 0 ? 0 : threads);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	rc = hwp_exec_sql(st, index_sql[which][1], err);
	sqlite3_exec(st->db, "PRAGMA threads = 0; " CACHE_SIZE_SQL, NULL, NULL,
		     NULL);
	return rc;
}

/* Keys beyond this are checked at once rather than in the bitmaps (a
 * database whose row numbers were set by hand). */
#define KEY_BITS_MAX ((size_t)1 << 28)

/* Set bit key of *bits (grown to cover it); -1 when out of memory. */
static int key_mark(struct store_load *ld, unsigned char **bits, hw_key key)
{
	size_t k = (size_t)key;

	if (k >= ld->cap) {
		size_t cap = ld->cap ? ld->cap : 65536, bytes;
		unsigned char *a, *b;

		while (cap <= k)
			cap *= 2;
		bytes = cap / 8;
		a = realloc(ld->known, bytes);
		if (a == NULL)
			return -1;
		ld->known = a;
		b = realloc(ld->named, bytes);
		if (b == NULL)
			return -1;
		ld->named = b;
		memset(a + ld->cap / 8, 0, bytes - ld->cap / 8);
		memset(b + ld->cap / 8, 0, bytes - ld->cap / 8);
		ld->cap = cap;
	}
	(*bits)[k / 8] |= (unsigned char)(1u << (k % 8));
	return 0;
}

/* 1 if key is an asset, 0 if not (err set), -1 on error. */
static int key_exists(struct hw_store *st, hw_key key, struct hw_error *err)
{
	struct hw_error e = {0};
	char *id;

	if (hwp_asset_id(st, key, &id, &e) == 0) {
		free(id);
		return 1;
	}
	if (e.code != HW_ENOTFOUND)
		return hw_error_set(err, e.code, "%s", e.text);
	hw_error_set(err, HW_ENOTFOUND,
		     "a dependency names asset key %lld, which is not an "
		     "asset",
		     key);
	return 0;
}

/* Every key a loaded dependency named is an asset: those the load did
 * not put are looked up, once each. */
static int check_named(struct hw_store *st, struct hw_error *err)
{
	struct store_load *ld = &st->load;
	size_t i;
	int b, rc;

	for (i = 0; i < ld->cap / 8; i++) {
		unsigned char miss =
		    ld->named[i] & (unsigned char)~ld->known[i];

		for (b = 0; miss != 0 && b < 8; b++) {
			if (!(miss & (1u << b)))
				continue;
			rc = key_exists(st, (hw_key)(i * 8 + (size_t)b), err);
			if (rc <= 0)
				return -1;
		}
	}
	return 0;
}

static void load_reset(struct hw_store *st)
{
	hwp_audit_links_free(&st->audit.links);
	hwp_load_ids_free(&st->load.ids);
	hwp_load_types_forget(st);
	free(st->load.known);
	free(st->load.named);
	memset(&st->load, 0, sizeof st->load);
	if (st->db != NULL)
		hwp_exec_quiet(st, "PRAGMA foreign_keys = ON");
}

void hwp_load_abort(struct hw_store *st)
{
	if (!st->load.active)
		return;
	hw_store_rollback(st);
	load_reset(st);
}

/* --replace: one audit record "remove" for each object the clear takes
 * away (dependencies, assets, the organisation's information types),
 * counted in *rm. */
struct removal {
	struct hw_store *st;
	struct hwp_buf text, object;
	struct hwp_load_removed *rm;
	struct hw_error *err;
};

static int object_name(struct removal *r, const char *kind, const char *a,
		       const char *b)
{
	hwp_buf_reset(&r->object);
	return hwp_buf_adds(&r->object, kind, r->err) < 0 ||
		       hwp_buf_adds(&r->object, a, r->err) < 0 ||
		       (b != NULL &&
			(hwp_buf_adds(&r->object, ">", r->err) < 0 ||
			 hwp_buf_adds(&r->object, b, r->err) < 0))
		   ? -1
		   : 0;
}

static int remove_dep(const struct hw_dep *d, void *ctx)
{
	struct removal *r = ctx;

	hwp_buf_reset(&r->text);
	if (hwp_dep_canon(&r->text, d, r->err) < 0 ||
	    object_name(r, "dependency:", d->from, d->to) < 0 ||
	    hwp_audit_text(r->st, "remove", r->object.data, r->text.data,
			   r->text.len, NULL, 0, r->err) < 0)
		return -1;
	r->rm->dependencies++;
	return 0;
}

static int remove_asset(const struct hw_asset *a, void *ctx)
{
	struct removal *r = ctx;

	hwp_buf_reset(&r->text);
	if (hwp_asset_canon(&r->text, a, r->err) < 0 ||
	    object_name(r, "asset:", a->id, NULL) < 0 ||
	    hwp_audit_text(r->st, "remove", r->object.data, r->text.data,
			   r->text.len, NULL, 0, r->err) < 0)
		return -1;
	r->rm->assets++;
	return 0;
}

static int remove_infotype(const struct hw_infotype *t, void *ctx)
{
	struct removal *r = ctx;
	json_t *o = hwp_infotype_json(t);
	int rc;

	if (o == NULL)
		return hw_error_set(r->err, HW_ENOMEM, "out of memory");
	rc = object_name(r, "information_type:", t->id, NULL) < 0
		 ? -1
		 : hwp_audit(r->st, "remove", r->object.data, o, NULL, r->err);
	json_decref(o);
	if (rc == 0)
		r->rm->infotypes++;
	return rc;
}

/* History goes with --replace too: incidents, then changes. */
static int remove_history(struct removal *r, json_t *o, const char *id)
{
	int rc;

	if (o == NULL)
		return hw_error_set(r->err, HW_ENOMEM, "out of memory");
	rc = object_name(r, strncmp(id, "CHG", 3) ? "incident:" : "change:", id,
			 NULL) < 0
		 ? -1
		 : hwp_audit(r->st, "remove", r->object.data, o, NULL, r->err);
	json_decref(o);
	return rc;
}

static int remove_incident(const struct hw_incident *i, void *ctx)
{
	struct removal *r = ctx;
	char id[HW_CHANGE_ID_TEXT];

	if (remove_history(r, hwp_incident_json(i), hw_incident_id(i->n, id)) <
	    0)
		return -1;
	r->rm->incidents++;
	return 0;
}

static int remove_change(const struct hw_change *c, void *ctx)
{
	struct removal *r = ctx;
	char id[HW_CHANGE_ID_TEXT];

	if (remove_history(r, hwp_change_json(c), hw_change_id(c->n, id)) < 0)
		return -1;
	r->rm->changes++;
	return 0;
}

static int audit_removals(struct hw_store *st, struct hwp_load_removed *rm,
			  struct hw_error *err)
{
	struct removal r = {st, HWP_BUF_INIT, HWP_BUF_INIT, rm, err};
	int rc;

	rc = hw_store_incident_each(st, NULL, remove_incident, &r, err) < 0 ||
		     hw_store_change_each(st, NULL, 0, remove_change, &r, err) <
			 0 ||
		     hw_store_dep_each(st, NULL, remove_dep, &r, err) < 0 ||
		     hw_store_asset_each(st, remove_asset, &r, err) < 0 ||
		     hw_store_infotype_each(st, NULL, 0, remove_infotype, &r,
					    err) < 0
		 ? -1
		 : 0;
	hwp_buf_release(&r.text);
	hwp_buf_release(&r.object);
	return rc;
}

/* Empty the inventory; its one "clear" record is left out when each
 * object removed has its own (audited). */
static int clear(struct hw_store *st, int audited, struct hw_error *err)
{
	int mute = st->audit.mute, rc;

	if (audited)
		st->audit.mute = 1;
	rc = hw_store_clear(st, err);
	st->audit.mute = mute;
	return rc;
}

int hwp_load_begin(struct hw_store *st, int replace, int dry_run,
		   struct hwp_load_removed *audit_rm, struct hw_error *err)
{
	long long any, had = 0;

	if (st->load.active)
		return hw_error_set(err, HW_EINVAL,
				    "a bulk load is already in progress");
	/* SQLite: PRAGMA foreign_keys is a no-op inside a transaction.
	 * PostgreSQL defers its references to the commit, and keeps every
	 * index (dropping one locks readers out until the end), unless the
	 * inventory was empty and nobody reads it (below). */
	if ((st->db != NULL &&
	     hwp_exec_sql(st, "PRAGMA foreign_keys = OFF", err) < 0) ||
	    hw_store_begin(st, err) < 0) {
		if (st->db != NULL)
			hwp_exec_quiet(st, "PRAGMA foreign_keys = ON");
		return -1;
	}
	if (st->pg != NULL &&
	    hwp_exec_sql(st, "SET CONSTRAINTS ALL DEFERRED", err) < 0) {
		hw_store_rollback(st);
		return -1;
	}
	st->load.active = 1;
	/* The generation's triggers would bump it once a row: at 100k
	 * assets the import took 5.3 to 7.5 s instead of 3.5 to 3.9 s
	 * (bench/README.md).  Dropped inside the load's transaction, they
	 * come back with one bump at its end, or with its rollback. */
	if (hwp_generation_triggers(st, 0, err) < 0)
		goto fail;
	if (replace &&
	    ((st->pg != NULL &&
	      hwp_stmt_int(st, Q_ASSET_ANY, NULL, &had, "cannot count assets",
			   err) < 0) ||
	     (audit_rm != NULL && audit_removals(st, audit_rm, err) < 0)))
		goto fail;
	/* --replace replaces the history too (the audit trail stays). */
	if ((replace && (hwp_exec_sql(st,
				      "DELETE FROM incident; "
				      "DELETE FROM change_assessment; "
				      "DELETE FROM change_edit; "
				      "DELETE FROM change_target; "
				      "DELETE FROM change_record;",
				      err) < 0 ||
			 clear(st, audit_rm != NULL, err) < 0)) ||
	    hwp_stmt_int(st, Q_ASSET_ANY, NULL, &any, "cannot count assets",
			 err) < 0)
		goto fail;
	st->load.empty = !any;
	/* PostgreSQL: asset numbers start at 1 again in an emptied
	 * inventory, as SQLite's row numbers do (a sequence does not go
	 * back with the rows).  ALTER SEQUENCE, not setval(): its restart
	 * is undone with the load's rollback, where setval's would stay and
	 * hand out numbers the kept rows hold. */
	st->load.last_n = 0;
	if (!any && st->pg != NULL &&
	    (hwp_exec_sql(st, "ALTER SEQUENCE asset_n_seq RESTART WITH 1",
			  err) < 0 ||
	     hwp_pg_copy_mode(st, 1) != HWP_OK))
		goto fail;
	/* PostgreSQL, into an inventory that was empty (not one a
	 * --replace emptied, whose readers go on seeing it meanwhile): the
	 * references, two indexes and the dependencies' key laid aside, if
	 * nobody reads it now. */
	if (!any && !had && !dry_run && st->pg != NULL &&
	    (st->load.aside = hwp_pg_load_aside(st, err)) < 0)
		goto fail;
	/* Into an empty inventory, the owner index is built after the
	 * assets, by one sort. */
	if (!any && st->db != NULL) {
		if (hwp_exec_sql(st, index_sql[DEFER_ASSET_OWNER][0], err) < 0)
			goto fail;
		st->load.owner_dropped = 1;
	}
	return 0;
fail:
	hwp_load_abort(st);
	return -1;
}

int hwp_load_empty(const struct hw_store *st)
{
	return st->load.active && st->load.empty;
}

int hwp_load_keep(struct hw_store *st, hw_key key, struct hw_error *err)
{
	if (st->load.active && key >= 1 && (size_t)key < KEY_BITS_MAX &&
	    key_mark(&st->load, &st->load.known, key) < 0)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

int hwp_load_dep_get(struct hw_store *st, hw_key src, hw_key dst, int *type,
		     unsigned *carries, struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_DEP_BY_KEYS, err);
	const char *t;
	long long c;
	int rc, k;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, src);
	hwp_bind_int64(s, 2, dst);
	rc = hwp_step(s);
	if (rc == HWP_DONE) {
		hwp_reset(s);
		return 0;
	}
	if (rc != HWP_ROW) {
		hwp_reset(s);
		return hwp_db_error(st, err, "cannot read dependency");
	}
	t = (const char *)hwp_col_text(s, 0);
	c = hwp_col_int64(s, 1);
	k = t != NULL ? hwp_vocab_index(hw_dep_types, t) : -1;
	hwp_reset(s);
	if (k < 0 || c < 1 || c > 7)
		return hwp_damaged(st, err, "dependency",
				   "asset numbers %lld -> %lld: a type or "
				   "carries out of range (expected a "
				   "dependency type and 1 to 7)",
				   src, dst);
	*type = k;
	*carries = (unsigned)c;
	return 1;
}

int hwp_load_assets_done(struct hw_store *st, struct hw_error *err)
{
	if (!st->load.owner_dropped)
		return 0;
	st->load.owner_dropped = 0;
	return index_build(st, DEFER_ASSET_OWNER, hwp_helper_threads(), err);
}

int hwp_load_deps_coming(struct hw_store *st, long long pending,
			 struct hw_error *err)
{
	long long arg = pending, have = 0;

	if (!st->load.active || st->load.dst_state != 0 || st->pg != NULL)
		return 0;
	if (hwp_stmt_int(st, Q_DEP_COUNT_UPTO, &arg, &have,
			 "cannot count dependencies", err) < 0)
		return -1;
	/* More new dependencies than the table holds: one sort at the end
	 * is cheaper than as many inserts into the reverse index. */
	st->load.dst_state = pending > have ? 2 : 1;
	if (st->load.dst_state == 2)
		return hwp_exec_sql(st, index_sql[DEFER_DEPENDENCY_DST][0],
				    err);
	return 0;
}

int hwp_load_asset(struct hw_store *st, const struct hw_asset *a, int replace,
		   hw_key *key, int *existed, struct hw_error *err)
{
	hw_key k;
	int ex;

	if (hwp_asset_insert(st, a, replace, &k, &ex, err) < 0 ||
	    (!ex && hwp_load_id_stored(st, a->id, err) < 0))
		return -1;
	if (st->load.active && (size_t)k < KEY_BITS_MAX &&
	    key_mark(&st->load, &st->load.known, k) < 0)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*key = k;
	*existed = ex;
	return 0;
}

int hwp_load_deps(struct hw_store *st, const struct hwp_dep_row *rows, size_t n,
		  size_t *bad, struct hw_error *err)
{
	struct store_load *ld = &st->load;
	size_t i;
	int e;

	if (n > 0 && hwp_load_deps_coming(st, (long long)n, err) < 0)
		return -1;
	if (put_deps(st, rows, n, bad, err) < 0)
		return -1;
	if (!ld->active)
		return 0;
	for (i = 0; i < n; i++) {
		hw_key ends[2] = {(hw_key)rows[i].src, (hw_key)rows[i].dst};

		for (e = 0; e < 2; e++) {
			if (ends[e] >= 1 && (size_t)ends[e] < KEY_BITS_MAX) {
				if (key_mark(ld, &ld->named, ends[e]) < 0)
					return hw_error_set(err, HW_ENOMEM,
							    "out of memory");
			} else if (key_exists(st, ends[e], err) <= 0) {
				*bad = i;
				return -1;
			}
		}
	}
	return 0;
}

/* PostgreSQL: the buffered rows sent; the asset sequence after the
 * numbers the load gave (explicit numbers do not move it). */
static int pg_load_end(struct hw_store *st, struct hw_error *err)
{
	char sql[96];

	if (hwp_pg_copy_mode(st, 0) != HWP_OK)
		return hwp_db_error(st, err, "cannot store the inventory");
	if (st->load.last_n == 0)
		return 0;
	snprintf(sql, sizeof sql,
		 "ALTER SEQUENCE asset_n_seq RESTART WITH %lld",
		 st->load.last_n + 1);
	return hwp_exec_sql(st, sql, err);
}

int hwp_load_end(struct hw_store *st, int threads, int dry_run,
		 struct hw_error *err)
{
	if (!st->load.active)
		return hw_error_set(err, HW_EINVAL, "no bulk load in progress");
	/* A dry run rolls back: the dropped indexes come back with it. */
	if (!dry_run && st->load.owner_dropped &&
	    index_build(st, DEFER_ASSET_OWNER, threads, err) < 0)
		goto fail;
	if (!dry_run && st->load.dst_state == 2 &&
	    index_build(st, DEFER_DEPENDENCY_DST, threads, err) < 0)
		goto fail;
	if (check_named(st, err) < 0 ||
	    (!dry_run && (hwp_audit_rows_flush(st, err) < 0 ||
			  hwp_audit_links_flush(st, err) < 0)) ||
	    (st->pg != NULL && pg_load_end(st, err) < 0) ||
	    (st->load.aside > 0 && hwp_pg_load_restore(st, err) < 0) ||
	    (!dry_run && (hwp_generation_bump(st, err) < 0 ||
			  hwp_generation_triggers(st, 1, err) < 0)))
		goto fail;
	if (dry_run)
		hw_store_rollback(st);
	else if (hw_store_commit(st, err) < 0)
		goto fail;
	load_reset(st);
	return 0;
fail:
	hwp_load_abort(st);
	return -1;
}

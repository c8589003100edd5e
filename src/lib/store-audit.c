/*
 * store-audit.c: appending to the hash-chained audit trail (DESIGN.md
 * "Audit record"): one record per object a write changes, in the
 * writer's transaction.  A record's hash is the SHA-256 (OpenSSL's EVP)
 * of the canonical text [1,seq,time,actor,action,object,before,after,
 * prev]; the newest record's seq and hash are read once a transaction
 * and kept, so that an append is one hash and one insert.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store-sql.h"

/* clang-format off */
static const char *const audit_sql[AQ_MAX] = {
	[AQ_LAST] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[AQ_INSERT] = "INSERT INTO audit (seq, time, actor, action, object,"
		      " before, after, prev, hash)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[AQ_ASSET] = "INSERT OR IGNORE INTO audit_asset (asset, seq)"
		     " VALUES (?1, ?2)",
};
/* clang-format on */

static sqlite3_stmt *audit_stmt(struct hw_store *st, enum audit_stmt id,
				struct hw_error *err)
{
	sqlite3_stmt **s = &st->audit.stmt[id];

	if (*s == NULL) {
		if (sqlite3_prepare_v3(st->db, audit_sql[id], -1,
				       SQLITE_PREPARE_PERSISTENT, s,
				       NULL) != SQLITE_OK) {
			hwp_db_error(st, err, "cannot prepare the audit trail");
			return NULL;
		}
	} else {
		sqlite3_reset(*s);
		sqlite3_clear_bindings(*s);
	}
	return *s;
}

void hwp_audit_close(struct hw_store *st)
{
	int i;

	for (i = 0; i < AQ_MAX; i++)
		sqlite3_finalize(st->audit.stmt[i]);
	hwp_buf_release(&st->audit.before);
	hwp_buf_release(&st->audit.after);
	hwp_buf_release(&st->audit.text);
}

/* The kept seq and hash hold for one transaction: another connection
 * may append between two. */
static int on_commit(void *ctx)
{
	((struct hw_store *)ctx)->audit.known = 0;
	return 0;
}

static void on_rollback(void *ctx)
{
	((struct hw_store *)ctx)->audit.known = 0;
}

/* ------------------------------------------------------------------ */
/* The hash                                                            */

static void to_hex(const unsigned char h[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

int hwp_audit_sha256(const void *data, size_t n, unsigned char out[32],
		     struct hw_error *err)
{
	unsigned int len = 0;

	if (!EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) || len != 32)
		return hw_error_set(err, HW_ENOMEM,
				    "cannot compute a SHA-256 (OpenSSL)");
	return 0;
}

int hwp_audit_hash(struct hwp_buf *b, long long seq, const char *time,
		   const char *actor, const char *action, const char *object,
		   const char *before, size_t before_len, const char *after,
		   size_t after_len, const unsigned char prev[32],
		   unsigned char out[32], struct hw_error *err)
{
	char num[32], hex[65];

	hwp_buf_reset(b);
	snprintf(num, sizeof num, "[1,%lld,", seq);
	to_hex(prev, hex);
	if (hwp_buf_adds(b, num, err) < 0 ||
	    hwp_canon_string(b, time, strlen(time), err) < 0 ||
	    hwp_buf_add(b, ",", 1, err) < 0 ||
	    hwp_canon_string(b, actor, strlen(actor), err) < 0 ||
	    hwp_buf_add(b, ",", 1, err) < 0 ||
	    hwp_canon_string(b, action, strlen(action), err) < 0 ||
	    hwp_buf_add(b, ",", 1, err) < 0 ||
	    hwp_canon_string(b, object, strlen(object), err) < 0 ||
	    hwp_buf_add(b, ",", 1, err) < 0 ||
	    (before ? hwp_buf_add(b, before, before_len, err)
		    : hwp_buf_add(b, "null", 4, err)) < 0 ||
	    hwp_buf_add(b, ",", 1, err) < 0 ||
	    (after ? hwp_buf_add(b, after, after_len, err)
		   : hwp_buf_add(b, "null", 4, err)) < 0 ||
	    hwp_buf_add(b, ",\"", 2, err) < 0 ||
	    hwp_buf_add(b, hex, 64, err) < 0 ||
	    hwp_buf_add(b, "\"]", 2, err) < 0)
		return -1;
	return hwp_audit_sha256(b->data, b->len, out, err);
}

/* Now as YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC). */
static void now_text(char out[64])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
		 (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, (int)(ts.tv_nsec / 1000) % 1000000);
}

/* ------------------------------------------------------------------ */
/* Appending                                                           */

/* The newest record's seq and hash, once a transaction. */
static int read_last(struct hw_store *st, struct hw_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (!st->audit.hooked) {
		sqlite3_commit_hook(st->db, on_commit, st);
		sqlite3_rollback_hook(st->db, on_rollback, st);
		st->audit.hooked = 1;
	}
	if (st->audit.known)
		return 0;
	if ((s = audit_stmt(st, AQ_LAST, err)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		st->audit.seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_type(s, 1) != SQLITE_BLOB ||
		    sqlite3_column_bytes(s, 1) != 32 || st->audit.seq < 1) {
			sqlite3_reset(s);
			return hwp_damaged(st, err, "audit",
					   "record %lld has no 32-byte hash "
					   "(run 'highwater audit verify')",
					   st->audit.seq);
		}
		memcpy(st->audit.prev, sqlite3_column_blob(s, 1), 32);
	} else if (rc == SQLITE_DONE) {
		st->audit.seq = 0;
		memset(st->audit.prev, 0, 32);
	} else {
		sqlite3_reset(s);
		return hwp_step_error(st, rc, err,
				      "cannot read the audit trail");
	}
	sqlite3_reset(s);
	st->audit.known = 1;
	return 0;
}

static int add_asset_row(struct hw_store *st, const char *asset, long long seq,
			 struct hw_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (asset == NULL)
		return 0;
	if ((s = audit_stmt(st, AQ_ASSET, err)) == NULL)
		return -1;
	hwp_bind_text(s, 1, asset);
	sqlite3_bind_int64(s, 2, seq);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE
		   ? 0
		   : hwp_step_error(st, rc, err,
				    "cannot write the audit trail");
}

int hwp_audit_text(struct hw_store *st, const char *action, const char *object,
		   const char *asset_a, const char *asset_b, const char *before,
		   size_t before_len, const char *after, size_t after_len,
		   struct hw_error *err)
{
	unsigned char hash[32];
	const char *actor = hwp_actor(st);
	char time[64];
	sqlite3_stmt *s;
	long long seq;
	int rc;

	if (st->audit.mute) {
		st->audit.muted++;
		return 0;
	}
	if (sqlite3_get_autocommit(st->db))
		return hw_error_set(err, HW_EINVAL,
				    "a write to %s outside a transaction (it "
				    "would not be audited)",
				    object);
	if (read_last(st, err) < 0)
		return -1;
	seq = st->audit.seq + 1;
	now_text(time);
	if (hwp_audit_hash(&st->audit.text, seq, time, actor, action, object,
			   before, before_len, after, after_len, st->audit.prev,
			   hash, err) < 0)
		return -1;
	if ((s = audit_stmt(st, AQ_INSERT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, seq);
	hwp_bind_text(s, 2, time);
	hwp_bind_text(s, 3, actor);
	hwp_bind_text(s, 4, action);
	hwp_bind_text(s, 5, object);
	if (before != NULL)
		sqlite3_bind_text(s, 6, before, (int)before_len, SQLITE_STATIC);
	if (after != NULL)
		sqlite3_bind_text(s, 7, after, (int)after_len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, st->audit.prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 9, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		st->audit.known = 0;
		return hwp_step_error(st, rc, err,
				      "cannot write the audit trail");
	}
	if (add_asset_row(st, asset_a, seq, err) < 0 ||
	    (asset_b != NULL && (asset_a == NULL || strcmp(asset_a, asset_b)) &&
	     add_asset_row(st, asset_b, seq, err) < 0)) {
		st->audit.known = 0;
		return -1;
	}
	st->audit.seq = seq;
	memcpy(st->audit.prev, hash, 32);
	return 0;
}

int hwp_audit(struct hw_store *st, const char *action, const char *object,
	      const char *asset_a, const char *asset_b,
	      const struct json_t *before, const struct json_t *after,
	      struct hw_error *err)
{
	struct hwp_buf *b = &st->audit.before, *a = &st->audit.after;

	if (st->audit.mute) {
		st->audit.muted++;
		return 0;
	}
	hwp_buf_reset(b);
	hwp_buf_reset(a);
	if ((before != NULL && hwp_canon_append(b, before, err) < 0) ||
	    (after != NULL && hwp_canon_append(a, after, err) < 0))
		return -1;
	/* A write that changes nothing writes no record. */
	if (before != NULL && after != NULL && b->len == a->len &&
	    memcmp(b->data, a->data, a->len) == 0)
		return 0;
	return hwp_audit_text(st, action, object, asset_a, asset_b,
			      before ? b->data : NULL, b->len,
			      after ? a->data : NULL, a->len, err);
}

/* ------------------------------------------------------------------ */
/* The migration's first record                                        */

struct digest {
	struct hwp_buf line;
	EVP_MD_CTX *md;
	long long types, assets, deps;
	struct hw_error *err;
};

static int digest_value(struct digest *d, json_t *v)
{
	int rc;

	if (v == NULL)
		return hw_error_set(d->err, HW_ENOMEM, "out of memory");
	hwp_buf_reset(&d->line);
	rc = hwp_canon_append(&d->line, v, d->err) < 0 ||
	     hwp_buf_add(&d->line, "\n", 1, d->err) < 0;
	json_decref(v);
	if (rc)
		return -1;
	if (!EVP_DigestUpdate(d->md, d->line.data, d->line.len))
		return hw_error_set(d->err, HW_ENOMEM,
				    "cannot compute a SHA-256 (OpenSSL)");
	return 0;
}

static int digest_type(const struct hw_infotype *t, void *ctx)
{
	struct digest *d = ctx;

	d->types++;
	return digest_value(d, hwp_infotype_json(t));
}

static int digest_asset(const struct hw_asset *a, void *ctx)
{
	struct digest *d = ctx;

	d->assets++;
	return digest_value(d, hwp_asset_json(a));
}

static int digest_dep(const struct hw_dep *dep, void *ctx)
{
	struct digest *d = ctx;

	d->deps++;
	return digest_value(d, hwp_dep_json(dep));
}

/* The digest: counts, and the SHA-256 of the canonical text of every
 * custom information type, asset and dependency (the objects an export
 * writes), one a line, in that order, each by id (dependencies by from
 * then to). */
int hwp_audit_migrated(struct hw_store *st, struct hw_error *err)
{
	struct digest d = {HWP_BUF_INIT, NULL, 0, 0, 0, err};
	unsigned char h[32];
	unsigned int len = 0;
	char hex[65];
	json_t *after = NULL;
	char *saved;
	int ret = -1;

	if ((d.md = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(d.md, EVP_sha256(), NULL)) {
		hw_error_set(err, HW_ENOMEM, "cannot compute a SHA-256");
		goto out;
	}
	if (hw_store_infotype_each(st, NULL, 0, digest_type, &d, err) < 0 ||
	    hw_store_asset_each(st, digest_asset, &d, err) < 0 ||
	    hw_store_dep_each(st, NULL, digest_dep, &d, err) < 0)
		goto out;
	if (!EVP_DigestFinal_ex(d.md, h, &len) || len != 32) {
		hw_error_set(err, HW_ENOMEM, "cannot compute a SHA-256");
		goto out;
	}
	to_hex(h, hex);
	after = json_pack("{s:I,s:I,s:I,s:s,s:s}", "information_types",
			  (json_int_t)d.types, "assets", (json_int_t)d.assets,
			  "dependencies", (json_int_t)d.deps, "sha256", hex,
			  "digest",
			  "sha256 of the canonical JSON of each custom "
			  "information type, asset and dependency, one a "
			  "line");
	if (after == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	/* The upgrade's record is the migration's, whoever ran it. */
	saved = st->actor;
	st->actor = (char *)"migration";
	ret =
	    hwp_audit(st, "migrate", "inventory", NULL, NULL, NULL, after, err);
	st->actor = saved;
out:
	json_decref(after);
	EVP_MD_CTX_free(d.md);
	hwp_buf_release(&d.line);
	return ret;
}

int hwp_audit_ready(struct hw_store *st, const char *what,
		    struct hw_error *err)
{
	if (st->audit.mute || !sqlite3_get_autocommit(st->db))
		return 0;
	return hw_error_set(err, HW_EINVAL,
			    "%s outside a transaction (it would not be "
			    "audited): begin one first",
			    what);
}

/* ------------------------------------------------------------------ */
/* The records of the inventory's writes (store-inventory.c,
 * store-settings.c)                                                   */

/* object "KIND:NAME" in buf. */
static const char *object_name(char *buf, size_t size, const char *kind,
			       const char *name, const char *name2)
{
	if (name2 != NULL)
		snprintf(buf, size, "%s:%s>%s", kind, name, name2);
	else
		snprintf(buf, size, "%s:%s", kind, name);
	return buf;
}

int hwp_audit_asset_json(struct hw_store *st, const char *id, json_t **out,
			 struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_asset a;

	*out = NULL;
	if (st->audit.mute)
		return 0;
	if (hw_store_asset_get(st, id, &a, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	*out = hwp_asset_json(&a);
	hw_asset_release(&a);
	if (*out == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

int hwp_audit_asset_put(struct hw_store *st, const char *id,
			const json_t *before, struct hw_error *err)
{
	char obj[128];
	json_t *after;
	int rc;

	if (st->audit.mute)
		return 0;
	if (hwp_audit_asset_json(st, id, &after, err) < 0)
		return -1;
	rc = hwp_audit(st, before ? "update" : "add",
		       object_name(obj, sizeof obj, "asset", id, NULL), id,
		       NULL, before, after, err);
	json_decref(after);
	return rc;
}

struct dep_find {
	const char *to;
	json_t *found; /* the dependency's JSON */
	json_t *all;   /* or every one, when to is NULL */
};

static int find_dep(const struct hw_dep *d, void *ctx)
{
	struct dep_find *f = ctx;
	json_t *v;

	if (f->to != NULL && strcmp(d->to, f->to) != 0)
		return 0;
	if ((v = hwp_dep_json(d)) == NULL)
		return -1;
	if (f->to != NULL) {
		f->found = v;
		return 1;
	}
	return json_array_append_new(f->all, v);
}

int hwp_audit_dep_json(struct hw_store *st, const char *from, const char *to,
		       json_t **out, struct hw_error *err)
{
	struct dep_find f = {to, NULL, NULL};
	struct hw_error e = {0};

	*out = NULL;
	if (st->audit.mute)
		return 0;
	if (hw_store_dep_each(st, from, find_dep, &f, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	if (e.code != HW_OK) /* find_dep ran out of memory */
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = f.found;
	return 0;
}

int hwp_audit_dep(struct hw_store *st, const char *from, const char *to,
		  const json_t *before, const json_t *after,
		  struct hw_error *err)
{
	char obj[160];

	if (st->audit.mute)
		return 0;
	return hwp_audit(st,
			 before == NULL	 ? "add"
			 : after == NULL ? "remove"
					 : "update",
			 object_name(obj, sizeof obj, "dependency", from, to),
			 from, to, before, after, err);
}

int hwp_audit_asset_removal(struct hw_store *st, const char *id,
			    struct hw_error *err)
{
	struct dep_find f = {NULL, NULL, json_array()};
	json_t *before = NULL, *d;
	char obj[128];
	size_t i;
	int ret = -1;

	if (st->audit.mute) {
		json_decref(f.all);
		return 0;
	}
	if (f.all == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (hwp_audit_asset_json(st, id, &before, err) < 0)
		goto out;
	if (hw_store_dep_each(st, id, find_dep, &f, err) != 0) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	/* Its dependencies go with it, either end. */
	json_array_foreach(f.all, i, d)
	{
		if (hwp_audit_dep(st,
				  json_string_value(json_object_get(d, "from")),
				  json_string_value(json_object_get(d, "to")),
				  d, NULL, err) < 0)
			goto out;
	}
	ret = hwp_audit(st, "remove",
			object_name(obj, sizeof obj, "asset", id, NULL), id,
			NULL, before, NULL, err);
out:
	json_decref(f.all);
	json_decref(before);
	return ret;
}

int hwp_audit_infotype_json(struct hw_store *st, const char *id,
			    struct hw_infotype *old, json_t **out,
			    struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_infotype t;

	*out = NULL;
	if (old != NULL)
		memset(old, 0, sizeof *old);
	if (st->audit.mute)
		return 0;
	if (hw_store_infotype_get(st, id, &t, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	*out = hwp_infotype_json(&t);
	if (old != NULL)
		*old = t;
	else
		hw_infotype_release(&t);
	if (*out == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* clang-format off */
#define HOLDERS_SQL                                                            \
	"SELECT a.id FROM assignment AS g JOIN asset AS a ON a.n = g.asset"    \
	" WHERE g.info_type = ?1 ORDER BY a.id"
/* clang-format on */

int hwp_audit_holders(struct hw_store *st, const char *type_id, json_t **out,
		      struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *held = json_object(), *ids = json_array(), *v;
	size_t i;
	int rc, ret = -1;

	*out = NULL;
	if (held == NULL || ids == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(st->db, HOLDERS_SQL, -1, &s, NULL) !=
	    SQLITE_OK) {
		hwp_db_error(st, err, "cannot read assignments");
		goto out;
	}
	hwp_bind_text(s, 1, type_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);

		if (id != NULL && json_array_append_new(ids, json_string(id)))
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE) {
		hwp_db_error(st, err, "cannot read assignments");
		goto out;
	}
	json_array_foreach(ids, i, v)
	{
		json_t *a;

		if (hwp_audit_asset_json(st, json_string_value(v), &a, err) < 0)
			goto out;
		if (a != NULL &&
		    json_object_set_new(held, json_string_value(v), a) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = held;
	held = NULL;
	ret = 0;
out:
	sqlite3_finalize(s);
	json_decref(ids);
	json_decref(held);
	return ret;
}

int hwp_audit_infotype_put(struct hw_store *st, const char *id,
			   const json_t *before, const json_t *held,
			   struct hw_error *err)
{
	const char *asset;
	json_t *after, *was;
	char obj[128];
	int rc;

	if (st->audit.mute)
		return 0;
	if (hwp_audit_infotype_json(st, id, NULL, &after, err) < 0)
		return -1;
	rc = hwp_audit(
	    st, before ? "update" : "add",
	    object_name(obj, sizeof obj, "information_type", id, NULL), NULL,
	    NULL, before, after, err);
	json_decref(after);
	/* Assignments that followed the type's new levels: an update of
	 * each asset (none when nothing moved). */
	json_object_foreach((json_t *)held, asset, was)
	{
		if (rc == 0)
			rc = hwp_audit_asset_put(st, asset, was, err);
	}
	return rc;
}

/* clang-format off */
#define COUNTS_SQL                                                             \
	"SELECT (SELECT count(*) FROM asset),"                                 \
	" (SELECT count(*) FROM dependency),"                                  \
	" (SELECT count(*) FROM info_type WHERE builtin = 0)"
/* clang-format on */

int hwp_audit_clear(struct hw_store *st, struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	json_t *before;
	long long n[3];
	int rc;

	if (st->audit.mute)
		return 0;
	if (sqlite3_prepare_v2(st->db, COUNTS_SQL, -1, &s, NULL) != SQLITE_OK)
		return hwp_db_error(st, err, "cannot count the inventory");
	rc = sqlite3_step(s);
	n[0] = sqlite3_column_int64(s, 0);
	n[1] = sqlite3_column_int64(s, 1);
	n[2] = sqlite3_column_int64(s, 2);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return hwp_db_error(st, err, "cannot count the inventory");
	if (n[0] + n[1] + n[2] == 0)
		return 0;
	/* One record with the counts, not one per object removed. */
	before = json_pack("{s:I,s:I,s:I}", "assets", (json_int_t)n[0],
			   "dependencies", (json_int_t)n[1],
			   "information_types", (json_int_t)n[2]);
	if (before == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hwp_audit(st, "clear", "inventory", NULL, NULL, before, NULL, err);
	json_decref(before);
	return rc;
}

int hwp_audit_named(struct hw_store *st, const char *kind, const char *name,
		    json_t *before, json_t *after, struct hw_error *err)
{
	char obj[128];
	int rc;

	if (after == NULL) {
		json_decref(before);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	rc = hwp_audit(st, before == NULL ? "add" : "update",
		       object_name(obj, sizeof obj, kind, name, NULL), NULL,
		       NULL, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

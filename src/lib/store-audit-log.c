/*
 * store-audit-log.c: reading the audit trail back: the records (by
 * asset, time, actor), the head, who changed an asset last, and the
 * chain verified record by record, streaming (a million records never
 * sit in memory); and the first record of a database upgraded to the
 * trail, with the digest of its inventory.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

/* clang-format off */
#define RECORD_COLS "a.seq, a.time, a.actor, a.action, a.object, a.before," \
	" a.after, a.prev, a.hash"
/* clang-format on */

static void hex_of(const unsigned char *h, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* Read the row of s (RECORD_COLS) into *r: 1 if its columns are of the
 * kinds highwater writes, 0 if not (*what says which). */
static int read_record(sqlite3_stmt *s, struct hw_audit_record *r,
		       const unsigned char **prev, const unsigned char **hash,
		       const char **what)
{
	int i;

	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(s, 0);
	for (i = 1; i <= 4; i++)
		if (sqlite3_column_type(s, i) != SQLITE_TEXT) {
			*what = "a field that is not text";
			return 0;
		}
	r->time = (const char *)sqlite3_column_text(s, 1);
	r->actor = (const char *)sqlite3_column_text(s, 2);
	r->action = (const char *)sqlite3_column_text(s, 3);
	r->object = (const char *)sqlite3_column_text(s, 4);
	for (i = 5; i <= 6; i++)
		if (sqlite3_column_type(s, i) != SQLITE_TEXT &&
		    sqlite3_column_type(s, i) != SQLITE_NULL) {
			*what = "a before or after that is not text";
			return 0;
		}
	r->before = (const char *)sqlite3_column_text(s, 5);
	r->after = (const char *)sqlite3_column_text(s, 6);
	for (i = 7; i <= 8; i++)
		if (sqlite3_column_type(s, i) != SQLITE_BLOB ||
		    sqlite3_column_bytes(s, i) != 32) {
			*what = i == 7 ? "a prev that is not 32 bytes"
				       : "a hash that is not 32 bytes";
			return 0;
		}
	*prev = sqlite3_column_blob(s, 7);
	*hash = sqlite3_column_blob(s, 8);
	hex_of(*prev, r->prev);
	hex_of(*hash, r->hash);
	return 1;
}

int hw_audit_each(struct hw_store *st, const struct hw_audit_filter *f,
		  int (*fn)(const struct hw_audit_record *, void *), void *ctx,
		  struct hw_error *err)
{
	static const char by_asset[] =
	    "SELECT " RECORD_COLS " FROM audit_asset AS x"
	    " JOIN audit AS a ON a.seq = x.seq WHERE x.asset = ?1"
	    " AND (?2 IS NULL OR a.time >= ?2) AND (?3 IS NULL OR a.actor = ?3)"
	    " ORDER BY x.seq";
	static const char all[] = "SELECT " RECORD_COLS " FROM audit AS a"
				  " WHERE (?2 IS NULL OR a.time >= ?2) AND (?3 "
				  "IS NULL OR a.actor = ?3)"
				  " ORDER BY a.seq";
	struct hw_audit_filter none = {NULL, 0, NULL};
	struct hw_audit_record r;
	const unsigned char *p, *h;
	const char *what = NULL;
	char since[HW_TIME_TEXT + 8];
	sqlite3_stmt *s = NULL;
	int rc, ret = 0;

	if (f == NULL)
		f = &none;
	if (sqlite3_prepare_v2(st->db, f->asset ? by_asset : all, -1, &s,
			       NULL) != SQLITE_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	if (f->asset != NULL)
		hwp_bind_text(s, 1, f->asset);
	if (f->since != 0) {
		/* "...:SSZ" -> "...:SS.000000Z": the records' form */
		hw_time_format(f->since, since);
		strcpy(since + strlen(since) - 1, ".000000Z");
		hwp_bind_text(s, 2, since);
	}
	hwp_bind_text(s, 3, f->actor);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!read_record(s, &r, &p, &h, &what)) {
			ret = hwp_damaged(st, err, "audit",
					  "record %lld has %s (run 'highwater "
					  "audit verify')",
					  r.seq, what);
			break;
		}
		if ((ret = fn(&r, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = hwp_db_error(st, err, "cannot read the audit trail");
	sqlite3_finalize(s);
	return ret;
}

int hw_audit_head(struct hw_store *st, char hash[65], long long *seq,
		  struct hw_error *err)
{
	static const unsigned char zero[32];
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT seq, hash FROM audit ORDER BY seq DESC "
			       "LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && (sqlite3_column_type(s, 1) != SQLITE_BLOB ||
				 sqlite3_column_bytes(s, 1) != 32)) {
		long long n = sqlite3_column_int64(s, 0);

		sqlite3_finalize(s);
		return hwp_damaged(st, err, "audit",
				   "record %lld has a hash that is not 32 "
				   "bytes (run 'highwater audit verify')",
				   n);
	}
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		hex_of(sqlite3_column_blob(s, 1), hash);
	} else if (rc == SQLITE_DONE) {
		*seq = 0;
		hex_of(zero, hash);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	return 0;
}

int hw_audit_last(struct hw_store *st, const char *asset, char **actor,
		  char **time, struct hw_error *err)
{
	sqlite3_stmt *s = NULL;
	char *a = NULL, *t = NULL;
	int rc, bad = 0;

	if (sqlite3_prepare_v2(st->db,
			       "SELECT a.actor, a.time FROM audit_asset AS x"
			       " JOIN audit AS a ON a.seq = x.seq"
			       " WHERE x.asset = ?1 ORDER BY x.seq DESC"
			       " LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	hwp_bind_text(s, 1, asset);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		a = hwp_col_dup(s, 0, &bad);
		t = hwp_col_dup(s, 1, &bad);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	if (bad) {
		free(a);
		free(t);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (rc == SQLITE_ROW && (a == NULL || t == NULL)) {
		free(a);
		free(t);
		return hwp_damaged(st, err, "audit",
				   "a record of '%.64s' has no actor or time",
				   asset);
	}
	*actor = a;
	*time = t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Verifying the chain                                                 */

static void broken(struct hw_audit_verdict *v, long long seq, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
static void broken(struct hw_audit_verdict *v, long long seq, const char *fmt,
		   ...)
{
	va_list ap;

	v->broken = seq;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
}

int hw_audit_verify(struct hw_store *st, const char *expect,
		    struct hw_audit_verdict *v,
		    void (*progress)(long long done, long long total, void *),
		    void *pctx, struct hw_error *err)
{
	static const unsigned char zero[32];
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_audit_record r;
	unsigned char last[32], h[32];
	const unsigned char *p, *hash;
	const char *what = NULL;
	sqlite3_stmt *s = NULL;
	long long total = 0, next = 1;
	int rc, ret = -1;

	memset(v, 0, sizeof *v);
	memcpy(last, zero, 32);
	hex_of(zero, v->head);
	if (progress != NULL &&
	    sqlite3_prepare_v2(st->db, "SELECT count(*) FROM audit", -1, &s,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		total = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(
		st->db, "SELECT " RECORD_COLS " FROM audit AS a ORDER BY a.seq",
		-1, &s, NULL) != SQLITE_OK) {
		hwp_db_error(st, err, "cannot read the audit trail");
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v->records++;
		if (progress != NULL && (v->records & 0xffff) == 0)
			progress(v->records, total, pctx);
		if (!read_record(s, &r, &p, &hash, &what)) {
			v->broken = r.seq;
			snprintf(v->why, sizeof v->why, "record %lld has %s",
				 r.seq, what);
			break;
		}
		if (hwp_audit_hash(
			st, &b, r.seq, r.time, r.actor, r.action, r.object,
			r.before, (size_t)sqlite3_column_bytes(s, 5), r.after,
			(size_t)sqlite3_column_bytes(s, 6), p, h, err) < 0)
			goto out;
		if (memcmp(h, hash, 32) != 0) {
			broken(v, r.seq,
			       "record %lld does not match its hash: edited "
			       "(or moved from elsewhere)",
			       r.seq);
			break;
		}
		if (memcmp(p, last, 32) != 0) {
			if (r.seq > next)
				broken(v, r.seq,
				       "record %lld does not follow the record "
				       "before it: records from %lld on were "
				       "deleted (or others inserted)",
				       r.seq, next);
			else
				broken(v, r.seq,
				       "record %lld does not follow the record "
				       "before it (its prev is not that "
				       "record's hash): a record was deleted, "
				       "inserted or reordered",
				       r.seq);
			break;
		}
		if (r.seq != next) {
			broken(v, r.seq,
			       "record %lld should be number %lld: the "
			       "records were renumbered",
			       r.seq, next);
			break;
		}
		if (expect != NULL && strcmp(expect, r.hash) == 0)
			v->expect_found = 1;
		memcpy(last, hash, 32);
		next = r.seq + 1;
	}
	if (v->broken == 0 && rc != SQLITE_DONE) {
		hwp_db_error(st, err, "cannot read the audit trail");
		goto out;
	}
	hex_of(last, v->head);
	if (v->broken == 0 && expect != NULL && !v->expect_found) {
		if (strcmp(expect, v->head) == 0)
			v->expect_found = 1; /* the empty trail's zeros */
		else
			broken(v, next,
			       "the kept head hash is not in the chain: "
			       "records after %lld were removed (truncated), "
			       "or the chain was rewritten",
			       next - 1);
	}
	if (progress != NULL)
		progress(v->records, total, pctx);
	ret = 0;
out:
	sqlite3_finalize(s);
	hwp_buf_release(&b);
	return ret;
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
	hex_of(h, hex);
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

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
/* A record and the hash of the record before it (p, NULL for none). */
#define RECORD_COLS "a.seq, a.time, a.actor, a.action, a.object, a.before," \
	" a.after, a.hash, p.hash"
#define RECORD_FROM " FROM audit AS a LEFT JOIN audit AS p ON p.seq = a.seq - 1"
/* A typed use of each parameter before its IS NULL: PostgreSQL deduces
 * a parameter's type from its first use. */
#define RECORD_FILTER " (a.time >= ?2 OR ?2 IS NULL) AND (a.actor = ?3 OR ?3 IS NULL)"
/* clang-format on */

/* Read the row of s (RECORD_COLS, or without the last column when
 * with_prev is 0) into *r, its time written in tbuf: 1 if its columns
 * are of the kinds highwater writes, 0 if not (*what says which). */
static int read_record(struct hwp_stmt *s, struct hw_audit_record *r,
		       char tbuf[HW_TIME_TEXT], int with_prev,
		       const unsigned char **hash, const char **what)
{
	static const unsigned char zero[32];
	int i;

	memset(r, 0, sizeof *r);
	r->seq = hwp_col_int64(s, 0);
	if (hwp_col_type(s, 1) != HWP_INTEGER ||
	    hwp_audit_time_text(hwp_col_int64(s, 1), tbuf) < 0) {
		*what = "a time out of range";
		return 0;
	}
	r->time = tbuf;
	for (i = 2; i <= 4; i++)
		if (hwp_col_type(s, i) != HWP_TEXT) {
			*what = "a field that is not text";
			return 0;
		}
	r->actor = (const char *)hwp_col_text(s, 2);
	r->action = (const char *)hwp_col_text(s, 3);
	r->object = (const char *)hwp_col_text(s, 4);
	for (i = 5; i <= 6; i++)
		if (hwp_col_type(s, i) != HWP_TEXT &&
		    hwp_col_type(s, i) != HWP_NULL) {
			*what = "a before or after that is not text";
			return 0;
		}
	r->before = (const char *)hwp_col_text(s, 5);
	r->after = (const char *)hwp_col_text(s, 6);
	if (hwp_col_type(s, 7) != HWP_BLOB ||
	    hwp_col_bytes(s, 7) != 32) {
		*what = "a hash that is not 32 bytes";
		return 0;
	}
	*hash = hwp_col_blob(s, 7);
	hwp_audit_hex(*hash, r->hash);
	/* The hash of the row before; unknown ("") when that row is gone
	 * or damaged: the log goes on, 'audit verify' names the break. */
	if (with_prev && r->seq == 1)
		hwp_audit_hex(zero, r->prev);
	else if (with_prev && hwp_col_type(s, 8) == HWP_BLOB &&
		 hwp_col_bytes(s, 8) == 32)
		hwp_audit_hex(hwp_col_blob(s, 8), r->prev);
	else
		r->prev[0] = '\0';
	return 1;
}

/* ------------------------------------------------------------------ */
/* An asset's history                                                  */

struct seqs {
	long long *v;
	size_t n, cap;
};

static int seqs_add(struct seqs *q, long long seq)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		long long *v = realloc(q->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = seq;
	return 0;
}

static int by_seq(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;

	return (a > b) - (a < b);
}

/* The newest record of asset: audit_last's, or a later audit_asset
 * row's; 0 for none. */
static int newest(struct hw_store *st, const char *asset, long long *seq,
		  struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, "SELECT max(seq) FROM (SELECT seq FROM audit_last"
		" WHERE asset = ?1 UNION ALL SELECT seq FROM"
		" audit_asset WHERE asset = ?1) AS seqs", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	hwp_bind_text(s, 1, asset);
	rc = hwp_step(s);
	*seq = rc == HWP_ROW ? hwp_col_int64(s, 0) : 0;
	hwp_finalize(s);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read the audit trail");
	return 0;
}

/* The link of record seq back in asset's history: the record must name
 * the asset, and the link be older. */
static int step_back(struct hw_store *st, struct hwp_stmt *s, const char *asset,
		     long long seq, long long *next, struct hw_error *err)
{
	struct hwp_audit_ends e;
	size_t n = strlen(asset);
	const char *object;
	int rc, i;

	hwp_reset(s);
	hwp_bind_int64(s, 1, seq);
	rc = hwp_step(s);
	if (rc != HWP_ROW) {
		if (rc != HWP_DONE)
			return hwp_db_error(st, err,
					    "cannot read the audit trail");
		return hwp_damaged(st, err, "audit",
				   "record %lld of the history of '%.64s' is "
				   "missing (run 'highwater audit verify')",
				   seq, asset);
	}
	object = (const char *)hwp_col_text(s, 0);
	hwp_audit_ends(object ? object : "", &e);
	for (i = 0; i < 2; i++)
		if (e.id[i] != NULL && e.len[i] == n &&
		    memcmp(e.id[i], asset, n) == 0)
			break;
	if (i == 2)
		return hwp_damaged(st, err, "audit",
				   "record %lld is in the history of '%.64s' "
				   "but does not name it (run 'highwater audit "
				   "verify')",
				   seq, asset);
	*next = hwp_col_int64(s, 1 + i);
	if (*next < 0 || *next >= seq)
		return hwp_damaged(st, err, "audit",
				   "record %lld links '%.64s' to record %lld, "
				   "which is not older",
				   seq, asset, *next);
	return 0;
}

/* Each seq the statement s (bound to asset) gives into *q; the last in
 * *last (0 for none). */
static int seqs_of(struct hw_store *st, const char *sql, const char *asset,
		   struct seqs *q, long long *last, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	*last = 0;
	if (hwp_prepare_raw(st, sql, &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	hwp_bind_text(s, 1, asset);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		*last = hwp_col_int64(s, 0);
		if (q != NULL && seqs_add(q, *last) < 0) {
			hwp_finalize(s);
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		}
	}
	hwp_finalize(s);
	return rc == HWP_DONE
		   ? 0
		   : hwp_db_error(st, err, "cannot read the audit trail");
}

/* The seqs of asset's history, oldest first, in *q: the audit_asset
 * rows and the walk back from its newest record (audit_last). */
static int history(struct hw_store *st, const char *asset, struct seqs *q,
		   struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	long long at, next = 0;
	size_t i, k;
	int ret = -1;

	if (seqs_of(st, "SELECT seq FROM audit_asset WHERE asset = ?1", asset,
		    q, &at, err) < 0 ||
	    seqs_of(st, "SELECT seq FROM audit_last WHERE asset = ?1", asset,
		    NULL, &at, err) < 0)
		return -1;
	if (hwp_prepare_raw(st, "SELECT object, link_a, link_b FROM audit"
			       " WHERE seq = ?1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	for (; at > 0; at = next)
		if (step_back(st, s, asset, at, &next, err) < 0)
			goto out;
		else if (seqs_add(q, at) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	qsort(q->v, q->n, sizeof *q->v, by_seq);
	for (i = k = 0; i < q->n; i++)
		if (k == 0 || q->v[i] != q->v[k - 1])
			q->v[k++] = q->v[i];
	q->n = k;
	ret = 0;
out:
	hwp_finalize(s);
	return ret;
}

int hw_audit_each(struct hw_store *st, const struct hw_audit_filter *f,
		  int (*fn)(const struct hw_audit_record *, void *), void *ctx,
		  struct hw_error *err)
{
	struct hw_audit_filter none = {NULL, 0, NULL};
	struct hw_audit_record r;
	struct seqs q = {NULL, 0, 0};
	char tbuf[HW_TIME_TEXT];
	const unsigned char *h;
	const char *what = NULL;
	struct hwp_stmt *s = NULL;
	size_t i = 0;
	int rc = HWP_DONE, ret = 0;

	if (f == NULL)
		f = &none;
	if (f->asset != NULL && history(st, f->asset, &q, err) < 0) {
		free(q.v);
		return -1;
	}
	if (hwp_prepare_raw(st, f->asset ? "SELECT " RECORD_COLS RECORD_FROM
					  " WHERE a.seq = ?1 AND" RECORD_FILTER
					: "SELECT " RECORD_COLS RECORD_FROM
					  " WHERE" RECORD_FILTER
					  " ORDER BY a.seq", &s) != HWP_OK) {
		free(q.v);
		return hwp_db_error(st, err, "cannot read the audit trail");
	}
	for (;;) {
		hwp_reset(s);
		/* past year 9999 and before year 1 no record is */
		if (f->since != 0)
			hwp_bind_int64(s, 2,
					   f->since > 253402300800LL
					       ? 253402300800000000LL
					   : f->since < -62135596800LL
					       ? -62135596800000000LL
					       : (long long)f->since * 1000000);
		hwp_bind_text(s, 3, f->actor);
		if (f->asset != NULL) {
			if (i == q.n)
				break;
			hwp_bind_int64(s, 1, q.v[i++]);
		}
		while ((rc = hwp_step(s)) == HWP_ROW) {
			if (!read_record(s, &r, tbuf, 1, &h, &what)) {
				ret = hwp_damaged(st, err, "audit",
						  "record %lld has %s (run "
						  "'highwater audit verify')",
						  r.seq, what);
				goto out;
			}
			if ((ret = fn(&r, ctx)) != 0)
				goto out;
		}
		if (rc != HWP_DONE || f->asset == NULL)
			break;
	}
	if (rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read the audit trail");
out:
	hwp_finalize(s);
	free(q.v);
	return ret;
}

int hw_audit_head(struct hw_store *st, char hash[65], long long *seq,
		  struct hw_error *err)
{
	static const unsigned char zero[32];
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, "SELECT seq, hash FROM audit ORDER BY seq DESC "
			       "LIMIT 1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	rc = hwp_step(s);
	if (rc == HWP_ROW && (hwp_col_type(s, 1) != HWP_BLOB ||
				 hwp_col_bytes(s, 1) != 32)) {
		long long n = hwp_col_int64(s, 0);

		hwp_finalize(s);
		return hwp_damaged(st, err, "audit",
				   "record %lld has a hash that is not 32 "
				   "bytes (run 'highwater audit verify')",
				   n);
	}
	if (rc == HWP_ROW) {
		*seq = hwp_col_int64(s, 0);
		hwp_audit_hex(hwp_col_blob(s, 1), hash);
	} else if (rc == HWP_DONE) {
		*seq = 0;
		hwp_audit_hex(zero, hash);
	}
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	return 0;
}

int hw_audit_last(struct hw_store *st, const char *asset, char **actor,
		  char **time, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	char *a = NULL, tbuf[HW_TIME_TEXT];
	long long seq;
	int rc, bad = 0, ok = 1;

	*actor = *time = NULL;
	if (newest(st, asset, &seq, err) < 0)
		return -1;
	if (seq == 0)
		return 0;
	if (hwp_prepare_raw(st, "SELECT actor, time FROM audit WHERE seq = ?1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	hwp_bind_int64(s, 1, seq);
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		a = hwp_col_dup(s, 0, &bad);
		ok = a != NULL && hwp_col_type(s, 1) == HWP_INTEGER &&
		     hwp_audit_time_text(hwp_col_int64(s, 1), tbuf) == 0;
	}
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	if (bad) {
		free(a);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (rc != HWP_ROW || !ok) {
		free(a);
		return hwp_damaged(st, err, "audit",
				   "record %lld, the newest of '%.64s', is "
				   "missing or has no actor or time (run "
				   "'highwater audit verify')",
				   seq, asset);
	}
	if ((*time = strdup(tbuf)) == NULL) {
		free(a);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	*actor = a;
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
	const unsigned char *hash;
	const char *what = NULL;
	char tbuf[HW_TIME_TEXT], bad[HW_ID_MAX + 1];
	struct audit_links links = {0};
	long long total = 0, next = 1, link[2];
	struct hwp_stmt *s = NULL;
	int rc, ret = -1;

	memset(v, 0, sizeof *v);
	memcpy(last, zero, 32);
	hwp_audit_hex(zero, v->head);
	if (progress != NULL &&
	    hwp_prepare_raw(st, "SELECT count(*) FROM audit", &s) == HWP_OK &&
	    hwp_step(s) == HWP_ROW)
		total = hwp_col_int64(s, 0);
	hwp_finalize(s);
	s = NULL;
	if (hwp_prepare_raw(st, "SELECT a.seq, a.time, a.actor, a.action,"
			       " a.object, a.before, a.after, a.hash,"
			       " a.link_a, a.link_b"
			       " FROM audit AS a ORDER BY a.seq", &s) != HWP_OK) {
		hwp_db_error(st, err, "cannot read the audit trail");
		goto out;
	}
	while ((rc = hwp_step(s)) == HWP_ROW) {
		v->records++;
		if (progress != NULL && (v->records & 0xffff) == 0)
			progress(v->records, total, pctx);
		if (!read_record(s, &r, tbuf, 0, &hash, &what)) {
			v->broken = r.seq;
			snprintf(v->why, sizeof v->why, "record %lld has %s",
				 r.seq, what);
			break;
		}
		if (r.seq != next) {
			if (r.seq > next)
				broken(v, r.seq,
				       "record %lld follows record %lld: the "
				       "records from %lld on were deleted (or "
				       "the records renumbered)",
				       r.seq, next - 1, next);
			else
				broken(v, r.seq,
				       "record %lld should be number %lld: "
				       "the records were renumbered",
				       r.seq, next);
			break;
		}
		/* Each hash covers the one before it (prev): a record
		 * deleted, inserted or moved before this one breaks it. */
		if (hwp_audit_hash(
			st, &b, r.seq, r.time, r.actor, r.action, r.object,
			r.before, (size_t)hwp_col_bytes(s, 5), r.after,
			(size_t)hwp_col_bytes(s, 6), last, h, err) < 0)
			goto out;
		if (memcmp(h, hash, 32) != 0) {
			broken(v, r.seq,
			       "record %lld does not match its hash: it was "
			       "edited, or the record before it is not the "
			       "one it followed (deleted, inserted or "
			       "reordered)",
			       r.seq);
			break;
		}
		/* The history links: not in the hash, checked against the
		 * trail's own order. */
		link[0] = hwp_col_int64(s, 8);
		link[1] = hwp_col_int64(s, 9);
		rc = hwp_audit_links_check(&links, r.object, r.seq, link, bad);
		if (rc < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
		if (rc == 0) {
			broken(v, r.seq,
			       "record %lld's link to the record before it in "
			       "the history of '%s' is not the trail's: an "
			       "asset's history was altered",
			       r.seq, bad);
			break;
		}
		rc = HWP_ROW;
		if (expect != NULL && strcmp(expect, r.hash) == 0)
			v->expect_found = 1;
		memcpy(last, hash, 32);
		next = r.seq + 1;
	}
	if (v->broken == 0 && rc != HWP_DONE) {
		hwp_db_error(st, err, "cannot read the audit trail");
		goto out;
	}
	if (v->broken == 0) {
		long long want = 0, got = 0;

		rc = hwp_audit_last_check(st, &links, bad, &want, &got, err);
		if (rc < 0)
			goto out;
		if (rc == 0)
			broken(v, want > 0 ? want : next,
			       "the newest record of '%s' is said to be %lld, "
			       "the trail's is %lld: an asset's history was "
			       "altered",
			       bad, got, want);
	}
	hwp_audit_hex(last, v->head);
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
	hwp_finalize(s);
	hwp_buf_release(&b);
	hwp_audit_links_free(&links);
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
	long long seq;
	int ret = -1;

	/* Written once: a trail that has records has its start. */
	if (hw_audit_head(st, hex, &seq, err) < 0)
		return -1;
	if (seq > 0)
		return 0;
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
	hwp_audit_hex(h, hex);
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
	ret = hwp_audit(st, "migrate", "inventory", NULL, after, err);
	st->actor = saved;
out:
	json_decref(after);
	EVP_MD_CTX_free(d.md);
	hwp_buf_release(&d.line);
	return ret;
}

/*
 * store-audit.c: appending to the hash-chained audit trail (DESIGN.md
 * "Audit record"): one record per object a write changes, in the
 * writer's transaction.  A record's hash is the SHA-256 (OpenSSL's EVP)
 * of the canonical text [1,seq,time,actor,action,object,before,after,
 * prev]; the newest record's seq and hash are read once a transaction
 * and kept, so that an append is one hash and one insert.  A row keeps
 * what the text needs and no more: the time as microseconds since 1970
 * (the text is made from it), no prev (the row before holds it), the
 * links of the assets' histories (store-audit-link.c).  Also who
 * writes: the actor the records (and history) name.
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
	[AQ_INSERT] = ("INSERT INTO audit (" AUDIT_ROW_COLS ")"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
};
/* clang-format on */

static struct hwp_stmt *audit_stmt(struct hw_store *st, enum audit_stmt id,
				struct hw_error *err)
{
	return hwp_cached(st, &st->audit.stmt[id], audit_sql[id],
			  "cannot prepare the audit trail", err);
}

void hwp_audit_close(struct hw_store *st)
{
	int i;

	for (i = 0; i < AQ_MAX; i++)
		hwp_finalize(st->audit.stmt[i]);
	hwp_finalize(st->audit.batch);
	hwp_buf_release(&st->audit.rowtext);
	hwp_buf_release(&st->audit.before);
	hwp_buf_release(&st->audit.after);
	hwp_buf_release(&st->audit.text);
	EVP_MD_CTX_free(st->audit.mdctx);
	hwp_audit_links_close(st);
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_MD_free(st->audit.md);
#endif
}

/* The kept seq and hash hold for one transaction: another connection
 * may append between two. */
static int on_commit(void *ctx)
{
	struct store_audit *au = &((struct hw_store *)ctx)->audit;

	au->known = 0;
	/* a load's records not inserted: the commit becomes a rollback
	 * rather than lose them (hwp_audit_rows_flush comes first) */
	return au->nrows > 0;
}

static void on_rollback(void *ctx)
{
	struct store_audit *au = &((struct hw_store *)ctx)->audit;

	au->known = 0;
	au->nrows = 0;
	hwp_buf_reset(&au->rowtext);
}

/* ------------------------------------------------------------------ */
/* The hash                                                            */

void hwp_audit_hex(const unsigned char h[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* The digest fetched once and its context reused: EVP_Digest fetches
 * and allocates on every call, three times the cost of the hash of a
 * record. */
int hwp_audit_sha256(struct hw_store *st, const void *data, size_t n,
		     unsigned char out[32], struct hw_error *err)
{
	struct store_audit *au = &st->audit;
	unsigned int len = 0;

	if (au->md == NULL) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
		au->md = EVP_MD_fetch(NULL, "SHA256", NULL);
#else
		au->md = (EVP_MD *)EVP_sha256();
#endif
		if (au->md == NULL)
			return hw_error_set(err, HW_ENOMEM,
					    "cannot fetch SHA-256 (OpenSSL)");
	}
	if (au->mdctx == NULL && (au->mdctx = EVP_MD_CTX_new()) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (!EVP_DigestInit_ex(au->mdctx, au->md, NULL) ||
	    !EVP_DigestUpdate(au->mdctx, data, n) ||
	    !EVP_DigestFinal_ex(au->mdctx, out, &len) || len != 32)
		return hw_error_set(err, HW_ENOMEM,
				    "cannot compute a SHA-256 (OpenSSL)");
	return 0;
}

int hwp_audit_hash(struct hw_store *st, struct hwp_buf *b, long long seq,
		   const char *time, const char *actor, const char *action,
		   const char *object, const char *before, size_t before_len,
		   const char *after, size_t after_len,
		   const unsigned char prev[32], unsigned char out[32],
		   struct hw_error *err)
{
	char num[32], hex[65];

	hwp_buf_reset(b);
	snprintf(num, sizeof num, "[1,%lld,", seq);
	hwp_audit_hex(prev, hex);
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
	return hwp_audit_sha256(st, b->data, b->len, out, err);
}

int hwp_audit_time_text(long long us, char out[HW_TIME_TEXT])
{
	char sec[HW_TIME_TEXT];
	size_t n;

	/* 0001-01-01 to 9999-12-31, as hw_time_format writes */
	if (us < -62135596800000000LL || us > 253402300799999999LL)
		return -1;
	hw_time_format(
	    (hw_time)(us >= 0 ? us / 1000000 : (us - 999999) / 1000000), sec);
	n = strlen(sec);
	if (n < 2 || sec[n - 1] != 'Z')
		return -1;
	snprintf(out, HW_TIME_TEXT, "%.*s.%06dZ", (int)(n - 1), sec,
		 (int)(((us % 1000000) + 1000000) % 1000000));
	return 0;
}

/* Now: microseconds since 1970 (UTC) in *us, and as the records'
 * text (NULL if the clock is out of years 1 to 9999); the second's
 * text is kept, as a load writes many a second. */
static const char *now_text(struct store_audit *au, long long *us)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	if (au->clock_text[0] == '\0' ||
	    au->clock_sec != (long long)ts.tv_sec) {
		if (hwp_audit_time_text(*us, au->clock_text) < 0) {
			au->clock_text[0] = '\0';
			return NULL;
		}
		au->clock_sec = (long long)ts.tv_sec;
	}
	/* ".ffffffZ" of this microsecond */
	snprintf(au->clock_text + 20, sizeof au->clock_text - 20, "%06dZ",
		 (int)(ts.tv_nsec / 1000));
	return au->clock_text;
}

/* ------------------------------------------------------------------ */
/* Appending                                                           */

/* The newest record's seq and hash, once a transaction. */
static int read_last(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc;

	if (!st->audit.hooked) {
		if (st->db != NULL) {
			sqlite3_commit_hook(st->db, on_commit, st);
			sqlite3_rollback_hook(st->db, on_rollback, st);
		}
		st->on_commit = on_commit;
		st->on_rollback = on_rollback;
		st->audit.hooked = 1;
	}
	if (st->audit.known)
		return 0;
	if ((s = audit_stmt(st, AQ_LAST, err)) == NULL)
		return -1;
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		st->audit.seq = hwp_col_int64(s, 0);
		if (hwp_col_type(s, 1) != HWP_BLOB ||
		    hwp_col_bytes(s, 1) != 32 || st->audit.seq < 1) {
			hwp_reset(s);
			return hwp_damaged(st, err, "audit",
					   "record %lld has no 32-byte hash "
					   "(run 'highwater audit verify')",
					   st->audit.seq);
		}
		memcpy(st->audit.prev, hwp_col_blob(s, 1), 32);
	} else if (rc == HWP_DONE) {
		st->audit.seq = 0;
		memset(st->audit.prev, 0, 32);
	} else {
		hwp_reset(s);
		return hwp_step_error(st, rc, err,
				      "cannot read the audit trail");
	}
	hwp_reset(s);
	st->audit.known = 1;
	return 0;
}

/* The columns of a record's row, bound from parameter base + 1 on:
 * seq, time, actor, action, object, before, after, hash, links. */
static void bind_row(struct hwp_stmt *s, int base, const struct audit_row *r,
		     const char *const txt[5])
{
	int i;

	hwp_bind_int64(s, base + 1, r->seq);
	hwp_bind_int64(s, base + 2, r->us);
	for (i = 0; i < 5; i++)
		if (txt[i] != NULL)
			hwp_bind_textn(s, base + 3 + i, txt[i],
					  (int)r->len[i], HWP_STATIC);
	hwp_bind_blob(s, base + 8, r->hash, 32, HWP_STATIC);
	for (i = 0; i < 2; i++)
		if (r->link[i] > 0)
			hwp_bind_int64(s, base + 9 + i, r->link[i]);
}

static int insert_row(struct hw_store *st, const struct audit_row *r,
		      const char *const txt[5], struct hw_error *err)
{
	struct hwp_stmt *s = audit_stmt(st, AQ_INSERT, err);
	int rc;

	if (s == NULL)
		return -1;
	bind_row(s, 0, r, txt);
	rc = hwp_step(s);
	hwp_reset(s);
	hwp_clear_bindings(s);
	return rc == HWP_DONE
		   ? 0
		   : hwp_step_error(st, rc, err,
				    "cannot write the audit trail");
}

/* The texts of kept row r, in the batch's buffer. */
static void row_texts(const struct store_audit *au, const struct audit_row *r,
		      const char *txt[5])
{
	int i;

	for (i = 0; i < 5; i++)
		txt[i] =
		    r->at[i] == AUDIT_NONE ? NULL : au->rowtext.data + r->at[i];
}

/* A full batch is one INSERT of AUDIT_BATCH rows: half the cost a row
 * of one insert each, as for dependencies; fewer, one each. */
int hwp_audit_rows_flush(struct hw_store *st, struct hw_error *err)
{
	struct store_audit *au = &st->audit;
	const char *txt[5];
	int i, rc = HWP_DONE, ret = 0;

	/* (PostgreSQL, a load into an empty inventory: a row an insert,
	 * which its COPY takes) */
	if (au->nrows == AUDIT_BATCH &&
	    !(st->pg != NULL && st->load.active && st->load.empty)) {
		if (au->batch == NULL) {
			struct hwp_buf sql = HWP_BUF_INIT;

			rc = hwp_buf_adds(&sql,
					  "INSERT INTO audit (" AUDIT_ROW_COLS
					  ") VALUES ",
					  err);
			for (i = 0; rc == 0 && i < AUDIT_BATCH; i++)
				rc = hwp_buf_adds(&sql,
						  i ? ",(?,?,?,?,?,?,?,?,?,?)"
						    : "(?,?,?,?,?,?,?,?,?,?)",
						  err);
			if (rc == 0 &&
			    hwp_prepare_kept(st, sql.data, &au->batch) !=
				HWP_OK)
				rc = hwp_db_error(
				    st, err, "cannot prepare the audit trail");
			hwp_buf_release(&sql);
			if (rc != 0)
				return -1;
		}
		for (i = 0; i < AUDIT_BATCH; i++) {
			row_texts(au, &au->rows[i], txt);
			bind_row(au->batch, 10 * i, &au->rows[i], txt);
		}
		rc = hwp_step(au->batch);
		hwp_reset(au->batch);
		hwp_clear_bindings(au->batch);
		if (rc != HWP_DONE)
			ret = hwp_step_error(st, rc, err,
					     "cannot write the audit trail");
	} else
		for (i = 0; i < au->nrows && ret == 0; i++) {
			row_texts(au, &au->rows[i], txt);
			ret = insert_row(st, &au->rows[i], txt, err);
		}
	/* On failure the rows stay: the commit hook refuses to commit
	 * without them, and a rollback clears them. */
	if (ret == 0) {
		au->nrows = 0;
		hwp_buf_reset(&au->rowtext);
	}
	return ret;
}

/* Row r of a load kept for the next batch, its texts copied. */
static int keep_row(struct hw_store *st, struct audit_row *r,
		    const char *const txt[5], struct hw_error *err)
{
	struct store_audit *au = &st->audit;
	int i;

	/* a batch whose insert failed is still there: try it again (the
	 * transaction is to be rolled back anyway) */
	if (au->nrows == AUDIT_BATCH && hwp_audit_rows_flush(st, err) < 0)
		return -1;
	for (i = 0; i < 5; i++) {
		r->at[i] = txt[i] == NULL ? AUDIT_NONE : au->rowtext.len;
		if (txt[i] != NULL &&
		    hwp_buf_add(&au->rowtext, txt[i], r->len[i], err) < 0)
			return -1;
	}
	au->rows[au->nrows++] = *r;
	return au->nrows == AUDIT_BATCH ? hwp_audit_rows_flush(st, err) : 0;
}

int hwp_audit_text(struct hw_store *st, const char *action, const char *object,
		   const char *before, size_t before_len, const char *after,
		   size_t after_len, struct hw_error *err)
{
	const char *actor = st->actor ? st->actor : "unknown", *time;
	const char *txt[5] = {actor, action, object, before, after};
	struct audit_row r;

	if (st->audit.mute) {
		st->audit.muted++;
		return 0;
	}
	if (hwp_autocommit(st))
		return hw_error_set(err, HW_EINVAL,
				    "a write to %s outside a transaction (it "
				    "would not be audited)",
				    object);
	if (read_last(st, err) < 0)
		return -1;
	r.seq = st->audit.seq + 1;
	r.len[0] = strlen(actor);
	r.len[1] = strlen(action);
	r.len[2] = strlen(object);
	r.len[3] = before_len;
	r.len[4] = after_len;
	if ((time = now_text(&st->audit, &r.us)) == NULL)
		return hw_error_set(err, HW_EINVAL,
				    "the system clock is outside years 1 to "
				    "9999: no record can be written");
	if (hwp_audit_hash(st, &st->audit.text, r.seq, time, actor, action,
			   object, before, before_len, after, after_len,
			   st->audit.prev, r.hash, err) < 0 ||
	    hwp_audit_links(st, object, r.seq, r.link, err) < 0 ||
	    (st->load.active ? keep_row(st, &r, txt, err)
			     : insert_row(st, &r, txt, err)) < 0 ||
	    hwp_audit_linked(st, object, r.seq, err) < 0) {
		st->audit.known = 0;
		return -1;
	}
	st->audit.seq = r.seq;
	memcpy(st->audit.prev, r.hash, 32);
	return 0;
}

int hwp_audit(struct hw_store *st, const char *action, const char *object,
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
	return hwp_audit_text(st, action, object, before ? b->data : NULL,
			      b->len, after ? a->data : NULL, a->len, err);
}

int hwp_audit_new(struct hw_store *st, const char *action, const char *object,
		  json_t *before, int had_before, json_t *after, int had_after,
		  struct hw_error *err)
{
	int rc;

	if ((had_before && before == NULL) || (had_after && after == NULL))
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	else
		rc = hwp_audit(st, action, object, before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

int hwp_audit_ready(struct hw_store *st, const char *what, struct hw_error *err)
{
	if (st->audit.mute || !hwp_autocommit(st))
		return 0;
	return hw_error_set(err, HW_EINVAL,
			    "%s outside a transaction (it would not be "
			    "audited): begin one first",
			    what);
}

/* ------------------------------------------------------------------ */
/* The records of the inventory's writes (store-inventory.c,
 * store-settings.c)                                                   */

/* clang-format off */
#define COUNTS_SQL                                                             \
	"SELECT (SELECT count(*) FROM asset),"                                 \
	" (SELECT count(*) FROM dependency),"                                  \
	" (SELECT count(*) FROM info_type WHERE builtin = 0)"
/* clang-format on */

int hwp_audit_clear(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	json_t *before;
	long long n[3];
	int rc;

	if (st->audit.mute)
		return 0;
	if (hwp_prepare_raw(st, COUNTS_SQL, &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot count the inventory");
	rc = hwp_step(s);
	n[0] = hwp_col_int64(s, 0);
	n[1] = hwp_col_int64(s, 1);
	n[2] = hwp_col_int64(s, 2);
	hwp_finalize(s);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot count the inventory");
	if (n[0] + n[1] + n[2] == 0)
		return 0;
	/* One record with the counts, not one per object removed. */
	before = json_pack("{s:I,s:I,s:I}", "assets", (json_int_t)n[0],
			   "dependencies", (json_int_t)n[1],
			   "information_types", (json_int_t)n[2]);
	if (before == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hwp_audit(st, "clear", "inventory", before, NULL, err);
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
		       (snprintf(obj, sizeof obj, "%s:%s", kind, name), obj),
		       before, after, err);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Who writes                                                          */

int hw_store_set_actor(struct hw_store *st, const char *actor,
		       struct hw_error *err)
{
	char *copy = NULL;

	if (actor != NULL && (*actor == '\0' || strlen(actor) > 256))
		return hw_error_set(err, HW_EINVAL,
				    "the actor must be 1 to 256 characters");
	if (actor != NULL && (copy = strdup(actor)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	free(st->actor);
	st->actor = copy;
	return 0;
}

const char *hwp_actor(const struct hw_store *st)
{
	return st->actor != NULL ? st->actor : "unknown";
}

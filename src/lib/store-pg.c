/*
 * store-pg.c: the PostgreSQL engine behind the store's facade
 * (store-sql.h): statements over libpq, their parameters and results,
 * and transactions.  Errors as the facade's codes are store-pg-error.c's,
 * plain inserts sent with COPY store-pg-copy.c's, connecting and the
 * schema store-pg-open.c's.
 *
 * Statements are written once, in the SQL both engines share; ?N (and
 * a bare ?) become $N here, and SQLite's "CROSS JOIN t ON" (a join
 * order fixed for its planner) a plain JOIN.  Results come in text format and
 * are read back as SQLite would give them: integers, reals, text, blobs (bytea,
 * hex-decoded once a row), NULL.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store-pg-stmt.h"

/* ------------------------------------------------------------------ */
/* Statements                                                          */

/* sql with ?N and ? renamed $N (a bare ? is the one after the highest
 * so far, as SQLite numbers them), outside quotes; the highest in *n. */
static char *translate(const char *sql, int *n)
{

	size_t len = strlen(sql), marks = 0;
	char *out, *q;
	const char *p;
	int max = 0;

	/* each ? becomes $ and at most 10 digits */
	for (p = sql; *p != '\0'; p++)
		marks += *p == '?';
	out = malloc(len + marks * 10 + 1);
	if (out == NULL)
		return NULL;
	q = out;
	for (p = sql; *p != '\0'; p++) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;

			*q++ = *p++;
			while (*p != '\0' && *p != quote)
				*q++ = *p++;
			if (*p == '\0')
				break;
			*q++ = *p;
			continue;
		}
		if (strncmp(p, "CROSS JOIN ", 11) == 0) {
			p += 5; /* "JOIN " follows */
			*q++ = *p;
			continue;
		}
		if (*p != '?') {
			*q++ = *p;
			continue;
		}
		if (p[1] >= '0' && p[1] <= '9') {
			char *end;
			long v = strtol(p + 1, &end, 10);

			if (v > 32767) /* more than any statement binds */
				v = 32767;
			p = end - 1;
			if (v > max)
				max = (int)v;
			q += sprintf(q, "$%ld", v);
		} else {
			q += sprintf(q, "$%d", ++max);
		}
	}
	*q = '\0';
	*n = max;
	return out;
}

/* Does sql name $N exactly (not $N0...)? */
static int named(const char *sql, const char *mark)
{
	size_t n = strlen(mark);
	const char *p = sql;

	while ((p = strstr(p, mark)) != NULL) {
		p += n;
		if (*p < '0' || *p > '9')
			return 1;
	}
	return 0;
}

int hwp_pg_prepare(struct hw_store *st, const char *sql, int kept,
		   struct hwp_stmt **out)
{
	struct hwp_stmt *w = calloc(1, sizeof *w);
	struct pg_stmt *s = calloc(1, sizeof *s);

	if (w == NULL || s == NULL)
		goto nomem;
	s->st = st;
	s->kept = kept == 1;
	s->sql = translate(sql, &s->nparams);
	if (s->sql == NULL)
		goto nomem;
	if (s->nparams > 0) {
		size_t n = (size_t)s->nparams;
		char mark[16];
		int i;

		s->param = calloc(n, sizeof *s->param);
		s->vals = calloc(n, sizeof *s->vals);
		s->lens = calloc(n, sizeof *s->lens);
		s->fmts = calloc(n, sizeof *s->fmts);
		s->types = calloc(n, sizeof *s->types);
		s->unused = calloc(n, 1);
		if (s->param == NULL || s->vals == NULL || s->lens == NULL ||
		    s->fmts == NULL || s->types == NULL || s->unused == NULL)
			goto nomem;
		for (i = 0; i < s->nparams; i++) {
			snprintf(mark, sizeof mark, "$%d", i + 1);
			s->unused[i] = !named(s->sql, mark);
		}
	}
	s->stream = kept == HWP_PG_STREAM;
	s->copy_sql = hwp_pg_copy_sql(s->sql, s->nparams);
	if (kept == 1)
		s->id = ++st->pgs->names;
	w->pg = s;
	*out = w;
	return HWP_OK;
nomem:
	if (s != NULL)
		hwp_pg_finalize(s);
	free(w);
	return hwp_pg_nomem(st);
}

static void clear_blobs(struct pg_stmt *s)
{
	int i;

	if (s->blob == NULL)
		return;
	for (i = 0; i < s->ncols; i++) {
		PQfreemem(s->blob[i]);
		s->blob[i] = NULL;
	}
}

/* A streamed query left before its end: its rows read and dropped
 * (a cancel would abort the transaction it runs in). */
static void stream_drain(struct pg_stmt *s)
{
	PGresult *r;

	if (!s->streaming)
		return;
	while ((r = PQgetResult(s->st->pg)) != NULL)
		PQclear(r);
	s->streaming = 0;
}

void hwp_pg_reset(struct pg_stmt *s)
{
	stream_drain(s);
	clear_blobs(s);
	free(s->blob);
	free(s->blob_len);
	s->blob = NULL;
	s->blob_len = NULL;
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = s->ncols = 0;
	s->ran = s->failed = 0;
}

static void param_clear(struct pg_param *p)
{
	free(p->own);
	memset(p, 0, sizeof *p);
}

void hwp_pg_clear_bindings(struct pg_stmt *s)
{
	int i;

	for (i = 0; s->param != NULL && i < s->nparams; i++)
		param_clear(&s->param[i]);
}

/* A kept statement lives as long as its connection (the statement
 * caches): its server-side twin ends with the session. */
void hwp_pg_finalize(struct pg_stmt *s)
{
	if (s->pending)
		hwp_pg_flush_pending(s->st);
	free(s->copy_sql);
	free(s->copy_bin);
	free(s->coltype);
	free(s->cbuf);
	hwp_pg_reset(s);
	hwp_pg_clear_bindings(s);
	free(s->param);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->types);
	free(s->unused);
	free(s->sql);
	free(s);
}

/* Parameter i (1-based) to bind, cleared; NULL if out of range. */
static struct pg_param *param_at(struct pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams)
		return NULL;
	param_clear(&s->param[i - 1]);
	return &s->param[i - 1];
}

/* Parameter i made a number of type, its text written in num when it
 * is needed (hwp_pg_param_text): a COPY in binary never needs it. */
static struct pg_param *param_num(struct pg_stmt *s, int i, Oid type)
{
	struct pg_param *p = param_at(s, i);

	if (p != NULL) {
		p->v = p->num;
		p->type = type;
	}
	return p;
}

int hwp_pg_bind_int64(struct pg_stmt *s, int i, long long v)
{
	struct pg_param *p = param_num(s, i, OID_INT8);

	if (p == NULL)
		return HWP_ERROR;
	p->i = v;
	return HWP_OK;
}

int hwp_pg_bind_double(struct pg_stmt *s, int i, double v)
{
	struct pg_param *p = param_num(s, i, OID_FLOAT8);

	if (p == NULL)
		return HWP_ERROR;
	p->d = v;
	return HWP_OK;
}

int hwp_pg_bind_null(struct pg_stmt *s, int i)
{
	return param_at(s, i) != NULL ? HWP_OK : HWP_ERROR;
}

int hwp_pg_bind_bytes(struct pg_stmt *s, int i, const void *v, int n, int blob,
		      int copy)
{
	struct pg_param *p = param_at(s, i);
	size_t len;

	if (p == NULL)
		return HWP_ERROR;
	if (v == NULL)
		return HWP_OK;
	len = n < 0 ? strlen(v) : (size_t)n;
	if (len > INT_MAX)
		return HWP_ERROR;
	/* text goes NUL-terminated; a blob as bytes (binary format) */
	if (copy || (!blob && n >= 0)) {
		p->own = malloc(len + 1);
		if (p->own == NULL)
			return HWP_NOMEM;
		memcpy(p->own, v, len);
		p->own[len] = '\0';
		v = p->own;
	}
	p->v = v;
	p->len = (int)len;
	p->fmt = blob;
	p->type = blob ? OID_BYTEA : 0;
	return HWP_OK;
}

/* The bound parameters into libpq's arrays. */
static void params_ready(struct pg_stmt *s)
{
	int i;

	for (i = 0; i < s->nparams; i++) {
		s->vals[i] = hwp_pg_param_text(&s->param[i]);
		s->lens[i] = s->param[i].len;
		s->fmts[i] = s->param[i].fmt;
		s->types[i] = s->param[i].type;
		if (s->types[i] == 0 && s->unused[i])
			s->types[i] = OID_TEXT;
	}
}

/* Run the statement with its parameters: the result, or NULL. */
static PGresult *run(struct pg_stmt *s)
{
	struct hw_store *st = s->st;
	char name[24];

	params_ready(s);
	if (!s->kept)
		return PQexecParams(st->pg, s->sql, s->nparams, s->types,
				    s->vals, s->lens, s->fmts, 0);
	snprintf(name, sizeof name, "hw%u", s->id);
	if (!s->prepared) {
		PGresult *r =
		    PQprepare(st->pg, name, s->sql, s->nparams, s->types);

		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		s->prepared = 1;
	}
	return PQexecPrepared(st->pg, name, s->nparams, s->vals, s->lens,
			      s->fmts, 0);
}

/* Did r's statement write rows (INSERT, UPDATE, DELETE)? */
static int wrote(const PGresult *r)
{
	const char *tag = PQcmdStatus((PGresult *)r);

	return strncmp(tag, "INSERT ", 7) == 0 ||
	       strncmp(tag, "UPDATE ", 7) == 0 ||
	       strncmp(tag, "DELETE ", 7) == 0;
}

/* A streamed statement's next row: a result of its own each (libpq's
 * single-row mode), so that a scan of millions of rows never holds more
 * than one. */
static int step_stream(struct pg_stmt *s)
{
	struct hw_store *st = s->st;
	PGresult *r;

	if (!s->ran) {
		st->pgs->errcode = HWP_OK;
		st->pgs->errmsg[0] = '\0';
		s->ran = 1;
		params_ready(s);
		if (!PQsendQueryParams(st->pg, s->sql, s->nparams, s->types,
				       s->vals, s->lens, s->fmts, 0))
			return hwp_pg_result_error(st, NULL);
		s->streaming = 1;
		if (!PQsetSingleRowMode(st->pg)) {
			stream_drain(s);
			return hwp_pg_result_error(st, NULL);
		}
	}
	clear_blobs(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	if (!s->streaming)
		return HWP_DONE;
	r = PQgetResult(st->pg);
	switch (PQresultStatus(r)) {
	case PGRES_SINGLE_TUPLE:
		s->res = r;
		s->nrows = 1;
		if (s->blob == NULL) {
			s->ncols = PQnfields(r);
			s->blob = calloc((size_t)s->ncols + 1, sizeof *s->blob);
			s->blob_len =
			    calloc((size_t)s->ncols + 1, sizeof *s->blob_len);
			if (s->blob == NULL || s->blob_len == NULL) {
				stream_drain(s);
				return hwp_pg_nomem(st);
			}
		}
		return HWP_ROW;
	case PGRES_TUPLES_OK:
		PQclear(r);
		stream_drain(s);
		return HWP_DONE;
	default:
		hwp_pg_result_error(st, r);
		PQclear(r);
		stream_drain(s);
		return st->pgs->errcode;
	}
}

int hwp_pg_step(struct pg_stmt *s)
{
	struct hw_store *st = s->st;
	PGresult *r;

	if (st->pgs->copy_mode && s->copy_sql != NULL && !s->ran) {
		s->ran = 1;
		return hwp_pg_buffer_row(s) == HWP_OK ? HWP_DONE
						      : st->pgs->errcode;
	}
	if (!s->ran && hwp_pg_flush_pending(st) != HWP_OK)
		return st->pgs->errcode;
	if (s->stream)
		return step_stream(s);
	if (s->ran) {
		if (s->failed)
			return s->failed;
		if (s->row >= s->nrows)
			return HWP_DONE;
		clear_blobs(s);
		s->row++;
		return s->row < s->nrows ? HWP_ROW : HWP_DONE;
	}
	st->pgs->errcode = HWP_OK;
	st->pgs->errmsg[0] = '\0';
	r = run(s);
	s->ran = 1;
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
		s->res = r;
		s->nrows = PQntuples(r);
		s->ncols = PQnfields(r);
		s->row = 0;
		/* rows written, as sqlite3_changes: a write's (INSERT ...
		 * RETURNING), never a SELECT's rows */
		if (wrote(r))
			st->pgs->changes = strtoll(PQcmdTuples(r), NULL, 10);
		if (s->ncols > 0) {
			s->blob = calloc((size_t)s->ncols, sizeof *s->blob);
			s->blob_len =
			    calloc((size_t)s->ncols, sizeof *s->blob_len);
			if (s->blob == NULL || s->blob_len == NULL) {
				s->nrows = 0;
				return s->failed = hwp_pg_nomem(st);
			}
		}
		return s->nrows > 0 ? HWP_ROW : HWP_DONE;
	case PGRES_COMMAND_OK:
		if (wrote(r))
			st->pgs->changes = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		s->nrows = 0;
		return HWP_DONE;
	default:
		hwp_pg_result_error(st, r);
		PQclear(r);
		s->nrows = 0;
		return s->failed = st->pgs->errcode;
	}
}

/* The current row's column i, or NULL (out of range, or SQL NULL). */
static const char *cell(struct pg_stmt *s, int i)
{
	if (s->res == NULL || s->row >= s->nrows || i < 0 || i >= s->ncols ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

int hwp_pg_col_type(struct pg_stmt *s, int i)
{
	const char *v = cell(s, i);

	if (v == NULL)
		return HWP_NULL;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return HWP_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return HWP_FLOAT;
	case OID_NUMERIC:
		return strpbrk(v, ".eEN") ? HWP_FLOAT : HWP_INTEGER;
	case OID_BYTEA:
		return HWP_BLOB;
	default:
		return HWP_TEXT;
	}
}

long long hwp_pg_col_int64(struct pg_stmt *s, int i)
{
	const char *v = cell(s, i);
	double d;

	if (v == NULL)
		return 0;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
		return v[0] == 't';
	case OID_NUMERIC:
		if (strpbrk(v, ".eEN") == NULL) /* integral: exactly */
			return strtoll(v, NULL, 10);
		/* fall through */
	case OID_FLOAT4:
	case OID_FLOAT8:
		d = strtod(v, NULL);
		/* as SQLite: saturated, NaN 0 */
		if (!(d == d))
			return 0;
		if (d >= 9.2233720368547758e18)
			return LLONG_MAX;
		if (d <= -9.2233720368547758e18)
			return LLONG_MIN;
		return (long long)d;
	default:
		return strtoll(v, NULL, 10);
	}
}

double hwp_pg_col_double(struct pg_stmt *s, int i)
{
	const char *v = cell(s, i);

	if (v == NULL)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtod(v, NULL);
}

/* Column i of a bytea decoded (hex format), kept until the next row. */
static const unsigned char *bytea(struct pg_stmt *s, int i, size_t *len)
{
	const char *v = cell(s, i);

	*len = 0;
	if (v == NULL || s->blob == NULL)
		return NULL;
	if (s->blob[i] == NULL) {
		s->blob[i] =
		    PQunescapeBytea((const unsigned char *)v, &s->blob_len[i]);
		if (s->blob[i] == NULL)
			return NULL;
	}
	*len = s->blob_len[i];
	return s->blob[i];
}

const unsigned char *hwp_pg_col_text(struct pg_stmt *s, int i)
{
	const char *v = cell(s, i);

	if (v == NULL)
		return NULL;
	if (PQftype(s->res, i) == OID_BOOL)
		return (const unsigned char *)(v[0] == 't' ? "1" : "0");
	return (const unsigned char *)v;
}

const void *hwp_pg_col_blob(struct pg_stmt *s, int i)
{
	size_t len;

	if (cell(s, i) == NULL)
		return NULL;
	if (PQftype(s->res, i) == OID_BYTEA)
		return bytea(s, i, &len);
	return PQgetvalue(s->res, s->row, i);
}

int hwp_pg_col_bytes(struct pg_stmt *s, int i)
{
	size_t len;

	if (cell(s, i) == NULL)
		return 0;
	if (PQftype(s->res, i) == OID_BYTEA) {
		bytea(s, i, &len);
		return len > INT_MAX ? INT_MAX : (int)len;
	}
	if (PQftype(s->res, i) == OID_BOOL)
		return 1;
	return PQgetlength(s->res, s->row, i);
}

/* ------------------------------------------------------------------ */
/* The connection                                                      */

int hwp_pg_exec(struct hw_store *st, const char *sql)
{
	PGresult *r;
	ExecStatusType k;
	int rc = HWP_OK;

	if (hwp_pg_flush_pending(st) != HWP_OK)
		return st->pgs->errcode;
	st->pgs->errcode = HWP_OK;
	st->pgs->errmsg[0] = '\0';
	r = PQexec(st->pg, sql);
	k = PQresultStatus(r);
	if (k != PGRES_COMMAND_OK && k != PGRES_TUPLES_OK)
		rc = hwp_pg_result_error(st, r);
	PQclear(r);
	return rc;
}

int hwp_pg_autocommit(struct hw_store *st)
{
	return PQtransactionStatus(st->pg) == PQTRANS_IDLE;
}

long long hwp_pg_changes(struct hw_store *st)
{
	return st->pgs->changes;
}

/* Writers take the inventory's one lock: every write transaction, from
 * any host, runs alone, as SQLite's BEGIN IMMEDIATE makes them (the
 * audit trail stays one chain; lifecycle steps cannot interleave).
 * Readers take no lock: REPEATABLE READ gives each its snapshot. */
#define WRITER_LOCK "SELECT pg_advisory_xact_lock(6879044, 1)"

/* A transaction begun inside another: refused (PostgreSQL only warns,
 * SQLite refuses). */
static int already_open(struct hw_store *st)
{
	snprintf(st->pgs->errmsg, sizeof st->pgs->errmsg,
		 "a transaction is already open");
	return st->pgs->errcode = HWP_ERROR;
}

/* The time a write may still wait for the lock (hw_store_set_wait, or
 * the deadline's rest), in ms: at least 1 (0 would be no limit to
 * PostgreSQL's lock_timeout). */
static long wait_left(const struct hw_store *st)
{
	long ms = st->wait_ms;

	if (st->wait_until > 0) {
		long long left = st->wait_until - hwp_mono_ms();

		if (left < ms)
			ms = left > 0 ? (long)left : 1;
	}
	return ms > 0 ? ms : 1;
}

static int lock_timeout(struct hw_store *st, long ms)
{
	char sql[64];

	/* for this transaction only */
	snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %ld",
		 ms > INT_MAX ? (long)INT_MAX : ms);
	return hwp_pg_exec(st, sql);
}

/* Somebody to tell about a wait (the command line): the first second
 * is waited inside a savepoint, whose timeout leaves the transaction
 * usable; then the notice, as SQLite's busy handler gives it after a
 * second, and the rest of the wait. */
#define NOTICE_AFTER_MS 1000

static int writer_lock(struct hw_store *st)
{
	long ms = wait_left(st);
	long long t0 = hwp_mono_ms();
	int rc;

	if (st->wait_notice == NULL || ms <= NOTICE_AFTER_MS)
		return lock_timeout(st, ms) != HWP_OK
			   ? st->pgs->errcode
			   : hwp_pg_exec(st, WRITER_LOCK);
	if (hwp_pg_exec(st, "SAVEPOINT hw_wait") != HWP_OK ||
	    lock_timeout(st, NOTICE_AFTER_MS) != HWP_OK)
		return st->pgs->errcode;
	rc = hwp_pg_exec(st, WRITER_LOCK);
	if (rc == HWP_OK)
		return hwp_pg_exec(st, "RELEASE SAVEPOINT hw_wait");
	if (rc != HWP_BUSY ||
	    hwp_pg_exec(st, "ROLLBACK TO SAVEPOINT hw_wait") != HWP_OK)
		return rc;
	st->wait_notice(st->wait_ctx, st->wait_ms);
	ms -= (long)(hwp_mono_ms() - t0);
	return lock_timeout(st, ms > 0 ? ms : 1) != HWP_OK
		   ? st->pgs->errcode
		   : hwp_pg_exec(st, WRITER_LOCK);
}

int hwp_pg_begin(struct hw_store *st)
{
	if (!hwp_pg_autocommit(st))
		return already_open(st);
	if (hwp_pg_exec(st, "BEGIN ISOLATION LEVEL READ COMMITTED") != HWP_OK ||
	    writer_lock(st) != HWP_OK) {
		int code = st->pgs->errcode;

		hwp_pg_rollback(st);
		st->pgs->errcode = code;
		return code;
	}
	return HWP_OK;
}

int hwp_pg_read_begin(struct hw_store *st)
{
	if (!hwp_pg_autocommit(st))
		return already_open(st);
	return hwp_pg_exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ "
			       "ONLY");
}

int hwp_pg_commit(struct hw_store *st)
{
	PGresult *r;
	int ok;

	st->pgs->copy_mode = 0; /* (the audit's hook writes as it does) */
	if (hwp_pg_flush_pending(st) != HWP_OK) {
		int code = st->pgs->errcode;

		hwp_pg_rollback(st);
		return st->pgs->errcode = code;
	}
	if (st->on_commit != NULL && st->on_commit(st)) {
		hwp_pg_rollback(st);
		snprintf(st->pgs->errmsg, sizeof st->pgs->errmsg,
			 "audit records were not written");
		return st->pgs->errcode = HWP_ERROR;
	}
	r = PQexec(st->pg, "COMMIT");
	/* COMMIT of a failed transaction answers ROLLBACK */
	ok = PQresultStatus(r) == PGRES_COMMAND_OK &&
	     strcmp(PQcmdStatus(r), "COMMIT") == 0;
	if (!ok) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			snprintf(st->pgs->errmsg, sizeof st->pgs->errmsg,
				 "the transaction had failed and was rolled "
				 "back");
			st->pgs->errcode = HWP_ERROR;
		} else {
			hwp_pg_result_error(st, r);
		}
		PQclear(r);
		if (st->on_rollback != NULL)
			st->on_rollback(st);
		return st->pgs->errcode;
	}
	PQclear(r);
	return HWP_OK;
}

void hwp_pg_rollback(struct hw_store *st)
{
	if (st->pg == NULL)
		return;
	hwp_pg_drop_pending(st);
	st->pgs->copy_mode = 0;
	if (hwp_pg_autocommit(st))
		return;
	PQclear(PQexec(st->pg, "ROLLBACK"));
	if (st->on_rollback != NULL)
		st->on_rollback(st);
}

/*
 * store-pg-copy.c: the PostgreSQL engine's copy mode (hwp_pg_copy_mode):
 * a plain insert's rows kept in its statement's buffer, in COPY's binary
 * format while each value is of its column's type (else in its text
 * format), and sent with COPY ... FROM STDIN before anything else runs
 * on the connection, when the server is free, or when the mode ends.  A
 * COPY's result is read when the connection is next needed: the server
 * stores one buffer's rows while the client makes the next.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store-pg-stmt.h"

/* The COPY of a plain insert (translated: "INSERT INTO t (cols) VALUES
 * ($1, ..., $N)", nothing after), else NULL: what copy mode buffers. */
char *hwp_pg_copy_sql(const char *sql, int n)
{
	const char *t = sql + 12, *open, *close, *v;
	char mark[16], *out;
	size_t len;
	int i;

	if (n < 1 || strncmp(sql, "INSERT INTO ", 12) != 0)
		return NULL;
	open = strchr(t, '(');
	close = open != NULL ? strchr(open, ')') : NULL;
	if (close == NULL || strncmp(close, ") VALUES (", 10) != 0)
		return NULL;
	for (v = t; v < open - 1; v++)
		if (!((*v >= 'a' && *v <= 'z') || *v == '_'))
			return NULL;
	v = close + 10;
	for (i = 1; i <= n; i++) {
		snprintf(mark, sizeof mark, i < n ? "$%d, " : "$%d)", i);
		if (strncmp(v, mark, strlen(mark)) != 0)
			return NULL;
		v += strlen(mark);
	}
	if (*v != '\0')
		return NULL;
	len = (size_t)(close + 1 - t);
	out = malloc(len + 32);
	if (out != NULL)
		snprintf(out, len + 32, "COPY %.*s FROM STDIN", (int)len, t);
	return out;
}

static int copy_begin(struct hw_store *st, const char *sql)
{
	PGresult *r = PQexec(st->pg, sql);
	int rc = HWP_OK;

	st->pgs->errcode = HWP_OK;
	st->pgs->errmsg[0] = '\0';
	if (PQresultStatus(r) != PGRES_COPY_IN)
		rc = hwp_pg_result_error(st, r);
	PQclear(r);
	return rc;
}

static int copy_put(struct hw_store *st, const char *data, size_t n)
{
	/* libpq takes an int's worth at a time */
	while (n > 0) {
		int part = n > (1u << 30) ? 1 << 30 : (int)n;

		if (PQputCopyData(st->pg, data, part) != 1)
			return hwp_pg_result_error(st, NULL);
		data += part;
		n -= (size_t)part;
	}
	return HWP_OK;
}

/* The COPY's end sent; its result is read when the connection is next
 * needed (copy_result), the client meanwhile filling the next buffers
 * while the server stores these rows. */
static int copy_end(struct hw_store *st)
{
	if (PQputCopyEnd(st->pg, NULL) != 1)
		return hwp_pg_result_error(st, NULL);
	st->pgs->copy_unread = 1;
	return HWP_OK;
}

/* The result of the COPY sent last, if unread (keep: an error already
 * reported, this one only read). */
static int copy_result(struct hw_store *st, int keep)
{
	PGresult *r;
	int rc = HWP_OK;

	if (!st->pgs->copy_unread)
		return HWP_OK;
	st->pgs->copy_unread = 0;
	/* the COPY's result, then none */
	while ((r = PQgetResult(st->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == HWP_OK &&
		    !keep)
			rc = hwp_pg_result_error(st, r);
		PQclear(r);
	}
	return rc;
}

/* A buffer is sent when the server is free and it holds COPY_SOME
 * bytes (asked every COPY_LOOK bytes more), or at COPY_FULL: so the
 * server stores one while the client fills the others, and neither waits
 * for the other while the buffers have room. */
#define COPY_SOME (256u << 10)
#define COPY_LOOK (64u << 10)
#define COPY_FULL (8u << 20)

/* Is the COPY sent last still being stored?  (Reads what the server
 * has sent, without waiting.) */
static int copy_busy(struct hw_store *st)
{
	if (!st->pgs->copy_unread)
		return 0;
	/* a broken connection: copy_result says so */
	return PQconsumeInput(st->pg) && PQisBusy(st->pg);
}

/* Binary COPY's header (its signature, no flags, no extension) and
 * trailer (a row of -1 fields). */
static const char bin_head[19] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377',
				  '\r', '\n', '\0'};
static const char bin_tail[2] = {'\377', '\377'};

/* One statement's buffer sent as a COPY, its result left unread. */
static int send_one(struct pg_stmt *s)
{
	struct hw_store *st = s->st;
	int bin = s->coltype != NULL, rc = copy_result(st, 0);

	if (rc == HWP_OK)
		rc = copy_begin(st, bin ? s->copy_bin : s->copy_sql);
	if (rc == HWP_OK) {
		if (bin)
			rc = copy_put(st, bin_head, sizeof bin_head);
		if (rc == HWP_OK)
			rc = copy_put(st, s->cbuf, s->clen);
		if (rc == HWP_OK && bin)
			rc = copy_put(st, bin_tail, sizeof bin_tail);
		/* (ended even so: the connection is free) */
		if (copy_end(st) != HWP_OK && rc == HWP_OK)
			rc = st->pgs->errcode;
	}
	s->clen = s->looked = 0;
	return rc;
}

static int cbuf_add(struct pg_stmt *s, const char *v, size_t n)
{
	if (s->clen + n + 1 > s->ccap) {
		size_t cap = s->ccap ? s->ccap : 65536;
		char *p;

		while (cap < s->clen + n + 1)
			cap *= 2;
		p = realloc(s->cbuf, cap);
		if (p == NULL)
			return -1;
		s->cbuf = p;
		s->ccap = cap;
	}
	memcpy(s->cbuf + s->clen, v, n);
	s->clen += n;
	return 0;
}

/* A text value in COPY's text format: \, tab, newline, CR escaped. */
static int cbuf_text(struct pg_stmt *s, const char *v)
{
	const char *from = v;
	char esc[2] = {'\\', 0};

	for (; *v != '\0'; v++) {
		if (*v == '\\')
			esc[1] = '\\';
		else if (*v == '\t')
			esc[1] = 't';
		else if (*v == '\n')
			esc[1] = 'n';
		else if (*v == '\r')
			esc[1] = 'r';
		else
			continue;
		if (cbuf_add(s, from, (size_t)(v - from)) < 0 ||
		    cbuf_add(s, esc, 2) < 0)
			return -1;
		from = v + 1;
	}
	return cbuf_add(s, from, (size_t)(v - from));
}

/* The bound row in COPY's text format. */
static int text_row(struct pg_stmt *s)
{
	static const char hex[] = "0123456789abcdef";
	int i, k, rc = 0;

	for (i = 0; i < s->nparams && rc == 0; i++) {
		struct pg_param *p = &s->param[i];

		if (i > 0 && cbuf_add(s, "\t", 1) < 0)
			return -1;
		if (p->v == NULL) {
			rc = cbuf_add(s, "\\N", 2);
		} else if (p->fmt == 1) {
			rc = cbuf_add(s, "\\\\x", 3);
			for (k = 0; k < p->len && rc == 0; k++) {
				char h[2] = {hex[(unsigned char)p->v[k] >> 4],
					     hex[(unsigned char)p->v[k] & 15]};

				rc = cbuf_add(s, h, 2);
			}
		} else {
			rc = cbuf_text(s, hwp_pg_param_text(p));
		}
	}
	return rc < 0 ? -1 : cbuf_add(s, "\n", 1);
}

/* n bytes of v, big-endian (binary COPY's integers). */
static int cbuf_be(struct pg_stmt *s, uint64_t v, int n)
{
	char b[8];
	int i;

	for (i = 0; i < n; i++)
		b[i] = (char)(v >> (8 * (n - 1 - i)));
	return cbuf_add(s, b, (size_t)n);
}

/* A value as its column's binary form, length first: 0, 1 if the
 * value is not one the column's type takes as it is (an integer out of
 * int's range, or bound as another kind), -1 out of memory. */
static int bin_value(struct pg_stmt *s, const struct pg_param *p, Oid t)
{
	uint64_t bits;
	size_t n;

	if (p->v == NULL)
		return cbuf_be(s, UINT32_MAX, 4); /* -1: NULL */
	switch (t) {
	case OID_INT8:
		if (p->type != OID_INT8)
			return 1;
		return cbuf_be(s, 8, 4) < 0 ? -1 : cbuf_be(s, (uint64_t)p->i, 8);
	case OID_INT4:
		if (p->type != OID_INT8 || p->i < INT32_MIN || p->i > INT32_MAX)
			return 1;
		return cbuf_be(s, 4, 4) < 0 ? -1 : cbuf_be(s, (uint64_t)p->i, 4);
	case OID_FLOAT8:
		if (p->type != OID_FLOAT8)
			return 1;
		memcpy(&bits, &p->d, sizeof bits);
		return cbuf_be(s, 8, 4) < 0 ? -1 : cbuf_be(s, bits, 8);
	case OID_TEXT:
		if (p->fmt != 0 || p->type != 0)
			return 1;
		/* to its first NUL, as the text format sends it */
		n = strlen(p->v);
		break;
	case OID_BYTEA:
		if (p->fmt != 1)
			return 1;
		n = (size_t)p->len;
		break;
	default:
		return 1;
	}
	if (n > INT32_MAX)
		return 1;
	return cbuf_be(s, n, 4) < 0 ? -1 : cbuf_add(s, p->v, n);
}

/* The bound row in binary COPY's format: 0, 1 if a value is not one its
 * column takes as it is (nothing added), -1 out of memory. */
static int bin_row(struct pg_stmt *s)
{
	size_t start = s->clen;
	int i, rc = cbuf_be(s, (uint64_t)s->nparams, 2);

	for (i = 0; i < s->nparams && rc == 0; i++)
		rc = bin_value(s, &s->param[i], s->coltype[i]);
	if (rc > 0)
		s->clen = start;
	return rc;
}

/* Whether s's rows go in binary: the types the server gives its
 * insert's parameters (their columns'), described once, before its
 * first row; binary when the client writes each one's binary form.
 * (The rows buffered so far are sent first: the connection is needed.)
 * An insert the server refuses is refused with the same error as its
 * COPY would be. */
static int copy_decide(struct pg_stmt *s)
{
	struct hw_store *st = s->st;
	PGresult *r;
	Oid *t = NULL;
	int i, rc = hwp_pg_flush_pending(st);

	if (rc != HWP_OK)
		return rc;
	s->decided = 1;
	r = PQprepare(st->pg, "", s->sql, s->nparams, NULL);
	if (PQresultStatus(r) == PGRES_COMMAND_OK) {
		PQclear(r);
		r = PQdescribePrepared(st->pg, "");
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = hwp_pg_result_error(st, r);
		PQclear(r);
		return rc;
	}
	if (PQnparams(r) == s->nparams)
		t = malloc((size_t)s->nparams * sizeof *t);
	for (i = 0; t != NULL && i < s->nparams; i++) {
		t[i] = PQparamtype(r, i);
		if (t[i] != OID_INT8 && t[i] != OID_INT4 &&
		    t[i] != OID_FLOAT8 && t[i] != OID_TEXT &&
		    t[i] != OID_BYTEA) {
			free(t);
			t = NULL;
		}
	}
	PQclear(r);
	if (t != NULL) {
		size_t n = strlen(s->copy_sql);

		s->copy_bin = malloc(n + sizeof " (FORMAT binary)");
		if (s->copy_bin == NULL) {
			free(t);
			return hwp_pg_nomem(st);
		}
		memcpy(s->copy_bin, s->copy_sql, n);
		memcpy(s->copy_bin + n, " (FORMAT binary)",
		       sizeof " (FORMAT binary)");
		s->coltype = t;
	}
	return HWP_OK;
}

/* The bound row, appended to the statement's buffer (binary while its
 * values are what their columns take, text from the first that is not:
 * the binary rows before it are sent first). */
int hwp_pg_buffer_row(struct pg_stmt *s)
{
	struct pg_state *ps = s->st->pgs;
	int rc, bin;

	if (!s->decided && (rc = copy_decide(s)) != HWP_OK)
		return rc;
	if (!s->pending) {
		struct pg_stmt **p = hwp_grow(ps->pend, &ps->cappend,
					      ps->npend, sizeof *p);

		if (p == NULL)
			return hwp_pg_nomem(s->st);
		ps->pend = p;
		ps->pend[ps->npend++] = s;
		s->pending = 1;
	}
	bin = s->coltype != NULL ? bin_row(s) : 1;
	if (bin > 0 && s->coltype != NULL) {
		if (s->clen > 0 && (rc = send_one(s)) != HWP_OK)
			return rc;
		free(s->coltype);
		s->coltype = NULL;
	}
	if (bin < 0 || (bin > 0 && text_row(s) < 0))
		return hwp_pg_nomem(s->st);
	s->st->pgs->changes = 1;
	if (s->clen >= COPY_FULL)
		return send_one(s);
	if (s->clen >= COPY_SOME && s->clen - s->looked >= COPY_LOOK) {
		s->looked = s->clen;
		if (!copy_busy(s->st))
			return send_one(s);
	}
	return HWP_OK;
}

/* Send every buffer, in the order their first rows came; the last
 * COPY's result is left unread. */
static int send_all(struct hw_store *st)
{
	struct pg_state *ps = st->pgs;
	int rc = HWP_OK;
	size_t i;

	for (i = 0; i < ps->npend; i++) {
		struct pg_stmt *s = ps->pend[i];

		if (rc == HWP_OK && s->clen > 0)
			rc = send_one(s);
		s->clen = s->looked = 0;
		s->pending = 0;
	}
	ps->npend = 0;
	return rc;
}

int hwp_pg_flush_pending(struct hw_store *st)
{
	int rc = send_all(st);

	if (rc != HWP_OK) {
		copy_result(st, 1);
		return rc;
	}
	return copy_result(st, 0);
}

/* A rollback: the buffered rows go with it. */
void hwp_pg_drop_pending(struct hw_store *st)
{
	struct pg_state *ps = st->pgs;
	size_t i;

	for (i = 0; i < ps->npend; i++) {
		ps->pend[i]->clen = ps->pend[i]->looked = 0;
		ps->pend[i]->pending = 0;
	}
	ps->npend = 0;
	copy_result(st, 1);
}

int hwp_pg_copy_mode(struct hw_store *st, int on)
{
	int rc = hwp_pg_flush_pending(st);

	st->pgs->copy_mode = on;
	return rc;
}

/*
 * store-pg-copy.c: the PostgreSQL engine's copy mode (hwp_pg_copy_mode):
 * a plain insert's rows kept in its statement's buffer, in COPY's text
 * format, and sent with COPY ... FROM STDIN before anything else runs on
 * the connection, at a MiB, or when the mode ends.  A COPY's result is
 * read when the connection is next needed: the server stores a MiB of
 * rows while the client makes the next.
 */
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

#define COPY_FLUSH (1u << 20) /* a buffer's bytes sent at once */

static int send_all(struct hw_store *st);

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

/* The bound row, appended to the statement's buffer. */
int hwp_pg_buffer_row(struct pg_stmt *s)
{
	struct pg_state *ps = s->st->pgs;
	static const char hex[] = "0123456789abcdef";
	int i, k, rc = 0;

	if (!s->pending) {
		if (ps->npend == ps->cappend) {
			size_t cap = ps->cappend ? ps->cappend * 2 : 8;
			struct pg_stmt **p = realloc(ps->pend, cap * sizeof *p);

			if (p == NULL)
				return hwp_pg_nomem(s->st);
			ps->pend = p;
			ps->cappend = cap;
		}
		ps->pend[ps->npend++] = s;
		s->pending = 1;
	}
	for (i = 0; i < s->nparams && rc == 0; i++) {
		const struct pg_param *p = &s->param[i];

		if (i > 0)
			rc = cbuf_add(s, "\t", 1);
		if (rc < 0)
			break;
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
			rc = cbuf_text(s, p->v);
		}
	}
	if (rc < 0 || cbuf_add(s, "\n", 1) < 0)
		return hwp_pg_nomem(s->st);
	s->st->pgs->changes = 1;
	return s->clen >= COPY_FLUSH ? send_all(s->st) : HWP_OK;
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

		if (rc == HWP_OK && s->clen > 0) {
			rc = copy_result(st, 0);
			if (rc == HWP_OK)
				rc = copy_begin(st, s->copy_sql);
			if (rc == HWP_OK) {
				rc = copy_put(st, s->cbuf, s->clen);
				/* (ended even so: the connection is free) */
				if (copy_end(st) != HWP_OK && rc == HWP_OK)
					rc = ps->errcode;
			}
		}
		s->clen = 0;
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
		ps->pend[i]->clen = 0;
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

/*
 * store-pg.h: private to the PostgreSQL engine (store-pg*.c) and the
 * store files that choose between the engines: its connection state,
 * connecting, and its schema.  Only store-pg*.c include libpq-fe.h.
 */
#ifndef HW_STORE_PG_H
#define HW_STORE_PG_H

#include "store-sql.h"

/* The connection's state beside libpq's. */
struct pg_state {
	char errmsg[512]; /* the last error's message */
	int errcode;	  /* ... and its HWP_* code */
	long long changes; /* rows the last statement wrote */
	unsigned names;	   /* kept statements named so far (hwN) */
	/* hwp_pg_copy_mode: plain inserts buffered for COPY */
	int copy_mode;
	struct pg_stmt **pend; /* statements with rows buffered, in the
				  order of their first row */
	size_t npend, cappend;
	int copy_unread; /* a COPY sent, its result not read yet */
};

/* Is path a PostgreSQL connection URI (postgresql:// or postgres://)? */
int hwp_pg_is_uri(const char *path);

/* Connect st (st->path is the URI) to the server; readonly: every
 * transaction read-only.  A URI with a password is refused (HW_EINVAL),
 * before anything is sent. */
int hwp_pg_connect(struct hw_store *st, int readonly, struct hw_error *err);
void hwp_pg_disconnect(struct hw_store *st);

/* The schema (store-pg-schema.c): create it in an empty database
 * schema (HW_EEXIST if highwater's is there, HW_EREFUSED if other
 * tables are), inside the caller's transaction, or check an existing
 * one: highwater's, not newer, and its version into *version. */
int hwp_pg_schema_create(struct hw_store *st, struct hw_error *err);
int hwp_pg_schema_check(struct hw_store *st, int *version,
			struct hw_error *err);

/* A first load into an empty inventory (store-pg-schema.c): the
 * references to assets and the secondary indexes laid aside, unless
 * another connection holds one of their tables (1 laid aside, 0 not,
 * -1 error), inside the load's transaction; and put back, checked and
 * built, at its end (a rollback puts them back too). */
int hwp_pg_load_aside(struct hw_store *st, struct hw_error *err);
int hwp_pg_load_restore(struct hw_store *st, struct hw_error *err);

/* Copy mode on (a bulk load into an empty inventory): a plain insert,
 * "INSERT INTO t (cols) VALUES (?1, ..., ?N)", is not run at once: its
 * row joins the statement's buffer, which goes to the server with COPY
 * ... FROM STDIN before any other statement runs on the connection, at
 * a MiB, or when the mode ends (off: the buffers sent, HWP_OK or the
 * error).  A rollback drops them.  A row the server refuses is reported
 * by the statement that runs next (or the mode's end, or the commit). */
int hwp_pg_copy_mode(struct hw_store *st, int on);

/* Out of memory, as the connection's last error. */
int hwp_pg_nomem(struct hw_store *st);

#endif /* HW_STORE_PG_H */

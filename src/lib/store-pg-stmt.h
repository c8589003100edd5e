/*
 * store-pg-stmt.h: private to the PostgreSQL engine's statement files
 * (store-pg.c, store-pg-copy.c, store-pg-error.c): a statement, its
 * parameters, and what those files call of each other.  Only they
 * include it (and libpq-fe.h before it).
 */
#ifndef HW_STORE_PG_STMT_H
#define HW_STORE_PG_STMT_H

#include <stdio.h>

#include "store-pg.h"

/* Type oids (pg_type.dat); libpq has no header for them. */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_TEXT 25

struct pg_param {
	const char *v; /* NULL: SQL NULL */
	int len;       /* bytes, for a blob (binary format) */
	int fmt;       /* 0 text, 1 binary */
	Oid type;      /* 0: the server infers it */
	char *own;     /* a copy v points into, or NULL */
	char num[32];  /* an integer or real as text ("": not yet) */
	long long i;   /* ... the integer (type OID_INT8) */
	double d;      /* ... the real (type OID_FLOAT8) */
};

struct pg_stmt {
	struct hw_store *st;
	char *sql; /* with $N parameters */
	int nparams;
	int kept;     /* prepared on the server (named), on first run */
	int prepared; /* it is */
	unsigned id;  /* its name: hwN */
	struct pg_param *param;
	/* what libpq is handed: param[]'s, in its arrays */
	const char **vals;
	int *lens, *fmts;
	Oid *types;
	unsigned char *unused; /* 1: no $N names parameter N */
	PGresult *res;	       /* NULL: not run since its reset */
	int row, nrows, ncols;
	int ran;	/* stepped since its reset: DONE from now on */
	int failed;	/* ... or the error its run met, again and again */
	int stream;	/* rows one at a time (single-row mode) */
	char *copy_sql; /* a plain insert: its COPY, else NULL */
	char *copy_bin; /* ... in binary, with coltype */
	Oid *coltype;	/* its columns' types, for binary, else NULL */
	int decided;	/* copy_bin and coltype decided */
	char *cbuf;	/* its rows buffered in copy mode */
	size_t clen, ccap;
	size_t looked;	      /* clen when the server was last asked */
	int pending;	      /* cbuf is in the connection's list */
	int streaming;	      /* its query's results are still coming */
	unsigned char **blob; /* decoded bytea of the current row */
	size_t *blob_len;
	int blob_row; /* the row blob[] belong to */
};

/* Parameter p's value as text (a number written out the first time:
 * a COPY in binary never needs it). */
static inline const char *hwp_pg_param_text(struct pg_param *p)
{
	if (p->v == p->num && p->num[0] == '\0') {
		if (p->type == OID_INT8)
			snprintf(p->num, sizeof p->num, "%lld", p->i);
		else /* 17 significant digits: the same double read back */
			snprintf(p->num, sizeof p->num, "%.17g", p->d);
	}
	return p->v;
}

/* The facade's code for a failed result (NULL: the connection's error),
 * its message kept in the connection's state (store-pg-error.c). */
int hwp_pg_result_error(struct hw_store *st, const PGresult *r);

/* Copy mode (store-pg-copy.c): the COPY of a translated plain insert,
 * else NULL (a new string); the bound row into its statement's buffer;
 * every buffer sent and every COPY's result read, as anything else
 * that runs on the connection must first (HWP_OK or the first error);
 * every buffer dropped. */
char *hwp_pg_copy_sql(const char *sql, int n);
int hwp_pg_buffer_row(struct pg_stmt *s);
int hwp_pg_flush_pending(struct hw_store *st);
void hwp_pg_drop_pending(struct hw_store *st);

#endif /* HW_STORE_PG_STMT_H */

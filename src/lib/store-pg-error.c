/*
 * store-pg-error.c: the PostgreSQL engine's errors as the facade's
 * codes (SQLSTATEs mapped to SQLite's numbers, store-sql.h) and the
 * connection's last message.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "store-pg-stmt.h"

/* The facade's code for a failed result, its message kept in the
 * connection's state. */
int hwp_pg_result_error(struct hw_store *st, const PGresult *r)
{
	struct pg_state *ps = st->pgs;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *cons =
	    r ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	int code = HWP_ERROR;

	if (msg == NULL)
		msg = PQerrorMessage(st->pg);
	snprintf(ps->errmsg, sizeof ps->errmsg, "%s", msg ? msg : "error");
	/* libpq's connection messages end in a newline */
	ps->errmsg[strcspn(ps->errmsg, "\n")] = '\0';
	if (state != NULL) {
		if (strcmp(state, "23505") == 0)
			code = cons != NULL && strlen(cons) > 5 &&
				       strcmp(cons + strlen(cons) - 5,
					      "_pkey") == 0
				   ? HWP_CONSTRAINT_PRIMARYKEY
				   : HWP_CONSTRAINT_UNIQUE;
		else if (strcmp(state, "23503") == 0)
			code = HWP_CONSTRAINT_FOREIGNKEY;
		else if (strcmp(state, "23514") == 0)
			code = HWP_CONSTRAINT_CHECK;
		else if (strcmp(state, "23502") == 0)
			code = HWP_CONSTRAINT_NOTNULL;
		else if (strncmp(state, "23", 2) == 0)
			code = HWP_CONSTRAINT;
		/* a lock not had in time, or a write that met another's;
		 * not a statement the server cancelled (57014: its
		 * statement_timeout, or an administrator), which is said
		 * in the server's words */
		else if (strcmp(state, "55P03") == 0 ||
			 strcmp(state, "40001") == 0 ||
			 strcmp(state, "40P01") == 0)
			code = HWP_BUSY;
		else if (strcmp(state, "53200") == 0)
			code = HWP_NOMEM;
	}
	ps->errcode = code;
	return code;
}

int hwp_pg_nomem(struct hw_store *st)
{
	snprintf(st->pgs->errmsg, sizeof st->pgs->errmsg, "out of memory");
	st->pgs->errcode = HWP_NOMEM;
	return HWP_NOMEM;
}

const char *hwp_pg_errmsg(struct hw_store *st)
{
	return st->pgs->errmsg;
}

int hwp_pg_errcode(struct hw_store *st)
{
	return st->pgs->errcode;
}

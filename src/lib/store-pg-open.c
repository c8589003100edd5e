/*
 * store-pg-open.c: connecting the PostgreSQL engine: what selects it (a
 * connection URI), refusing a URI that carries a password, and the
 * session's settings.  libpq reads everything else from its usual
 * places (PGPASSFILE or ~/.pgpass, the service file, PGSSLMODE).
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store-pg.h"

int hwp_pg_is_uri(const char *path)
{
	return path != NULL && (strncmp(path, "postgresql://", 13) == 0 ||
				strncmp(path, "postgres://", 11) == 0);
}

/* Does the URI carry a secret (a password, or a TLS key's password)?
 * Both would sit in shell histories and process lists.  libpq's own
 * parser decides (user:password@, ?password=, percent-encoded keys):
 * 1 if it does, 0 if not, -1 if libpq cannot parse it. */
static int has_password(const char *uri)
{
	PQconninfoOption *opts = PQconninfoParse(uri, NULL), *o;
	int found = 0;

	if (opts == NULL)
		return -1;
	for (o = opts; o->keyword != NULL; o++)
		if ((strcmp(o->keyword, "password") == 0 ||
		     strcmp(o->keyword, "sslpassword") == 0) &&
		    o->val != NULL && o->val[0] != '\0')
			found = 1;
	PQconninfoFree(opts);
	return found;
}

/* libpq's notices (a NOTICE from the server) are not printed: the
 * library never prints. */
static void quiet(void *ctx, const PGresult *r)
{
	(void)ctx;
	(void)r;
}

int hwp_pg_connect(struct hw_store *st, int readonly, struct hw_error *err)
{
	const char *msg;
	char *nl;
	int secret = has_password(st->path);

	/* (the URI is not shown: it may hold what it should not) */
	if (secret < 0)
		return hw_error_set(err, HW_EINVAL,
				    "the database URI is not one libpq reads "
				    "(expected postgresql://[USER@][HOST][:PORT]"
				    "[/DBNAME][?PARAM=VALUE...])");
	if (secret > 0)
		return hw_error_set(err, HW_EINVAL,
				    "the database URI carries a password: "
				    "give it in ~/.pgpass (or PGPASSFILE, or "
				    "a service file) instead, where shell "
				    "histories and process lists do not show "
				    "it");
	st->pgs = calloc(1, sizeof *st->pgs);
	if (st->pgs == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	st->pg = PQconnectdb(st->path);
	if (st->pg == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (PQstatus(st->pg) != CONNECTION_OK) {
		msg = PQerrorMessage(st->pg);
		snprintf(st->pgs->errmsg, sizeof st->pgs->errmsg, "%s",
			 msg != NULL && *msg != '\0' ? msg : "no connection");
		/* one line: libpq's own message may hold several */
		while ((nl = strchr(st->pgs->errmsg, '\n')) != NULL)
			*nl = nl[1] != '\0' ? ' ' : '\0';
		return hw_error_set(err, HW_EDB, "cannot connect to '%s': %s",
				    st->path, st->pgs->errmsg);
	}
	PQsetNoticeReceiver(st->pg, quiet, NULL);
	/* Texts compare bytewise (the columns' COLLATE "C"), times in UTC,
	 * reals read back exactly. */
	if (hwp_pg_exec(st, "SET client_encoding = 'UTF8'; "
			    "SET standard_conforming_strings = on; "
			    "SET TimeZone = 'UTC'; "
			    "SET extra_float_digits = 3; "
			    "SET client_min_messages = warning") != HWP_OK ||
	    (readonly && hwp_pg_exec(st, "SET default_transaction_read_only "
					 "= on") != HWP_OK))
		return hwp_db_error(st, err, "cannot set up the session");
	return 0;
}

void hwp_pg_disconnect(struct hw_store *st)
{
	if (st->pg != NULL)
		PQfinish(st->pg);
	st->pg = NULL;
	if (st->pgs != NULL)
		free(st->pgs->pend);
	free(st->pgs);
	st->pgs = NULL;
}

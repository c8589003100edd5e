/*
 * common.c: what the commands share besides printing and options: the
 * shipped data files, the settings kept in the database, and writes made
 * in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

const char *cli_data_file(const char *name, char *buf, size_t size)
{
	const char *dirs[3];
	size_t i;

	dirs[0] = getenv("HIGHWATER_DATADIR");
	dirs[1] = HW_PKGDATADIR;
	dirs[2] = HW_SRCDATADIR;
	for (i = 0; i < 3; i++) {
		if (dirs[i] == NULL || *dirs[i] == '\0')
			continue;
		if ((size_t)snprintf(buf, size, "%s/%s", dirs[i], name) >=
		    size)
			continue;
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

int cli_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Settings kept in the database (settings.h)                         */

const struct hw_setting *cli_setting_find(const char *name)
{
	return hw_setting_find(name, NULL);
}

char *cli_setting_value(struct cli *cli, const struct hw_setting *s)
{
	struct hw_error err = {0};
	char *v = NULL;

	if (hw_setting_value(cli->st, s, &v, &err) < 0) {
		cli_fail(cli, &err);
		return NULL;
	}
	return v;
}

int cli_setting_level(struct cli *cli, const char *name, enum hw_level *out)
{
	struct hw_error err = {0};

	return hw_setting_level(cli->st, name, out, &err) < 0
		   ? cli_fail(cli, &err)
		   : 0;
}

/* Writes: every change a command makes is one transaction             */

#define WAIT_DEFAULT 60	   /* seconds */
#define WAIT_MAX (24L * 3600) /* seconds */

/* The wait for another writer: told once it is long. */
static void tell_wait(void *ctx, long ms)
{
	struct cli *cli = ctx;

	fprintf(stderr,
		"highwater: waiting for '%s': another process is writing to "
		"it (up to %ld s)\n",
		cli->db_path, ms / 1000);
	fflush(stderr);
}

struct hw_store *cli_store_open(struct cli *cli, int readonly,
				struct hw_error *err)
{
	const char *w = getenv("HIGHWATER_WAIT");
	struct hw_store *st;
	long secs = WAIT_DEFAULT;
	char *end;

	if (w != NULL && *w != '\0') {
		secs = strtol(w, &end, 10);
		if (*end != '\0' || secs < 0 || secs > WAIT_MAX) {
			hw_error_set(err, HW_EINVAL,
				     "HIGHWATER_WAIT is '%.32s' (expected "
				     "seconds, 0 to %ld)",
				     w, WAIT_MAX);
			return NULL;
		}
	}
	st = hw_store_open(cli->db_path,
			   (readonly ? HW_OPEN_READONLY : 0) |
			       (cli->allow_shared ? HW_OPEN_SHARED : 0),
			   err);
	if (st == NULL)
		return NULL;
	if (hw_store_set_actor(st, cli->actor, err) < 0) {
		hw_store_close(st);
		return NULL;
	}
	hw_store_set_wait(st, secs * 1000, cli->quiet ? NULL : tell_wait, cli);
	return st;
}

int cli_begin(struct cli *cli)
{
	struct hw_error err = {0};

	/* A command that mostly reads (risk, config) opens the store
	 * read-only and reopens it writable only to write. */
	if (!cli->writable) {
		hw_store_read_end(cli->st);
		hw_store_close(cli->st);
		cli->st = cli_store_open(cli, 0, &err);
		if (cli->st == NULL)
			return cli_fail(cli, &err);
		cli->writable = 1;
	}
	return hw_store_begin(cli->st, &err) < 0 ? cli_fail(cli, &err) : 0;
}

int cli_finish(struct cli *cli, int ok, struct hw_error *err)
{
	if (ok && hw_store_commit(cli->st, err) == 0)
		return 0;
	hw_store_rollback(cli->st);
	return cli_fail(cli, err);
}

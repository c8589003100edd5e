/*
 * common.c: what the commands share besides printing and options: the
 * shipped data files, the settings kept in the database, and writes made
 * in one transaction.
 */
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

int cli_begin(struct cli *cli)
{
	struct hw_error err = {0};

	/* A command that mostly reads (risk, config) opens the store
	 * read-only and reopens it writable only to write. */
	if (!cli->writable) {
		hw_store_close(cli->st);
		cli->st = hw_store_open(cli->db_path, 0, &err);
		if (cli->st == NULL ||
		    hw_store_set_actor(cli->st, cli->actor, &err) < 0)
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

/*
 * cmd-init.c: "highwater init", create a new database with the SP 800-60
 * catalogue loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"

static int count_type(const struct hw_infotype *t, void *ctx)
{
	(void)t;
	(*(long *)ctx)++;
	return 0;
}

/* A database init could not finish is not left behind. */
static void remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", path,
				     suffix[i]) < sizeof buf)
			unlink(buf);
}

static int cmd_init_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_store *st;
	const char *org = NULL, *csv;
	char buf[4096];
	long ntypes = 0;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == '?')
			return 2;
		org = optarg;
	}
	if (optind != argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	csv = cli_data_file("sp800-60-info-types.csv", buf, sizeof buf);
	if (csv == NULL)
		return cli_failf(cli, "cannot find the SP 800-60 catalogue "
				      "'sp800-60-info-types.csv' (set "
				      "HIGHWATER_DATADIR to the data folder)");
	/* The catalogue and the name in one transaction, by the actor:
	 * the audit trail's first record. */
	st = hw_store_create(cli->db_path, NULL, &err);
	if (st == NULL)
		return cli_fail(cli, &err);
	if (hw_store_set_actor(st, cli->actor, &err) < 0 ||
	    hw_store_begin(st, &err) < 0 ||
	    hw_store_load_catalogue(st, csv, &err) < 0 ||
	    (org != NULL &&
	     hw_store_setting_set(st, "organisation", org, &err) < 0) ||
	    hw_store_commit(st, &err) < 0 ||
	    hw_store_infotype_each(st, NULL, -1, count_type, &ntypes, &err) <
		0) {
		hw_store_rollback(st);
		hw_store_close(st);
		remove_db(cli->db_path);
		return cli_fail(cli, &err);
	}
	if (hw_store_close(st) < 0)
		return cli_failf(cli, "cannot close '%s'", cli->db_path);
	if (cli->json) {
		json_t *o = json_object();

		json_object_set_new(o, "database", json_string(cli->db_path));
		json_object_set_new(o, "information_types",
				    json_integer(ntypes));
		return cli_print_json(cli, o);
	}
	if (!cli->quiet)
		printf("created %s (%ld SP 800-60 information types loaded)\n",
		       cli->db_path, ntypes);
	return 0;
}

const struct cmd_entry cmd_init_entry = {
    .name = "init",
    .usage = "[--name ORGANISATION]",
    .summary = "Create a new database (refuses to overwrite one) with the "
	       "SP 800-60 information types loaded",
    .help = "Options:\n"
	    "  --name ORG     the organisation's name, shown in reports\n"
	    "\nThe file is created readable and writable by its owner "
	    "only.\n",
    .flags = CMD_STORE_NONE,
    .exec = cmd_init_exec,
};

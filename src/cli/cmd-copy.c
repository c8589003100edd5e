/*
 * cmd-copy.c: "highwater copy --to TARGET [--from SOURCE]", a whole
 * inventory with its history into a new database on either engine.
 */
#include "cmd.h"

static int cmd_copy_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	const char *to = NULL;
	long long rows = 0;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'f')
			cli->db_path = optarg;
		else if (c == 't')
			to = optarg;
		else
			return 2;
	}
	if (optind != argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (to == NULL || *to == '\0')
		return cli_usage(cli, "missing --to TARGET (a new database's "
				      "path, or a postgresql:// URI)");
	cli->st = cli_store_open(cli, 1, &err);
	if (cli->st == NULL)
		return cli_fail(cli, &err);
	cli_progress_begin(cli, "copying");
	if (hw_store_copy(cli->st, to, cli->bar.on ? cli_progress : NULL,
			  &cli->bar, &rows, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		return cli_print_json(cli, json_pack("{s:s, s:s, s:I}", "from",
						     cli->db_path, "to", to,
						     "rows", (json_int_t)rows));
	if (!cli->quiet)
		printf("copied %s to %s (%lld rows; the audit chain "
		       "verifies)\n",
		       cli->db_path, to, rows);
	return 0;
}

const struct cmd_entry cmd_copy_entry = {
    .name = "copy",
    .usage = "--to TARGET [--from SOURCE]",
    .summary = "Copy a whole inventory with its history into a new "
	       "database, on either engine",
    .help = "Options:\n"
	    "  --to TARGET    the new database: a path (SQLite) or a\n"
	    "                 postgresql:// URI whose database holds no\n"
	    "                 highwater tables yet (as init wants it)\n"
	    "  --from SOURCE  the database to copy (default --db)\n"
	    "\nEverything is copied: assets, dependencies, information types,\n"
	    "settings, users, changes, incidents, baselines and the audit "
	    "trail,\nas one moment saw them while others keep writing. The "
	    "copy is\nwritten in one transaction (a file appears whole or not "
	    "at all) and\nits audit chain is verified, with the source's head, "
	    "before it is\nkept. It keeps the inventory's id, so OSCAL exports "
	    "of it keep their\nUUIDs.\n"
	    "\nExample: highwater copy --from highwater.db \\\n"
	    "           --to 'postgresql://hw@db.example.org/inventory'\n",
    .flags = CMD_STORE_NONE | CMD_DB_OWN,
    .exec = cmd_copy_exec,
};

/*
 * cmd-upgrade.c: "highwater upgrade", bring a database written by an
 * older highwater up to this one's schema.  Read commands refuse such a
 * database rather than write to it; main's writable open migrates it.
 */
#include "cmd.h"

static int cmd_upgrade_exec(struct cli *cli, int argc, char **argv)
{
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		if (c == '?')
			return 2;
	if (optind != argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli->json) {
		json_t *o = json_object();

		json_object_set_new(o, "database", json_string(cli->db_path));
		json_object_set_new(o, "schema",
				    json_integer(hw_store_schema_version()));
		return cli_print_json(cli, o);
	}
	if (!cli->quiet)
		printf("%s is at schema version %d\n", cli->db_path,
		       hw_store_schema_version());
	return 0;
}

const struct cmd_entry cmd_upgrade_entry = {
    .name = "upgrade",
    .usage = "",
    .summary = "Upgrade a database written by an older highwater to this "
	       "one's schema",
    .help = "A database already up to date is left as it is.  Commands "
	    "that only read\nrefuse an older database rather than write to "
	    "it.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_upgrade_exec,
};

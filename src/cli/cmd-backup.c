/*
 * cmd-backup.c: "highwater backup FILE", a consistent copy of the whole
 * database (inventory, settings, history) while others use it.
 */
#include <sys/stat.h>

#include "cmd.h"

static int cmd_backup_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct stat sb;
	int c, force = 0;
	const char *out;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'F')
			force = 1;
		else
			return 2;
	}
	if (cli_operand(cli, argc, argv, "FILE", &out) != 0)
		return 2;
	cli_progress_begin(cli, "backing up");
	if (hw_store_backup(cli->st, out, force,
			    cli->bar.on ? cli_progress : NULL, &cli->bar,
			    &err) < 0)
		return cli_fail(cli, &err);
	if (stat(out, &sb) != 0)
		sb.st_size = 0;
	if (cli->json)
		return cli_print_json(cli, json_pack("{s:s, s:s, s:I}",
						     "database", cli->db_path,
						     "backup", out, "bytes",
						     (json_int_t)sb.st_size));
	if (!cli->quiet)
		printf("backed up %s to %s (%lld bytes)\n", cli->db_path, out,
		       (long long)sb.st_size);
	return 0;
}

const struct cmd_entry cmd_backup_entry = {
    .name = "backup",
    .usage = "FILE [--force]",
    .summary = "Write a consistent copy of the whole database to FILE",
    .help = "Options:\n"
	    "  --force  overwrite an existing FILE\n"
	    "\nThe copy holds everything the database holds and is taken "
	    "while others\nread and write it (SQLite's online backup): it "
	    "is the database as one\nmoment saw it.  FILE is owner-only "
	    "(mode 0600) and appears whole or\nnot at all.  Open it with "
	    "--db FILE like any database.\n"
	    "\nFrom PostgreSQL, FILE is a SQLite copy of the inventory (as "
	    "highwater\ncopy writes it, its audit chain verified); the "
	    "server's own backups\nare pg_dump's.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_backup_exec,
};

/*
 * cmd-help.c: "highwater help [COMMAND]", the list of commands from the
 * command table, one command's help, or a group's subcommands.
 */
#include <string.h>

#include "cmd.h"

static int cmd_help_exec(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry *const *e;
	char want[128] = "";
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(want);

		snprintf(want + n, sizeof want - n, "%s%s", n ? " " : "",
			 argv[i]);
	}
	if (want[0] != '\0') {
		for (e = cli->table; *e != NULL; e++)
			if (strcmp((*e)->name, want) == 0) {
				cli_help(*e);
				return 0;
			}
		if (cli_is_group(cli->table, want)) {
			cli_group_help(stdout, cli->table, want);
			return 0;
		}
		return cli_usage(cli, "unknown command '%s'", want);
	}
	printf("usage: highwater [--db PATH] [--json] [--actor NAME] "
	       "[--quiet]\n"
	       "                 [--allow-shared] COMMAND [ARGS]\n\n"
	       "Commands:\n");
	for (e = cli->table; *e != NULL; e++)
		cli_summary_line(stdout, *e);
	printf("\nGlobal options:\n"
	       "  --db PATH      database file (default $HIGHWATER_DB, else "
	       "./highwater.db)\n"
	       "  --json         read commands print one JSON document\n"
	       "  --actor NAME   who makes the change (default "
	       "$HIGHWATER_ACTOR,\n"
	       "                 else the login name)\n"
	       "  --quiet        no progress or confirmations\n"
	       "  --allow-shared use a database its group or others may "
	       "write (else\n"
	       "                 refused)\n"
	       "  --version      print the version\n"
	       "\nOn a terminal, levels are in colour (HIGH red, MODERATE "
	       "yellow, LOW\ngreen) unless $NO_COLOR is set, and work that "
	       "takes over a second\nshows its progress on stderr.\n"
	       "\nRun 'highwater COMMAND --help' for a command's options.\n"
	       "Exit status: 0 success, 1 failure, 2 usage error.\n");
	return 0;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .usage = "[COMMAND]",
    .summary = "List the commands, or show one command's help",
    .help = "",
    .flags = CMD_STORE_NONE,
    .exec = cmd_help_exec,
};

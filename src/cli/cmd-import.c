/*
 * cmd-import.c: "highwater import FILE", load an inventory (JSON or JSON
 * Lines) in one transaction: all of it or nothing.
 */
#include <string.h>
#include <strings.h>

#include "cmd.h"

/* A workbook, by its name. */
static int is_xlsx(const char *file)
{
	size_t n = strlen(file);

	return n > 5 && strcasecmp(file + n - 5, ".xlsx") == 0;
}

static int cmd_import_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"replace", no_argument, NULL, 'r'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	const char *file;
	int c, replace = 0, dry = 0;

	while ((c = cli_getopt(cli, argc, argv, "n", opts)) != -1) {
		if (c == 'r')
			replace = 1;
		else if (c == 'n')
			dry = 1;
		else
			return 2;
	}
	if (cli_operand(cli, argc, argv, "FILE", &file) != 0)
		return 2;
	cli_progress_begin(cli, "importing");
	if (is_xlsx(file)) {
		struct hw_import_opts o = {0};

		o.replace = replace;
		o.dry_run = dry;
		if (hw_import_xlsx(cli->st, file, &o, &s, &err) < 0)
			return cli_fail(cli, &err);
	} else if (hw_import_json(cli->st, file, replace, dry, &s,
				  cli->bar.on ? cli_progress : NULL, &cli->bar,
				  &err) < 0) {
		return cli_fail(cli, &err);
	}
	if (cli->json)
		return cli_print_json(
		    cli,
		    json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I}", "file",
			      file, "dry_run", dry, "replace", replace,
			      "information_types", (json_int_t)s.infotypes,
			      "assets", (json_int_t)s.assets, "dependencies",
			      (json_int_t)s.dependencies, "changes",
			      (json_int_t)s.changes, "incidents",
			      (json_int_t)s.incidents));
	if (!cli->quiet) {
		char history[96] = "";

		/* History only when the file has some. */
		if (s.changes > 0 || s.incidents > 0)
			snprintf(history, sizeof history,
				 ", %ld change%s, %ld incident%s", s.changes,
				 s.changes == 1 ? "" : "s", s.incidents,
				 s.incidents == 1 ? "" : "s");
		printf("%s %ld information type%s, %ld asset%s, %ld "
		       "dependenc%s%s from %s%s\n",
		       dry ? "dry run: would import" : "imported", s.infotypes,
		       s.infotypes == 1 ? "" : "s", s.assets,
		       s.assets == 1 ? "" : "s", s.dependencies,
		       s.dependencies == 1 ? "y" : "ies", history, file,
		       dry ? " (nothing changed)"
			   : replace ? " (replacing the inventory)" : "");
	}
	return 0;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .usage = "FILE [--replace] [--dry-run]",
    .summary = "Import an inventory file (JSON or JSON Lines), all or "
	       "nothing",
    .help = "Options:\n"
	    "  --replace      replace the whole inventory and its history\n"
	    "                 (changes, incidents; the SP 800-60 catalogue\n"
	    "                 and the audit trail stay); default: merge by\n"
	    "                 id\n"
	    "  -n, --dry-run  check everything, change nothing\n"
	    "\nThe format is described in the README (\"Inventory file\"); its\n"
	    "optional changes and incidents sections bring history along.\n"
	    "Each object the import adds, changes or removes gets an audit\n"
	    "record, and the import one summary record; what it leaves as\n"
	    "stored writes nothing.\n"
	    "Any error names the file, the line and column or the JSON "
	    "path\n(e.g. assets[12].integrity) and leaves the database "
	    "unchanged.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_import_exec,
};

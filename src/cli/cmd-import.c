/*
 * cmd-import.c: "highwater import FILE", load an inventory (JSON or JSON
 * Lines) in one transaction: all of it or nothing.
 */
#include <string.h>

#include "cmd.h"

static int cmd_import_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"replace", no_argument, NULL, 'r'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"format", required_argument, NULL, 'f'},
	    {"asset", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	const char *file, *asset = NULL;
	int c, replace = 0, dry = 0, oscal = 0;

	while ((c = cli_getopt(cli, argc, argv, "n", opts)) != -1) {
		if (c == 'r')
			replace = 1;
		else if (c == 'n')
			dry = 1;
		else if (c == 'a')
			asset = optarg;
		else if (c == 'f') {
			oscal = strcmp(optarg, "oscal") == 0;
			if (!oscal && strcmp(optarg, "json") != 0)
				return cli_usage(cli,
						 "unknown format \"%s\" "
						 "(expected json or oscal)",
						 optarg);
		} else
			return 2;
	}
	if (cli_operand(cli, argc, argv, "FILE", &file) != 0)
		return 2;
	/* An SSP's information types go to one asset. */
	if (oscal && asset == NULL)
		return cli_usage(cli, "--format oscal needs --asset ID");
	if (!oscal && asset != NULL)
		return cli_usage(cli, "--asset is for --format oscal");
	if (oscal && replace)
		return cli_usage(cli, "--replace is not for --format oscal");
	if (oscal)
		return cmd_import_oscal(cli, file, asset, dry);
	cli_progress_begin(cli, "importing");
	if (hw_import_json(cli->st, file, replace, dry, &s,
			   cli->bar.on ? cli_progress : NULL, &cli->bar,
			   &err) < 0)
		return cli_fail(cli, &err);
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
    .usage = "FILE [--replace] [--dry-run] [--format json|oscal] "
	     "[--asset ID]",
    .summary = "Import an inventory file (JSON or JSON Lines), or an "
	       "OSCAL SSP's information types, all or nothing",
    .help = "Options:\n"
	    "  --replace      replace the whole inventory and its history\n"
	    "                 (changes, incidents; the SP 800-60 catalogue\n"
	    "                 and the audit trail stay); default: merge by\n"
	    "                 id\n"
	    "  -n, --dry-run  check everything, change nothing\n"
	    "  --format F     json (the default): an inventory file; oscal:\n"
	    "                 an OSCAL system security plan (JSON), whose\n"
	    "                 information types are assigned to --asset\n"
	    "  --asset ID     the asset an SSP's information types go to\n"
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

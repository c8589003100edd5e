/*
 * cmd-import.c: "highwater import FILE...", load inventory files (JSON,
 * JSON Lines, the CSV tables) in one transaction: all of them or
 * nothing; or an OSCAL SSP's information types (--format oscal, in
 * cmd-import-oscal.c).
 */
#include <string.h>

#include "cmd.h"

static int print_json(struct cli *cli, char **files, int n, int dry,
		      int replace, const struct hw_import_stats *s)
{
	json_t *list = json_array();
	int i, rc = list == NULL;

	for (i = 0; i < n && rc == 0; i++)
		rc = json_array_append_new(list, json_string(files[i]));
	if (rc != 0) {
		json_decref(list);
		return cli_failf(cli, "out of memory");
	}
	return cli_print_json(
	    cli,
	    json_pack("{s:s, s:o, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I}",
		      "file", files[0], "files", list, "dry_run", dry,
		      "replace", replace, "information_types",
		      (json_int_t)s->infotypes, "assets", (json_int_t)s->assets,
		      "assignments", (json_int_t)s->assignments, "dependencies",
		      (json_int_t)s->dependencies, "changes",
		      (json_int_t)s->changes, "incidents",
		      (json_int_t)s->incidents));
}

static void print_text(char **files, int n, int dry, int replace,
		       const struct hw_import_stats *s)
{
	char history[96] = "", assign[48] = "";
	int i;

	/* Assignments only when a table of them was read. */
	if (s->assignments > 0)
		snprintf(assign, sizeof assign, ", %ld assignment%s",
			 s->assignments, s->assignments == 1 ? "" : "s");
	/* History only when the file has some. */
	if (s->changes > 0 || s->incidents > 0)
		snprintf(history, sizeof history,
			 ", %ld change%s, %ld incident%s", s->changes,
			 s->changes == 1 ? "" : "s", s->incidents,
			 s->incidents == 1 ? "" : "s");
	printf("%s %ld information type%s, %ld asset%s%s, %ld dependenc%s%s "
	       "from ",
	       dry ? "dry run: would import" : "imported", s->infotypes,
	       s->infotypes == 1 ? "" : "s", s->assets,
	       s->assets == 1 ? "" : "s", assign, s->dependencies,
	       s->dependencies == 1 ? "y" : "ies", history);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", files[i]);
	printf("%s\n", dry	 ? " (nothing changed)"
		       : replace ? " (replacing the inventory)"
				 : "");
}

static int cmd_import_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"replace", no_argument, NULL, 'r'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"kind", required_argument, NULL, 'k'},
	    {"columns", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"asset", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_import_opts o = {0};
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	const char *asset = NULL;
	int c, n, oscal = 0;

	while ((c = cli_getopt(cli, argc, argv, "n", opts)) != -1) {
		if (c == 'r')
			o.replace = 1;
		else if (c == 'n')
			o.dry_run = 1;
		else if (c == 'k')
			o.kind = optarg;
		else if (c == 'c')
			o.columns = optarg;
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
	if (optind >= argc)
		return cli_usage(cli, "missing FILE");
	/* An SSP's information types go to one asset. */
	if (oscal && asset == NULL)
		return cli_usage(cli, "--format oscal needs --asset ID");
	if (!oscal && asset != NULL)
		return cli_usage(cli, "--asset is for --format oscal");
	if (oscal && o.replace)
		return cli_usage(cli, "--replace is not for --format oscal");
	if (oscal && (o.kind != NULL || o.columns != NULL))
		return cli_usage(cli, "--kind and --columns are for CSV files");
	if (oscal && optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	if (oscal)
		return cmd_import_oscal(cli, argv[optind], asset, o.dry_run);
	if (o.kind != NULL && hw_import_kind_valid(o.kind) == 0)
		return cli_usage(cli,
				 "unknown kind \"%s\" (expected "
				 "information-types, assets, assignments or "
				 "dependencies)",
				 o.kind);
	if (o.columns != NULL && hw_import_columns_check(o.columns, &err) < 0)
		return cli_usage(cli, "%s", err.text);
	n = argc - optind;
	cli_progress_begin(cli, "importing");
	o.progress = cli->bar.on ? cli_progress : NULL;
	o.pctx = &cli->bar;
	if (hw_import_files(cli->st, (const char *const *)argv + optind,
			    (size_t)n, &o, &s, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		return print_json(cli, argv + optind, n, o.dry_run, o.replace,
				  &s);
	if (!cli->quiet)
		print_text(argv + optind, n, o.dry_run, o.replace, &s);
	return 0;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .usage = "FILE... [--replace] [--dry-run] [--kind KIND] "
	     "[--columns MAP] [--format json|oscal] [--asset ID]",
    .summary = "Import inventory files (JSON, JSON Lines, CSV), or an "
	       "OSCAL SSP's information types, all or nothing",
    .help =
	"Options:\n"
	"  --replace      replace the whole inventory and its history\n"
	"                 (changes, incidents; the SP 800-60 catalogue\n"
	"                 and the audit trail stay); default: merge by\n"
	"                 id\n"
	"  -n, --dry-run  check everything, change nothing\n"
	"  --kind KIND    every CSV file is this table: information-types,\n"
	"                 assets, assignments or dependencies (default:\n"
	"                 told by each file's header row)\n"
	"  --columns MAP  rename CSV columns first, e.g.\n"
	"                 'Hostname=id,Owner Email=owner'\n"
	"  --format F     json (the default): inventory files; oscal:\n"
	"                 an OSCAL system security plan (JSON), whose\n"
	"                 information types are assigned to --asset\n"
	"  --asset ID     the asset an SSP's information types go to\n"
	"\nThe files are imported in one transaction, information types\n"
	"first, then assets, assignments and dependencies, whatever the\n"
	"order given.  A file's format is told by its name (.json,\n"
	".jsonl, .csv) or its content.  The formats are described in the\n"
	"README (\"Inventory file\", \"CSV\"); a JSON file's optional\n"
	"changes and incidents sections bring history along.  Without\n"
	"an assignments table the stored assignments stay; with one, the\n"
	"assets it names get exactly its assignments.\n"
	"Each object the import adds, changes or removes gets an audit\n"
	"record, and the import one summary record; what it leaves as\n"
	"stored writes nothing.\n"
	"Any error names the file, the line and column or the JSON "
	"path\n(e.g. assets[12].integrity) and leaves the database "
	"unchanged.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_import_exec,
};

/*
 * cmd-import.c: "highwater import FILE...", load inventory files (JSON,
 * JSON Lines, the CSV tables, workbooks) in one transaction: all of them
 * or nothing, a dry run listing what would change; or an OSCAL SSP's
 * information types (--format oscal, in cmd-import-oscal.c).
 */
#include <string.h>

#include "cmd.h"

/* "asset web-01: integrity moderate -> high", "asset new-01: added". */
static void print_diff(const json_t *d)
{
	const char *field = json_string_value(json_object_get(d, "field")),
		   *before = json_string_value(json_object_get(d, "before")),
		   *after = json_string_value(json_object_get(d, "after"));

	printf("%s %s: ", json_string_value(json_object_get(d, "kind")),
	       json_string_value(json_object_get(d, "id")));
	if (field == NULL)
		printf("%s\n", json_string_value(json_object_get(d, "change")));
	else
		printf("%s %s -> %s\n", field, before ? before : "(none)",
		       after ? after : "(none)");
}

/* The document, differences streamed from where the import kept them
 * (answer-data.c). */
static int print_json(struct cli *cli, char **files, int n, int dry,
		      int replace, const struct hw_import_stats *s,
		      struct hw_import_diffs *ds)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_import(&js, (const char *const *)files, (size_t)n, dry,
			 replace, s, ds);
	return cli_jstream_end(cli, &js);
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
	struct hw_import_diffs ds = {NULL, 0};
	const char *asset = NULL;
	json_t *d;
	int c, n, rc = 0, oscal = 0;

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
	if (o.dry_run) {
		if (hw_import_diffs_open(&ds, &err) < 0)
			return cli_fail(cli, &err);
		o.diff = hw_import_diff_keep;
		o.dctx = &ds;
	}
	cli_progress_begin(cli, "importing");
	/* The bar is on once begun (a terminal, not --quiet). */
	o.progress = cli->bar.on ? cli_progress : NULL;
	o.pctx = &cli->bar;
	if (hw_import_files(cli->st, (const char *const *)argv + optind,
			    (size_t)n, &o, &s, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (ds.fp != NULL && hw_import_diffs_rewind(&ds, &err) < 0) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	if (cli->json) {
		rc = print_json(cli, argv + optind, n, o.dry_run, o.replace, &s,
				&ds);
		goto out;
	}
	if (!cli->quiet)
		print_text(argv + optind, n, o.dry_run, o.replace, &s);
	/* The differences are what a dry run is for: --quiet keeps them. */
	while (ds.fp != NULL && (d = hw_import_diffs_next(&ds)) != NULL) {
		print_diff(d);
		json_decref(d);
	}
out:
	hw_import_diffs_close(&ds);
	return rc;
}

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .usage = "FILE... [--replace] [--dry-run] [--kind KIND] "
	     "[--columns MAP] [--format json|oscal] [--asset ID]",
    .summary = "Import inventory files (JSON, JSON Lines, CSV, xlsx), or "
	       "an OSCAL SSP's information types, all or nothing",
    .help =
	"Options:\n"
	"  --replace      replace the whole inventory and its history\n"
	"                 (changes, incidents; the SP 800-60 catalogue\n"
	"                 and the audit trail stay); default: merge by\n"
	"                 id\n"
	"  -n, --dry-run  check everything, change nothing, and list\n"
	"                 what would change, field by field\n"
	"  --kind KIND    every CSV file is this table: information-types,\n"
	"                 assets, assignments or dependencies (default:\n"
	"                 told by each file's header row)\n"
	"  --columns MAP  rename CSV (and sheet) columns first, e.g.\n"
	"                 'Hostname=id,Owner Email=owner'\n"
	"  --format F     json (the default): inventory files; oscal:\n"
	"                 an OSCAL system security plan (JSON), whose\n"
	"                 information types are assigned to --asset\n"
	"  --asset ID     the asset an SSP's information types go to\n"
	"\nThe files are imported in one transaction, information types\n"
	"first, then assets, assignments and dependencies, whatever the\n"
	"order given.  A file's format is told by its name (.json,\n"
	".jsonl, .csv, .xlsx) or its content.  A workbook's sheets are\n"
	"those of report inventory (other sheets are ignored).  The\n"
	"formats are described in the README (\"Inventory file\", \"CSV\",\n"
	"\"Workbooks in\"); a JSON file's optional changes and incidents\n"
	"sections bring history along.  Without an assignments table the\n"
	"stored assignments stay; with one, the assets it names get\n"
	"exactly its assignments.\n"
	"A dry run lists each difference: \"asset web-01: integrity\n"
	"moderate -> high\", \"asset new-01: added\", \"dependency a -> b:\n"
	"removed\" (only --replace removes).\n"
	"Each object the import adds, changes or removes gets an audit\n"
	"record, and the import one summary record; what it leaves as\n"
	"stored writes nothing.\n"
	"Any error names the file, the line and column, the JSON path\n"
	"(e.g. assets[12].integrity) or the sheet and cell, and leaves\n"
	"the database unchanged.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_import_exec,
};

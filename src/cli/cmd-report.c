/*
 * cmd-report.c: "highwater report plan" and "report inventory", the
 * managers' and the inventory's Excel workbooks ("report change", the
 * impact with a workbook for output, is in cmd-impact.c; where a
 * workbook goes, in workbook.c).
 */
#include <stdlib.h>

#include "analysis-graph.h"
#include "cmd.h"

static int cmd_report_inventory_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'F'},
	    {"mode", required_argument, NULL, 'm'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_report_opts o;
	struct hw_report_info info;
	struct hw_error err = {0};
	const char *file = NULL;
	char path[4096];
	int c, rc, force = 0;
	unsigned mode = 0;

	while ((c = cli_getopt(cli, argc, argv, "o:", opts)) != -1) {
		if (c == 'o')
			file = optarg;
		else if (c == 'F')
			force = 1;
		else if (c == 'm') {
			if ((rc = cli_mode(cli, optarg, &mode)) != 0)
				return rc;
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli_report_prepare(cli, file, "inventory", NULL, force, 0, &o, path,
			       sizeof path))
		return 1;
	o.mode = mode;
	if (hw_report_inventory(cli->st, &o, path, &info, &err) < 0)
		rc = cli_fail(cli, &err);
	else
		rc = cli_report_done(cli, path, &info, 1);
	cli_report_release(&o);
	return rc;
}

static int cmd_report_plan_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'F'},
	    {"mode", required_argument, NULL, 'm'},
	    {"as-of", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_report_opts o;
	struct hw_report_info info;
	struct hw_error err = {0};
	struct hw_weights w;
	struct hw_graph *g = NULL;
	const char *file = NULL, *as_of = NULL;
	char path[4096], day[11];
	int c, rc, force = 0;
	unsigned mode = 0;
	int32_t today;

	while ((c = cli_getopt(cli, argc, argv, "o:", opts)) != -1) {
		if (c == 'o')
			file = optarg;
		else if (c == 'F')
			force = 1;
		else if (c == 'm') {
			if ((rc = cli_mode(cli, optarg, &mode)) != 0)
				return rc;
		} else if (c == 'd')
			as_of = optarg;
		else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_today(cli, as_of, &today)) != 0)
		return rc;
	/* Named for the day it scores: --as-of's, or today. */
	if (cli_report_prepare(cli, file, "protection-plan",
			       as_of ? hw_date_format(today, day) : NULL, force,
			       1, &o, path, sizeof path))
		return 1;
	o.database = cli->db_path;
	o.mode = mode;
	if (hw_store_weights(cli->st, &w, &err) < 0 ||
	    cli_analysis_graph(cli, NULL, 0, 1, &g, &err) < 0 ||
	    (g == NULL && (g = hw_graph_load(cli->st, &err)) == NULL) ||
	    hw_report_plan(cli->st, g, &w, today, &o, path, &info, &err) < 0)
		rc = cli_fail(cli, &err);
	else
		rc = cli_report_done(cli, path, &info, 1);
	hw_graph_free(g);
	cli_report_release(&o);
	return rc;
}

const struct cmd_entry cmd_report_plan_entry = {
    .name = "report plan",
    .usage = "[-o FILE] [--force] [--mode MODE] [--as-of DATE]",
    .summary = "Excel workbook of the protection plan, for managers",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/protection-plan-DATE.xlsx, DATE the\n"
	"                     --as-of date or today)\n"
	"  --force            overwrite an existing FILE\n"
	"  --mode MODE        the file's permissions, octal: 600 (the\n"
	"                     default, owner-only), 640, 604 or 644\n"
	"  --as-of DATE       score as of DATE (YYYY-MM-DD; default today, "
	"UTC)\n"
	"\nSheets:\n"
	"  Summary          organisation, date, database; the ten highest\n"
	"                   risks (name, score, band, first action, main\n"
	"                   reasons); assets by risk band, overall level and\n"
	"                   required baseline (two charts); SP 800-53B\n"
	"                   controls to add by family; data-quality counts\n"
	"  Risk register    every asset in rank order: id, name, score, band\n"
	"                   and main reasons first, then levels, impact,\n"
	"                   likelihood, each factor's contribution,\n"
	"                   dependents, blast and the recorded factors\n"
	"  Protection plan  per asset the required and implemented baseline,\n"
	"                   the controls to add and the actions in order,\n"
	"                   with reasons (as 'highwater plan')\n"
	"  Categorization   own and effective C/I/A, overall level, baseline,\n"
	"                   what raised each level and the path, information\n"
	"                   types\n"
	"  Controls         every SP 800-53B control, the baselines that hold\n"
	"                   it, and how many assets need it and lack it\n"
	"  Data quality     every finding of 'highwater check'\n"
	"Printed, tables run to more pages across, each repeating the header\n"
	"row and the id and name columns.\n"
	"A table longer than a worksheet (1,048,576 rows) goes on in "
	"'NAME (2)',\n"
	"and the Summary says so.  The file is written whole or not at "
	"all.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_report_plan_exec,
};

const struct cmd_entry cmd_report_inventory_entry = {
    .name = "report inventory",
    .usage = "[-o FILE] [--force] [--mode MODE]",
    .summary = "Excel workbook of the inventory: assets, assignments, "
	       "dependencies, information types",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/inventory-YYYY-MM-DD.xlsx)\n"
	"  --force            overwrite an existing FILE\n"
	"  --mode MODE        the file's permissions, octal: 600 (the\n"
	"                     default, owner-only), 640, 604 or 644\n"
	"\nFour sheets, the four tables of the CSV files: Assets,\n"
	"Assignments, Dependencies and Information types (the\n"
	"organisation's own), each one header row of the table's "
	"columns\nand one record a row: a sheet saved as CSV is that "
	"table's file,\nand the workbook, edited, imports back "
	"(highwater import FILE.xlsx).\nA sheet longer than 1,048,576 "
	"rows goes on in 'NAME (2)'.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_report_inventory_exec,
};

/*
 * cmd-report.c: "highwater report plan|change|inventory", the Excel
 * workbooks, and what every workbook command shares: where the file
 * goes (reports/ by default), the organisation's name, the row limit,
 * and saying where it went.  "report change" is the impact command's
 * work with a workbook for output (cmd-impact.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

#define DEFAULT_FOLDER "reports"

void cli_report_release(struct hw_report_opts *o)
{
	free((char *)o->organisation);
	free((char *)o->baselines_csv);
	free((char *)o->change_controls_csv);
	o->organisation = o->baselines_csv = o->change_controls_csv = NULL;
}

/* $HIGHWATER_XLSX_ROWS: rows a worksheet holds, so that tests can see a
 * table continue on a second sheet without a million rows. */
static int row_limit(struct cli *cli, size_t *out)
{
	const char *s = getenv("HIGHWATER_XLSX_ROWS");
	char *end;
	long v;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 2 || v > HW_XLSX_ROWS_MAX)
		return cli_failf(
		    cli,
		    "HIGHWATER_XLSX_ROWS: \"%s\" is not a number of "
		    "rows (expected 2 to %d)",
		    s, HW_XLSX_ROWS_MAX);
	*out = (size_t)v;
	return 0;
}

/* Can a file be made in path's folder?  Says why not. */
static int folder_ok(struct cli *cli, const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) != 0 ||
	    (!S_ISDIR(st.st_mode) && (errno = ENOTDIR)) ||
	    access(dir, W_OK | X_OK) != 0)
		return cli_failf(cli, "cannot write '%s': %s", path,
				 strerror(errno));
	return 0;
}

/* A copy of the path of the data file name (cli_report_release frees
 * it); says so when there is none. */
static int data_path(struct cli *cli, const char *name, const char **out)
{
	char buf[4096];

	if (cli_data_file(name, buf, sizeof buf) == NULL)
		return cli_failf(cli,
				 "cannot find %s (set HIGHWATER_DATADIR to the "
				 "folder that holds it)",
				 name);
	if ((*out = strdup(buf)) == NULL)
		return cli_failf(cli, "out of memory");
	return 0;
}

static int prepare(struct cli *cli, const char *file, const char *stem,
		   const char *day, int force, int baselines,
		   struct hw_report_opts *o, char *path, size_t size)
{
	char date[16], buf[4096];
	struct tm tm;
	char *org;

	o->force = force;
	o->now = time(NULL);
	if (row_limit(cli, &o->row_limit))
		return 1;
	if (file == NULL) {
		localtime_r(&o->now, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		if (mkdir(DEFAULT_FOLDER, 0777) != 0 && errno != EEXIST)
			return cli_failf(cli,
					 "cannot create the folder '%s': %s",
					 DEFAULT_FOLDER, strerror(errno));
		file = buf;
		snprintf(buf, sizeof buf, "%s/%s-%s.xlsx", DEFAULT_FOLDER, stem,
			 day ? day : date);
	}
	if (*file == '\0')
		return cli_failf(cli, "empty output file name");
	if (strlen(file) + 16 > size)
		return cli_failf(cli, "'%s': path too long", file);
	snprintf(path, size, "%s", file);
	if (!force && access(path, F_OK) == 0)
		return cli_failf(cli,
				 "'%s' already exists (use --force to "
				 "overwrite it)",
				 path);
	if (folder_ok(cli, path))
		return 1;
	if (baselines &&
	    (data_path(cli, "sp800-53b-baselines.csv", &o->baselines_csv) ||
	     data_path(cli, "change-controls.csv", &o->change_controls_csv)))
		return 1;
	org = cli_setting_value(cli, cli_setting_find("organisation"));
	if (org == NULL)
		return 1;
	o->organisation = org;
	return 0;
}

int cli_report_prepare(struct cli *cli, const char *file, const char *stem,
		       const char *day, int force, int baselines,
		       struct hw_report_opts *o, char *path, size_t size)
{
	memset(o, 0, sizeof *o);
	if (prepare(cli, file, stem, day, force, baselines, o, path, size) == 0)
		return 0;
	cli_report_release(o);
	return 1;
}

int cli_report_done(struct cli *cli, const char *path,
		    const struct hw_report_info *info, int on_stdout)
{
	if (!on_stdout) {
		if (!cli->quiet)
			fprintf(stderr, "wrote %s%s%s\n", path,
				info->split[0] ? ": " : "", info->split);
		return 0;
	}
	if (cli->json)
		return cli_print_json(
		    cli, json_pack("{s:s, s:I, s:I, s:o}", "path", path,
				   "sheets", (json_int_t)info->sheets, "rows",
				   (json_int_t)info->rows, "split",
				   info->split[0] ? json_string(info->split)
						  : json_null()));
	printf("wrote %s (%zu sheet%s, %zu record%s)\n", path, info->sheets,
	       info->sheets == 1 ? "" : "s", info->rows,
	       info->rows == 1 ? "" : "s");
	if (info->split[0])
		printf("note: %s\n", info->split);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_failf(cli, "cannot write output");
	return 0;
}

static int cmd_report_change_exec(struct cli *cli, int argc, char **argv)
{
	return cli_impact_run(cli, argc, argv, 1);
}

static int cmd_report_inventory_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_report_opts o;
	struct hw_report_info info;
	struct hw_error err = {0};
	const char *file = NULL;
	char path[4096];
	int c, rc, force = 0;

	while ((c = cli_getopt(cli, argc, argv, "o:", opts)) != -1) {
		if (c == 'o')
			file = optarg;
		else if (c == 'F')
			force = 1;
		else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli_report_prepare(cli, file, "inventory", NULL, force, 0, &o, path,
			       sizeof path))
		return 1;
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
	int32_t today;

	while ((c = cli_getopt(cli, argc, argv, "o:", opts)) != -1) {
		if (c == 'o')
			file = optarg;
		else if (c == 'F')
			force = 1;
		else if (c == 'd')
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
	if (hw_store_weights(cli->st, &w, &err) < 0 ||
	    (g = hw_graph_load(cli->st, &err)) == NULL ||
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
    .usage = "[-o FILE] [--force] [--as-of DATE]",
    .summary = "Excel workbook of the protection plan, for managers",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/protection-plan-DATE.xlsx, DATE the\n"
	"                     --as-of date or today)\n"
	"  --force            overwrite an existing FILE\n"
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

const struct cmd_entry cmd_report_change_entry = {
    .name = "report change",
    .usage = "ASSET... [-o FILE] [--force] [--depth N] [--types T,...] "
	     "[--direction up|down|both]",
    .summary = "Excel workbook of a change's impact, for the change "
	       "advisory board",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/change-ASSET-YYYY-MM-DD.xlsx)\n"
	"  --force            overwrite an existing FILE\n"
	"  --depth, --types, --direction\n"
	"                     as for 'highwater impact'\n"
	"\nSheets: Summary (targets, recommended route, highest level per\n"
	"objective, counts by level, owners to notify, business services),\n"
	"Affected CIs (distance, path, effective levels, owner, cycle;\n"
	"filterable), Owners (whom to notify, with their affected assets)\n"
	"and Controls to re-check (the SP 800-53 controls a change engages,\n"
	"from change-controls.csv, that a touched asset's baseline selects,\n"
	"with the assets requiring each).  Several targets name the file\n"
	"after the first: change-ASSET+N-more-DATE.xlsx.  A table longer\n"
	"than a worksheet (1,048,576 rows) goes on in 'NAME (2)', and the\n"
	"Summary says so.  The file is written whole or not at all.  The\n"
	"organisation's name comes from 'highwater config organisation'.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_report_change_exec,
};

const struct cmd_entry cmd_report_inventory_entry = {
    .name = "report inventory",
    .usage = "[-o FILE] [--force]",
    .summary = "Excel workbook of the inventory: assets, dependencies, "
	       "information types",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/inventory-YYYY-MM-DD.xlsx)\n"
	"  --force            overwrite an existing FILE\n"
	"\nThree sheets, Assets, Dependencies and Information types (the\n"
	"organisation's own), each one header row of the inventory "
	"file's\nfield names and one record a row, plain values: a sheet "
	"saved as CSV\nhas the inventory's columns.  An asset's "
	"information_types cell\nholds the JSON array of the inventory "
	"file.  A sheet longer than\n1,048,576 rows goes on in 'NAME (2)'.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_report_inventory_exec,
};

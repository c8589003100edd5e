/*
 * workbook.c: what every workbook command shares: where the file goes
 * (reports/ by default, an existing file refused unless --force), the
 * organisation's name, the data files, the row limit, and saying where
 * the workbook went.
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
	struct hw_error err = {0};
	char date[16], buf[4096];
	struct tm tm;
	char *org;

	o->force = force;
	o->now = time(NULL);
	/* The clock starts here: loading and scoring count as the work. */
	cli_progress_begin(cli, "writing the workbook");
	o->progress = cli->bar.on ? cli_progress : NULL;
	o->progress_ctx = &cli->bar;
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
	if (hw_out_check(path, force, &err) < 0)
		return cli_fail(cli, &err);
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

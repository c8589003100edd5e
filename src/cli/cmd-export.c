/*
 * cmd-export.c: "highwater export", write the inventory as one JSON
 * document (sorted, so that a second export is byte-identical), as the
 * four CSV tables in a folder (--format csv), or one system as an OSCAL
 * System Security Plan (--format oscal --system).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

/* What to export: the inventory, or with oscal set one system. */
struct export_job {
	int oscal;
	int csv; /* the inventory as the CSV tables, into a folder */
	struct hw_oscal_opts oo;
};

/* Write the export to fp, with the progress bar when bar is set. */
static int export_write(struct cli *cli, const struct export_job *j, FILE *fp,
			int bar, struct hw_error *err)
{
	if (j->oscal)
		return hw_export_oscal(cli->st, &j->oo, fp, err);
	return hw_export_json(cli->st, fp, bar ? cli_progress : NULL, &cli->bar,
			      err);
}

/* Export to the file out, written beside it and put in place whole
 * (hw_out_place): never a partial file, never through a symbolic link;
 * an existing file only when force.  0, or 1 after printing the error. */
static int export_file(struct cli *cli, const struct export_job *j,
		       const char *out, int force)
{
	struct hw_error err = {0};
	char tmp[4096];
	FILE *fp;
	int fd;

	if (hw_out_check(out, force, &err) < 0 ||
	    (fd = hw_out_temp(out, tmp, sizeof tmp, &err)) < 0)
		return cli_fail(cli, &err);
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		close(fd);
		unlink(tmp);
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	}
	if (export_write(cli, j, fp, cli->bar.on, &err) < 0) {
		fclose(fp);
		unlink(tmp);
		return cli_fail(cli, &err);
	}
	if (fflush(fp) != 0 || fsync(fd) != 0 || fclose(fp) != 0) {
		unlink(tmp);
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	}
	if (hw_out_place(tmp, out, force, &err) < 0) {
		unlink(tmp);
		return cli_fail(cli, &err);
	}
	return 0;
}

static int cmd_export_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"force", no_argument, NULL, 'F'},
	    {"system", required_argument, NULL, 's'},
	    {"depth", required_argument, NULL, 'd'},
	    {"include-components", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct export_job j = {0};
	struct hw_error err = {0};
	const char *out = NULL;
	char csv[4096];
	int c, force = 0, bad;

	j.oo.depth = -1;
	while ((c = cli_getopt(cli, argc, argv, "o:f:", opts)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'F')
			force = 1;
		else if (c == 's')
			j.oo.system = optarg;
		else if (c == 'i')
			j.oo.include_components = 1;
		else if (c == 'd') {
			if ((bad = cli_depth(cli, optarg, &j.oo.depth)))
				return bad;
		} else if (c == 'f') {
			j.oscal = strcmp(optarg, "oscal") == 0;
			j.csv = strcmp(optarg, "csv") == 0;
			if (!j.oscal && !j.csv && strcmp(optarg, "json") != 0)
				return cli_usage(cli,
						 "unknown format \"%s\" "
						 "(expected json, csv or "
						 "oscal)",
						 optarg);
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (j.oscal && j.oo.system == NULL)
		return cli_usage(cli, "--format oscal needs --system ASSET");
	if (!j.oscal &&
	    (j.oo.system != NULL || j.oo.depth >= 0 || j.oo.include_components))
		return cli_usage(cli, "--system, --depth and "
				      "--include-components go with --format "
				      "oscal");
	if (j.oscal) {
		if (cli_data_file("sp800-53b-baselines.csv", csv, sizeof csv) ==
		    NULL)
			return cli_failf(cli, "cannot find "
					      "sp800-53b-baselines.csv (set "
					      "HIGHWATER_DATADIR)");
		j.oo.baselines_csv = csv;
		j.oo.now = hw_time_now();
	}
	if (j.csv && (out == NULL || strcmp(out, "-") == 0))
		return cli_usage(cli, "--format csv needs -o DIR (a folder "
				      "for the four files)");
	cli_progress_begin(cli, "exporting");
	if (j.csv) {
		if (hw_export_csv(cli->st, out, force,
				  cli->bar.on ? cli_progress : NULL, &cli->bar,
				  &err) < 0)
			return cli_fail(cli, &err);
		if (!cli->quiet && !cli->json)
			fprintf(stderr, "exported to %s/\n", out);
		return 0;
	}
	if (out == NULL || strcmp(out, "-") == 0) {
		/* no bar over the document on the same terminal */
		if (export_write(cli, &j, stdout,
				 cli->bar.on && !isatty(STDOUT_FILENO),
				 &err) < 0)
			return cli_fail(cli, &err);
		return 0;
	}
	if (export_file(cli, &j, out, force) != 0)
		return 1;
	if (!cli->quiet && !cli->json)
		fprintf(stderr, "exported to %s\n", out);
	return 0;
}

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .usage = "[-o FILE] [--force] [--format json|csv|oscal] [--system "
	     "ASSET [--depth N] [--include-components]]",
    .summary = "Export the inventory as JSON or CSV, or a system as an "
	       "OSCAL SSP",
    .help = "Options:\n"
	    "  -o, --output FILE     write to FILE (atomically, owner-only) "
	    "instead of\n"
	    "                        stdout; with --format csv, the folder "
	    "DIR\n"
	    "  --force               overwrite an existing FILE (or the CSV "
	    "files)\n"
	    "  --format json         the whole inventory (the default)\n"
	    "  --format csv          the whole inventory as four files in "
	    "DIR (made\n"
	    "                        if missing): information-types.csv, "
	    "assets.csv,\n"
	    "                        assignments.csv, dependencies.csv "
	    "(UTF-8, CRLF)\n"
	    "  --format oscal        one system as an OSCAL 1.1 System "
	    "Security Plan\n"
	    "  --system ASSET        the system: an asset with information "
	    "types\n"
	    "  --depth N             its boundary: what it depends on within "
	    "N hops\n"
	    "                        (default: all of it)\n"
	    "  --include-components  also list the information types of the "
	    "assets\n"
	    "                        in its boundary\n"
	    "\nExport then import gives the same inventory; a second export "
	    "is\nbyte-identical to the first.  CSV holds the four tables "
	    "only: history\n(changes, incidents) travels in JSON.  An OSCAL "
	    "plan's UUIDs are derived\nfrom the database's id and stay the "
	    "same on every export, the plan's\nown UUID and last-modified "
	    "time excepted.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_export_exec,
};

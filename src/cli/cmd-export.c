/*
 * cmd-export.c: "highwater export", write the inventory as one JSON
 * document (sorted, so that a second export is byte-identical), or as
 * the four CSV tables in a folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

/* Export to the file out, written beside it and renamed into place:
 * never a partial file; an existing one only when force.  0, or 1
 * after printing the error. */
static int export_file(struct cli *cli, const char *out, int force)
{
	struct hw_error err = {0};
	char tmp[4096];
	FILE *fp;
	int fd;

	if (!force && access(out, F_OK) == 0)
		return cli_failf(cli,
				 "'%s' already exists (use --force to "
				 "overwrite it)",
				 out);
	/* Write beside the target, then rename: never a partial file. */
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", out) >=
	    sizeof tmp)
		return cli_failf(cli, "'%s': path too long", out);
	fd = mkstemp(tmp);
	if (fd < 0)
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		close(fd);
		unlink(tmp);
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	}
	if (hw_export_json(cli->st, fp, cli->bar.on ? cli_progress : NULL,
			   &cli->bar, &err) < 0) {
		fclose(fp);
		unlink(tmp);
		return cli_fail(cli, &err);
	}
	if (fflush(fp) != 0 || fsync(fd) != 0 || fclose(fp) != 0) {
		unlink(tmp);
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	}
	if (rename(tmp, out) != 0) {
		unlink(tmp);
		return cli_failf(cli, "cannot write '%s': %s", out,
				 strerror(errno));
	}
	return 0;
}

static int cmd_export_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	const char *out = NULL;
	int c, force = 0, csv = 0;

	while ((c = cli_getopt(cli, argc, argv, "o:f:", opts)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'F')
			force = 1;
		else if (c == 'f') {
			csv = strcmp(optarg, "csv") == 0;
			if (!csv && strcmp(optarg, "json") != 0)
				return cli_usage(cli,
						 "unknown format \"%s\" "
						 "(expected json or csv)",
						 optarg);
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (csv && (out == NULL || strcmp(out, "-") == 0))
		return cli_usage(cli, "--format csv needs -o DIR (a folder "
				      "for the four files)");
	cli_progress_begin(cli, "exporting");
	if (csv) {
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
		if (hw_export_json(cli->st, stdout,
				   cli->bar.on && !isatty(STDOUT_FILENO)
				       ? cli_progress
				       : NULL,
				   &cli->bar, &err) < 0)
			return cli_fail(cli, &err);
		return 0;
	}
	if (export_file(cli, out, force) != 0)
		return 1;
	if (!cli->quiet && !cli->json)
		fprintf(stderr, "exported to %s\n", out);
	return 0;
}

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .usage = "[-o FILE] [--force] [--format json|csv]",
    .summary = "Export the inventory as JSON (stdout, or FILE) or CSV "
	       "(DIR)",
    .help = "Options:\n"
	    "  -o, --output FILE  write to FILE (atomically) instead of "
	    "stdout;\n"
	    "                     with --format csv, the folder DIR "
	    "(made if\n"
	    "                     missing)\n"
	    "  --force            overwrite an existing FILE (or the CSV "
	    "files)\n"
	    "  --format json|csv  json (the default): one document; csv: "
	    "four\n"
	    "                     files, information-types.csv, "
	    "assets.csv,\n"
	    "                     assignments.csv and dependencies.csv "
	    "(UTF-8,\n"
	    "                     CRLF line ends, owner-only)\n"
	    "\nExport then import gives the same inventory; a second export "
	    "is\nbyte-identical to the first.  CSV holds the four tables "
	    "only:\nhistory (changes, incidents) travels in the JSON "
	    "format.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_export_exec,
};

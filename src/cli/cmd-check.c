/*
 * cmd-check.c: "highwater check", the inventory's data-quality findings
 * (which are risks too), with an exit status that can gate a pipeline.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis-graph.h"
#include "cmd.h"

/* The document, written as it is computed (answer-analysis.c). */
static int render_json(struct cli *cli, const struct hw_check_view *fs)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_check(&js, fs);
	return cli_jstream_end(cli, &js);
}

static void render_text(struct cli *cli, const struct hw_check_view *fs)
{
	size_t i, n = fs->n, wid = 5;

	for (i = 0; i < n; i++)
		if (strlen(hw_graph_id(fs->g, fs->f[i].node)) > wid)
			wid = strlen(hw_graph_id(fs->g, fs->f[i].node));
	if (n > 0)
		printf("%-8s  %-18s  %-*s  %s\n", "SEVERITY", "FINDING",
		       (int)wid, "ASSET", "DETAIL");
	for (i = 0; i < n; i++) {
		cli_put_levels(cli, stdout, hw_severity_name(fs->f[i].severity),
			       8);
		printf("  %-18s  %-*s  %s\n", hw_finding_name(fs->f[i].kind),
		       (int)wid, hw_graph_id(fs->g, fs->f[i].node),
		       fs->f[i].detail);
	}
	if (!cli->quiet)
		printf("%s%zu finding%s: %zu high, %zu moderate, %zu low\n",
		       n ? "\n" : "", n, n == 1 ? "" : "s",
		       fs->count[HW_SEV_HIGH], fs->count[HW_SEV_MODERATE],
		       fs->count[HW_SEV_LOW]);
}

static int cmd_check_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"fail-on", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_graph *g = NULL;
	struct hw_error err = {0};
	struct hw_check_view fs = {0};
	enum hw_severity fail_on = 0;
	size_t i, over = 0;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'f')
			return 2;
		if (hw_severity_parse(optarg, &fail_on, &err) < 0)
			return cli_usage(cli, "--fail-on: %s", err.text);
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli_analysis_graph(cli, NULL, 0, 0, &g, &err) < 0 ||
	    hw_check_view_compute(cli->st, g, &fs, &err) < 0)
		rc = cli_fail(cli, &err);
	else {
		/* At or above the --fail-on severity. */
		for (i = 0; i < fs.n; i++)
			if (fail_on && fs.f[i].severity >= fail_on)
				over++;
		rc = 0;
		if (cli->json)
			rc = render_json(cli, &fs);
		else
			render_text(cli, &fs);
	}
	if (rc == 0 && over > 0) {
		fprintf(stderr,
			"highwater: check: %zu finding%s at or above %s\n",
			over, over == 1 ? "" : "s", hw_severity_name(fail_on));
		rc = 1;
	}
	hw_check_view_release(&fs);
	hw_graph_free(g);
	return rc;
}

const struct cmd_entry cmd_check_entry = {
    .name = "check",
    .usage = "[--fail-on low|moderate|high]",
    .summary = "Data-quality findings; gate a pipeline with --fail-on",
    .help = "Options:\n"
	    "  --fail-on S   exit 1 when a finding is at or above severity S\n"
	    "\nFindings, most severe first:\n"
	    "  high      unauthorized: nobody approved it into production\n"
	    "  high      uncategorized (no own level at all) or incomplete "
	    "levels (some\n"
	    "            objectives without an own level, from levels or\n"
	    "            information types) that inherit none; moderate "
	    "when they\n"
	    "            inherit some, low when all\n"
	    "  high      partly categorized: some objectives without a "
	    "level even\n"
	    "            inherited and the highest LOW, so the overall level "
	    "and\n"
	    "            baseline are a lower bound, maybe two steps short;\n"
	    "            moderate when the highest is MODERATE\n"
	    "  moderate  no owner\n"
	    "  moderate  under-categorized: an own level two steps below "
	    "what\n"
	    "            inheritance requires (low where high is "
	    "inherited)\n"
	    "  low       weak justification: a level adjusted with a "
	    "placeholder\n"
	    "            (\"tbd\", \"n/a\", or under 10 characters)\n"
	    "Exit status: 0, or 1 with --fail-on when a finding reaches it.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_check_exec,
};

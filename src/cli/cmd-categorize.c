/*
 * cmd-categorize.c: "highwater categorize [ASSET...]", the FIPS 199
 * security category of some assets or of all: own and effective (what the
 * assets depending on it require), in FIPS 199 notation, with the FIPS
 * 200 overall level, the SP 800-53B baseline it selects, and which asset
 * raised each inherited level along which path.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis-graph.h"
#include "cmd.h"

/* Where one asset's own levels come from. */
static int explain_own(struct cli *cli, const char *id)
{
	struct hw_error err = {0};
	struct hw_asset a;
	size_t i;
	int o, any = 0;

	if (hw_store_asset_get(cli->st, id, &a, &err) < 0)
		return cli_fail(cli, &err);
	for (o = 0; o < HW_NOBJ; o++)
		any |= a.direct.v[o] != HW_LEVEL_NONE;
	if (any)
		cli_printf_levels(
		    cli, "  from       set directly: C %s, I %s, A %s\n",
		    cli_level_text(a.direct.v[HW_C]),
		    cli_level_text(a.direct.v[HW_I]),
		    cli_level_text(a.direct.v[HW_A]));
	for (i = 0; i < a.ntypes; i++)
		cli_printf_levels(
		    cli,
		    "  from       information type %s: C %s, I %s, A %s%s\n",
		    a.types[i].type_id,
		    cli_level_text(a.types[i].selected.v[HW_C]),
		    cli_level_text(a.types[i].selected.v[HW_I]),
		    cli_level_text(a.types[i].selected.v[HW_A]),
		    hw_assignment_adjusted(&a.types[i]) ? " (adjusted)" : "");
	hw_asset_release(&a);
	return 0;
}

/* Streamed as it is written, assets one by one (answer-analysis.c). */
static int render_json(struct cli *cli, const struct hw_categorized *r)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_categorize(&js, r);
	return cli_jstream_end(cli, &js);
}

/* named: the assets were named (each is explained); else all. */
static int render_text(struct cli *cli, const struct hw_categorized *r,
		       int named, int summary)
{
	const struct hw_category_counts *c = &r->counts;
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++) {
		if (named && i > 0)
			putchar('\n');
		cli_print_categorization(cli, r->g, r->order[i]);
		if (named && (rc = explain_own(
				  cli, hw_graph_id(r->g, r->order[i]))) != 0)
			return rc;
	}
	if ((!named || summary) && !cli->quiet)
		printf("%s%zu assets by effective overall level: %zu high, "
		       "%zu moderate, %zu low, %zu uncategorized\n"
		       "%zu partly categorized (counted at a lower bound: "
		       "some objectives have no level)\n"
		       "%zu with no levels of their own; %zu raised by what "
		       "depends on them\n",
		       summary || r->n == 0 ? "" : "\n",
		       c->count[0] + c->count[HW_LEVEL_LOW] +
			   c->count[HW_LEVEL_MODERATE] +
			   c->count[HW_LEVEL_HIGH],
		       c->count[HW_LEVEL_HIGH], c->count[HW_LEVEL_MODERATE],
		       c->count[HW_LEVEL_LOW], c->count[HW_LEVEL_NONE],
		       c->partial, c->own_uncategorized, c->raised);
	return 0;
}

static int cmd_categorize_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"summary", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_categorize_opts o = {0};
	struct hw_categorized r = {0};
	struct hw_graph *g = NULL;
	struct hw_error err = {0};
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 's')
			return 2;
		o.summary = 1;
	}
	o.assets = (const char *const *)argv + optind;
	o.nassets = (size_t)(argc - optind);
	if (cli_analysis_graph(cli, o.assets, o.nassets, 0, &g, &err) < 0 ||
	    hw_categorize_compute(cli->st, g, &o, &r, &err) < 0)
		rc = cli_fail(cli, &err);
	else
		rc = cli->json ? render_json(cli, &r)
			       : render_text(cli, &r, o.nassets > 0, o.summary);
	hw_categorized_release(&r);
	hw_graph_free(g);
	return rc;
}

const struct cmd_entry cmd_categorize_entry = {
    .name = "categorize",
    .usage = "[ASSET...] [--summary]",
    .summary = "Own and effective FIPS 199 category, overall level, "
	       "baseline and why",
    .help = "Options:\n"
	    "  --summary   only the counts (of the assets named, else of all)\n"
	    "\nOwn: per objective, the highest of the levels set on the "
	    "asset and the\n"
	    "selected levels of its information types (NA counts as LOW). "
	    "An asset with\n"
	    "neither is UNCATEGORIZED, never treated as low.\n"
	    "Effective: the highest of the own level and the effective "
	    "level of every\n"
	    "asset depending on it, through dependencies carrying that "
	    "objective. Each\n"
	    "inherited level names the asset that raised it and a shortest "
	    "path.\n"
	    "The overall level (FIPS 200) is the highest effective level; it "
	    "selects the\n"
	    "SP 800-53B baseline. With some objectives unknown it is the "
	    "highest known:\n"
	    "exact if HIGH, else a lower bound (partly categorized, \"at "
	    "least MODERATE\").\n"
	    "Only an asset with no level at all, even inherited, is "
	    "UNCATEGORIZED.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_categorize_exec,
};

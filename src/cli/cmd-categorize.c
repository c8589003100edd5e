/*
 * cmd-categorize.c: "highwater categorize [ASSET]", the FIPS 199
 * security category of one asset or of all: own and effective (what the
 * assets depending on it require), in FIPS 199 notation, with the FIPS
 * 200 overall level, the SP 800-53B baseline it selects, and which asset
 * raised each inherited level along which path.
 */
#include <stdlib.h>
#include <string.h>

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

/* What the command computed: the categorized graph, the assets to list
 * (the one asked for, or all in id order, for people and for diffs) and
 * the library's counts of them. */
struct categorize_result {
	struct hw_graph *g;
	uint32_t *order;
	size_t n; /* assets listed (0 with --summary) */
	struct hw_category_counts counts;
};

static void categorize_release(struct categorize_result *r)
{
	free(r->order);
	hw_graph_free(r->g);
}

/* 0, or 1 after printing the error (categorize_release either way). */
static int categorize_compute(struct cli *cli, const char *one, int summary,
			      struct categorize_result *r)
{
	struct hw_error err = {0};
	size_t n, i;

	r->g = one ? hw_graph_load_up(cli->st, (const char *const *)&one, 1,
				      CLI_CLOSURE_LIMIT, &err)
		   : hw_graph_load(cli->st, &err);
	if (r->g == NULL || hw_graph_categorize(r->g, &err) < 0)
		return cli_fail(cli, &err);
	n = hw_graph_size(r->g);
	r->order = malloc((n + 1) * sizeof *r->order);
	if (r->order == NULL)
		return cli_failf(cli, "out of memory");
	if (one != NULL) {
		r->order[0] = (uint32_t)hw_graph_find(r->g, one);
		memset(&r->counts, 0, sizeof r->counts);
		hw_graph_count_node(r->g, r->order[0], &r->counts);
		r->n = summary ? 0 : 1;
		return 0;
	}
	/* The counts alone need no order. */
	hw_graph_count_categories(r->g, &r->counts);
	if (summary)
		return 0;
	for (i = 0; i < n; i++)
		r->order[i] = (uint32_t)i;
	hw_graph_sort_by_id(r->g, r->order, n);
	r->n = n;
	return 0;
}

static json_t *counts_json(const struct hw_category_counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "low",
			 (json_int_t)c->count[HW_LEVEL_LOW], "moderate",
			 (json_int_t)c->count[HW_LEVEL_MODERATE], "high",
			 (json_int_t)c->count[HW_LEVEL_HIGH], "uncategorized",
			 (json_int_t)c->count[HW_LEVEL_NONE],
			 "partly_categorized", (json_int_t)c->partial,
			 "own_uncategorized", (json_int_t)c->own_uncategorized,
			 "raised", (json_int_t)c->raised);
}

/* Streamed as it is written, assets one by one. */
static int render_json(struct cli *cli, const struct categorize_result *r,
		       int summary)
{
	struct hw_jstream js;
	size_t i;

	cli_jstream_begin(cli, &js);
	hw_jstream_object(&js, NULL);
	if (!summary) {
		/* After a failure every call returns at once: stop. */
		if (hw_jstream_array(&js, "assets") == 0)
			for (i = 0; i < r->n; i++)
				if (hw_jstream_put(&js, NULL,
						   hw_json_categorization(
						       r->g, r->order[i])) < 0)
					break;
		hw_jstream_close(&js);
	}
	hw_jstream_put(&js, "summary", counts_json(&r->counts));
	hw_jstream_close(&js);
	return cli_jstream_end(cli, &js);
}

static int render_text(struct cli *cli, const struct categorize_result *r,
		       const char *one, int summary)
{
	const struct hw_category_counts *c = &r->counts;
	size_t i;
	int rc;

	for (i = 0; i < r->n; i++) {
		cli_print_categorization(cli, r->g, r->order[i]);
		if (one != NULL && (rc = explain_own(cli, one)) != 0)
			return rc;
	}
	if ((one == NULL || summary) && !cli->quiet)
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
	struct categorize_result r = {0};
	const char *one = NULL;
	int c, summary = 0, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 's')
			return 2;
		summary = 1;
	}
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	if (optind < argc)
		one = argv[optind];
	rc = categorize_compute(cli, one, summary, &r);
	if (rc == 0)
		rc = cli->json ? render_json(cli, &r, summary)
			       : render_text(cli, &r, one, summary);
	categorize_release(&r);
	return rc;
}

const struct cmd_entry cmd_categorize_entry = {
    .name = "categorize",
    .usage = "[ASSET] [--summary]",
    .summary = "Own and effective FIPS 199 category, overall level, "
	       "baseline and why",
    .help = "Options:\n"
	    "  --summary   only the counts (all assets)\n"
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

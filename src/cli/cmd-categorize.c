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
		printf("  from       set directly: C %s, I %s, A %s\n",
		       cli_level_text(a.direct.v[HW_C]),
		       cli_level_text(a.direct.v[HW_I]),
		       cli_level_text(a.direct.v[HW_A]));
	for (i = 0; i < a.ntypes; i++)
		printf("  from       information type %s: C %s, I %s, A %s%s\n",
		       a.types[i].type_id,
		       cli_level_text(a.types[i].selected.v[HW_C]),
		       cli_level_text(a.types[i].selected.v[HW_I]),
		       cli_level_text(a.types[i].selected.v[HW_A]),
		       hw_assignment_adjusted(&a.types[i]) ? " (adjusted)"
							    : "");
	hw_asset_release(&a);
	return 0;
}

static int cmd_categorize_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"summary", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_graph *g;
	size_t count[HW_LEVEL_HIGH + 1] = {0}, uncat = 0, raised = 0, n, i;
	size_t partial = 0;
	uint32_t *order = NULL, v;
	json_t *arr = NULL;
	const char *one = NULL;
	int c, summary = 0, rc = 0;

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
	g = one ? hw_graph_load_up(cli->st, (const char *const *)&one, 1,
				   CLI_CLOSURE_LIMIT, &err)
		: hw_graph_load(cli->st, &err);
	if (g == NULL || hw_graph_categorize(g, &err) < 0) {
		hw_graph_free(g);
		return cli_fail(cli, &err);
	}
	n = hw_graph_size(g);
	if (cli->json && !summary)
		arr = json_array();
	/* The one asset asked for, or all in id order (for people and for
	 * diffs; the counts alone need no order). */
	order = malloc((n + 1) * sizeof *order);
	if (order == NULL) {
		hw_graph_free(g);
		json_decref(arr);
		return cli_failf(cli, "out of memory");
	}
	if (one != NULL) {
		order[0] = (uint32_t)hw_graph_find(g, one);
		n = 1;
	} else {
		for (i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		if (!summary)
			hw_graph_sort_by_id(g, order, n);
	}
	for (i = 0; i < n; i++) {
		const struct hw_sc *eff;
		int o;

		v = order[i];
		eff = hw_graph_effective(g, v);
		count[hw_sc_overall(eff)]++;
		partial += hw_sc_partial(eff);
		uncat += hw_sc_completeness(hw_graph_own(g, v)) < 0;
		for (o = 0; o < HW_NOBJ; o++)
			if (hw_graph_raised_by(g, v, o) >= 0) {
				raised++;
				break;
			}
		if (summary)
			continue;
		if (arr != NULL)
			json_array_append_new(
			    arr, cli_categorization_json(g, v));
		else {
			cli_print_categorization(g, v);
			if (one != NULL && (rc = explain_own(cli, one)) != 0)
				break;
		}
	}
	if (cli->json) {
		json_t *doc = json_object();

		if (arr != NULL)
			json_object_set_new(doc, "assets", arr);
		json_object_set_new(
		    doc, "summary",
		    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "low",
			      (json_int_t)count[HW_LEVEL_LOW], "moderate",
			      (json_int_t)count[HW_LEVEL_MODERATE], "high",
			      (json_int_t)count[HW_LEVEL_HIGH],
			      "uncategorized",
			      (json_int_t)count[HW_LEVEL_NONE],
			      "partly_categorized", (json_int_t)partial,
			      "own_uncategorized", (json_int_t)uncat,
			      "raised", (json_int_t)raised));
		rc = cli_print_json(cli, doc);
	} else if ((one == NULL || summary) && !cli->quiet) {
		printf("%s%zu assets by effective overall level: %zu high, "
		       "%zu moderate, %zu low, %zu uncategorized\n"
		       "%zu partly categorized (counted at a lower bound: "
		       "some objectives have no level)\n"
		       "%zu with no levels of their own; %zu raised by what "
		       "depends on them\n",
		       summary || n == 0 ? "" : "\n",
		       count[0] + count[HW_LEVEL_LOW] +
			   count[HW_LEVEL_MODERATE] + count[HW_LEVEL_HIGH],
		       count[HW_LEVEL_HIGH], count[HW_LEVEL_MODERATE],
		       count[HW_LEVEL_LOW], count[HW_LEVEL_NONE], partial,
		       uncat, raised);
	}
	free(order);
	hw_graph_free(g);
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

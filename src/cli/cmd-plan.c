/*
 * cmd-plan.c: "highwater plan", the protection plan: assets in risk
 * order, the SP 800-53B baseline each requires and has, the controls
 * between the two, and the actions that close the gap, most valuable
 * first; then the organisation's summary.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Required baseline level of an entry (0 unknown), implemented (0 none
 * or not recorded). */
static int implemented(const struct hw_risk_entry *e)
{
	return hw_factors_baseline(&e->in.factors);
}

/* Families in catalogue order, with their gap counts summed over the
 * assets: n[from][to] assets need the controls of to above from. */
static json_t *family_gaps(const struct hw_baselines *b,
			   size_t n[HW_LEVEL_HIGH + 1][HW_LEVEL_HIGH + 1],
			   int print)
{
	json_t *arr = print ? NULL : json_array();
	size_t i, j;
	int from, to;

	for (i = 0; i < b->count; i++) {
		const char *fam = b->controls[i].family;
		size_t total = 0;

		for (j = 0; j < i; j++)
			if (strcmp(b->controls[j].family, fam) == 0)
				break;
		if (j < i)
			continue;
		for (from = 0; from <= HW_LEVEL_HIGH; from++)
			for (to = HW_LEVEL_LOW; to <= HW_LEVEL_HIGH; to++)
				if (n[from][to])
					total += n[from][to] *
						 hw_baselines_gap(b, from, to,
								  fam);
		if (total == 0)
			continue;
		if (arr != NULL)
			json_array_append_new(arr,
					      json_pack("{sssI}", "family", fam,
							"controls",
							(json_int_t)total));
		else
			printf("    %-45s %zu\n", fam, total);
	}
	return arr;
}

static int cmd_plan_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"top", required_argument, NULL, 'n'},
	    {"as-of", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_weights w;
	struct hw_baselines b = {0};
	struct hw_risk_entry *reg = NULL;
	struct hw_graph *g = NULL;
	struct hw_action act[HW_ACT_COUNT];
	size_t gaps[HW_LEVEL_HIGH + 1][HW_LEVEL_HIGH + 1] = {{0}};
	size_t required[HW_LEVEL_HIGH + 1] = {0}, n, i, k, na, bounds = 0;
	const char *as_of = NULL;
	char path[4096], day[11];
	long top = -1;
	int c, rc = 0;
	int32_t today;
	json_t *arr = NULL, *sum;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'd') {
			as_of = optarg;
			continue;
		}
		if (c != 'n')
			return 2;
		if (cli_count(cli, "--top", optarg, 1000000000, &top))
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_today(cli, as_of, &today)) != 0)
		return rc;
	if (cli_data_file("sp800-53b-baselines.csv", path, sizeof path) ==
		NULL)
		return cli_failf(cli, "cannot find sp800-53b-baselines.csv "
				      "(set HIGHWATER_DATADIR)");
	if (hw_baselines_load(&b, path, &err) < 0 ||
	    hw_store_weights(cli->st, &w, &err) < 0 ||
	    (g = hw_graph_load(cli->st, &err)) == NULL ||
	    (reg = hw_risk_register(cli->st, g, &w, today, &err)) == NULL) {
		rc = cli_fail(cli, &err);
		goto out;
	}
	n = hw_graph_size(g);
	for (i = 0; i < n; i++) {
		required[reg[i].risk.required]++;
		bounds += reg[i].risk.required && !reg[i].risk.required_exact;
		if (reg[i].risk.required > implemented(&reg[i]))
			gaps[implemented(&reg[i])][reg[i].risk.required]++;
	}
	if (cli->json)
		arr = json_array();
	else
		printf("Protection plan, as of %s: %zu assets in risk order%s\n",
		       hw_date_format(today, day), n,
		       top >= 0 && (size_t)top < n ? " (top shown)" : "");
	for (i = 0; i < n && (top < 0 || i < (size_t)top); i++) {
		const struct hw_risk_entry *e = &reg[i];
		int req = e->risk.required, have = implemented(e);
		size_t gap = req > have ? hw_baselines_gap(&b, have, req, NULL)
					: 0;

		na = hw_plan_actions(&w, &e->in, &e->risk,
				     hw_graph_own(g, e->node),
				     hw_graph_owner(g, e->node) != NULL, &b,
				     act);
		if (cli->json) {
			json_t *o = json_object(), *acts = json_array();

			json_object_set_new(o, "rank", json_integer(e->rank));
			json_object_set_new(
			    o, "id", json_string(hw_graph_id(g, e->node)));
			json_object_set_new(o, "score",
					    json_real(e->risk.score));
			json_object_set_new(
			    o, "band",
			    json_string(hw_band_name(e->risk.band)));
			json_object_set_new(
			    o, "required",
			    req ? json_string(hw_baseline_name(
				      (enum hw_level)req))
				: json_null());
			json_object_set_new(
			    o, "required_exact",
			    json_boolean(e->risk.required_exact));
			cli_overall_json(o, &e->in.effective);
			json_object_set_new(o, "implemented",
					    json_string(hw_factors_baseline_text(&e->in.factors)));
			json_object_set_new(o, "control_gap",
					    req ? json_integer((json_int_t)gap)
						: json_null());
			for (k = 0; k < na; k++)
				json_array_append_new(
				    acts,
				    json_pack("{sssfss}", "action",
					      hw_action_name(act[k].kind),
					      "gain", act[k].gain, "reason",
					      act[k].reason));
			json_object_set_new(o, "actions", acts);
			json_array_append_new(arr, o);
			continue;
		}
		printf("\n#%ld  %s  score %.1f (%s)  owner %s\n", e->rank,
		       hw_graph_id(g, e->node), e->risk.score,
		       hw_band_name(e->risk.band),
		       hw_graph_owner(g, e->node) ? hw_graph_owner(g, e->node)
						  : "(none)");
		if (req)
			printf("    baseline  required %s, implemented %s, "
			       "%zu controls to add\n",
			       hw_overall_text((enum hw_level)req,
					       e->risk.required_exact, 0),
			       hw_factors_baseline_text(&e->in.factors), gap);
		else
			printf("    baseline  required unknown (uncategorized), "
			       "implemented %s, controls to add unknown\n",
			       hw_factors_baseline_text(&e->in.factors));
		for (k = 0; k < na; k++) {
			if (act[k].gain > 0)
				printf("    %zu. %s (-%.1f): %s\n", k + 1,
				       hw_action_name(act[k].kind), act[k].gain,
				       act[k].reason);
			else
				printf("    %zu. %s: %s\n", k + 1,
				       hw_action_name(act[k].kind),
				       act[k].reason);
		}
		if (na == 0)
			printf("    nothing to do\n");
	}
	if (cli->json) {
		json_t *top10 = json_array();

		for (i = 0; i < n && i < 10; i++)
			json_array_append_new(
			    top10,
			    json_pack("{sssf}", "id",
				      hw_graph_id(g, reg[i].node), "score",
				      reg[i].risk.score));
		sum = json_pack(
		    "{s{sIsIsIsI}sIsoso}", "required", "high",
		    (json_int_t)required[HW_LEVEL_HIGH], "moderate",
		    (json_int_t)required[HW_LEVEL_MODERATE], "low",
		    (json_int_t)required[HW_LEVEL_LOW], "unknown",
		    (json_int_t)required[HW_LEVEL_NONE], "partly_categorized",
		    (json_int_t)bounds, "gaps_by_family",
		    family_gaps(&b, gaps, 0), "top", top10);
		rc = cli_print_json(cli,
				    json_pack("{sssoso}", "as_of",
					      hw_date_format(today, day),
					      "summary", sum, "assets", arr));
		goto out;
	}
	printf("\nOrganisation summary\n");
	printf("  assets by required baseline: HIGH %zu, MODERATE %zu, LOW "
	       "%zu, unknown (uncategorized) %zu\n",
	       required[HW_LEVEL_HIGH], required[HW_LEVEL_MODERATE],
	       required[HW_LEVEL_LOW], required[HW_LEVEL_NONE]);
	if (bounds > 0)
		printf("  of these, %zu partly categorized: the baseline is a "
		       "lower bound (\"at least\")\n",
		       bounds);
	printf("  controls to add, by family (summed over assets; an "
	       "unrecorded baseline counts as none):\n");
	family_gaps(&b, gaps, 1);
	printf("  ten highest risks:\n");
	for (i = 0; i < n && i < 10; i++)
		printf("    %2zu. %-30s %5.1f  %s\n", i + 1,
		       hw_graph_id(g, reg[i].node), reg[i].risk.score,
		       hw_band_name(reg[i].risk.band));
out:
	free(reg);
	hw_graph_free(g);
	hw_baselines_release(&b);
	return rc;
}

const struct cmd_entry cmd_plan_entry = {
    .name = "plan",
    .usage = "[--top N] [--as-of DATE]",
    .summary = "Protection plan: baselines, control gaps and actions in "
	       "risk order",
    .help = "Options:\n"
	    "  --top N        only the N highest risks (the summary covers "
	    "all)\n"
	    "  --as-of DATE   as of DATE (YYYY-MM-DD; default today, UTC)\n"
	    "\nPer asset: the SP 800-53B baseline its effective overall "
	    "level requires\n"
	    "(FIPS 200), the one recorded as implemented "
	    "(implemented_baseline), the\n"
	    "controls between them, and the actions that close the gap: "
	    "prerequisites\n"
	    "(categorize, assign owner) first, then by the score points "
	    "each removes.\n"
	    "An unrecorded baseline counts as none for the control gap.\n"
	    "A partly categorized asset (some objectives without a level, "
	    "none HIGH)\n"
	    "requires \"at least\" its highest known level's baseline: "
	    "its gap is counted\n"
	    "against that lower bound, and completing the categorization "
	    "comes first.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_plan_exec,
};

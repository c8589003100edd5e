/*
 * cmd-plan.c: "highwater plan", the protection plan: assets in risk
 * order, the SP 800-53B baseline each requires and has, the controls
 * between the two, and the actions that close the gap, most valuable
 * first; then the organisation's summary.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis-graph.h"
#include "cmd.h"

/* The document, written as it is computed: each asset's plan is made,
 * written and released in turn (answer-analysis.c). */
static int render_json(struct cli *cli, const struct hw_plan_view *p)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_plan(&js, p);
	return cli_jstream_end(cli, &js);
}

static void print_asset(const struct cli *cli, const struct hw_plan_view *p,
			const struct hw_risk_entry *e)
{
	struct hw_action act[HW_ACT_COUNT];
	const char *owner = hw_graph_owner(p->g, e->node);
	size_t k, na;

	na = hw_plan_actions(&p->w, &e->in, &e->risk, hw_graph_own(p->g, e->node),
			     owner != NULL, &p->b, act);
	printf("\n#%ld  %s  score %.1f (%s)  owner %s\n", e->rank,
	       hw_graph_id(p->g, e->node), e->risk.score,
	       hw_band_name(e->risk.band), owner ? owner : "(none)");
	if (e->risk.required)
		cli_printf_levels(
		    cli,
		    "    baseline  required %s, implemented %s, "
		    "%zu controls to add\n",
		    hw_overall_text((enum hw_level)e->risk.required,
				    e->risk.required_exact, 0),
		    hw_factors_baseline_text(&e->in.factors),
		    hw_plan_control_gap(e, &p->b));
	else
		cli_printf_levels(cli,
				  "    baseline  required unknown "
				  "(uncategorized), implemented %s, controls "
				  "to add unknown\n",
				  hw_factors_baseline_text(&e->in.factors));
	for (k = 0; k < na; k++) {
		if (act[k].gain > 0)
			printf("    %zu. %s (-%.1f): %s\n", k + 1,
			       hw_action_name(act[k].kind), act[k].gain,
			       act[k].reason);
		else
			printf("    %zu. %s: %s\n", k + 1,
			       hw_action_name(act[k].kind), act[k].reason);
	}
	if (na == 0)
		printf("    nothing to do\n");
}

static void render_text(const struct cli *cli, const struct hw_plan_view *p)
{
	size_t shown = p->shown;
	const struct hw_plan_summary *s = &p->sum;
	char day[11];
	size_t i;

	printf("Protection plan, as of %s: %zu assets in risk order%s\n",
	       hw_date_format(p->today, day), p->n,
	       shown < p->n ? " (top shown)" : "");
	for (i = 0; i < shown; i++)
		print_asset(cli, p, &p->reg[i]);
	printf("\nOrganisation summary\n");
	cli_printf_levels(
	    cli,
	    "  assets by required baseline: HIGH %zu, MODERATE "
	    "%zu, LOW %zu, unknown (uncategorized) %zu\n",
	    s->required[HW_LEVEL_HIGH], s->required[HW_LEVEL_MODERATE],
	    s->required[HW_LEVEL_LOW], s->required[HW_LEVEL_NONE]);
	if (s->bounds > 0)
		printf("  of these, %zu partly categorized: the baseline is a "
		       "lower bound (\"at least\")\n",
		       s->bounds);
	printf("  controls to add, by family (summed over assets; an "
	       "unrecorded baseline counts as none):\n");
	for (i = 0; i < s->nfamilies; i++)
		if (s->family[i].controls > 0)
			printf("    %-45s %zu\n", s->family[i].family,
			       s->family[i].controls);
	if (p->nfragile > 0) {
		printf("  fragile artefacts to stabilise, by downtime cost "
		       "(fragility %.2f or more):\n",
		       p->w.v[HW_W_PLAN_FRAGILE]);
		for (i = 0; i < p->nfragile; i++) {
			const struct hw_risk_entry *e = &p->reg[p->fragile[i]];
			const struct hw_factors *f = &e->in.factors;
			char cost[40];

			if (f->known & HW_F_BIT(HW_F_DOWNTIME_COST))
				snprintf(cost, sizeof cost, "%.2f an hour",
					 f->downtime_cost);
			else
				snprintf(cost, sizeof cost, "not recorded");
			printf("    %-30s fragility %.2f  downtime %s  (#%ld, "
			       "score %.1f)\n",
			       hw_graph_id(p->g, e->node), f->fragility, cost,
			       e->rank, e->risk.score);
		}
	}
	printf("  ten highest risks:\n");
	for (i = 0; i < p->n && i < 10; i++)
		printf("    %2zu. %-30s %5.1f  %s\n", i + 1,
		       hw_graph_id(p->g, p->reg[i].node), p->reg[i].risk.score,
		       hw_band_name(p->reg[i].risk.band));
}

static int cmd_plan_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"top", required_argument, NULL, 'n'},
	    {"as-of", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_plan_query q = {-1, 0, NULL};
	struct hw_plan_view p = {0};
	struct hw_graph *g = NULL;
	struct hw_error err = {0};
	const char *as_of = NULL;
	char path[4096];
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'd') {
			as_of = optarg;
			continue;
		}
		if (c != 'n')
			return 2;
		if (cli_top(cli, optarg, &q.top))
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_today(cli, as_of, &q.today)) != 0)
		return rc;
	if ((q.baselines_csv = cli_data_file("sp800-53b-baselines.csv", path,
					     sizeof path)) == NULL)
		return cli_failf(cli, "cannot find sp800-53b-baselines.csv "
				      "(set HIGHWATER_DATADIR)");
	if (cli_analysis_graph(cli, NULL, 0, 1, &g, &err) < 0 ||
	    hw_plan_view_compute(cli->st, g, &q, &p, &err) < 0)
		rc = cli_fail(cli, &err);
	else if (cli->json)
		rc = render_json(cli, &p);
	else
		render_text(cli, &p);
	hw_plan_view_release(&p);
	hw_graph_free(g);
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

/*
 * cmd-impact.c: "highwater impact ASSET..." and "highwater report change
 * ASSET...", the change-impact set: every asset a change to the targets
 * touches through the dependencies, with its distance, a shortest path,
 * its effective levels and owner, and the library's summary for the
 * change advisory board with the recommended route; as a table, as JSON,
 * or as the change workbook.  Both entries parse the same options and
 * compute the same impact; they differ in what they render.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis-graph.h"
#include "cmd.h"
#include "posture.h"

/* What the command was asked: the query (answer.h), and where a
 * workbook goes. */
struct impact_args {
	struct hw_impact_query q; /* targets borrowed from argv */
	int force;
	unsigned mode;	  /* --mode, or 0 (owner-only) */
	const char *xlsx; /* --xlsx or -o FILE, or NULL */
	int report_mode;  /* "report change": the workbook is the output */
	const char *change; /* report change --change CHG-N, or NULL */
};

/* Parse the options of either entry; 0, or the exit code. */
static int impact_parse(struct cli *cli, int argc, char **argv, int report_mode,
			struct impact_args *a)
{
	static const struct option impact_opts[] = {
	    {"depth", required_argument, NULL, 'd'},
	    {"types", required_argument, NULL, 't'},
	    {"direction", required_argument, NULL, 'D'},
	    {"summary", no_argument, NULL, 's'},
	    {"xlsx", required_argument, NULL, 'x'},
	    {"force", no_argument, NULL, 'F'},
	    {"mode", required_argument, NULL, 'm'},
	    {NULL, 0, NULL, 0},
	};
	static const struct option report_opts[] = {
	    {"depth", required_argument, NULL, 'd'},
	    {"types", required_argument, NULL, 't'},
	    {"direction", required_argument, NULL, 'D'},
	    {"output", required_argument, NULL, 'x'},
	    {"force", no_argument, NULL, 'F'},
	    {"mode", required_argument, NULL, 'm'},
	    {"change", required_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	int c, bad;

	memset(a, 0, sizeof *a);
	a->q.o.depth = -1;
	a->q.o.direction = HW_DIR_UP;
	a->report_mode = report_mode;
	while ((c = cli_getopt(cli, argc, argv, report_mode ? "o:" : "",
			       report_mode ? report_opts : impact_opts)) !=
	       -1) {
		switch (c) {
		case 'x':
		case 'o':
			a->xlsx = optarg;
			break;
		case 'F':
			a->force = 1;
			break;
		case 'm':
			if ((bad = cli_mode(cli, optarg, &a->mode)))
				return bad;
			break;
		case 'd':
			if ((bad = cli_depth(cli, optarg, &a->q.o.depth)))
				return bad;
			break;
		case 't':
			if ((bad = cli_impact_types(cli, optarg, &a->q.o.types)))
				return bad;
			break;
		case 'D':
			if ((bad = cli_impact_direction(cli, optarg,
							&a->q.o.direction)))
				return bad;
			break;
		case 's':
			a->q.summary = 1;
			break;
		case 'C':
			a->change = optarg;
			break;
		default:
			return 2;
		}
	}
	if (a->mode != 0 && !report_mode && a->xlsx == NULL)
		return cli_usage(cli, "--mode is the workbook's: give --xlsx "
				      "FILE too");
	if (a->change != NULL && optind < argc)
		return cli_usage(cli, "--change CHG-N or ASSET..., not both");
	if (a->change != NULL && (a->q.o.depth >= 0 || a->q.o.types != 0 ||
				  a->q.o.direction != HW_DIR_UP))
		return cli_usage(cli, "--change takes no --depth, --types or "
				      "--direction: the stored assessment "
				      "has its impact");
	if (a->change != NULL)
		return 0;
	if (optind >= argc)
		return cli_usage(cli, "missing ASSET");
	a->q.targets = (const char *const *)argv + optind;
	a->q.ntargets = (size_t)(argc - optind);
	/* Listed members (the table, the workbook) are in distance, then
	 * id order. */
	a->q.sort = a->xlsx != NULL || a->report_mode;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

/* Streamed as it is written, members one by one (answer-analysis.c). */
static int render_json(struct cli *cli, const struct impact_args *a,
		       const struct hw_impacted *r)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_impact(&js, &a->q, r);
	return cli_jstream_end(cli, &js);
}

static void print_list(const char *label, const char *what,
		       const char *(*name)(const void *, size_t),
		       const void *ctx, size_t n)
{
	size_t i;

	/* People read a dozen names; --json has them all. */
	printf("%-10s %zu %s%s", label, n, what, n ? ":" : "");
	for (i = 0; i < n && i < 12; i++)
		printf("%s%s", i ? ", " : " ", name(ctx, i));
	if (n > 12)
		printf(" and %zu more", n - 12);
	printf("\n");
}

struct names {
	const struct hw_graph *g;
	const struct hw_impact_summary *sum;
};

static const char *owner_name(const void *ctx, size_t i)
{
	return ((const struct names *)ctx)->sum->owners[i].name;
}

static const char *service_id(const void *ctx, size_t i)
{
	const struct names *n = ctx;

	return hw_graph_id(n->g, n->sum->services[i]);
}

/* The member table. */
static int print_members(struct cli *cli, const struct hw_impacted *r)
{
	const struct hw_graph *g = r->g;
	const struct hw_impact *imp = r->imp;
	uint32_t *path = malloc((hw_graph_size(g) + 1) * sizeof *path);
	struct table tb = {0};
	char d[16];
	size_t i, len;

	if (path == NULL)
		return cli_failf(cli, "out of memory");
	tb.ncols = 9;
	tb.levels = TABLE_COL(2) | TABLE_COL(3) | TABLE_COL(4) | TABLE_COL(5);
	tb.colour = cli->colour;
	table_add(&tb, "DIST", "ASSET", "C", "I", "A", "OVERALL", "OWNER",
		  "CYCLE", "PATH");
	for (i = 0; i < imp->count; i++) {
		uint32_t v = imp->members[i];
		const struct hw_sc *e = hw_graph_effective(g, v);
		const char *own = hw_graph_owner(g, v);
		char *ptext;

		len = hw_impact_path(imp, v, path, hw_graph_size(g));
		/* Up: each step is a dependent of the one before; down:
		 * each is relied on by the one before. */
		ptext = len == 1
			    ? NULL
			    : hw_path_text(g, path, len,
					      imp->down[v] ? " -> " : " <- ");
		snprintf(d, sizeof d, "%u", imp->dist[v]);
		table_add(&tb, d, hw_graph_id(g, v), cli_level_text(e->v[HW_C]),
			  cli_level_text(e->v[HW_I]),
			  cli_level_text(e->v[HW_A]), hw_sc_overall_text(e, 1),
			  own ? own : "(none)",
			  hw_graph_on_cycle(g, v) ? "yes" : "",
			  ptext ? ptext : "(target)");
		free(ptext);
	}
	table_print(&tb, stdout);
	table_release(&tb);
	printf("\n");
	free(path);
	return 0;
}

static int render_text(struct cli *cli, const struct impact_args *a,
		       const struct hw_impacted *r)
{
	const struct hw_impact_summary *sum = &r->sum;
	struct names names = {r->g, sum};
	size_t count = r->imp->count, t;

	printf("Impact of a change to");
	for (t = 0; t < a->q.ntargets; t++)
		printf(" %s", a->q.targets[t]);
	printf(" (direction %s", hw_direction_name(a->q.o.direction));
	if (a->q.o.depth >= 0)
		printf(", depth %d", a->q.o.depth);
	if (a->q.o.types != 0)
		printf(", some dependency types");
	printf("): %zu asset%s\n\n", count, count == 1 ? "" : "s");
	if (!a->q.summary && print_members(cli, r) != 0)
		return 1;
	cli_printf_levels(cli, "%-10s C %s, I %s, A %s\n", "highest",
			  cli_level_text(sum->highest.v[HW_C]),
			  cli_level_text(sum->highest.v[HW_I]),
			  cli_level_text(sum->highest.v[HW_A]));
	printf("%-10s %zu high, %zu moderate, %zu low, %zu uncategorized",
	       "by level", sum->count[HW_LEVEL_HIGH],
	       sum->count[HW_LEVEL_MODERATE], sum->count[HW_LEVEL_LOW],
	       sum->count[HW_LEVEL_NONE]);
	if (sum->partial > 0)
		printf("; %zu partly categorized (counted at a lower "
		       "bound)",
		       sum->partial);
	printf("\n");
	print_list("notify", sum->nowners == 1 ? "owner" : "owners", owner_name,
		   &names, sum->nowners);
	print_list("services",
		   sum->nservices == 1 ? "business service"
				       : "business services",
		   service_id, &names, sum->nservices);
	printf("%-10s %zu asset%s\n", "on cycle", sum->on_cycle,
	       sum->on_cycle == 1 ? "" : "s");
	printf("%-10s %s (%s)\n", "route", hw_route_name(sum->route),
	       hw_impact_route_why(sum, sum->cab_review));
	return 0;
}

/* Write the change workbook and say where. */
static int render_workbook(struct cli *cli, const struct impact_args *a,
			   const struct hw_impacted *r,
			   const struct hw_report_opts *ro, const char *path)
{
	struct hw_change_scope change = {a->q.targets, a->q.ntargets, &a->q.o,
					 r->sum.full_cab, r->sum.cab_review};
	struct hw_report_info info;
	struct hw_error err = {0};

	if (hw_report_change(r->g, r->imp, &r->sum, &change, ro, path, &info,
			     &err) < 0)
		return cli_fail(cli, &err);
	return cli_report_done(cli, path, &info, a->report_mode);
}

/* report change --change CHG-N: the workbook of the change record
 * from its stored assessment. */
static int change_record_exec(struct cli *cli, const struct impact_args *a)
{
	struct hw_report_opts ro = {0};
	struct hw_report_info info;
	struct hw_error err = {0};
	struct hw_change c = {0};
	char path[4096], stem[64], id[HW_CHANGE_ID_TEXT];
	json_t *doc = NULL;
	long long n;
	int self = 0, rc = 1;

	if (hw_change_id_parse(a->change, &n, &err) < 0)
		return cli_usage(cli, "--change: %s", err.text);
	if (hw_change_record_load(cli->st, n, &c, &doc, &self, &err) < 0)
		return cli_fail(cli, &err);
	snprintf(stem, sizeof stem, "change-%s", hw_change_id(n, id));
	if (cli_report_prepare(cli, a->xlsx, stem, NULL, a->force, 1, &ro,
			       path, sizeof path))
		goto out;
	ro.mode = a->mode;
	if (hw_report_change_record(&c, doc, self, &ro, path, &info, &err) < 0)
		cli_fail(cli, &err);
	else
		rc = cli_report_done(cli, path, &info, 1);
	cli_report_release(&ro);
out:
	json_decref(doc);
	hw_change_release(&c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The entries                                                         */

static int impact_exec(struct cli *cli, int argc, char **argv, int report_mode)
{
	struct impact_args a;
	struct hw_impacted r = {0};
	struct hw_report_opts ro = {0};
	struct hw_graph *g = NULL;
	struct hw_error err = {0};
	char path[4096], stem[HW_ID_MAX + 32];
	int rc;

	if ((rc = impact_parse(cli, argc, argv, report_mode, &a)) != 0)
		return rc;
	if (a.change != NULL)
		return change_record_exec(cli, &a);
	if (hw_route_thresholds(cli->st, &a.q.full_cab, &a.q.cab_review,
				&err) < 0)
		return cli_fail(cli, &err);
	/* Refuse a bad output path before the work.  Named after the
	 * first target: "change-a+2-more". */
	snprintf(stem, sizeof stem, "change-%.*s", HW_ID_MAX, a.q.targets[0]);
	if (a.q.ntargets > 1)
		snprintf(stem + strlen(stem), sizeof stem - strlen(stem),
			 "+%zu-more", a.q.ntargets - 1);
	if ((a.xlsx != NULL || report_mode) &&
	    cli_report_prepare(cli, a.xlsx, stem, NULL, a.force, 1, &ro, path,
			       sizeof path))
		return 1;
	ro.mode = a.mode;
	rc = cli_analysis_graph(cli, a.q.targets,
				a.q.o.direction == HW_DIR_UP ? a.q.ntargets : 0,
				0, &g, &err) < 0 ||
		     hw_impact_compute(cli->st, g, &a.q, &r, &err) < 0
		 ? cli_fail(cli, &err)
		 : 0;
	if (rc == 0 && (a.xlsx != NULL || report_mode))
		rc = render_workbook(cli, &a, &r, &ro, path);
	if (rc == 0 && !report_mode)
		rc = cli->json ? render_json(cli, &a, &r)
			       : render_text(cli, &a, &r);
	cli_report_release(&ro);
	hw_impacted_release(&r);
	hw_graph_free(g);
	return rc;
}

static int cmd_impact_exec(struct cli *cli, int argc, char **argv)
{
	return impact_exec(cli, argc, argv, 0);
}

static int cmd_report_change_exec(struct cli *cli, int argc, char **argv)
{
	return impact_exec(cli, argc, argv, 1);
}

const struct cmd_entry cmd_impact_entry = {
    .name = "impact",
    .usage = "ASSET... [--depth N] [--types T,...] [--direction "
	     "up|down|both] [--summary] [--xlsx FILE [--force] [--mode "
	     "MODE]]",
    .summary = "Change impact: every asset a change touches, and whom to "
	       "notify",
    .help =
	"Options:\n"
	"  --depth N          follow at most N dependencies from a target\n"
	"  --types T,...      follow only these dependency types\n"
	"  --direction D      up: what depends on the targets (default);\n"
	"                     down: what they rely on; both\n"
	"  --summary          the summary only, without the member table\n"
	"  --xlsx FILE        also write the change workbook to FILE (as\n"
	"                     'highwater report change' does)\n"
	"  --force            overwrite an existing FILE\n"
	"  --mode MODE        the file's permissions, octal: 600 (the\n"
	"                     default, owner-only), 640, 604 or 644\n"
	"\nEach member has its distance in hops, a shortest path from a "
	"target,\n"
	"its effective levels and owner, and whether it sits on a "
	"dependency cycle.\n"
	"The route is full-cab when a member's effective level reaches the\n"
	"full-CAB threshold (default high), cab-review when one reaches the\n"
	"CAB-review threshold (default moderate) or a member has no level,\n"
	"else standard; see 'highwater config'.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_impact_exec,
};

const struct cmd_entry cmd_report_change_entry = {
    .name = "report change",
    .usage = "ASSET... [-o FILE] [--force] [--mode MODE] [--depth N] "
	     "[--types T,...] [--direction up|down|both] | --change CHG-N "
	     "[-o FILE] [--force] [--mode MODE]",
    .summary = "Excel workbook of a change's impact, for the change "
	       "advisory board",
    .help =
	"Options:\n"
	"  -o, --output FILE  write to FILE (default\n"
	"                     reports/change-ASSET-YYYY-MM-DD.xlsx)\n"
	"  --force            overwrite an existing FILE\n"
	"  --mode MODE        the file's permissions, octal: 600 (the\n"
	"                     default, owner-only), 640, 604 or 644\n"
	"  --depth, --types, --direction\n"
	"                     as for 'highwater impact'\n"
	"  --change CHG-N     the workbook of a change record, from its\n"
	"                     stored assessment ('highwater change assess'):\n"
	"                     later writes do not change it.  Sheets:\n"
	"                     Summary (the change, its decision, the\n"
	"                     assessment's time and route, the posture\n"
	"                     delta's counts), Affected CIs, Owners and\n"
	"                     Posture delta (levels and baselines that rise\n"
	"                     or fall, control gaps by family, moved risk\n"
	"                     scores, new cycles); default file\n"
	"                     reports/change-CHG-N-YYYY-MM-DD.xlsx\n"
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

/*
 * cmd-impact.c: "highwater impact ASSET...", the change-impact set: every
 * asset a change to the targets touches through the dependencies, with
 * its distance, a shortest path, its effective levels and owner, and a
 * summary for the change advisory board with the recommended route.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Parse "runs_on,uses" into a mask of hw_dep_types bits: 0, 1 for an
 * unknown type, 2 for an empty list. */
static int parse_types(struct cli *cli, const char *list, unsigned *mask)
{
	char *buf = strdup(list), *tok, *save = NULL;
	int i;

	if (buf == NULL)
		return cli_failf(cli, "out of memory");
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; hw_dep_types[i] != NULL; i++)
			if (strcmp(hw_dep_types[i], tok) == 0)
				break;
		if (hw_dep_types[i] == NULL) {
			cli_failf(cli,
				  "--types: unknown dependency type \"%.40s\" "
				  "(expected %s)",
				  tok, hw_vocab_text(hw_dep_types));
			free(buf);
			return 1;
		}
		*mask |= 1u << i;
	}
	free(buf);
	if (*mask == 0)
		return cli_usage(cli, "--types: empty list (expected %s)",
				 hw_vocab_text(hw_dep_types));
	return 0;
}

static const char *direction_name(enum hw_direction d)
{
	return d == HW_DIR_UP ? "up" : d == HW_DIR_DOWN ? "down" : "both";
}

/* Distinct owners of the members, sorted; a new array of borrowed
 * strings. */
static const char **member_owners(const struct hw_graph *g,
				  const struct hw_impact *imp, size_t *count)
{
	size_t nown = hw_graph_owner_count(g), i, k = 0;
	unsigned char *seen = calloc(nown + 1, 1);
	const char **out = malloc((nown + 1) * sizeof *out);

	if (seen == NULL || out == NULL) {
		free(seen);
		free(out);
		return NULL;
	}
	for (i = 0; i < imp->count; i++) {
		int o = hw_graph_owner_index(g, imp->members[i]);

		if (o >= 0 && !seen[o]) {
			seen[o] = 1;
			out[k++] = hw_graph_owner_name(g, (size_t)o);
		}
	}
	free(seen);
	qsort(out, k, sizeof *out, cli_strcmp);
	*count = k;
	return out;
}

static const char **member_services(const struct hw_graph *g,
				    const struct hw_impact *imp,
				    size_t *count)
{
	const char **out = malloc((imp->count + 1) * sizeof *out);
	size_t i, k = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i < imp->count; i++)
		if (strcmp(hw_graph_type(g, imp->members[i]),
			   "business_service") == 0)
			out[k++] = hw_graph_id(g, imp->members[i]);
	qsort(out, k, sizeof *out, cli_strcmp);
	*count = k;
	return out;
}

static json_t *strings_json(const char **s, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

static void print_list(const char *label, const char *what,
		       const char **s, size_t n)
{
	size_t i;

	/* People read a dozen names; --json has them all. */
	printf("%-10s %zu %s%s", label, n, what, n ? ":" : "");
	for (i = 0; i < n && i < 12; i++)
		printf("%s%s", i ? ", " : " ", s[i]);
	if (n > 12)
		printf(" and %zu more", n - 12);
	printf("\n");
}

static int report(struct cli *cli, const struct hw_graph *g,
		  struct hw_impact *imp, const struct hw_impact_opts *o,
		  char **targets, int ntargets, int summary_only,
		  enum hw_level full, enum hw_level review)
{
	struct hw_impact_summary sum;
	const char **owners, **services;
	size_t nowners = 0, nservices = 0, i, len;
	uint32_t *path = malloc(((size_t)hw_graph_size(g) + 1) *
				sizeof *path);
	int t, rc = 0;

	hw_impact_summarize(g, imp, full, review, &sum);
	owners = member_owners(g, imp, &nowners);
	services = member_services(g, imp, &nservices);
	if (path == NULL || owners == NULL || services == NULL) {
		rc = cli_failf(cli, "out of memory");
		goto out;
	}
	if (!summary_only)
		hw_impact_sort(g, imp);
	if (cli->json) {
		json_t *doc = json_object(), *arr = json_array(), *tj;

		tj = json_array();
		for (t = 0; t < ntargets; t++)
			json_array_append_new(tj, json_string(targets[t]));
		json_object_set_new(doc, "targets", tj);
		json_object_set_new(doc, "direction",
				    json_string(direction_name(o->direction)));
		json_object_set_new(doc, "depth", o->depth < 0
						      ? json_null()
						      : json_integer(o->depth));
		for (i = 0; i < imp->count && !summary_only; i++) {
			uint32_t v = imp->members[i];
			const char *own = hw_graph_owner(g, v);
			json_t *m;

			len = hw_impact_path(imp, v, path, hw_graph_size(g));
			m = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, "
				      "s:b}",
				      "id", hw_graph_id(g, v), "name",
				      hw_graph_name(g, v), "type",
				      hw_graph_type(g, v), "distance",
				      (json_int_t)imp->dist[v], "path",
				      cli_path_json(g, path, len), "effective",
				      cli_sc_json(hw_graph_effective(g, v)),
				      "owner",
				      own ? json_string(own) : json_null(),
				      "on_cycle", hw_graph_on_cycle(g, v));
			if (m != NULL)
				cli_overall_json(m, hw_graph_effective(g, v));
			json_array_append_new(arr, m);
		}
		if (!summary_only)
			json_object_set_new(doc, "members", arr);
		else
			json_decref(arr);
		json_object_set_new(
		    doc, "summary",
		    json_pack("{s:I, s:o, s:{s:I, s:I, s:I, s:I}, s:I, s:o, "
			      "s:o, s:I, s:s}",
			      "members", (json_int_t)imp->count, "highest",
			      cli_sc_json(&sum.highest), "counts", "low",
			      (json_int_t)sum.count[HW_LEVEL_LOW], "moderate",
			      (json_int_t)sum.count[HW_LEVEL_MODERATE],
			      "high", (json_int_t)sum.count[HW_LEVEL_HIGH],
			      "uncategorized",
			      (json_int_t)sum.count[HW_LEVEL_NONE],
			      "partly_categorized", (json_int_t)sum.partial,
			      "owners",
			      strings_json(owners, nowners), "services",
			      strings_json(services, nservices), "on_cycle",
			      (json_int_t)sum.on_cycle, "route", sum.route));
		rc = cli_print_json(cli, doc);
		goto out;
	}
	printf("Impact of a change to");
	for (t = 0; t < ntargets; t++)
		printf(" %s", targets[t]);
	printf(" (direction %s", direction_name(o->direction));
	if (o->depth >= 0)
		printf(", depth %d", o->depth);
	if (o->types != 0)
		printf(", some dependency types");
	printf("): %zu asset%s\n\n", imp->count, imp->count == 1 ? "" : "s");
	if (!summary_only) {
		struct table tb = {0};
		char d[16];

		tb.ncols = 9;
		table_add(&tb, "DIST", "ASSET", "C", "I", "A", "OVERALL",
			  "OWNER", "CYCLE", "PATH");
		for (i = 0; i < imp->count; i++) {
			uint32_t v = imp->members[i];
			const struct hw_sc *e = hw_graph_effective(g, v);
			const char *own = hw_graph_owner(g, v);
			char *ptext;

			len = hw_impact_path(imp, v, path, hw_graph_size(g));
			/* Up: each step is a dependent of the one before;
			 * down: each is relied on by the one before. */
			ptext = len == 1 ? NULL
					 : cli_path_string(g, path, len,
							   imp->down[v] ? " -> "
									: " <- ");
			snprintf(d, sizeof d, "%u", imp->dist[v]);
			table_add(&tb, d, hw_graph_id(g, v),
				  cli_level_text(e->v[HW_C]),
				  cli_level_text(e->v[HW_I]),
				  cli_level_text(e->v[HW_A]),
				  hw_sc_overall_text(e, 1),
				  own ? own : "(none)",
				  hw_graph_on_cycle(g, v) ? "yes" : "",
				  ptext ? ptext : "(target)");
			free(ptext);
		}
		table_print(&tb, stdout);
		table_release(&tb);
		printf("\n");
	}
	printf("%-10s C %s, I %s, A %s\n", "highest",
	       cli_level_text(sum.highest.v[HW_C]),
	       cli_level_text(sum.highest.v[HW_I]),
	       cli_level_text(sum.highest.v[HW_A]));
	printf("%-10s %zu high, %zu moderate, %zu low, %zu uncategorized",
	       "by level", sum.count[HW_LEVEL_HIGH],
	       sum.count[HW_LEVEL_MODERATE], sum.count[HW_LEVEL_LOW],
	       sum.count[HW_LEVEL_NONE]);
	if (sum.partial > 0)
		printf("; %zu partly categorized (counted at a lower "
		       "bound)",
		       sum.partial);
	printf("\n");
	print_list("notify", nowners == 1 ? "owner" : "owners", owners,
		   nowners);
	print_list("services", nservices == 1 ? "business service"
					      : "business services",
		   services, nservices);
	printf("%-10s %zu asset%s\n", "on cycle", sum.on_cycle,
	       sum.on_cycle == 1 ? "" : "s");
	printf("%-10s %s (%s)\n", "route", sum.route,
	       hw_impact_route_why(&sum, review));
out:
	free(path);
	free(owners);
	free(services);
	return rc;
}

/* Write the change workbook (the members sorted) and say where. */
static int write_xlsx(struct cli *cli, const struct hw_graph *g,
		      struct hw_impact *imp, const struct hw_impact_opts *o,
		      char **targets, int ntargets, enum hw_level full,
		      enum hw_level review, const struct hw_report_opts *ro,
		      const char *path, int report_mode)
{
	struct hw_change change = {(const char *const *)targets,
				   (size_t)ntargets, o, full, review};
	struct hw_impact_summary sum;
	struct hw_report_info info;
	struct hw_error err = {0};

	hw_impact_sort(g, imp);
	hw_impact_summarize(g, imp, full, review, &sum);
	if (hw_report_change(g, imp, &sum, &change, ro, path, &info, &err) <
	    0)
		return cli_fail(cli, &err);
	return cli_report_done(cli, path, &info, report_mode);
}

int cli_impact_run(struct cli *cli, int argc, char **argv, int report_mode)
{
	static const struct option impact_opts[] = {
	    {"depth", required_argument, NULL, 'd'},
	    {"types", required_argument, NULL, 't'},
	    {"direction", required_argument, NULL, 'D'},
	    {"summary", no_argument, NULL, 's'},
	    {"xlsx", required_argument, NULL, 'x'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	static const struct option report_opts[] = {
	    {"depth", required_argument, NULL, 'd'},
	    {"types", required_argument, NULL, 't'},
	    {"direction", required_argument, NULL, 'D'},
	    {"output", required_argument, NULL, 'x'},
	    {"force", no_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_impact_opts o = {-1, 0, HW_DIR_UP};
	struct hw_report_opts ro = {0};
	struct hw_error err = {0};
	struct hw_graph *g = NULL;
	struct hw_impact *imp = NULL;
	enum hw_level full, review;
	uint32_t *targets = NULL;
	const char *xlsx = NULL;
	char path[4096], stem[HW_ID_MAX + 32];
	long depth;
	int c, i, bad, summary = 0, force = 0, rc = 1;

	while ((c = cli_getopt(cli, argc, argv, report_mode ? "o:" : "",
			       report_mode ? report_opts : impact_opts)) !=
	       -1) {
		switch (c) {
		case 'x':
		case 'o':
			xlsx = optarg;
			break;
		case 'F':
			force = 1;
			break;
		case 'd':
			if (cli_count(cli, "--depth", optarg, 1000000000,
				      &depth))
				return 2;
			o.depth = (int)depth;
			break;
		case 't':
			if ((bad = parse_types(cli, optarg, &o.types)) != 0)
				return bad;
			break;
		case 'D':
			if (strcmp(optarg, "up") == 0)
				o.direction = HW_DIR_UP;
			else if (strcmp(optarg, "down") == 0)
				o.direction = HW_DIR_DOWN;
			else if (strcmp(optarg, "both") == 0)
				o.direction = HW_DIR_BOTH;
			else
				return cli_usage(cli,
						 "--direction: \"%s\" (expected "
						 "up, down or both)",
						 optarg);
			break;
		case 's':
			summary = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc)
		return cli_usage(cli, "missing ASSET");
	if (cli_setting_level(cli, "route.full_cab", &full) ||
	    cli_setting_level(cli, "route.cab_review", &review))
		return 1;
	/* Refuse a bad output path before the work. */
	/* Named after the first target: "change-a+2-more". */
	snprintf(stem, sizeof stem, "change-%.*s", HW_ID_MAX, argv[optind]);
	if (argc - optind > 1)
		snprintf(stem + strlen(stem), sizeof stem - strlen(stem),
			 "+%d-more", argc - optind - 1);
	if ((xlsx != NULL || report_mode) &&
	    cli_report_prepare(cli, xlsx, stem, NULL, force, 1, &ro, path,
			       sizeof path))
		return 1;
	g = o.direction == HW_DIR_UP
		? hw_graph_load_up(cli->st, (const char *const *)argv + optind,
				   (size_t)(argc - optind), CLI_CLOSURE_LIMIT,
				   &err)
		: hw_graph_load(cli->st, &err);
	if (g == NULL || hw_graph_categorize(g, &err) < 0)
		goto fail;
	targets = malloc((size_t)(argc - optind) * sizeof *targets);
	if (targets == NULL) {
		cli_failf(cli, "out of memory");
		goto out;
	}
	for (i = optind; i < argc; i++) {
		long v = hw_graph_find(g, argv[i]);

		if (v < 0) {
			cli_failf(cli, "unknown asset '%s'", argv[i]);
			goto out;
		}
		targets[i - optind] = (uint32_t)v;
	}
	imp = hw_graph_impact(g, targets, (size_t)(argc - optind), &o, &err);
	if (imp == NULL)
		goto fail;
	if (xlsx != NULL || report_mode) {
		rc = write_xlsx(cli, g, imp, &o, argv + optind, argc - optind,
				full, review, &ro, path, report_mode);
		if (rc != 0 || report_mode)
			goto out;
	}
	rc = report(cli, g, imp, &o, argv + optind, argc - optind, summary,
		    full, review);
	goto out;
fail:
	cli_fail(cli, &err);
out:
	cli_report_release(&ro);
	free(targets);
	hw_impact_free(imp);
	hw_graph_free(g);
	return rc;
}

static int cmd_impact_exec(struct cli *cli, int argc, char **argv)
{
	return cli_impact_run(cli, argc, argv, 0);
}

const struct cmd_entry cmd_impact_entry = {
    .name = "impact",
    .usage = "ASSET... [--depth N] [--types T,...] [--direction "
	     "up|down|both] [--summary] [--xlsx FILE [--force]]",
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

/*
 * cmd-categorize.c: "highwater categorize [ASSET]", the FIPS 199
 * security category of one asset or of all, in FIPS 199 notation, with
 * the FIPS 200 overall level and the SP 800-53B baseline it selects.
 */
#include <string.h>

#include "cmd.h"

struct cat_ctx {
	struct cli *cli;
	json_t *arr;
	long count[HW_LEVEL_HIGH + 1]; /* by overall level; [0] none */
};

static void explain(const struct hw_asset *a)
{
	size_t i;
	int o, any = 0;

	for (o = 0; o < HW_NOBJ; o++)
		any |= a->direct.v[o] != HW_LEVEL_NONE;
	if (any)
		printf("  set directly: C %s, I %s, A %s\n",
		       cli_level_text(a->direct.v[HW_C]),
		       cli_level_text(a->direct.v[HW_I]),
		       cli_level_text(a->direct.v[HW_A]));
	for (i = 0; i < a->ntypes; i++)
		printf("  information type %s: C %s, I %s, A %s%s\n",
		       a->types[i].type_id,
		       cli_level_text(a->types[i].selected.v[HW_C]),
		       cli_level_text(a->types[i].selected.v[HW_I]),
		       cli_level_text(a->types[i].selected.v[HW_A]),
		       hw_assignment_adjusted(&a->types[i]) ? " (adjusted)"
							     : "");
}

static int cat_one(const struct hw_asset *a, void *arg)
{
	struct cat_ctx *c = arg;
	struct hw_sc own;
	enum hw_level overall;
	char line[512];

	hw_asset_own_sc(a, &own);
	overall = hw_sc_overall(&own);
	c->count[overall]++;
	if (c->arr != NULL) {
		json_t *o = json_object();
		const char *b = hw_baseline_name(overall);

		json_object_set_new(o, "id", json_string(a->id));
		json_object_set_new(o, "own", cli_sc_json(&own));
		json_object_set_new(o, "overall", cli_level_json(overall));
		json_object_set_new(o, "baseline",
				    b ? json_string(b) : json_null());
		json_object_set_new(o, "uncategorized",
				    json_boolean(overall == HW_LEVEL_NONE));
		return json_array_append_new(c->arr, o);
	}
	hw_sc_format(a->id, &own, line, sizeof line);
	printf("%s\n", line);
	if (overall != HW_LEVEL_NONE)
		printf("  overall %s, SP 800-53B %s baseline\n",
		       hw_level_upper(overall), hw_baseline_name(overall));
	else if (hw_sc_completeness(&own) < 0)
		printf("  UNCATEGORIZED: no levels set and no information "
		       "types\n");
	else
		printf("  UNCATEGORIZED: some objectives have no level\n");
	explain(a);
	return 0;
}

static int cmd_categorize_exec(struct cli *cli, int argc, char **argv)
{
	struct cat_ctx c = {0};
	struct hw_error err = {0};
	struct hw_asset a;
	int opt, rc = 0;

	while ((opt = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	c.cli = cli;
	if (cli->json)
		c.arr = json_array();
	if (optind < argc) {
		if (hw_store_asset_get(cli->st, argv[optind], &a, &err) < 0) {
			json_decref(c.arr);
			return cli_fail(cli, &err);
		}
		rc = cat_one(&a, &c);
		hw_asset_release(&a);
	} else {
		rc = hw_store_asset_each(cli->st, cat_one, &c, &err);
	}
	if (rc != 0) {
		json_decref(c.arr);
		return err.code ? cli_fail(cli, &err)
				: cli_failf(cli, "out of memory");
	}
	if (cli->json) {
		json_t *s = json_pack(
		    "{s:i, s:i, s:i, s:i}", "low", (int)c.count[HW_LEVEL_LOW],
		    "moderate", (int)c.count[HW_LEVEL_MODERATE], "high",
		    (int)c.count[HW_LEVEL_HIGH], "uncategorized",
		    (int)c.count[HW_LEVEL_NONE]);
		return cli_print_json(cli, json_pack("{s:o, s:o}", "assets",
						     c.arr, "summary", s));
	}
	if (optind >= argc && !cli->quiet)
		printf("\n%ld assets: %ld high, %ld moderate, %ld low, %ld "
		       "uncategorized\n",
		       c.count[0] + c.count[HW_LEVEL_LOW] +
			   c.count[HW_LEVEL_MODERATE] + c.count[HW_LEVEL_HIGH],
		       c.count[HW_LEVEL_HIGH], c.count[HW_LEVEL_MODERATE],
		       c.count[HW_LEVEL_LOW], c.count[HW_LEVEL_NONE]);
	return 0;
}

const struct cmd_entry cmd_categorize_entry = {
    .name = "categorize",
    .usage = "[ASSET]",
    .summary = "FIPS 199 security category, overall level and SP 800-53B "
	       "baseline of one asset or all",
    .help = "Own categorization: per objective, the highest of the levels "
	    "set on the\n"
	    "asset and the selected levels of its information types (NA "
	    "counts as LOW).\n"
	    "An asset with neither is UNCATEGORIZED, never treated as low.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_categorize_exec,
};

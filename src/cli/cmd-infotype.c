/*
 * cmd-infotype.c: "highwater infotype list|add|assign", the SP 800-60
 * catalogue, the organisation's own information types, and assigning
 * them to assets.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "posture.h"

#define LEVEL_OPTIONS                                                          \
	{"c", required_argument, NULL, 'C'},                                   \
	    {"confidentiality", required_argument, NULL, 'C'},                 \
	    {"i", required_argument, NULL, 'I'},                               \
	    {"integrity", required_argument, NULL, 'I'},                       \
	    {"a", required_argument, NULL, 'A'},                               \
	{                                                                      \
		"availability", required_argument, NULL, 'A'                   \
	}

/* ------------------------------------------------------------------ */
/* infotype list                                                       */

struct list_ctx {
	struct table t;
	long n;
};

static int list_type(const struct hw_infotype *t, void *ctx)
{
	struct list_ctx *l = ctx;

	l->n++;
	return table_add(&l->t, t->id, cli_level_text(t->prov.v[HW_C]),
			 cli_level_text(t->prov.v[HW_I]),
			 cli_level_text(t->prov.v[HW_A]), t->name);
}

static int cmd_infotype_list_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"search", required_argument, NULL, 's'},
	    {"custom", no_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct list_ctx l = {0};
	struct hw_jstream js;
	const char *search = NULL;
	int c, custom = 0, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "s:", opts)) != -1) {
		if (c == 's')
			search = optarg;
		else if (c == 'c')
			custom = 1;
		else
			return 2;
	}
	if (optind < argc) {
		if (search != NULL || optind + 1 < argc)
			return cli_usage(cli, "unexpected argument '%s'",
					 argv[optind]);
		search = argv[optind];
	}
	if (cli->json) {
		cli_jstream_begin(cli, &js);
		if (hw_answer_infotypes(cli->st, search, custom ? 0 : -1, &js,
					&err) < 0 &&
		    js.err.code == HW_OK)
			return cli_fail(cli, &err);
		return cli_jstream_end(cli, &js);
	}
	l.t.ncols = 5;
	l.t.levels = TABLE_COL(1) | TABLE_COL(2) | TABLE_COL(3);
	l.t.colour = cli->colour;
	table_add(&l.t, "ID", "C", "I", "A", "NAME");
	if (hw_store_infotype_each(cli->st, search, custom ? 0 : -1, list_type,
				   &l, &err) != 0) {
		rc = cli_fail(cli, &err);
	} else if (l.n == 0 && search != NULL) {
		printf("no information type matches \"%s\"\n", search);
	} else {
		table_print(&l.t, stdout);
		if (!cli->quiet)
			printf("%ld information type%s\n", l.n,
			       l.n == 1 ? "" : "s");
	}
	table_release(&l.t);
	return rc;
}

const struct cmd_entry cmd_infotype_list_entry = {
    .name = "infotype list",
    .usage = "[--search TEXT] [--custom]",
    .summary = "List or search the information types (SP 800-60 and "
	       "your own)",
    .help = "Options:\n"
	    "  -s, --search TEXT  types whose id starts with TEXT, or whose\n"
	    "                     name or category holds every word of it\n"
	    "  --custom           only the organisation's own types\n"
	    "\nLevels are the provisional C/I/A levels; '-' means none "
	    "given.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_infotype_list_exec,
};

/* ------------------------------------------------------------------ */
/* infotype add                                                        */

static int cmd_infotype_add_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"category", required_argument, NULL, 'k'},
	    LEVEL_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct hw_infotype t = {0};
	struct hw_error err = {0};
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'n')
			t.name = optarg;
		else if (c == 'k')
			t.category = optarg;
		else if (c == 'C' || c == 'I' || c == 'A') {
			if (cli_sc_level(cli, c, optarg, 1, &t.prov))
				return 1;
		} else
			return 2;
	}
	if (optind >= argc)
		return cli_usage(cli, "missing information type ID");
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	t.id = argv[optind];
	if (t.name == NULL)
		return cli_usage(cli, "missing --name NAME");
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_store_infotype_put(cli->st, &t, 0, &err) == 0,
		       &err))
		return 1;
	if (cli->json)
		return cli_print_json(cli, json_pack("{s:s}", "added", t.id));
	if (!cli->quiet)
		printf("added information type '%s'\n", t.id);
	return 0;
}

const struct cmd_entry cmd_infotype_add_entry = {
    .name = "infotype add",
    .usage = "ID --name NAME [--category TEXT] [--c L --i L --a L]",
    .summary = "Add one of the organisation's own information types",
    .help = "Options:\n"
	    "  --name NAME        what the information is\n"
	    "  --category TEXT    grouping, e.g. the business area\n"
	    "  --c, --i, --a L    provisional levels: all three or none;\n"
	    "                     confidentiality may be na (public "
	    "information)\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_infotype_add_exec,
};

/* ------------------------------------------------------------------ */
/* infotype assign                                                     */

/* The asset after assignment i: as JSON, or a line with its levels. */
static int assign_render(struct cli *cli, const struct hw_asset *a, size_t i)
{
	struct hw_sc own;
	char line[512];

	if (cli->json)
		return cli_print_json(cli, hw_json_asset(a));
	hw_asset_own_sc(a, &own);
	hw_sc_format(a->id, &own, line, sizeof line);
	if (!cli->quiet)
		printf("assigned '%s' to '%s'\n%s\n", a->types[i].type_id,
		       a->id, line);
	return 0;
}

static int cmd_infotype_assign_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    LEVEL_OPTIONS,
	    {"why", required_argument, NULL, 'w'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_assignment g = {0};
	struct hw_error err = {0};
	struct hw_asset a;
	const char *why = NULL;
	long i;
	int c, rc = 1;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'w')
			why = optarg;
		else if (c == 'C' || c == 'I' || c == 'A') {
			if (cli_sc_level(cli, c, optarg, 1, &g.selected))
				return 1;
		} else
			return 2;
	}
	if (optind + 2 > argc)
		return cli_usage(cli, "missing %s",
				 optind >= argc ? "ASSET and TYPE-ID"
						: "TYPE-ID");
	if (optind + 2 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (hw_store_asset_get(cli->st, argv[optind], &a, &err) < 0)
		return cli_fail(cli, &err);
	g.type_id = strdup(argv[optind + 1]);
	g.justification = why ? strdup(why) : NULL;
	if (g.type_id == NULL || (why && g.justification == NULL)) {
		cli_failf(cli, "out of memory");
		goto out;
	}
	if (hw_store_assignment_prepare(cli->st, &g, &err) < 0) {
		if (why == NULL && strstr(err.text, "justification") != NULL)
			cli_failf(cli, "%s (--why TEXT)", err.text);
		else
			cli_fail(cli, &err);
		goto out;
	}
	if ((i = hw_asset_assign(&a, &g)) < 0) {
		cli_failf(cli, "out of memory");
		goto out;
	}
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_store_asset_put(cli->st, &a, 1, &err) == 0,
		       &err))
		goto out;
	rc = assign_render(cli, &a, (size_t)i);
out:
	hw_assignment_release(&g);
	hw_asset_release(&a);
	return rc;
}

const struct cmd_entry cmd_infotype_assign_entry = {
    .name = "infotype assign",
    .usage = "ASSET TYPE-ID [--c L --i L --a L --why TEXT]",
    .summary = "Record that an asset holds or processes an information "
	       "type",
    .help = "Options:\n"
	    "  --c, --i, --a L    selected levels, when they differ from "
	    "the\n"
	    "                     provisional ones (or the type has none)\n"
	    "  --why TEXT         justification, required when a level is\n"
	    "                     adjusted up or down\n"
	    "\nAssigning a type the asset already holds replaces that "
	    "assignment.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_infotype_assign_exec,
};

/*
 * cmd-asset.c: "highwater asset add|set|rm|show|list", registering and
 * maintaining assets (systems and configuration items).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "posture.h"

/* ------------------------------------------------------------------ */
/* asset add                                                           */

/* The options of asset add into a (its strings borrowed from argv);
 * 0, or the exit status after an error. */
static int add_options(struct cli *cli, int argc, char **argv,
		       struct hw_asset *a)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"type", required_argument, NULL, 't'},
	    {"owner", required_argument, NULL, 'o'},
	    {"description", required_argument, NULL, 'd'},
	    {"c", required_argument, NULL, 'C'},
	    {"confidentiality", required_argument, NULL, 'C'},
	    {"i", required_argument, NULL, 'I'},
	    {"integrity", required_argument, NULL, 'I'},
	    {"a", required_argument, NULL, 'A'},
	    {"availability", required_argument, NULL, 'A'},
	    {"internet-facing", no_argument, NULL, 'x'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'n':
			a->name = optarg;
			break;
		case 't':
			a->type = optarg;
			break;
		case 'o':
			a->owner = optarg;
			break;
		case 'd':
			a->description = optarg;
			break;
		case 'C':
		case 'I':
		case 'A':
			if ((rc = cli_sc_level(cli, c, optarg, 0,
					       &a->direct)) != 0)
				return rc;
			break;
		case 'x':
			a->internet_facing = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc)
		return cli_usage(cli, "missing asset ID");
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	a->id = argv[optind];
	if (hw_id_check(a->id, "asset id", &err) < 0)
		return cli_fail(cli, &err);
	if (a->name == NULL)
		return cli_usage(cli, "missing --name NAME");
	if (a->type == NULL)
		return cli_usage(cli, "missing --type TYPE (one of %s)",
				 hw_vocab_text(hw_asset_types));
	return 0;
}

static int cmd_asset_add_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	int rc;

	if ((rc = add_options(cli, argc, argv, &a)) != 0)
		return rc;
	rc = cli_begin(cli) ||
	     cli_finish(cli, hw_store_asset_put(cli->st, &a, 0, &err) == 0,
			&err);
	if (rc == 0 && !cli->quiet && !cli->json)
		printf("added asset '%s'\n", a.id);
	if (rc == 0 && cli->json) {
		json_t *o = json_object();

		json_object_set_new(o, "added", json_string(a.id));
		return cli_print_json(cli, o);
	}
	return rc;
}

const struct cmd_entry cmd_asset_add_entry = {
    .name = "asset add",
    .usage = "ID --name NAME --type TYPE [--owner OWNER] [--description "
	     "TEXT] [--c L] [--i L] [--a L] [--internet-facing]",
    .summary = "Register an asset (system or configuration item)",
    .help =
	"Options:\n"
	"  --name NAME            what people call it\n"
	"  --type TYPE            business_service, application, database,\n"
	"                         server, virtual_machine, container,\n"
	"                         network_device, storage_device,\n"
	"                         cloud_service, endpoint, other\n"
	"  --owner OWNER          who answers for it (e.g. a team address)\n"
	"  --description TEXT     one line about it\n"
	"  --c, --confidentiality L\n"
	"  --i, --integrity L\n"
	"  --a, --availability L  FIPS 199 impact level set directly:\n"
	"                         low, moderate or high (l, m, h; any case)\n"
	"  --internet-facing      reachable from the internet\n"
	"\nID is 1-64 characters of A-Z a-z 0-9 . _ : -\n"
	"Levels can also come from information types: see 'highwater\n"
	"infotype assign'.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_asset_add_exec,
};

/* ------------------------------------------------------------------ */
/* asset set                                                           */

static const char set_fields[] =
    "name, type, owner, description, confidentiality (c), integrity (i), "
    "availability (a), internet_facing, vulnerabilities, worst_cvss, "
    "last_patched, end_of_life, authorized, implemented_baseline, "
    "downtime_cost";

static int cmd_asset_set_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct hw_asset a;
	int i, c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind >= argc)
		return cli_usage(cli, "missing asset ID");
	if (optind + 1 >= argc)
		return cli_usage(cli, "missing FIELD=VALUE (fields: %s)",
				 set_fields);
	for (i = optind + 1; i < argc; i++)
		if (strchr(argv[i], '=') == NULL)
			return cli_usage(cli,
					 "'%s' is not FIELD=VALUE (fields: %s)",
					 argv[i], set_fields);
	if (hw_store_asset_get(cli->st, argv[optind], &a, &err) < 0)
		return cli_fail(cli, &err);
	for (i = optind + 1; i < argc && rc == 0; i++) {
		char *eq = strchr(argv[i], '=');

		*eq = '\0';
		if (hw_asset_set_field(&a, argv[i], eq + 1, &err) < 0)
			rc = cli_fail(cli, &err);
		*eq = '=';
	}
	if (rc == 0)
		rc = cli_begin(cli) ||
		     cli_finish(cli,
				hw_store_asset_put(cli->st, &a, 1, &err) == 0,
				&err);
	if (rc == 0 && cli->json)
		rc = cli_print_json(cli, hw_json_asset(&a));
	else if (rc == 0 && !cli->quiet)
		printf("updated asset '%s'\n", a.id);
	hw_asset_release(&a);
	return rc;
}

const struct cmd_entry cmd_asset_set_entry = {
    .name = "asset set",
    .usage = "ID FIELD=VALUE...",
    .summary = "Change an asset's fields",
    .help =
	"Fields (an empty value clears an optional one):\n"
	"  name=TEXT               display name (cannot be empty)\n"
	"  type=TYPE               business_service, application, database,\n"
	"                          server, virtual_machine, container,\n"
	"                          network_device, storage_device,\n"
	"                          cloud_service, endpoint, other\n"
	"  owner=TEXT              who answers for it, e.g. a team address\n"
	"  description=TEXT        free text\n"
	"  confidentiality=LEVEL   also c=; low, moderate, high, or none\n"
	"  integrity=LEVEL         also i=\n"
	"  availability=LEVEL      also a=\n"
	"  internet_facing=yes|no  reachable from the internet\n"
	"Risk factors:\n"
	"  vulnerabilities=N       open known vulnerabilities, a whole number\n"
	"  worst_cvss=SCORE        worst open CVSS base score, 0.0 to 10.0\n"
	"  last_patched=DATE       YYYY-MM-DD\n"
	"  end_of_life=DATE        YYYY-MM-DD\n"
	"  authorized=yes|no       no: nobody approved it into production\n"
	"  implemented_baseline=B  none, low, moderate, high (SP 800-53B)\n"
	"  downtime_cost=N         cost of an hour of downtime\n"
	"Example:\n"
	"  highwater asset set db-01 owner=dba@example.org i=high a=\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_asset_set_exec,
};

/* ------------------------------------------------------------------ */
/* asset rm                                                            */

static int cmd_asset_rm_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	const char *id;
	int c, rc, force = 0;

	while ((c = cli_getopt(cli, argc, argv, "f", opts)) != -1) {
		if (c != 'f')
			return 2;
		force = 1;
	}
	if (optind >= argc)
		return cli_usage(cli, "missing asset ID");
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	id = argv[optind];
	rc = cli_begin(cli) ||
	     cli_finish(cli,
			hw_store_asset_delete(cli->st, id, force, &err) == 0,
			&err);
	if (rc == 0 && cli->json) {
		json_t *o = json_object();

		json_object_set_new(o, "removed", json_string(id));
		return cli_print_json(cli, o);
	}
	if (rc == 0 && !cli->quiet)
		printf("removed asset '%s'\n", id);
	return rc;
}

const struct cmd_entry cmd_asset_rm_entry = {
    .name = "asset rm",
    .usage = "ID [--force]",
    .summary = "Remove an asset (refused while others depend on it)",
    .help = "Options:\n"
	    "  -f, --force    remove it even when other assets depend on "
	    "it,\n"
	    "                 with those dependencies\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_asset_rm_exec,
};

/* ------------------------------------------------------------------ */
/* asset authorize                                                     */

static int cmd_asset_authorize_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	char at[HW_TIME_TEXT];
	const char *id;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if ((rc = cli_operand(cli, argc, argv, "asset ID", &id)) != 0)
		return rc;
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_store_asset_authorize(cli->st, id, &err) == 0,
		       &err))
		return 1;
	if (hw_store_asset_get(cli->st, id, &a, &err) < 0)
		return cli_fail(cli, &err);
	hw_time_format(a.authorized_at, at);
	if (cli->json)
		rc = cli_print_json(cli, json_pack("{sssbssss}", "id", a.id,
						   "authorized", 1,
						   "authorized_by",
						   a.authorized_by ? a.authorized_by
								   : "",
						   "authorized_at", at));
	else if (!cli->quiet)
		printf("authorized asset '%s' (by %s at %s)\n", a.id,
		       a.authorized_by ? a.authorized_by : "?", at);
	hw_asset_release(&a);
	return rc;
}

const struct cmd_entry cmd_asset_authorize_entry = {
    .name = "asset authorize",
    .usage = "ID",
    .summary = "Record that an asset is authorized into production",
    .help = "Records authorized = yes, by whom (the actor: --actor,\n"
	    "$HIGHWATER_ACTOR or the login name) and when (now), shown by "
	    "asset show.\n"
	    "An asset whose authorization is unknown is a finding of "
	    "check; one\n"
	    "set to authorized=no (asset set) counts in the risk score.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_asset_authorize_exec,
};

/* Who authorized it and when, under the factors ("" when not
 * recorded). */
static void print_authorized(const struct hw_asset *a)
{
	char at[HW_TIME_TEXT];

	if (a->authorized_by)
		printf("  %-20s  %s\n", "authorized_by", a->authorized_by);
	if (a->authorized_at)
		printf("  %-20s  %s\n", "authorized_at",
		       hw_time_format(a->authorized_at, at));
}

/* ------------------------------------------------------------------ */
/* asset show                                                          */

static void print_assignment(struct cli *cli, const struct hw_assignment *g)
{
	struct hw_infotype t = {0};
	struct hw_error err = {0};
	char sel[64];
	int o;

	hw_store_infotype_get(cli->st, g->type_id, &t, &err);
	snprintf(sel, sizeof sel, "%s/%s/%s",
		 cli_level_text(g->selected.v[HW_C]),
		 cli_level_text(g->selected.v[HW_I]),
		 cli_level_text(g->selected.v[HW_A]));
	printf("  %-10s %s\n", g->type_id, t.name ? t.name : "?");
	cli_printf_levels(cli, "  %-10s C/I/A %s", "", sel);
	if (hw_assignment_adjusted(g)) {
		printf(" (adjusted from");
		for (o = 0; o < HW_NOBJ; o++)
			cli_printf_levels(cli, "%s%s", o ? "/" : " ",
					  cli_level_text(g->base.v[o]));
		printf(": %s)", g->justification ? g->justification : "");
	} else if (g->base.v[HW_I] == HW_LEVEL_NONE) {
		printf(" (no provisional levels; set at assignment)");
	} else {
		printf(" (provisional)");
	}
	printf("\n");
	hw_infotype_release(&t);
}

/* The view's dependencies one way ({"asset", "type", "carries"}) as
 * rows under title, or what says there are none. */
static void print_deps(const char *title, const char *none, json_t *deps)
{
	struct table t = {.ncols = 4};
	json_t *d;
	size_t i;

	printf("%s%s\n", title, json_array_size(deps) ? "" : none);
	json_array_foreach(deps, i, d)
	table_add(&t, "   ", json_string_value(json_object_get(d, "asset")),
		  json_string_value(json_object_get(d, "type")),
		  json_string_value(json_object_get(d, "carries")));
	table_print(&t, stdout);
	table_release(&t);
}

static void show_text(struct cli *cli, const struct hw_asset_view *sh)
{
	const struct hw_asset *a = &sh->a;
	size_t i;

	printf("asset        %s\n", a->id);
	printf("name         %s\n", a->name);
	printf("type         %s\n", a->type);
	printf("owner        %s\n", a->owner ? a->owner : "(none)");
	if (a->description)
		printf("description  %s\n", a->description);
	printf("internet     %s\n", a->internet_facing ? "yes" : "no");
	if (sh->changed_by)
		printf("changed      last by %s at %s\n", sh->changed_by,
		       sh->changed_at);
	cli_print_factors(&a->factors);
	print_authorized(a);
	cli_printf_levels(cli, "direct       C %s, I %s, A %s\n",
			  cli_level_text(a->direct.v[HW_C]),
			  cli_level_text(a->direct.v[HW_I]),
			  cli_level_text(a->direct.v[HW_A]));
	printf("information types%s\n", a->ntypes ? "" : "  (none)");
	for (i = 0; i < a->ntypes; i++)
		print_assignment(cli, &a->types[i]);
	print_deps("depends on", "   (nothing)", sh->depends_on);
	print_deps("dependents", "   (none)", sh->dependents);
	printf("categorization\n");
	if (sh->v >= 0)
		cli_print_categorization(cli, sh->g, (uint32_t)sh->v);
}

static int cmd_asset_show_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct hw_asset_view sh;
	int c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind >= argc)
		return cli_usage(cli, "missing asset ID");
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	if (hw_asset_view_load(cli->st, argv[optind], CLI_CLOSURE_LIMIT, &sh,
			       &err) < 0)
		rc = cli_fail(cli, &err);
	else if (cli->json)
		rc = cli_print_json(cli, hw_json_asset_view(&sh));
	else
		show_text(cli, &sh);
	hw_asset_view_release(&sh);
	return rc;
}

const struct cmd_entry cmd_asset_show_entry = {
    .name = "asset show",
    .usage = "ID",
    .summary = "Show an asset, its information types, dependencies and "
	       "categorization",
    .help = "",
    .flags = CMD_STORE_READ,
    .exec = cmd_asset_show_exec,
};

/* ------------------------------------------------------------------ */
/* asset list                                                          */

/* Which assets asset list shows, and what it has shown. */
struct list_args {
	struct hw_asset_filter f;
	int ids; /* --ids: the ids alone, one a line */
	struct table t;
	long n;
};

static int list_options(struct cli *cli, int argc, char **argv,
			struct list_args *l)
{
	static const struct option opts[] = {
	    {"type", required_argument, NULL, 't'},
	    {"owner", required_argument, NULL, 'o'},
	    {"no-owner", no_argument, NULL, 'O'},
	    {"level", required_argument, NULL, 'l'},
	    {"uncategorized", no_argument, NULL, 'u'},
	    {"partial", no_argument, NULL, 'p'},
	    {"prefix", required_argument, NULL, 'P'},
	    {"search", required_argument, NULL, 's'},
	    {"offset", required_argument, NULL, 'f'},
	    {"limit", required_argument, NULL, 'n'},
	    {"ids", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	/* The library's filter each option sets. */
	static const struct {
		int c;
		const char *filter;
	} names[] = {{'t', "type"},	    {'o', "owner"},
		     {'O', "no_owner"},	    {'l', "level"},
		     {'u', "uncategorized"}, {'p', "partial"},
		     {'P', "prefix"},	    {'s', "search"},
		     {'f', "offset"},
		     {'n', "limit"}};
	struct hw_error err = {0};
	size_t k;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'i') {
			l->ids = 1;
			continue;
		}
		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			if (names[k].c == c)
				break;
		if (k == sizeof names / sizeof names[0])
			return 2;
		if (hw_asset_filter_set(&l->f, names[k].filter,
					optarg ? optarg : "true", &err) < 0)
			return c == 'f' || c == 'n'
				   ? cli_usage(cli, "--%s", err.text)
				   : cli_failf(cli, "--%s", err.text);
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (l->ids && cli->json)
		return cli_usage(cli, "--ids and --json do not go together");
	return 0;
}

static int list_one(const struct hw_asset *a, void *ctx)
{
	struct list_args *l = ctx;
	struct hw_sc own;

	l->n++;
	if (l->ids) { /* main reports a stdout that cannot be written */
		printf("%s\n", a->id);
		return 0;
	}
	hw_asset_own_sc(a, &own);
	return table_add(&l->t, a->id, a->type, cli_level_text(own.v[HW_C]),
			 cli_level_text(own.v[HW_I]),
			 cli_level_text(own.v[HW_A]),
			 hw_sc_overall_text(&own, 1),
			 a->owner ? a->owner : "(none)", a->name);
}

/* {"assets": [...]}, each asset written as it is read. */
static int list_json(struct cli *cli, struct list_args *l)
{
	struct hw_error err = {0};
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	if (hw_answer_assets(cli->st, &l->f, &js, &err) < 0 &&
	    js.err.code == HW_OK)
		return cli_fail(cli, &err); /* the document stays open */
	return cli_jstream_end(cli, &js);
}

static int list_text(struct cli *cli, struct list_args *l)
{
	struct hw_error err = {0};
	int rc = 0;

	l->t.ncols = 8;
	l->t.levels = TABLE_COL(2) | TABLE_COL(3) | TABLE_COL(4) | TABLE_COL(5);
	l->t.colour = cli->colour;
	table_add(&l->t, "ID", "TYPE", "C", "I", "A", "OVERALL", "OWNER",
		  "NAME");
	if (hw_asset_filter_each(cli->st, &l->f, list_one, l, &err) != 0) {
		rc = err.code ? cli_fail(cli, &err)
			      : cli_failf(cli, "out of memory");
	} else {
		table_print(&l->t, stdout);
		if (!cli->quiet)
			printf("%ld asset%s\n", l->n, l->n == 1 ? "" : "s");
	}
	table_release(&l->t);
	return rc;
}

static int print_id(const char *id, void *ctx)
{
	(void)ctx;
	printf("%s\n", id); /* main reports a stdout that cannot be written */
	return 0;
}

/* --ids: the ids alone; without other filters than --prefix, from the
 * ids' index without reading the assets (shell completion). */
static int list_ids(struct cli *cli, struct list_args *l)
{
	const struct hw_asset_filter *f = &l->f;
	struct hw_error err = {0};

	if (f->type || f->owner || f->no_owner || f->uncategorized ||
	    f->partial || f->search || f->level != HW_LEVEL_NONE ||
	    f->offset || f->limit) {
		if (hw_asset_filter_each(cli->st, f, list_one, l, &err) != 0)
			return cli_fail(cli, &err);
		return 0;
	}
	if (hw_store_asset_ids(cli->st, f->prefix, print_id, NULL, &err) != 0)
		return cli_fail(cli, &err);
	return 0;
}

static int cmd_asset_list_exec(struct cli *cli, int argc, char **argv)
{
	struct list_args l = {0};
	int rc;

	if ((rc = list_options(cli, argc, argv, &l)) != 0)
		return rc;
	if (l.ids)
		return list_ids(cli, &l);
	return cli->json ? list_json(cli, &l) : list_text(cli, &l);
}

const struct cmd_entry cmd_asset_list_entry = {
    .name = "asset list",
    .usage = "[--type TYPE] [--owner OWNER | --no-owner] [--level L] "
	     "[--uncategorized | --partial] [--prefix TEXT] [--search TEXT] "
	     "[--offset N] "
	     "[--limit N] [--ids]",
    .summary = "List assets with their own categorization",
    .help = "Options:\n"
	    "  --type TYPE       only assets of this type\n"
	    "  --owner OWNER     only assets with this owner\n"
	    "  --no-owner        only assets nobody owns\n"
	    "  --level L         only assets whose overall level is L (or at "
	    "least L)\n"
	    "  --uncategorized   only assets without any level of their "
	    "own\n"
	    "  --partial         only partly categorized assets: some "
	    "objectives without\n"
	    "                    a level and the highest below HIGH, so the "
	    "overall level\n"
	    "                    is a lower bound (\"at least moderate\")\n"
	    "  --prefix TEXT     only assets whose id starts with TEXT\n"
	    "  --search TEXT     only assets whose id or name holds TEXT "
	    "(ignoring case)\n"
	    "  --offset N        skip the first N assets that pass the "
	    "filters\n"
	    "  --limit N         show at most N assets (a page; 0: all)\n"
	    "  --ids             only their ids, one a line (for scripts and "
	    "shell\n"
	    "                    completion)\n"
	    "\nExample: highwater asset list --type database --level high\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_asset_list_exec,
};

/*
 * cmd-dep.c: "highwater dep add|rm|list", the dependencies between
 * assets ("A depends on B").
 */
#include <string.h>

#include "cmd.h"

/* The existing dependency from -> to, to keep what --replace leaves. */
struct dep_find {
	const char *from, *to;
	char type[32];
	unsigned carries;
	int found;
};

static int find_dep(const struct hw_dep *d, void *ctx)
{
	struct dep_find *f = ctx;

	if (strcmp(d->from, f->from) != 0 || strcmp(d->to, f->to) != 0)
		return 0;
	snprintf(f->type, sizeof f->type, "%s", d->type);
	f->carries = d->carries;
	f->found = 1;
	return 0;
}

/* What d leaves unsaid: when replacing, the existing dependency's type
 * and carries (found with f, which d's type may then point into); else
 * type other, carrying everything.  0, or -1 with err set. */
static int dep_defaults(struct cli *cli, struct hw_dep *d, int replace,
			struct dep_find *f, struct hw_error *err)
{
	if (replace && (d->type == NULL || d->carries == 0)) {
		f->from = d->from;
		f->to = d->to;
		if (hw_store_dep_each(cli->st, d->from, find_dep, f, err) != 0)
			return -1;
		if (f->found && d->type == NULL)
			d->type = f->type;
		if (f->found && d->carries == 0)
			d->carries = f->carries;
	}
	if (d->type == NULL)
		d->type = (char *)"other";
	if (d->carries == 0)
		d->carries = HW_CARRY_ALL;
	return 0;
}

static int cmd_dep_add_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"type", required_argument, NULL, 't'},
	    {"carries", required_argument, NULL, 'c'},
	    {"replace", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_dep d = {0};
	char buf[4];
	struct dep_find f = {0}; /* holds the type d may borrow */
	int c, replace = 0;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 't')
			d.type = optarg;
		else if (c == 'r')
			replace = 1;
		else if (c == 'c') {
			if (hw_carries_parse(optarg, &d.carries, &err) < 0)
				return cli_fail(cli, &err);
		} else
			return 2;
	}
	if (optind + 2 > argc)
		return cli_usage(cli, "missing %s",
				 optind >= argc ? "FROM and TO" : "TO");
	if (optind + 2 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 2]);
	d.from = argv[optind];
	d.to = argv[optind + 1];
	if (dep_defaults(cli, &d, replace, &f, &err) < 0)
		return cli_fail(cli, &err);
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_store_dep_add(cli->st, &d, replace, &err) == 0,
		       &err))
		return 1;
	hw_carries_text(d.carries, buf);
	if (cli->json)
		return cli_print_json(cli, hw_json_dep(&d));
	if (!cli->quiet)
		printf("'%s' now depends on '%s' (%s, carries %s)\n", d.from,
		       d.to, d.type, buf);
	return 0;
}

const struct cmd_entry cmd_dep_add_entry = {
    .name = "dep add",
    .usage = "FROM TO [--type TYPE] [--carries cia] [--replace]",
    .summary = "Record that FROM depends on TO (FROM needs TO)",
    .help = "Options:\n"
	    "  --type TYPE      runs_on, uses, stores_data_in, connects_to,\n"
	    "                   authenticates_via, backs_up_to, other "
	    "(default)\n"
	    "  --carries LETTERS  the objectives this dependency passes on:\n"
	    "                   letters of c, i, a (default cia)\n"
	    "  --replace        update an existing dependency; what is not\n"
	    "                   given keeps its current value\n"
	    "\nExample: highwater dep add payroll db-01 --type runs_on\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_dep_add_exec,
};

static int cmd_dep_rm_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 2 != argc)
		return cli_usage(cli,
				 optind + 2 > argc ? "missing FROM or TO"
						   : "unexpected argument '%s'",
				 argv[argc - 1]);
	if (cli_begin(cli) ||
	    cli_finish(cli,
		       hw_store_dep_delete(cli->st, argv[optind],
					   argv[optind + 1], &err) == 0,
		       &err))
		return 1;
	if (cli->json)
		return cli_print_json(cli, json_pack("{s:[s,s]}", "removed",
						     argv[optind],
						     argv[optind + 1]));
	if (!cli->quiet)
		printf("'%s' no longer depends on '%s'\n", argv[optind],
		       argv[optind + 1]);
	return 0;
}

const struct cmd_entry cmd_dep_rm_entry = {
    .name = "dep rm",
    .usage = "FROM TO",
    .summary = "Remove a dependency",
    .help = "",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_dep_rm_exec,
};

struct dep_list {
	struct table t;
	long n;
};

static int list_dep(const struct hw_dep *d, void *ctx)
{
	struct dep_list *l = ctx;
	char buf[4];

	l->n++;
	hw_carries_text(d->carries, buf);
	return table_add(&l->t, d->from, "->", d->to, d->type, buf);
}

static int cmd_dep_list_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct dep_list l = {0};
	struct hw_jstream js;
	const char *asset;
	int c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	asset = optind < argc ? argv[optind] : NULL;
	if (cli->json) {
		cli_jstream_begin(cli, &js);
		if (hw_answer_deps(cli->st, asset, &js, &err) < 0 &&
		    js.err.code == HW_OK)
			return cli_fail(cli, &err);
		return cli_jstream_end(cli, &js);
	}
	l.t.ncols = 5;
	table_add(&l.t, "FROM", "", "TO", "TYPE", "CARRIES");
	if (hw_store_dep_each(cli->st, asset, list_dep, &l, &err) != 0) {
		rc = err.code ? cli_fail(cli, &err)
			      : cli_failf(cli, "out of memory");
	} else {
		table_print(&l.t, stdout);
		if (!cli->quiet)
			printf("%ld dependenc%s\n", l.n,
			       l.n == 1 ? "y" : "ies");
	}
	table_release(&l.t);
	return rc;
}

const struct cmd_entry cmd_dep_list_entry = {
    .name = "dep list",
    .usage = "[ASSET]",
    .summary = "List dependencies, all or those touching ASSET",
    .help = "",
    .flags = CMD_STORE_READ,
    .exec = cmd_dep_list_exec,
};

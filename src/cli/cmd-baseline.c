/*
 * cmd-baseline.c: "highwater baseline save|list|diff", configuration
 * baselines: named snapshots of the inventory, and the drift since one
 * (the library's snapshots, drift.h), printed for a change advisory
 * board (counts first, then grouped, CIs never authorized first) or as
 * one JSON document streamed item by item.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* ------------------------------------------------------------------ */
/* baseline save                                                       */

static int cmd_baseline_save_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"at", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_snapshot s = {0};
	const char *name;
	hw_time at = 0;
	int c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'a')
			return 2;
		if (hw_time_parse(optarg, &at, &err) < 0)
			return cli_usage(cli, "--at: %s", err.text);
	}
	if (cli_operand(cli, argc, argv, "NAME", &name) != 0)
		return 2;
	if (hw_store_snapshot_save(cli->st, name, at, &s, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		rc = cli_print_json(cli, hw_json_snapshot(&s));
	else if (!cli->quiet)
		printf("saved baseline %s: %lld assets, %lld dependencies, "
		       "%lld assignments\n",
		       s.name, s.assets, s.dependencies, s.assignments);
	hw_snapshot_release(&s);
	return rc;
}

const struct cmd_entry cmd_baseline_save_entry = {
    .name = "baseline save",
    .usage = "NAME [--at TIME]",
    .summary = "Save the inventory as it stands as configuration baseline "
	       "NAME",
    .help = "Options:\n"
	    "  --at TIME  when it was approved, recorded as its time "
	    "(default now;\n"
	    "             ISO 8601 with Z or an offset, a bare date is "
	    "00:00Z)\n"
	    "\nA baseline keeps every asset (its fields, levels, factors "
	    "and\nauthorization), every dependency and every "
	    "information-type\nassignment, by asset id.  NAME is 1-64 "
	    "characters of A-Z a-z 0-9 . _ : -;\na name in use is refused. "
	    " Compare later with \"baseline diff NAME\".\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_baseline_save_exec,
};

/* ------------------------------------------------------------------ */
/* baseline list                                                       */

struct list {
	struct cli *cli;
	struct table t;
};

static int list_one(const struct hw_snapshot *s, void *ctx)
{
	struct list *l = ctx;
	char a[24], d[24], g[24];

	snprintf(a, sizeof a, "%lld", s->assets);
	snprintf(d, sizeof d, "%lld", s->dependencies);
	snprintf(g, sizeof g, "%lld", s->assignments);
	return table_add(&l->t, s->name, s->created, s->actor, a, d, g);
}

static int cmd_baseline_list_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct list l = {.cli = cli, .t = {.ncols = 6}};
	json_t *doc;
	int rc;

	if (cli_getopt(cli, argc, argv, "", NULL) != -1)
		return 2;
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli->json) {
		if (hw_answer_baselines(cli->st, &doc, &err) < 0)
			return cli_fail(cli, &err);
		return cli_print_json(cli, doc);
	}
	table_add(&l.t, "NAME", "SAVED", "BY", "ASSETS", "DEPENDENCIES",
		  "ASSIGNMENTS");
	rc = hw_store_snapshot_each(cli->st, list_one, &l, &err);
	if (rc != 0) {
		table_release(&l.t);
		return rc < 0 ? cli_fail(cli, &err)
			      : cli_failf(cli, "out of memory");
	}
	if (l.t.nrows > 1)
		table_print(&l.t, stdout);
	else if (!cli->quiet)
		printf("no baselines (save one with \"baseline save NAME\")\n");
	table_release(&l.t);
	return 0;
}

const struct cmd_entry cmd_baseline_list_entry = {
    .name = "baseline list",
    .usage = "",
    .summary = "List the configuration baselines, oldest first",
    .help = "",
    .flags = CMD_STORE_READ,
    .exec = cmd_baseline_list_exec,
};

/* ------------------------------------------------------------------ */
/* baseline diff                                                       */

struct diff {
	const struct hw_snapshot *from, *to;
	int group;	 /* section * HW_DRIFT_KINDS + kind printed */
	long long total; /* items in all */
};

static const char *group_title(int section, int kind)
{
	static const char never[] = "never authorized (added since the "
				    "baseline, authorized is not yes)";
	static const char *const kinds[HW_DRIFT_KINDS] = {never, "added",
							  "removed", "changed"};
	static char buf[96];

	if (kind == HW_DRIFT_UNAUTHORIZED)
		return kinds[kind];
	snprintf(buf, sizeof buf, "%s %s",
		 hw_drift_section_name((enum hw_drift_section)section),
		 kinds[kind]);
	return buf;
}

static void print_item(const struct hw_drift_item *it)
{
	static const char marks[HW_DRIFT_KINDS] = {'!', '+', '-', '~'};
	size_t i, shown = 0;

	printf("  %c %s", marks[it->kind], it->id);
	if (it->section == HW_DRIFT_DEPS)
		printf(" > %s", it->other);
	else if (it->section == HW_DRIFT_ASSIGNMENTS)
		printf(" %s", it->other);
	if (it->kind == HW_DRIFT_CHANGED) {
		putchar('\n');
		for (i = 0; i < it->nfields; i++)
			printf("      %s: %s -> %s\n", it->fields[i].name,
			       it->fields[i].before ? it->fields[i].before
						    : "(none)",
			       it->fields[i].after ? it->fields[i].after
						   : "(none)");
		return;
	}
	for (i = 0; i < it->nfields; i++) {
		const struct hw_drift_field *f = &it->fields[i];
		const char *v =
		    it->kind == HW_DRIFT_REMOVED ? f->before : f->after;

		/* internet_facing: false is every asset's default: noise
		 * in a list for the CAB (--json keeps it). */
		if (f->type == HW_DRIFT_BOOL && strcmp(v, "false") == 0 &&
		    strcmp(f->name, "authorized") != 0)
			continue;
		printf("%s%s: %s", shown++ == 0 ? " (" : "; ", f->name, v);
	}
	if (it->kind == HW_DRIFT_UNAUTHORIZED) {
		for (i = 0; i < it->nfields; i++)
			if (strcmp(it->fields[i].name, "authorized") == 0)
				break;
		if (i == it->nfields)
			printf("%sauthorized: unknown",
			       shown++ == 0 ? " (" : "; ");
	}
	if (shown > 0)
		putchar(')');
	putchar('\n');
}

static int on_item(const struct hw_drift_item *it, void *ctx)
{
	struct diff *d = ctx;
	int group = (int)it->section * HW_DRIFT_KINDS + (int)it->kind;

	d->total++;
	if (group != d->group) {
		printf("\n%s\n", group_title((int)it->section, (int)it->kind));
		d->group = group;
	}
	print_item(it);
	return 0;
}

static void print_counts(const struct diff *d, const struct hw_drift_counts *c)
{
	const long long(*n)[HW_DRIFT_KINDS] = c->n;
	int s;

	printf("drift from baseline %s (saved %s by %s) to ", d->from->name,
	       d->from->created, d->from->actor);
	if (d->to != NULL)
		printf("baseline %s (saved %s by %s)\n", d->to->name,
		       d->to->created, d->to->actor);
	else
		printf("now\n");
	for (s = 0; s < HW_DRIFT_SECTIONS; s++) {
		printf("%-13s ", hw_drift_section_name(s));
		if (s == HW_DRIFT_ASSETS)
			printf("%lld never authorized, ",
			       n[s][HW_DRIFT_UNAUTHORIZED]);
		printf("%lld added, %lld removed, %lld changed\n",
		       n[s][HW_DRIFT_ADDED], n[s][HW_DRIFT_REMOVED],
		       n[s][HW_DRIFT_CHANGED]);
	}
}

static int on_counts(const struct hw_drift_counts *c, void *ctx)
{
	print_counts(ctx, c);
	return 0;
}

static int cmd_baseline_diff_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"to", required_argument, NULL, 't'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_snapshot from = {0}, to = {0};
	struct diff d = {.group = -1};
	struct hw_jstream js;
	const char *name, *to_name = NULL;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 't')
			to_name = optarg;
		else
			return 2;
	}
	if (cli_operand(cli, argc, argv, "NAME", &name) != 0)
		return 2;
	if (cli->json) {
		cli_jstream_begin(cli, &js);
		if (hw_answer_drift(cli->st, name, to_name, &js, &err) < 0)
			return cli_fail(cli, &err);
		return cli_jstream_end(cli, &js);
	}
	if (hw_store_snapshot_get(cli->st, name, &from, &err) < 0 ||
	    (to_name != NULL &&
	     hw_store_snapshot_get(cli->st, to_name, &to, &err) < 0)) {
		hw_snapshot_release(&from);
		return cli_fail(cli, &err);
	}
	d.from = &from;
	d.to = to_name != NULL ? &to : NULL;
	rc = hw_drift_run(cli->st, name, to_name, on_counts, on_item, &d, &err);
	if (rc < 0)
		rc = cli_fail(cli, &err);
	else if (rc > 0)
		rc = cli_failf(cli, "cannot write the drift (out of memory or "
				    "an output error)");
	else if (d.total == 0 && !cli->quiet)
		printf("\nno drift: the same assets, assignments and "
		       "dependencies\n");
	hw_snapshot_release(&from);
	hw_snapshot_release(&to);
	return rc;
}

const struct cmd_entry cmd_baseline_diff_entry = {
    .name = "baseline diff",
    .usage = "NAME [--to NAME]",
    .summary = "What was added, removed or changed since baseline NAME",
    .help = "Options:\n"
	    "  --to NAME  compare with baseline NAME instead of the "
	    "inventory now\n"
	    "\nCounts first, then grouped: assets added since whose "
	    "authorization is\nnot yes (CIs never authorized), assets "
	    "added, removed and changed\n(each changed field old -> new), "
	    "then information-type assignments\nand dependencies likewise. "
	    " --json gives {\"assets\", \"assignments\",\n\"dependencies\": "
	    "[{..., \"change\", \"fields\": {NAME: {\"before\",\n"
	    "\"after\"}}}], \"counts\", \"from\", \"to\"}.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_baseline_diff_exec,
};

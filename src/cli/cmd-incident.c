/*
 * cmd-incident.c: "highwater incident add|resolve|list": incidents on
 * assets, and for first response the changes implemented in the week
 * before one on the asset and on what it depends on.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* The week first response looks back over. */
#define RECENT_DAYS HW_INCIDENT_RECENT_DAYS

/* TIME of --opened or --at into *out; 0, or 2 after the usage error. */
static int parse_time(struct cli *cli, const char *option, const char *value,
		      hw_time *out)
{
	struct hw_error err = {0};

	if (hw_time_parse(value, out, &err) < 0)
		return cli_usage(cli, "%s: %s", option, err.text);
	return 0;
}

/* "3.5 h" between opened and resolved, into buf. */
static const char *repair_text(const struct hw_incident *i, char buf[32])
{
	if (!i->resolved)
		snprintf(buf, 32, "open");
	else
		snprintf(buf, 32, "%.1f h",
			 (double)(i->resolved - i->opened) / 3600.0);
	return buf;
}

static void print_recent(const char *asset, hw_time until,
			 const struct hw_recent_change *v, size_t n)
{
	char t[HW_TIME_TEXT], id[HW_CHANGE_ID_TEXT];
	size_t i;

	hw_time_format(until, t);
	if (n == 0) {
		printf("no change implemented on '%s' or what it depends on "
		       "in the %d days before %s\n",
		       asset, RECENT_DAYS, t);
		return;
	}
	printf("changes implemented on '%s' or what it depends on in the %d "
	       "days before %s, newest first:\n",
	       asset, RECENT_DAYS, t);
	for (i = 0; i < n; i++) {
		char hops[32];

		if (v[i].distance == 0)
			snprintf(hops, sizeof hops, "the asset itself");
		else
			snprintf(hops, sizeof hops, "%d hop%s down",
				 v[i].distance, v[i].distance == 1 ? "" : "s");
		printf("  %s  %s  by %s  on %s (%s): %s\n",
		       hw_time_format(v[i].implemented_at, t),
		       hw_change_id(v[i].change, id),
		       v[i].implemented_by ? v[i].implemented_by : "?",
		       v[i].targets, hops, v[i].title);
	}
}

static int cmd_incident_add_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"title", required_argument, NULL, 't'},
	    {"opened", required_argument, NULL, 'o'},
	    {"change", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_incident i = {0};
	struct hw_recent_change *recent = NULL;
	char id[HW_CHANGE_ID_TEXT];
	const char *asset;
	size_t nrecent = 0;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 't')
			i.title = optarg;
		else if (c == 'o') {
			if ((rc = parse_time(cli, "--opened", optarg,
					     &i.opened)) != 0)
				return rc;
		} else if (c == 'c') {
			if (hw_change_id_parse(optarg, &i.change, &err) < 0)
				return cli_usage(cli, "--change: %s", err.text);
		} else
			return 2;
	}
	if ((rc = cli_operand(cli, argc, argv, "ASSET", &asset)) != 0)
		return rc;
	if (i.title == NULL)
		return cli_usage(cli, "missing --title");
	if (i.opened == 0)
		i.opened = hw_time_now();
	i.asset = (char *)asset;
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_store_incident_add(cli->st, &i, &err) == 0,
		       &err))
		return 1;
	/* First response reads what was committed; "before" the opening
	 * includes its very second. */
	if (hw_incident_recent_changes(cli->st, asset, i.opened + 1,
				       RECENT_DAYS, &recent, &nrecent,
				       &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json) {
		i.reporter = (char *)cli->actor;
		rc = cli_print_json(
		    cli, hw_json_incident_recorded(&i, recent, nrecent));
	} else {
		printf("%s\n", hw_incident_id(i.n, id));
		if (!cli->quiet)
			print_recent(asset, i.opened, recent, nrecent);
		rc = 0;
	}
	hw_recent_changes_free(recent, nrecent);
	return rc;
}

const struct cmd_entry cmd_incident_add_entry = {
    .name = "incident add",
    .usage = "ASSET --title T [--opened TIME] [--change CHG-ID]",
    .summary = "Record an incident on an asset; show the week's changes "
	       "behind it",
    .help = "Options:\n"
	    "  --title T        what happened (required)\n"
	    "  --opened TIME    when it began (ISO 8601 with Z or an "
	    "offset;\n"
	    "                   a bare date is 00:00Z; default now)\n"
	    "  --change CHG-ID  the change that caused it, if known\n"
	    "\nPrints the incident's id (INC-0001), then, for first "
	    "response, the\n"
	    "changes implemented in the 7 days before it opened on the "
	    "asset and on\n"
	    "everything it depends on (directly or not), newest first, "
	    "with who\n"
	    "implemented them.  The reporter is the actor (--actor).\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_incident_add_exec,
};

static int cmd_incident_resolve_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"at", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_incident i = {0};
	const char *operand;
	char id[HW_CHANGE_ID_TEXT], t[HW_TIME_TEXT], rep[32];
	hw_time at = 0;
	long long n;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'a')
			return 2;
		if ((rc = parse_time(cli, "--at", optarg, &at)) != 0)
			return rc;
	}
	if ((rc = cli_operand(cli, argc, argv, "ID", &operand)) != 0)
		return rc;
	if (hw_incident_id_parse(operand, &n, &err) < 0)
		return cli_fail(cli, &err);
	if (at == 0)
		at = hw_time_now();
	if (cli_begin(cli) ||
	    cli_finish(cli,
		       hw_store_incident_resolve(cli->st, n, at, &err) == 0,
		       &err))
		return 1;
	if (hw_store_incident_get(cli->st, n, &i, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		rc = cli_print_json(cli, hw_json_incident(&i));
	else {
		if (!cli->quiet)
			printf("%s resolved at %s (repair %s)\n",
			       hw_incident_id(n, id),
			       hw_time_format(i.resolved, t),
			       repair_text(&i, rep));
		rc = 0;
	}
	hw_incident_release(&i);
	return rc;
}

const struct cmd_entry cmd_incident_resolve_entry = {
    .name = "incident resolve",
    .usage = "ID [--at TIME]",
    .summary = "Record that an incident is resolved",
    .help = "Options:\n"
	    "  --at TIME   when service was restored (ISO 8601 with Z or "
	    "an\n"
	    "              offset; default now); not before it opened\n"
	    "\nThe time from opening to resolution is the incident's time "
	    "to repair,\n"
	    "which the risk model's fragility averages (risk --weights).  "
	    "An incident\n"
	    "is resolved once.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_incident_resolve_exec,
};

struct list_ctx {
	int open_only;
	struct table t;
};

static int list_one(const struct hw_incident *i, void *p)
{
	struct list_ctx *c = p;
	char id[HW_CHANGE_ID_TEXT], chg[HW_CHANGE_ID_TEXT];
	char op[HW_TIME_TEXT], res[HW_TIME_TEXT], rep[32];

	if (c->open_only && i->resolved)
		return 0;
	if (table_add(&c->t, hw_incident_id(i->n, id), i->asset,
		      hw_time_format(i->opened, op),
		      i->resolved ? hw_time_format(i->resolved, res) : NULL,
		      repair_text(i, rep),
		      i->change ? hw_change_id(i->change, chg) : NULL,
		      i->reporter, i->title) < 0)
		return 1;
	return 0;
}

static int cmd_incident_list_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"open", no_argument, NULL, 'o'},
	    {"asset", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct list_ctx c = {0};
	struct hw_jstream js;
	const char *asset = NULL;
	int ch, rc;

	while ((ch = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (ch == 'o')
			c.open_only = 1;
		else if (ch == 'a')
			asset = optarg;
		else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli->json) {
		cli_jstream_begin(cli, &js);
		if (hw_answer_incidents(cli->st, asset, c.open_only, &js,
					&err) < 0)
			return cli_fail(cli, &err);
		return cli_jstream_end(cli, &js);
	}
	c.t.ncols = 8;
	if (table_add(&c.t, "ID", "ASSET", "OPENED", "RESOLVED", "REPAIR",
		      "CHANGE", "REPORTER", "TITLE") < 0)
		return cli_failf(cli, "out of memory");
	rc = hw_store_incident_each(cli->st, asset, list_one, &c, &err);
	if (rc != 0) {
		table_release(&c.t);
		if (rc > 0)
			return cli_failf(cli, "out of memory");
		return cli_fail(cli, &err);
	}
	if (c.t.nrows > 1)
		table_print(&c.t, stdout);
	else if (!cli->quiet)
		printf("no incidents%s\n", c.open_only ? " open" : "");
	table_release(&c.t);
	return 0;
}

const struct cmd_entry cmd_incident_list_entry = {
    .name = "incident list",
    .usage = "[--open] [--asset A]",
    .summary = "List incidents, oldest first",
    .help = "Options:\n"
	    "  --open      only those not resolved yet\n"
	    "  --asset A   only those on asset A (a removed asset keeps its\n"
	    "              incidents)\n"
	    "\nREPAIR is the time from opening to resolution.  --json "
	    "gives\n"
	    "{\"incidents\": [...]} in the history JSON of the inventory "
	    "format.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_incident_list_exec,
};

/*
 * cmd-change-show.c: "highwater change list|show", and the printing of
 * a change and of its assessment that change assess shares.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "change.h"
#include "cmd-change.h"

int cli_change_id(struct cli *cli, const char *s, long long *n)
{
	struct hw_error err = {0};

	if (hw_change_id_parse(s, n, &err) < 0)
		return cli_usage(cli, "%s", err.text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

/* A JSON scalar as text ("-" for null or absent). */
static const char *jtext(const json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%.1f", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
	else
		snprintf(buf, size, "-");
	return buf;
}

/* Member k of o as text, in one of eight buffers used in turn: up to
 * eight in one printf. */
static const char *J(const json_t *o, const char *k)
{
	static char b[8][64];
	static unsigned nb;

	return jtext(json_object_get(o, k), b[nb++ % 8], sizeof b[0]);
}

static void print_edit(size_t i, const struct hw_change_edit *e)
{
	char buf[4];

	printf("  %zu. ", i + 1);
	switch (e->kind) {
	case HW_EDIT_ADD_DEP:
		printf("add dependency %s -> %s", e->dep.from, e->dep.to);
		if (e->dep.type != NULL)
			printf(" (%s)", e->dep.type);
		if (e->dep.carries != 0)
			printf(", carries %s",
			       hw_carries_text(e->dep.carries, buf));
		break;
	case HW_EDIT_RM_DEP:
		printf("remove dependency %s -> %s", e->dep.from, e->dep.to);
		break;
	case HW_EDIT_SET:
		printf("set %s %s = %s", e->asset, e->field, e->value);
		break;
	case HW_EDIT_ADD_ASSET:
		printf("add asset %s (%s, %s)", e->add.id, e->add.name,
		       e->add.type);
		break;
	}
	putchar('\n');
}

static void line_time(const char *label, hw_time t, const char *by,
		      const char *more)
{
	char buf[HW_TIME_TEXT];

	if (t == 0)
		return;
	printf("%-13s%s", label, hw_time_format(t, buf));
	if (by != NULL)
		printf(" by %s", by);
	if (more != NULL)
		printf("%s", more);
	putchar('\n');
}

void cli_change_print(const struct hw_change *c, const json_t *assessment)
{
	char id[HW_CHANGE_ID_TEXT], more[400];
	size_t i;

	printf("%s  %s\n", hw_change_id(c->n, id), c->title);
	printf("%-13s%s", "state:", hw_change_state_name(c->state));
	if (c->result != HW_RESULT_NONE)
		printf(" (%s)", hw_change_result_name(c->result));
	putchar('\n');
	if (c->description != NULL)
		printf("%-13s%s\n", "description:", c->description);
	printf("%-13s", "targets:");
	for (i = 0; i < c->ntargets; i++)
		printf("%s%s", i ? ", " : "", c->targets[i]);
	putchar('\n');
	line_time("requested:", c->created, c->requester, NULL);
	line_time("planned:", c->planned, NULL, NULL);
	if (c->nedits == 0)
		printf("%-13snone\n", "edits:");
	else
		printf("edits:\n");
	for (i = 0; i < c->nedits; i++)
		print_edit(i, &c->edits[i]);
	if (assessment != NULL) {
		const json_t *s = json_object_get(assessment, "summary");
		snprintf(more, sizeof more, " (route %s, %s assets)",
			 J(s, "route"), J(s, "members"));
		line_time("assessed:", c->assessed_at, NULL, more);
	}
	more[0] = '\0';
	if (c->chair != NULL || c->reason != NULL)
		snprintf(more, sizeof more, "%s%s%s%s%s",
			 c->chair ? ", chair " : "", c->chair ? c->chair : "",
			 c->reason ? ": \"" : "", c->reason ? c->reason : "",
			 c->reason ? "\"" : "");
	line_time(c->state == HW_CHANGE_REJECTED ||
			  c->result == HW_RESULT_REJECTED
		      ? "rejected:"
		      : "approved:",
		  c->decided_at, c->decided_by, more);
	line_time("implemented:", c->implemented_at, c->implemented_by, NULL);
	line_time(c->state == HW_CHANGE_CANCELLED ? "cancelled:" : "closed:",
		  c->closed_at, NULL, NULL);
	line_time("reverted:", c->reverted_at, c->reverted_by, NULL);
}

/* The ids of a JSON array of strings, joined. */
static void print_ids(const json_t *ids, const char *sep)
{
	const json_t *v;
	size_t i;

	json_array_foreach(ids, i, v)
		printf("%s%s", i ? sep : "", json_string_value(v));
}

static void print_delta(const json_t *d)
{
	const json_t *v, *gaps = json_object_get(d, "gaps");
	size_t i;
	int any = 0;

	json_array_foreach(json_object_get(d, "levels"), i, v)
	{
		printf("  level      %s %s: %s -> %s\n", J(v, "asset"),
		       J(v, "objective"), J(v, "old"), J(v, "new"));
		any = 1;
	}
	json_array_foreach(json_object_get(d, "baselines"), i, v)
	{
		printf("  baseline   %s: %s -> %s\n", J(v, "asset"), J(v, "old"),
		       J(v, "new"));
		any = 1;
	}
	if (json_integer_value(json_object_get(gaps, "controls")) != 0) {
		printf("  new control gaps: %s (",
		       J(gaps, "controls"));
		json_array_foreach(json_object_get(gaps, "families"), i, v)
		{
			/* the family's letters, from its first control */
			const char *first = J(v, "first");
			int len = (int)strcspn(first, "-"), k;

			printf("%s", i ? ", " : "");
			for (k = 0; k < len; k++)
				putchar(first[k] >= 'a' && first[k] <= 'z'
					    ? first[k] - 'a' + 'A'
					    : first[k]);
			printf(" %s", J(v, "controls"));
		}
		printf(")\n");
		any = 1;
	}
	json_array_foreach(json_object_get(d, "risks"), i, v)
	{
		printf("  risk       %s: %s -> %s (rank %s -> %s)\n",
		       J(v, "asset"), J(v, "old_score"), J(v, "new_score"),
		       J(v, "old_rank"), J(v, "new_rank"));
		any = 1;
	}
	json_array_foreach(json_object_get(d, "cycles"), i, v)
	{
		printf("  new cycle  ");
		print_ids(v, " -> ");
		putchar('\n');
		any = 1;
	}
	if (!any)
		printf("  no change to levels, baselines, control gaps, risk "
		       "scores or cycles\n");
}

void cli_assessment_print(long long n, const json_t *a)
{
	const json_t *s = json_object_get(a, "summary"), *v, *o;
	const json_t *h = json_object_get(s, "highest");
	const json_t *cnt = json_object_get(s, "count");
	char id[HW_CHANGE_ID_TEXT];
	size_t i;

	printf("%s assessed as of %s\n", hw_change_id(n, id), J(a, "at"));
	printf("route:      %s", J(s, "route"));
	if (json_object_get(s, "route_before") != NULL &&
	    strcmp(J(s, "route_before"), J(s, "route_after")) != 0)
		printf(" (before the edits %s, after %s)",
		       J(s, "route_before"), J(s, "route_after"));
	printf("\nhighest:    confidentiality %s, integrity %s, availability "
	       "%s\n",
	       J(h, "c"), J(h, "i"), J(h, "a"));
	printf("assets:     %s (high %s, moderate %s, low %s, none %s)\n",
	       J(s, "members"), J(cnt, "high"), J(cnt, "moderate"),
	       J(cnt, "low"), J(cnt, "none"));
	printf("owners:     ");
	json_array_foreach(json_object_get(s, "owners"), i, o)
		printf("%s%s (%s)", i ? ", " : "", J(o, "name"),
		       J(o, "count"));
	v = json_object_get(s, "unowned");
	if (json_integer_value(v) != 0)
		printf("%sunowned %s", json_array_size(json_object_get(
					   s, "owners"))
					   ? ", "
					   : "",
		       J(s, "unowned"));
	else if (json_array_size(json_object_get(s, "owners")) == 0)
		printf("none");
	printf("\nservices:   ");
	if (json_array_size(json_object_get(s, "services")) == 0)
		printf("none");
	print_ids(json_object_get(s, "services"), ", ");
	printf("\nposture delta of the proposed edits:\n");
	print_delta(json_object_get(a, "delta"));
}

/* ------------------------------------------------------------------ */
/* change show                                                         */

static int cmd_change_show_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	struct hw_change c = {0};
	json_t *a = NULL, *doc;
	const char *id;
	char *text = NULL;
	long long n;
	int k, rc;

	while ((k = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if ((rc = cli_operand(cli, argc, argv, "the change's id (CHG-N)",
			      &id)) != 0 ||
	    (rc = cli_change_id(cli, id, &n)) != 0)
		return rc;
	if (cli->json) {
		if (hw_answer_change(cli->st, n, &doc, &err) < 0)
			return cli_fail(cli, &err);
		return cli_print_json(cli, doc);
	}
	if (hw_store_change_get(cli->st, n, &c, &err) < 0)
		return cli_fail(cli, &err);
	if (hw_store_assessment_get(cli->st, n, &text, &err) == 0) {
		a = json_loads(text, 0, NULL);
		free(text);
	} else if (err.code != HW_ENOTFOUND) {
		hw_change_release(&c);
		return cli_fail(cli, &err);
	}
	cli_change_print(&c, a);
	if (a != NULL) {
		putchar('\n');
		cli_assessment_print(n, a);
	}
	json_decref(a);
	hw_change_release(&c);
	return 0;
}

const struct cmd_entry cmd_change_show_entry = {
    .name = "change show",
    .usage = "ID",
    .summary = "Show a change: its fields, proposed edits, decision and "
	       "stored assessment",
    .help = "With --json: the change as JSON with its stored assessment "
	    "under\n\"assessment\".\n"
	    "\nExample: highwater change show CHG-0001\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_change_show_exec,
};

/* ------------------------------------------------------------------ */
/* change list                                                         */

struct list_ctx {
	struct cli *cli;
	struct table t;
	int failed;
	int ids; /* --ids: the ids alone, one a line */
};

static int list_fn(const struct hw_change *c, void *ctx)
{
	struct list_ctx *l = ctx;
	char id[HW_CHANGE_ID_TEXT], planned[HW_TIME_TEXT], state[40];

	if (l->ids) { /* main reports a stdout that cannot be written */
		printf("%s\n", hw_change_id(c->n, id));
		return 0;
	}
	snprintf(state, sizeof state, "%s%s%s%s",
		 hw_change_state_name(c->state),
		 c->result != HW_RESULT_NONE ? " " : "",
		 c->result != HW_RESULT_NONE ? hw_change_result_name(c->result)
					     : "",
		 c->reverted_at ? ", reverted" : "");
	if (table_add(&l->t, hw_change_id(c->n, id), state, c->requester,
		      c->planned ? hw_time_format(c->planned, planned) : NULL,
		      c->ntargets ? c->targets[0] : NULL, c->title) < 0)
		l->failed = 1;
	return l->failed;
}

static int cmd_change_list_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"open", no_argument, NULL, 'o'},
	    {"asset", required_argument, NULL, 'a'},
	    {"ids", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct list_ctx l = {0};
	struct hw_error err = {0};
	struct hw_jstream js;
	struct hw_change_filter f = {NULL, 0, -1};
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'o')
			f.open_only = 1;
		else if (c == 'a')
			f.asset = optarg;
		else if (c == 'i')
			l.ids = 1;
		else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (l.ids && cli->json)
		return cli_usage(cli, "--ids and --json do not go together");
	if (cli->json) {
		cli_jstream_begin(cli, &js);
		if (hw_answer_changes(cli->st, &f, &js, &err) < 0)
			return cli_fail(cli, &err);
		return cli_jstream_end(cli, &js);
	}
	l.cli = cli;
	l.t.ncols = 6;
	if (!l.ids)
		table_add(&l.t, "ID", "STATE", "REQUESTER", "PLANNED",
			  "TARGET", "TITLE");
	rc = hw_store_change_each(cli->st, f.asset, f.open_only, list_fn, &l,
				  &err);
	if (rc < 0 || l.failed) {
		table_release(&l.t);
		if (rc < 0)
			return cli_fail(cli, &err);
		return cli_failf(cli, "out of memory");
	}
	if (l.ids)
		return 0;
	if (l.t.nrows > 1)
		table_print(&l.t, stdout);
	else if (!cli->quiet)
		printf("no changes\n");
	table_release(&l.t);
	return 0;
}

const struct cmd_entry cmd_change_list_entry = {
    .name = "change list",
    .usage = "[--open] [--asset ID] [--ids]",
    .summary = "List change records, oldest first",
    .help = "Options:\n"
	    "  --open             only those not closed or cancelled\n"
	    "  --asset ID         only those that target the asset\n"
	    "  --ids              only their ids, one a line (for scripts and "
	    "shell\n"
	    "                     completion)\n"
	    "The TARGET column shows the first target. With --json: "
	    "{\"changes\": [...]}.\n"
	    "\nExample: highwater change list --open\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_change_list_exec,
};

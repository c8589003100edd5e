/*
 * cmd-change.c: "highwater change new|edit|assess|decide|implement|
 * close|cancel|revert", the steps of a change record's life (change.h);
 * list and show are cmd-change-show.c's, with the printing both share.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "change.h"
#include "cmd-change.h"

/* ------------------------------------------------------------------ */
/* Times                                                               */

/* --at TIME, else now. */
static int at_time(struct cli *cli, const char *s, hw_time *out)
{
	struct hw_error err = {0};

	if (s == NULL) {
		*out = hw_time_now();
		return 0;
	}
	if (hw_time_parse(s, out, &err) < 0)
		return cli_usage(cli, "--at: %s", err.text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* A proposal: the options of change new and change edit               */

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);

	if (d == NULL) {
		fputs("highwater: out of memory\n", stderr);
		exit(1);
	}
	return d;
}

static struct hw_change_edit *new_edit(struct hw_change *c)
{
	struct hw_change_edit *e =
	    realloc(c->edits, (c->nedits + 1) * sizeof *e);

	if (e == NULL) {
		fputs("highwater: out of memory\n", stderr);
		exit(1);
	}
	c->edits = e;
	memset(&e[c->nedits], 0, sizeof *e);
	return &e[c->nedits++];
}

/* Split s at commas into at most max fields (in place); the count, or
 * max + 1 when there are more. */
static int split(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *comma = strchr(s, ',');

		if (n == max)
			return max + 1;
		f[n++] = s;
		if (comma == NULL)
			return n;
		*comma = '\0';
		s = comma + 1;
	}
}

/* --add-dep FROM,TO[,TYPE[,CARRIES]] and --rm-dep FROM,TO. */
static int dep_edit(struct cli *cli, struct hw_change *c, const char *opt,
		    const char *value, int add)
{
	char *copy = dup_or_die(value), *f[4];
	struct hw_error err = {0};
	struct hw_change_edit *e;
	int n = split(copy, f, add ? 4 : 2), rc = 0;

	if (n < 2 || n > (add ? 4 : 2) || f[0][0] == '\0' || f[1][0] == '\0') {
		rc = cli_usage(cli, "%s '%s': expected FROM,TO%s", opt, value,
			       add ? "[,TYPE[,CARRIES]]" : "");
		goto out;
	}
	e = new_edit(c);
	e->kind = add ? HW_EDIT_ADD_DEP : HW_EDIT_RM_DEP;
	e->dep.from = dup_or_die(f[0]);
	e->dep.to = dup_or_die(f[1]);
	if (n > 2 && f[2][0] != '\0')
		e->dep.type = dup_or_die(f[2]);
	if (n > 3 && f[3][0] != '\0' &&
	    hw_carries_parse(f[3], &e->dep.carries, &err) < 0)
		rc = cli_failf(cli, "%s '%s': %s", opt, value, err.text);
out:
	free(copy);
	return rc;
}

/* --set ID,FIELD=VALUE */
static int set_edit(struct cli *cli, struct hw_change *c, const char *value)
{
	const char *comma = strchr(value, ','), *eq;
	struct hw_change_edit *e;

	eq = comma ? strchr(comma, '=') : NULL;
	if (comma == NULL || eq == NULL || comma == value || eq == comma + 1)
		return cli_usage(cli, "--set '%s': expected ID,FIELD=VALUE",
				 value);
	e = new_edit(c);
	e->kind = HW_EDIT_SET;
	e->asset = dup_or_die(value);
	e->asset[comma - value] = '\0';
	e->field = dup_or_die(comma + 1);
	e->field[eq - comma - 1] = '\0';
	e->value = dup_or_die(eq + 1);
	return 0;
}

static void add_target(struct hw_change *c, const char *id)
{
	char **t = realloc(c->targets, (c->ntargets + 1) * sizeof *t);

	if (t == NULL) {
		fputs("highwater: out of memory\n", stderr);
		exit(1);
	}
	c->targets = t;
	t[c->ntargets++] = dup_or_die(id);
}

/* Parse the proposal options into the draft d. */
static int parse_proposal(struct cli *cli, int argc, char **argv, int editing,
			  struct hw_change_draft *d)
{
	struct hw_change *g = &d->c;
	static const struct option opts[] = {
	    {"title", required_argument, NULL, 't'},
	    {"description", required_argument, NULL, 'd'},
	    {"target", required_argument, NULL, 'T'},
	    {"planned", required_argument, NULL, 'p'},
	    {"add-dep", required_argument, NULL, 'A'},
	    {"rm-dep", required_argument, NULL, 'R'},
	    {"set", required_argument, NULL, 'S'},
	    {"add-assets", required_argument, NULL, 'F'},
	    {"clear-edits", no_argument, NULL, 'C'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		rc = 0;
		switch (c) {
		case 't':
			free(g->title);
			g->title = dup_or_die(optarg);
			d->title = 1;
			break;
		case 'd':
			free(g->description);
			g->description = dup_or_die(optarg);
			d->description = 1;
			break;
		case 'T':
			add_target(g, optarg);
			d->targets = 1;
			break;
		case 'p':
			if (hw_time_parse(optarg, &g->planned, &err) < 0)
				return cli_usage(cli, "--planned: %s",
						 err.text);
			d->planned = 1;
			break;
		case 'A':
		case 'R':
			rc = dep_edit(cli, g, c == 'A' ? "--add-dep" : "--rm-dep",
				      optarg, c == 'A');
			break;
		case 'S':
			rc = set_edit(cli, g, optarg);
			break;
		case 'F':
			if (hw_change_read_assets(optarg, g, &err) < 0)
				rc = cli_fail(cli, &err);
			break;
		case 'C':
			if (!editing)
				return cli_usage(cli, "unknown option "
						      "'--clear-edits'");
			d->clear_edits = 1;
			break;
		default:
			return 2;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int print_id(struct cli *cli, const struct hw_change *c)
{
	char id[HW_CHANGE_ID_TEXT];

	if (cli->json)
		return cli_print_json(cli, hw_change_json(c));
	printf("%s\n", hw_change_id(c->n, id));
	return 0;
}

static int cmd_change_new_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_change_draft d = {0};
	struct hw_error err = {0};
	long long n;
	int rc;

	rc = parse_proposal(cli, argc, argv, 0, &d);
	if (rc == 0 && optind < argc)
		rc = cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (rc == 0 && !d.title)
		rc = cli_usage(cli, "missing --title");
	if (rc == 0 && !d.targets)
		rc = cli_usage(cli, "missing --target");
	if (rc == 0 &&
	    hw_change_draft_new(cli->st, &d, hw_time_now(), &n, &err) < 0)
		rc = cli_fail(cli, &err);
	if (rc == 0)
		rc = print_id(cli, &d.c);
	hw_change_draft_release(&d);
	return rc;
}

const struct cmd_entry cmd_change_new_entry = {
    .name = "change new",
    .usage = "--title T --target ID [--target ID ...] [--planned TIME] "
	     "[--description D] [EDITS]",
    .summary = "Record a change (prints its id, CHG-0001), with the edits "
	       "to the inventory it proposes",
    .help = "Options:\n"
	    "  --title T          what the change does\n"
	    "  --target ID        an asset it changes (repeatable)\n"
	    "  --planned TIME     when it is planned (ISO 8601, e.g.\n"
	    "                     2026-05-01T22:00Z; a bare date is 00:00Z)\n"
	    "  --description D    more words\n"
	    "Edits it proposes (each repeatable, applied by change "
	    "implement):\n"
	    "  --add-dep FROM,TO[,TYPE[,CARRIES]]  a new dependency\n"
	    "  --rm-dep FROM,TO   a dependency removed\n"
	    "  --set ID,FIELD=VALUE  a field set, as asset set sets it\n"
	    "  --add-assets FILE  the assets and dependencies of a JSON\n"
	    "                     inventory file, added\n"
	    "Edits that name unknown assets or that the inventory would "
	    "refuse now are\nrefused. The requester is the actor (--actor).\n"
	    "\nExample: highwater change new --title 'Move payroll' "
	    "--target payroll \\\n"
	    "           --add-dep payroll,db-02,runs_on --rm-dep "
	    "payroll,db-01\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_new_exec,
};

static int cmd_change_edit_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_change_draft d = {0};
	struct hw_change c = {0};
	struct hw_error err = {0};
	const char *id = NULL;
	long long n = 0;
	int rc;

	rc = parse_proposal(cli, argc, argv, 1, &d);
	if (rc == 0)
		rc = cli_operand(cli, argc, argv, "the change's id (CHG-N)",
				 &id);
	if (rc == 0)
		rc = cli_change_id(cli, id, &n);
	if (rc == 0 && hw_change_draft_amend(cli->st, n, &d, &err) < 0)
		rc = cli_fail(cli, &err);
	if (rc == 0 && hw_store_change_get(cli->st, n, &c, &err) < 0)
		rc = cli_fail(cli, &err);
	else if (rc == 0 && cli->json)
		rc = cli_print_json(cli, hw_change_json(&c));
	else if (rc == 0 && !cli->quiet)
		cli_change_print(&c, NULL);
	hw_change_draft_release(&d);
	hw_change_release(&c);
	return rc;
}

const struct cmd_entry cmd_change_edit_entry = {
    .name = "change edit",
    .usage = "ID [--title T] [--target ID ...] [--planned TIME] "
	     "[--description D] [--clear-edits] [EDITS]",
    .summary = "Amend a change before its decision (an assessed change "
	       "goes back to new)",
    .help = "Options:\n"
	    "  --title T          a new title\n"
	    "  --target ID        the targets, all of them (repeatable): they\n"
	    "                     replace the change's\n"
	    "  --planned TIME     when it is planned\n"
	    "  --description D    a new description (\"\" removes it)\n"
	    "  --clear-edits      drop the proposed edits first\n"
	    "  --add-dep, --rm-dep, --set, --add-assets  more edits, as in\n"
	    "                     change new, after the change's own\n"
	    "Allowed while the change is new or assessed; its stored "
	    "assessment is\ncleared.\n"
	    "\nExample: highwater change edit CHG-0001 --add-dep "
	    "payroll,cache-01\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_edit_exec,
};

/* ------------------------------------------------------------------ */
/* Steps on one change                                                 */

/* The one operand ID after options (--at, --result, ...) into n. */
static int one_change(struct cli *cli, int argc, char **argv, long long *n)
{
	const char *id;
	int rc = cli_operand(cli, argc, argv, "the change's id (CHG-N)", &id);

	return rc != 0 ? rc : cli_change_id(cli, id, n);
}

/* "ID [--at TIME]": the change's number and the time (now if not
 * given); 0, or the exit status of a usage error. */
static int id_and_time(struct cli *cli, int argc, char **argv, long long *n,
		       hw_time *at)
{
	static const struct option opts[] = {
	    {"at", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *at_s = NULL;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'a')
			return 2;
		at_s = optarg;
	}
	if ((rc = one_change(cli, argc, argv, n)) != 0)
		return rc;
	return at_time(cli, at_s, at);
}

/* After a step: the change as it stands, or its line. */
static int report_step(struct cli *cli, long long n, const char *what)
{
	char id[HW_CHANGE_ID_TEXT];
	struct hw_error err = {0};
	struct hw_change c = {0};
	int rc = 0;

	if (cli->json) {
		if (hw_store_change_get(cli->st, n, &c, &err) < 0)
			return cli_fail(cli, &err);
		rc = cli_print_json(cli, hw_change_json(&c));
		hw_change_release(&c);
		return rc;
	}
	if (!cli->quiet)
		printf("%s %s\n", hw_change_id(n, id), what);
	return 0;
}

static int cmd_change_assess_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_change_step step = {.kind = HW_STEP_ASSESS};
	struct hw_error err = {0};
	json_t *a = NULL;
	long long n;
	int rc;

	if ((rc = id_and_time(cli, argc, argv, &n, &step.at)) != 0)
		return rc;
	if (hw_change_step_run(cli->st, n, &step, &a, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		return cli_print_json(cli, a);
	if (!cli->quiet)
		cli_assessment_print(n, a);
	json_decref(a);
	return 0;
}

const struct cmd_entry cmd_change_assess_entry = {
    .name = "change assess",
    .usage = "ID [--at TIME]",
    .summary = "Assess a change as of now and store it: its impact and "
	       "the security-posture delta of its edits",
    .help = "Prints the impact's summary (route, highest levels, counts, "
	    "owners,\nservices) and the posture delta of the proposed edits: "
	    "effective levels\nand required baselines that rise or fall, new "
	    "control gaps by family\n(SP 800-53B), risk scores that move, new "
	    "cycles. An approved change\nassessed again goes back to assessed "
	    "(its approval lapses).\n"
	    "\n  --at TIME   assess as of TIME (risk dates are measured at its "
	    "day; default\n              now)\n"
	    "\nExample: highwater change assess CHG-0001\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_assess_exec,
};

static int cmd_change_decide_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, 'r'},
	    {"by", required_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	/* the step's strings are borrowed from argv: never released */
	struct hw_change_step step = {.kind = HW_STEP_DECIDE};
	struct hw_error err = {0};
	long long n;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'r')
			step.reason = optarg;
		else if (c == 'b')
			step.chair = optarg;
		else
			return 2;
	}
	if (optind + 2 != argc)
		return cli_usage(cli, optind + 2 > argc
					  ? "missing ID or approve|reject%s"
					  : "unexpected argument '%s'",
				 optind + 2 > argc ? "" : argv[optind + 2]);
	if ((c = cli_change_id(cli, argv[optind], &n)) != 0)
		return c;
	if (strcmp(argv[optind + 1], "approve") == 0)
		step.approve = 1;
	else if (strcmp(argv[optind + 1], "reject") == 0)
		step.approve = 0;
	else
		return cli_usage(cli, "'%s': expected approve or reject",
				 argv[optind + 1]);
	if (hw_change_step_run(cli->st, n, &step, NULL, &err) < 0)
		return cli_fail(cli, &err);
	return report_step(cli, n, step.approve ? "approved" : "rejected");
}

const struct cmd_entry cmd_change_decide_entry = {
    .name = "change decide",
    .usage = "ID approve|reject [--reason R] [--by NAME]",
    .summary = "Record the CAB's decision on an assessed change",
    .help = "Options:\n"
	    "  --reason R         why (needed when the change goes to the "
	    "full CAB)\n"
	    "  --by NAME          who chaired: a label; the decider is the "
	    "actor\n"
	    "The requester cannot approve their own change unless the "
	    "setting\nchange.self_approval is allow (highwater config).\n"
	    "\nExample: highwater change decide CHG-0001 approve --reason "
	    "'window agreed'\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_decide_exec,
};

/* change implement|cancel|revert ID [--at TIME] */
static int simple_step(struct cli *cli, int argc, char **argv,
		       enum hw_change_step_kind kind, const char *done)
{
	struct hw_change_step step = {.kind = kind};
	struct hw_error err = {0};
	long long n;
	int rc;

	if ((rc = id_and_time(cli, argc, argv, &n, &step.at)) != 0)
		return rc;
	if (hw_change_step_run(cli->st, n, &step, NULL, &err) < 0)
		return cli_fail(cli, &err);
	return report_step(cli, n, done);
}

static int cmd_change_implement_exec(struct cli *cli, int argc, char **argv)
{
	return simple_step(cli, argc, argv, HW_STEP_IMPLEMENT, "implemented");
}

const struct cmd_entry cmd_change_implement_entry = {
    .name = "change implement",
    .usage = "ID [--at TIME]",
    .summary = "Apply an approved change's edits to the inventory",
    .help = "Options:\n"
	    "  --at TIME          when it was implemented (default now)\n"
	    "The posture delta is computed again as of the stored "
	    "assessment's time:\nif the inventory changed since so that it "
	    "differs, the change is refused\n(assess it again). Otherwise its "
	    "edits are applied in one transaction.\n"
	    "\nExample: highwater change implement CHG-0001\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_implement_exec,
};

static int cmd_change_cancel_exec(struct cli *cli, int argc, char **argv)
{
	return simple_step(cli, argc, argv, HW_STEP_CANCEL, "cancelled");
}

const struct cmd_entry cmd_change_cancel_entry = {
    .name = "change cancel",
    .usage = "ID [--at TIME]",
    .summary = "Cancel a change that is not implemented",
    .help = "Options:\n"
	    "  --at TIME          when (default now)\n"
	    "\nExample: highwater change cancel CHG-0001\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_cancel_exec,
};

static int cmd_change_revert_exec(struct cli *cli, int argc, char **argv)
{
	return simple_step(cli, argc, argv, HW_STEP_REVERT, "reverted");
}

const struct cmd_entry cmd_change_revert_entry = {
    .name = "change revert",
    .usage = "ID [--at TIME]",
    .summary = "Undo an implemented change's edits (refused where later "
	       "writes touched the same objects)",
    .help = "Options:\n"
	    "  --at TIME          when (default now)\n"
	    "Allowed once, for an implemented change or one closed failed or "
	    "backed-out.\n"
	    "\nExample: highwater change revert CHG-0001\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_revert_exec,
};

static int cmd_change_close_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"result", required_argument, NULL, 'r'},
	    {"at", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	const char *at_s = NULL, *result = NULL;
	struct hw_change_step step = {.kind = HW_STEP_CLOSE};
	struct hw_error err = {0};
	long long n;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'r')
			result = optarg;
		else if (c == 'a')
			at_s = optarg;
		else
			return 2;
	}
	if ((rc = one_change(cli, argc, argv, &n)) != 0 ||
	    (rc = at_time(cli, at_s, &step.at)) != 0)
		return rc;
	if (result == NULL)
		return cli_usage(cli, "missing --result");
	if (hw_change_result_parse(result, &step.result) < 0)
		return cli_usage(cli,
				 "--result '%s': expected success, failed, "
				 "backed-out or rejected",
				 result);
	if (hw_change_step_run(cli->st, n, &step, NULL, &err) < 0)
		return cli_fail(cli, &err);
	return report_step(cli, n, "closed");
}

const struct cmd_entry cmd_change_close_entry = {
    .name = "change close",
    .usage = "ID --result success|failed|backed-out|rejected [--at TIME]",
    .summary = "Close an implemented change with its result, or a "
	       "rejected one",
    .help = "Options:\n"
	    "  --result R         success, failed or backed-out for an "
	    "implemented\n"
	    "                     change; rejected for a rejected one\n"
	    "  --at TIME          when (default now)\n"
	    "\nExample: highwater change close CHG-0001 --result success\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_change_close_exec,
};

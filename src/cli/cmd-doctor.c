/*
 * cmd-doctor.c: "highwater doctor", the database checked as input and
 * each finding said, one a line; with --repair, the rows whose parent
 * row is gone removed once confirmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

#define ADVICE_MAX 8

struct doctor {
	struct cli *cli;
	json_t *findings;		/* --json: the findings */
	const char *advice[ADVICE_MAX]; /* what to do, each once */
	char *owned[ADVICE_MAX];
	int nadvice;
};

static int print_finding(const struct hw_doctor_finding *f, void *ctx)
{
	struct doctor *d = ctx;
	const char *name = hw_doctor_check_name(f->check);
	int i;

	if (d->findings != NULL) {
		json_t *o = json_pack("{s:s,s:s,s:s}", "check", name, "status",
				      f->ok	   ? "ok"
				      : f->skipped ? "skipped"
						   : "problem",
				      "text", f->text);

		if (o == NULL)
			return -1;
		if (!f->ok && !f->skipped)
			json_object_set_new(o, "repairable",
					    json_boolean(f->repairable));
		if (f->advice != NULL)
			json_object_set_new(o, "advice",
					    json_string(f->advice));
		return json_array_append_new(d->findings, o) < 0 ? -1 : 0;
	}
	if (f->advice != NULL) {
		for (i = 0; i < d->nadvice; i++)
			if (strcmp(d->advice[i], f->advice) == 0)
				break;
		if (i == d->nadvice && i < ADVICE_MAX &&
		    (d->owned[i] = strdup(f->advice)) != NULL)
			d->advice[d->nadvice++] = d->owned[i];
	}
	if ((f->ok || f->skipped) && d->cli->quiet)
		return 0;
	printf("%s: %s%s\n", name, f->text,
	       f->repairable && !f->ok && !f->skipped ? " (repairable)" : "");
	return 0;
}

/* Ask on the terminal; 1 for yes.  A finding may stand for many rows
 * ("and N more"): the findings are counted. */
static int confirm(long findings)
{
	char line[64];

	fprintf(stderr,
		"remove the rows of the %ld repairable finding%s above? "
		"[y/N] ",
		findings, findings == 1 ? "" : "s");
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

/* "1 dependency row, 2 assignment rows" of what went. */
static void repaired_text(const struct hw_doctor_repaired *r, char *buf,
			  size_t size)
{
	const struct {
		long long n;
		const char *what;
	} part[] = {
	    {r->dependencies, "dependency"},
	    {r->assignments, "assignment"},
	    {r->factors, "asset_factor"},
	    {r->user_owns, "user_owns"},
	};
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof part / sizeof part[0]; i++) {
		if (part[i].n == 0 || len >= size)
			continue;
		len += (size_t)snprintf(
		    buf + len, size - len, "%s%lld %s row%s", len ? ", " : "",
		    part[i].n, part[i].what, part[i].n == 1 ? "" : "s");
	}
}

static int cmd_doctor_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"repair", no_argument, NULL, 'r'},
	    {"yes", no_argument, NULL, 'y'},
	    {"full", no_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct doctor d = {cli, NULL, {NULL}, {NULL}, 0};
	struct hw_doctor_result res = {0, 0};
	struct hw_doctor_repaired rep = {0, 0, 0, 0};
	struct hw_error err = {0};
	struct hw_store *st;
	int c, i, repair = 0, yes = 0, flags = 0, rc = 1, repaired = 0;
	char what[256];
	json_t *o;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'r')
			repair = 1;
		else if (c == 'y')
			yes = 1;
		else if (c == 'f')
			flags |= HW_DOCTOR_FULL;
		else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (yes && !repair)
		return cli_usage(cli, "--yes goes with --repair");
	if (cli->allow_shared)
		flags |= HW_OPEN_SHARED;
	if (cli->json && (d.findings = json_array()) == NULL)
		return cli_failf(cli, "out of memory");
	c = hw_doctor_check(cli->db_path, flags, print_finding, &d, &res, &err);
	if (c != 0) {
		if (c > 0 || err.code == HW_OK)
			hw_error_set(&err, HW_ENOMEM, "out of memory");
		cli_fail(cli, &err);
		goto out;
	}
	if (repair && res.repairable > 0) {
		if (!yes && !isatty(STDIN_FILENO)) {
			if (!cli->json)
				fflush(stdout);
			cli_failf(cli,
				  "--repair removes rows: confirm on a "
				  "terminal, or add --yes (nothing removed)");
			goto out;
		}
		if (yes || confirm(res.repairable)) {
			st = cli_store_open(cli, 0, &err);
			if (st == NULL ||
			    hw_doctor_repair(st, &rep, &err) < 0) {
				hw_store_close(st);
				cli_fail(cli, &err);
				goto out;
			}
			if (hw_store_close(st) < 0) {
				cli_failf(cli, "cannot close '%s'",
					  cli->db_path);
				goto out;
			}
			repaired = 1;
		}
	}
	rc = res.problems > (repaired ? res.repairable : 0);
	if (cli->json) {
		o = json_pack("{s:s,s:O,s:I,s:I}", "database", cli->db_path,
			      "findings", d.findings, "problems",
			      (json_int_t)res.problems, "repairable",
			      (json_int_t)res.repairable);
		if (o != NULL && repaired)
			json_object_set_new(
			    o, "repaired",
			    json_pack("{s:I,s:I,s:I,s:I}", "dependency",
				      (json_int_t)rep.dependencies,
				      "assignment", (json_int_t)rep.assignments,
				      "asset_factor", (json_int_t)rep.factors,
				      "user_owns", (json_int_t)rep.user_owns));
		if (cli_print_json(cli, o) != 0)
			rc = 1;
		goto out;
	}
	for (i = 0; i < d.nadvice; i++)
		printf("what to do: %s\n", d.advice[i]);
	if (res.problems == 0)
		printf("%s: no problems found\n", cli->db_path);
	else if (res.repairable == 0)
		printf("%s: %ld problem%s found\n", cli->db_path, res.problems,
		       res.problems == 1 ? "" : "s");
	else
		printf("%s: %ld problem%s found, %ld of them repairable%s\n",
		       cli->db_path, res.problems, res.problems == 1 ? "" : "s",
		       res.repairable,
		       repair ? "" : " with 'highwater doctor --repair'");
	if (repaired) {
		repaired_text(&rep, what, sizeof what);
		printf("repaired: removed %s whose parent row was gone (audit "
		       "record: repair database)\n",
		       what);
	} else if (repair && res.repairable > 0) {
		printf("nothing removed\n");
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_failf(cli, "cannot write the output");
out:
	json_decref(d.findings);
	for (i = 0; i < d.nadvice; i++)
		free(d.owned[i]);
	return rc;
}

const struct cmd_entry cmd_doctor_entry = {
    .name = "doctor",
    .usage = "[--full] [--repair [--yes]]",
    .summary = "Check the database: its pages, schema version, foreign "
	       "keys, values and audit trail; repair what loses nothing",
    .help =
	"Options:\n"
	"  --full      PRAGMA integrity_check (every index against its\n"
	"              table) instead of quick_check: ten times longer\n"
	"  --repair    remove the rows marked repairable (rows whose asset\n"
	"              or user is gone), once confirmed, in one transaction\n"
	"              with an audit record\n"
	"  --yes       confirm --repair without asking (for scripts)\n"
	"\nReads the file as it is, never writing to it (without --repair):\n"
	"a file the other commands refuse (not highwater's, of another\n"
	"schema version) is a finding.  One line a finding, 'CHECK: what',\n"
	"then what to do about those --repair cannot mend and a summary\n"
	"line.  Exit 0 when no problem is found, 1 otherwise.  --repair\n"
	"without --yes asks on a terminal and refuses without one.\n",
    .flags = CMD_STORE_NONE | CMD_DB_OWN,
    .exec = cmd_doctor_exec,
};

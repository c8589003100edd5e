/*
 * cmd-audit.c: "highwater audit log|verify|head": the hash-chained
 * audit trail read back, recomputed, and its newest hash printed to be
 * kept elsewhere.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* ------------------------------------------------------------------ */
/* audit log                                                           */

struct log {
	long long n;
};

/* A stored JSON text as a value (NULL: null). */
static json_t *text_json(const char *text)
{
	if (text == NULL)
		return json_null();
	return json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

/* A JSON value's text for one line: compact, cut at 60 bytes. */
static void short_text(const json_t *v, char *buf, size_t size)
{
	char *s =
	    v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)
	      : NULL;

	if (s == NULL)
		snprintf(buf, size, "(none)");
	else if (strlen(s) > 60)
		snprintf(buf, size, "%.57s...", s);
	else
		snprintf(buf, size, "%s", s);
	free(s);
}

/* The second line of an update: the members that changed, old -> new. */
static void print_changes(const char *before, const char *after)
{
	json_t *b = text_json(before), *a = text_json(after), *v;
	const char *key;
	char old[80], now[80];
	int any = 0;

	if (json_is_object(b) && json_is_object(a)) {
		json_object_foreach(b, key, v)
		{
			json_t *w = json_object_get(a, key);

			if (w != NULL && json_equal(v, w))
				continue;
			short_text(v, old, sizeof old);
			short_text(w, now, sizeof now);
			printf("%s %s: %s -> %s", any ? ";" : "   ", key, old,
			       now);
			any = 1;
		}
		json_object_foreach(a, key, v)
		{
			if (json_object_get(b, key) != NULL)
				continue;
			short_text(v, now, sizeof now);
			printf("%s %s: (none) -> %s", any ? ";" : "   ", key,
			       now);
			any = 1;
		}
	} else if (json_is_object(a) || json_is_object(b)) {
		short_text(json_is_object(a) ? a : b, now, sizeof now);
		printf("    %s", now);
		any = 1;
	}
	if (any)
		printf("\n");
	json_decref(a);
	json_decref(b);
}

static int log_text(const struct hw_audit_record *r, void *ctx)
{
	struct log *l = ctx;

	printf("%-6lld %s  %s  %s %s\n", r->seq, r->time, r->actor, r->action,
	       r->object);
	/* what changed; an add or remove of an inventory object shows
	 * no second line (audit log --json has it all) */
	if ((r->before != NULL && r->after != NULL) ||
	    strchr(r->object, ':') == NULL)
		print_changes(r->before, r->after);
	l->n++;
	return 0;
}

static int cmd_audit_log_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"since", required_argument, NULL, 's'},
	    {"actor", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_audit_filter f = {NULL, 0, NULL};
	struct hw_error err = {0};
	struct log l = {0};
	struct hw_jstream js;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 's') {
			if (hw_time_parse(optarg, &f.since, &err) < 0)
				return cli_usage(cli, "--since: %s", err.text);
		} else if (c == 'a') {
			f.actor = optarg;
		} else {
			return 2;
		}
	}
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	if (optind < argc)
		f.asset = argv[optind];
	if (f.asset != NULL && hw_audit_asset_known(cli->st, f.asset, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json) {
		hw_jstream_init(&js, stdout, HW_AUDIT_JSON_FLAGS);
		rc = hw_answer_audit(cli->st, &f, -1, &js, &err);
		/* a document cut short still ends: then say why */
		if (cli_jstream_end(cli, &js) != 0)
			return 1;
		return rc < 0 ? cli_fail(cli, &err) : 0;
	}
	if (hw_audit_each(cli->st, &f, log_text, &l, &err) < 0)
		return cli_fail(cli, &err);
	if (l.n == 0 && !cli->quiet)
		printf("no records%s%s\n", f.asset ? " of " : "",
		       f.asset ? f.asset : "");
	return 0;
}

const struct cmd_entry cmd_audit_log_entry = {
    .name = "audit log",
    .usage = "[ASSET] [--since TIME] [--actor NAME]",
    .summary = "The audit trail: who changed what, when, before and after",
    .help = "Options:\n"
	    "  --since TIME  records at or after TIME (ISO 8601 with Z or an\n"
	    "                offset; a bare date is 00:00Z)\n"
	    "  --actor NAME  records of this actor only\n"
	    "\nWith ASSET: the writes to the asset, to its information-type\n"
	    "assignments and to the dependencies it is either end of (kept\n"
	    "after the asset is removed).  One record a line: seq, time "
	    "(UTC),\nactor, action, object; an update adds a line with what "
	    "changed.\n--json gives {\"records\": [...]} with each record's "
	    "seq, time,\nactor, action, object, before, after, prev and "
	    "hash: enough to\nrecompute every hash (see 'audit verify').\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_audit_log_exec,
};

/* ------------------------------------------------------------------ */
/* audit verify                                                        */

/* HASH as 64 lower-case hex digits in out; 0, or -1. */
static int parse_hash(const char *s, char out[65])
{
	int i;

	if (strlen(s) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[64] = '\0';
	return 0;
}

static int cmd_audit_verify_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"expect", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_audit_verdict v;
	struct hw_error err = {0};
	char expect[65];
	int c, have_expect = 0;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'e')
			return 2;
		if (parse_hash(optarg, expect) < 0)
			return cli_usage(cli,
					 "--expect: '%s' is not a hash "
					 "(expected 64 hex digits, as 'audit "
					 "head' prints)",
					 optarg);
		have_expect = 1;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	cli_progress_begin(cli, "verifying");
	if (hw_audit_verify(cli->st, have_expect ? expect : NULL, &v,
			    cli->bar.on ? cli_progress : NULL, &cli->bar,
			    &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json) {
		json_t *o =
		    json_pack("{s:b,s:I,s:s}", "ok", v.broken == 0, "records",
			      (json_int_t)v.records, "head", v.head);

		if (o != NULL && v.broken != 0) {
			json_object_set_new(o, "broken",
					    json_integer(v.broken));
			json_object_set_new(o, "why", json_string(v.why));
		}
		if (cli_print_json(cli, o) != 0)
			return 1;
		return v.broken != 0;
	}
	if (v.broken != 0)
		return cli_failf(cli, "%s", v.why);
	if (!cli->quiet)
		printf("the audit trail holds: %lld record%s, head %s%s\n",
		       v.records, v.records == 1 ? "" : "s", v.head,
		       have_expect ? " (the kept hash is in the chain)" : "");
	return 0;
}

const struct cmd_entry cmd_audit_verify_entry = {
    .name = "audit verify",
    .usage = "[--expect HASH]",
    .summary = "Recompute the audit trail's hash chain; exit 1 on a break",
    .help = "Options:\n"
	    "  --expect HASH  a head hash kept elsewhere ('audit head'): it\n"
	    "                 must be the head or in the chain, else the\n"
	    "                 newest records were removed\n"
	    "\nEach record's hash is recomputed from its fields and the "
	    "previous\nrecord's hash (DESIGN.md \"Audit record\").  The "
	    "first broken record\nis named: edited, deleted, inserted or "
	    "reordered records break the\nchain.  Removing the newest "
	    "records leaves a chain that holds: only\na head kept elsewhere "
	    "(--expect) shows it.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_audit_verify_exec,
};

/* ------------------------------------------------------------------ */
/* audit head                                                          */

static int cmd_audit_head_exec(struct cli *cli, int argc, char **argv)
{
	struct hw_error err = {0};
	char hash[65];
	long long seq;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (hw_audit_head(cli->st, hash, &seq, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json)
		return cli_print_json(cli, json_pack("{s:s,s:I}", "head", hash,
						     "seq", (json_int_t)seq));
	printf("%s\n", hash);
	return 0;
}

const struct cmd_entry cmd_audit_head_entry = {
    .name = "audit head",
    .usage = "",
    .summary = "Print the audit trail's newest hash, to keep elsewhere",
    .help = "\nKeep it where the database's writers cannot rewrite it, "
	    "e.g. from cron:\n  highwater audit head >> "
	    "/secure/highwater-heads\nand check later with 'highwater audit "
	    "verify --expect HASH'.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_audit_head_exec,
};

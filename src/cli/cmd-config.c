/*
 * cmd-config.c: "highwater config [NAME [VALUE]]", the settings kept in
 * the database: the organisation's name and the change-route thresholds.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct setting {
	const char *name, *fallback, *about;
	int level; /* the value is a level */
} settings[] = {
    {"organisation", "", "the organisation's name, shown in reports", 0},
    {"route.full_cab", "high",
     "impact route: full-cab from this effective level up", 1},
    {"route.cab_review", "moderate",
     "impact route: cab-review from this effective level up", 1},
};

#define NSETTINGS (sizeof settings / sizeof settings[0])

static const struct setting *find(const char *name)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

/* The value now in force (a new string), or NULL after an error. */
static char *value_of(struct cli *cli, const struct setting *s)
{
	struct hw_error err = {0};
	char *v = NULL;

	if (hw_store_setting_get(cli->st, s->name, &v, &err) == 0)
		return v;
	if (err.code != HW_ENOTFOUND) {
		cli_fail(cli, &err);
		return NULL;
	}
	v = strdup(s->fallback);
	if (v == NULL)
		cli_failf(cli, "out of memory");
	return v;
}

static int set_value(struct cli *cli, const struct setting *s,
		     const char *value)
{
	struct hw_error err = {0};
	enum hw_level l, other;
	char *cur;

	if (s->level) {
		if (cli_level(cli, s->name, value, 0, &l))
			return 1;
		value = hw_level_name(l);
		/* full-cab must not be below cab-review. */
		cur = value_of(cli, find(strcmp(s->name, "route.full_cab") == 0
					     ? "route.cab_review"
					     : "route.full_cab"));
		if (cur == NULL)
			return 1;
		hw_level_parse(cur, 0, &other, NULL);
		free(cur);
		if ((strcmp(s->name, "route.full_cab") == 0 && l < other) ||
		    (strcmp(s->name, "route.cab_review") == 0 && l > other))
			return cli_failf(cli,
					 "%s: \"%s\" would put the full-CAB "
					 "threshold below the CAB-review one",
					 s->name, value);
	}
	if (hw_store_begin(cli->st, &err) < 0 ||
	    hw_store_setting_set(cli->st, s->name, value, &err) < 0 ||
	    hw_store_commit(cli->st, &err) < 0) {
		hw_store_rollback(cli->st);
		return cli_fail(cli, &err);
	}
	if (!cli->quiet && !cli->json)
		printf("%s = %s\n", s->name, value);
	return 0;
}

static int cmd_config_exec(struct cli *cli, int argc, char **argv)
{
	const struct setting *s;
	json_t *doc;
	size_t i;
	char *v;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 2 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (optind < argc) {
		s = find(argv[optind]);
		if (s == NULL) {
			cli_failf(cli, "unknown setting \"%s\" (expected "
				       "organisation, route.full_cab, "
				       "route.cab_review)",
				  argv[optind]);
			return 1;
		}
		if (optind + 1 < argc)
			return set_value(cli, s, argv[optind + 1]);
		if ((v = value_of(cli, s)) == NULL)
			return 1;
		if (cli->json)
			return cli_print_json(cli,
					      json_pack("{s:s}", s->name, v)),
			       free(v), 0;
		printf("%s\n", v);
		free(v);
		return 0;
	}
	doc = json_object();
	for (i = 0; i < NSETTINGS; i++) {
		if ((v = value_of(cli, &settings[i])) == NULL) {
			json_decref(doc);
			return 1;
		}
		if (cli->json)
			json_object_set_new(doc, settings[i].name,
					    json_string(v));
		else
			printf("%-18s %-12s %s\n", settings[i].name,
			       *v ? v : "(unset)", settings[i].about);
		free(v);
	}
	if (cli->json)
		return cli_print_json(cli, doc);
	json_decref(doc);
	return 0;
}

const struct cmd_entry cmd_config_entry = {
    .name = "config",
    .usage = "[NAME [VALUE]]",
    .summary = "Show or change settings (organisation, change-route "
	       "thresholds)",
    .help = "Settings:\n"
	    "  organisation       the organisation's name\n"
	    "  route.full_cab     level from which a change goes to the full "
	    "CAB\n"
	    "                     (default high)\n"
	    "  route.cab_review   level from which a change needs a CAB "
	    "review\n"
	    "                     (default moderate)\n"
	    "\nExample: highwater config route.cab_review low\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_config_exec,
};

/*
 * cmd-config.c: "highwater config [NAME [VALUE]]", the settings kept in
 * the database: the organisation's name and the change-route thresholds.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int set_value(struct cli *cli, const struct cli_setting *s,
		     const char *value)
{
	struct hw_error err = {0};
	enum hw_level l, other;

	if (strcmp(s->name, "change.self_approval") == 0 &&
	    strcmp(value, "allow") != 0 && strcmp(value, "refuse") != 0)
		return cli_failf(cli, "%s: \"%s\" (expected allow or refuse)",
				 s->name, value);
	if (s->level) {
		if (cli_level(cli, s->name, value, 0, &l))
			return 1;
		value = hw_level_name(l);
		/* full-cab must not be below cab-review. */
		if (cli_setting_level(cli,
				      strcmp(s->name, "route.full_cab") == 0
					  ? "route.cab_review"
					  : "route.full_cab",
				      &other))
			return 1;
		if ((strcmp(s->name, "route.full_cab") == 0 && l < other) ||
		    (strcmp(s->name, "route.cab_review") == 0 && l > other))
			return cli_failf(cli,
					 "%s: \"%s\" would put the full-CAB "
					 "threshold below the CAB-review one",
					 s->name, value);
	}
	if (cli_begin(cli) ||
	    cli_finish(cli,
		       hw_store_setting_set(cli->st, s->name, value, &err) == 0,
		       &err))
		return 1;
	if (!cli->quiet && !cli->json)
		printf("%s = %s\n", s->name, value);
	return 0;
}

/* All settings as one JSON object. */
static int print_json(struct cli *cli)
{
	json_t *doc = json_object();
	size_t i;
	char *v;

	for (i = 0; cli_settings[i].name != NULL; i++) {
		if ((v = cli_setting_value(cli, &cli_settings[i])) == NULL) {
			json_decref(doc);
			return 1;
		}
		json_object_set_new(doc, cli_settings[i].name, json_string(v));
		free(v);
	}
	return cli_print_json(cli, doc);
}

/* Name (as wide as the longest), value and what it is for, the value
 * column as wide as the
 * longest value up to VALUE_WIDTH; a longer value puts its description
 * on the next line rather than running into it. */
#define VALUE_WIDTH 30
static int print_table(struct cli *cli)
{
	char *v[16] = {NULL};
	size_t i, n, len, width = strlen("(unset)"), nw = 18;
	int rc = 0;

	for (n = 0; cli_settings[n].name != NULL && n < 16; n++) {
		if (strlen(cli_settings[n].name) > nw)
			nw = strlen(cli_settings[n].name);
		if ((v[n] = cli_setting_value(cli, &cli_settings[n])) == NULL) {
			rc = 1;
			goto out;
		}
		len = strlen(v[n]);
		if (len > width && len <= VALUE_WIDTH)
			width = len;
	}
	for (i = 0; i < n; i++) {
		const char *shown = *v[i] ? v[i] : "(unset)";

		if (strlen(shown) > width)
			printf("%-*s %s\n%-*s %-*s  %s\n", (int)nw,
			       cli_settings[i].name, shown, (int)nw, "",
			       (int)width, "", cli_settings[i].about);
		else
			printf("%-*s %-*s  %s\n", (int)nw,
			       cli_settings[i].name, (int)width, shown,
			       cli_settings[i].about);
	}
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	return rc;
}

static int cmd_config_exec(struct cli *cli, int argc, char **argv)
{
	const struct cli_setting *s;
	char *v;
	int c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 2 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (optind < argc) {
		s = cli_setting_find(argv[optind]);
		if (s == NULL) {
			cli_failf(cli, "unknown setting \"%s\" (expected "
				       "organisation, route.full_cab, "
				       "route.cab_review, "
				       "change.self_approval)",
				  argv[optind]);
			return 1;
		}
		if (optind + 1 < argc)
			return set_value(cli, s, argv[optind + 1]);
		if ((v = cli_setting_value(cli, s)) == NULL)
			return 1;
		if (cli->json)
			rc = cli_print_json(cli,
					    json_pack("{s:s}", s->name, v));
		else
			printf("%s\n", v);
		free(v);
		return rc;
	}
	return cli->json ? print_json(cli) : print_table(cli);
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
	    "  change.self_approval  allow or refuse (default): may a "
	    "change's\n"
	    "                     requester approve it\n"
	    "\nExample: highwater config route.cab_review low\n",
    .flags = CMD_STORE_READ, /* cli_begin reopens it to write */
    .exec = cmd_config_exec,
};

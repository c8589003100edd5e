/*
 * cmd-config.c: "highwater config [NAME [VALUE]]", the settings kept in
 * the database: the organisation's name and the change-route thresholds.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int set_value(struct cli *cli, const struct hw_setting *s,
		     const char *value)
{
	struct hw_error err = {0};
	char *v;

	if (cli_begin(cli) ||
	    cli_finish(cli,
		       hw_settings_write(cli->st, &s->name, &value, 1, NULL,
					 &err) == 0,
		       &err))
		return 1;
	if (cli->quiet || cli->json)
		return 0;
	/* the value as stored (a level lower-case) */
	if ((v = cli_setting_value(cli, s)) == NULL)
		return 1;
	printf("%s = %s\n", s->name, v);
	free(v);
	return 0;
}

/* All settings as one JSON object. */
static int print_json(struct cli *cli)
{
	struct hw_error err = {0};
	json_t *doc;

	if (hw_answer_settings(cli->st, &doc, &err) < 0)
		return cli_fail(cli, &err);
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

	for (n = 0; hw_settings[n].name != NULL && n < 16; n++) {
		if (strlen(hw_settings[n].name) > nw)
			nw = strlen(hw_settings[n].name);
		if ((v[n] = cli_setting_value(cli, &hw_settings[n])) == NULL) {
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
			       hw_settings[i].name, shown, (int)nw, "",
			       (int)width, "", hw_settings[i].about);
		else
			printf("%-*s %-*s  %s\n", (int)nw, hw_settings[i].name,
			       (int)width, shown, hw_settings[i].about);
	}
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	return rc;
}

static int cmd_config_exec(struct cli *cli, int argc, char **argv)
{
	const struct hw_setting *s;
	struct hw_error err = {0};
	char *v;
	int c, rc = 0;

	while ((c = cli_getopt(cli, argc, argv, "", NULL)) != -1)
		return 2;
	if (optind + 2 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 2]);
	if (optind < argc) {
		if ((s = hw_setting_find(argv[optind], &err)) == NULL)
			return cli_fail(cli, &err);
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

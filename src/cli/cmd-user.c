/*
 * cmd-user.c: "highwater user add|list|rm|token": the service's users,
 * their roles and owner values, and their API tokens, each shown once
 * (only a hash is kept).
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "cmd.h"

/* "a,b,c" split in place into list (at most max), *n of them; 2 after
 * the usage error for an empty item or too many. */
static int split_owns(struct cli *cli, char *text, char **list, size_t max,
		      size_t *n)
{
	char *p = text, *end;

	*n = 0;
	for (;;) {
		end = strchr(p, ',');
		if (end != NULL)
			*end = '\0';
		if (*p == '\0')
			return cli_usage(cli, "--owns: empty owner value");
		if (*n == max)
			return cli_usage(cli,
					 "--owns: more than %zu owner "
					 "values",
					 max);
		list[(*n)++] = p;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

/* The token of user name, shown once: text, or JSON with the user. */
static int print_token(struct cli *cli, const char *name, unsigned roles,
		       char **owns, size_t nowns, const char *token)
{
	if (cli->json) {
		struct hw_user u = {(char *)name, roles, owns, nowns, 0, 0};

		return cli_print_json(cli, hw_json_user_token(&u, token));
	}
	if (!cli->quiet)
		printf("the token of user '%s', shown only once (only its "
		       "hash is kept):\n",
		       name);
	printf("%s\n", token);
	return 0;
}

#define OWNS_MAX 100 /* the library's limit too */

static int cmd_user_add_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"role", required_argument, NULL, 'r'},
	    {"owns", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_error err = {0};
	struct hw_user u = {0};
	char token[HW_TOKEN_TEXT], *owns[OWNS_MAX], *owns_text = NULL;
	const char *name, *role = NULL;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'r')
			role = optarg;
		else if (c == 'o')
			owns_text = optarg;
		else
			return 2;
	}
	if ((rc = cli_operand(cli, argc, argv, "NAME", &name)) != 0)
		return rc;
	if (role == NULL)
		return cli_usage(cli, "missing --role");
	if (hw_role_parse(role, &u.roles, &err) < 0)
		return cli_usage(cli, "--role: %s", err.text);
	if (owns_text != NULL &&
	    (rc = split_owns(cli, owns_text, owns, OWNS_MAX, &u.nowns)) != 0)
		return rc;
	if ((u.roles & HW_ROLE_OWNER) && u.nowns == 0)
		return cli_usage(cli, "an owner needs --owns");
	u.name = (char *)name;
	u.owns = owns;
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_user_add(cli->st, &u, token, &err) == 0, &err))
		return 1;
	rc = print_token(cli, name, u.roles, owns, u.nowns, token);
	memset(token, 0, sizeof token);
	return rc;
}

const struct cmd_entry cmd_user_add_entry = {
    .name = "user add",
    .usage = "NAME --role ROLE[,ROLE] [--owns OWNER[,OWNER]]",
    .summary = "Add a user of the service; print its API token once",
    .help = "Options:\n"
	    "  --role ROLE[,ROLE]    owner, cab, manager, admin (required)\n"
	    "  --owns OWNER[,OWNER]  the owner values of the assets the "
	    "user answers\n"
	    "                        for (required with the owner role)\n"
	    "\nNAME is 1 to 64 of A-Z a-z 0-9 . _ @ -.  The token is "
	    "printed once,\n"
	    "on its own line after a line saying so (alone with --quiet); "
	    "only its\n"
	    "SHA-256 is stored.  A lost token is replaced with 'highwater "
	    "user token'.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_user_add_exec,
};

/* ------------------------------------------------------------------ */

struct list_ctx {
	struct table t;
};

static int list_one(const struct hw_user *u, void *ctx)
{
	struct list_ctx *c = ctx;
	char roles[HW_ROLE_TEXT], created[HW_TIME_TEXT], made[HW_TIME_TEXT];
	char *owns = NULL;
	size_t i, len = 0;
	int rc;

	for (i = 0; i < u->nowns; i++)
		len += strlen(u->owns[i]) + 1;
	if (len > 0) {
		if ((owns = malloc(len)) == NULL)
			return 1;
		owns[0] = '\0';
		for (i = 0; i < u->nowns; i++) {
			if (i > 0)
				strcat(owns, ",");
			strcat(owns, u->owns[i]);
		}
	}
	rc = table_add(&c->t, u->name, hw_role_text(u->roles, roles), owns,
		       hw_time_format(u->created, created),
		       hw_time_format(u->token_at, made));
	free(owns);
	return rc < 0;
}

static int cmd_user_list_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{NULL, 0, NULL, 0}};
	struct hw_error err = {0};
	struct list_ctx c = {0};
	json_t *doc;
	int ch, rc;

	while ((ch = cli_getopt(cli, argc, argv, "", opts)) != -1)
		return 2;
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if (cli->json) {
		if (hw_answer_users(cli->st, &doc, &err) < 0)
			return cli_fail(cli, &err);
		return cli_print_json(cli, doc);
	}
	c.t.ncols = 5;
	if (table_add(&c.t, "NAME", "ROLES", "OWNS", "CREATED",
		      "TOKEN MADE") < 0)
		return cli_failf(cli, "out of memory");
	rc = hw_user_each(cli->st, list_one, &c, &err);
	if (rc != 0) {
		table_release(&c.t);
		return rc > 0 ? cli_failf(cli, "out of memory")
			      : cli_fail(cli, &err);
	}
	if (c.t.nrows > 1)
		table_print(&c.t, stdout);
	else if (!cli->quiet)
		printf("no users\n");
	table_release(&c.t);
	return 0;
}

const struct cmd_entry cmd_user_list_entry = {
    .name = "user list",
    .usage = "",
    .summary = "List the users of the service, their roles and owner "
	       "values",
    .help = "Prints each user's name, roles, owner values, when it was "
	    "added and\n"
	    "when its current token was made; never a token or its hash.\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_user_list_exec,
};

/* ------------------------------------------------------------------ */

static int cmd_user_rm_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{NULL, 0, NULL, 0}};
	struct hw_error err = {0};
	const char *name;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1)
		return 2;
	if ((rc = cli_operand(cli, argc, argv, "NAME", &name)) != 0)
		return rc;
	if (cli_begin(cli) ||
	    cli_finish(cli, hw_user_remove(cli->st, name, &err) == 0, &err))
		return 1;
	if (cli->json)
		return cli_print_json(cli, json_pack("{ss}", "removed", name));
	if (!cli->quiet)
		printf("removed user '%s'\n", name);
	return 0;
}

const struct cmd_entry cmd_user_rm_entry = {
    .name = "user rm",
    .usage = "NAME",
    .summary = "Remove a user of the service (its token stops working)",
    .help = "The user's token stops working at once.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_user_rm_exec,
};

/* ------------------------------------------------------------------ */

static int cmd_user_token_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{NULL, 0, NULL, 0}};
	struct hw_error err = {0};
	struct hw_user u = {0};
	char token[HW_TOKEN_TEXT];
	const char *name;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1)
		return 2;
	if ((rc = cli_operand(cli, argc, argv, "NAME", &name)) != 0)
		return rc;
	if (cli_begin(cli) ||
	    cli_finish(cli,
		       hw_user_rotate(cli->st, name, token, &err) == 0 &&
			   hw_user_get(cli->st, name, &u, &err) == 0,
		       &err)) {
		hw_user_release(&u);
		return 1;
	}
	rc = print_token(cli, name, u.roles, u.owns, u.nowns, token);
	memset(token, 0, sizeof token);
	hw_user_release(&u);
	return rc;
}

const struct cmd_entry cmd_user_token_entry = {
    .name = "user token",
    .usage = "NAME",
    .summary = "Give a user a new API token (the old one stops working)",
    .help = "Prints the new token once, as 'user add' does; the old one "
	    "stops\n"
	    "working at once.\n",
    .flags = CMD_STORE_WRITE,
    .exec = cmd_user_token_exec,
};

/*
 * main.c: the highwater command.  Parses the global options, finds the
 * command in the table, opens the store as the command asks, runs it and
 * turns its result into the exit status (0 ok, 1 failure, 2 usage).
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "posture.h"

static const char global_usage[] =
    "usage: highwater [--db PATH] [--json] [--actor NAME] [--quiet]\n"
    "                 [--allow-shared] COMMAND [ARGS]\n"
    "       highwater help | --version\n";

static const char *default_actor(void)
{
	const char *a = getenv("HIGHWATER_ACTOR");
	struct passwd *pw;

	if (a != NULL && *a != '\0')
		return a;
	a = getlogin();
	if (a != NULL)
		return a;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

/* The entry named by argv[0] (and argv[1] for two-word commands); sets
 * *used to the number of words it took. */
static const struct cmd_entry *find_entry(int argc, char **argv, int *used)
{
	const struct cmd_entry *const *e;
	size_t n;

	for (e = cmd_table; *e != NULL; e++) {
		const char *name = (*e)->name, *sp = strchr(name, ' ');

		if (sp == NULL) {
			if (strcmp(name, argv[0]) == 0) {
				*used = 1;
				return *e;
			}
			continue;
		}
		n = (size_t)(sp - name);
		if (strncmp(name, argv[0], n) == 0 && argv[0][n] == '\0' &&
		    argc > 1 && strcmp(sp + 1, argv[1]) == 0) {
			*used = 2;
			return *e;
		}
	}
	return NULL;
}

/* Take the options every command accepts out of its arguments (up to a
 * "--"): --json, --quiet, --allow-shared, --db PATH; returns 1 if --help was
 * among them, -1 if --db lacks its value. */
static int strip_common(struct cli *cli, int *argc, char **argv)
{
	int i, j, help = 0, done = 0;

	for (i = j = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!done && strcmp(a, "--") == 0)
			done = 1;
		if (done) {
			argv[j++] = argv[i];
			continue;
		}
		if (strcmp(a, "--json") == 0)
			cli->json = 1;
		else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			cli->quiet = 1;
		else if (strcmp(a, "--allow-shared") == 0)
			cli->allow_shared = 1;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			help = 1;
		else if (strncmp(a, "--db=", 5) == 0)
			cli->db_path = a + 5;
		else if (strcmp(a, "--db") == 0) {
			if (i + 1 >= *argc)
				return -1;
			cli->db_path = argv[++i];
		} else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	*argc = j;
	return help;
}

/* The options before the command into cli; optind then points at the
 * command.  Returns -1 to go on, else the exit status (--version, a bad
 * option). */
static int global_options(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"json", no_argument, NULL, 'j'},
	    {"actor", required_argument, NULL, 'a'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"allow-shared", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	cli->db_path = getenv("HIGHWATER_DB");
	if (cli->db_path == NULL || *cli->db_path == '\0')
		cli->db_path = "highwater.db";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hqV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli->db_path = optarg;
			break;
		case 'j':
			cli->json = 1;
			break;
		case 'a':
			cli->actor = optarg;
			break;
		case 'q':
			cli->quiet = 1;
			break;
		case 's':
			cli->allow_shared = 1;
			break;
		case 'h':
			argv[optind - 1] = (char *)"help";
			optind--;
			return -1;
		case 'V':
			printf("highwater %s (schema %d)\n", PACKAGE_VERSION,
			       hw_store_schema_version());
			return fflush(stdout) == 0 ? 0 : 1;
		default:
			fprintf(stderr, "highwater: unknown option '%s'\n%s",
				argv[optind - 1], global_usage);
			return 2;
		}
	}
	return -1;
}

/* argv names no command: a group's subcommands (its help asked for, or
 * an unknown one), or an unknown command.  Returns the exit status. */
static int no_command(int argc, char **argv)
{
	if (!cli_is_group(cmd_table, argv[0])) {
		fprintf(stderr,
			"highwater: unknown command '%s' (see "
			"'highwater help')\n",
			argv[0]);
		return 2;
	}
	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cli_group_help(stdout, cmd_table, argv[0]);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	if (argc > 1)
		fprintf(stderr, "highwater: %s: unknown subcommand '%s'\n",
			argv[0], argv[1]);
	cli_group_help(stderr, cmd_table, argv[0]);
	return 2;
}

/* What the terminals allow: colour on stdout, progress on stderr
 * (no-color.org: a $NO_COLOR that is set and not empty turns colour
 * off). */
static void decide_terminal(struct cli *cli)
{
	const char *no_colour = getenv("NO_COLOR");

	cli->colour = !cli->json && isatty(STDOUT_FILENO) &&
		      (no_colour == NULL || *no_colour == '\0');
	cli->progress = !cli->json && !cli->quiet && isatty(STDERR_FILENO);
}

/* Run entry e on its arguments (argv[0] its last word): its common
 * options, the store opened as it asks, then exec.  Returns the exit
 * status. */
static int run_entry(struct cli *cli, const struct cmd_entry *e, int argc,
		     char **argv)
{
	struct hw_error err = {0};
	int rc;

	switch (strip_common(cli, &argc, argv)) {
	case 1:
		cli_help(e);
		return fflush(stdout) == 0 ? 0 : 1;
	case -1:
		return cli_usage(cli, "option '--db' needs a value");
	}
	decide_terminal(cli);
	if (e->flags & (CMD_STORE_READ | CMD_STORE_WRITE)) {
		char csv[4096];

		/* The change assessment counts control gaps with it. */
		if (cli_data_file("sp800-53b-baselines.csv", csv, sizeof csv))
			hw_posture_set_catalogue(csv);
		cli->st = cli_store_open(cli, !(e->flags & CMD_STORE_WRITE),
					 &err);
		if (cli->st == NULL)
			return cli_fail(cli, &err);
		cli->writable = (e->flags & CMD_STORE_WRITE) != 0;
		/* A read command reads one moment's inventory, not the
		 * assets before an import and the dependencies after it. */
		if (!cli->writable && hw_store_read_begin(cli->st, NULL,
							  &err) < 0) {
			hw_store_close(cli->st);
			cli->st = NULL;
			return cli_fail(cli, &err);
		}
	}
	optind = 0; /* the command parses its own options afresh */
	rc = e->exec(cli, argc, argv);
	cli_progress_end(&cli->bar);
	if (cli->st != NULL && !cli->writable)
		hw_store_read_end(cli->st);
	if (hw_store_close(cli->st) < 0 && rc == 0) {
		fprintf(stderr, "highwater: %s: cannot close the database\n",
			cli->name);
		rc = 1;
	}
	/* A command that failed has said why (a stream that could not be
	 * written among them): one message is enough. */
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
		fprintf(stderr, "highwater: %s: cannot write output\n",
			cli->name);
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	const struct cmd_entry *e;
	char name[64];
	int used = 0, rc;

	cli.name = "highwater";
	cli.table = cmd_table;
	if ((rc = global_options(&cli, argc, argv)) >= 0)
		return rc;
	if (cli.actor == NULL)
		cli.actor = default_actor();
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fputs(global_usage, stderr);
		fputs("Run 'highwater help' for the list of commands.\n",
		      stderr);
		return 2;
	}
	e = find_entry(argc, argv, &used);
	if (e == NULL)
		return no_command(argc, argv);
	snprintf(name, sizeof name, "%s", e->name);
	cli.name = name;
	cli.entry = e;
	return run_entry(&cli, e, argc - (used - 1), argv + (used - 1));
}

/*
 * cmd-serve.c: "highwater serve", the HTTP JSON API over the database
 * (src/serve): the options into struct hws_options, the shipped data
 * files found as the other commands find them, then hws_run until
 * SIGTERM.
 */
#include <stdio.h>

#include "cmd.h"
#include "posture.h"
#include "serve.h"

#define BODY_LIMIT_DEFAULT ((long)64 << 20)
#define BODY_LIMIT_MAX ((long)1 << 40)
#define SESSION_MAX (366L * 24 * 3600) /* seconds: a year */
#define WRITE_WAIT_MAX 3600L		/* seconds */

static int cmd_serve_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"insecure", no_argument, NULL, 'i'},
	    {"body-limit", required_argument, NULL, 'b'},
	    {"session-idle", required_argument, NULL, 'I'},
	    {"session-life", required_argument, NULL, 'L'},
	    {"write-wait", required_argument, NULL, 'w'},
	    {NULL, 0, NULL, 0},
	};
	struct hws_options o = {0};
	struct hw_error err = {0};
	char catalogue[4096], baselines[4096], openapi[4096], web[4096];
	long limit = BODY_LIMIT_DEFAULT, secs;
	int c, rc;

	o.listen = "127.0.0.1:8199";
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'l':
			o.listen = optarg;
			break;
		case 'c':
			o.cert = optarg;
			break;
		case 'k':
			o.key = optarg;
			break;
		case 'i':
			o.insecure = 1;
			break;
		case 'b':
			rc = cli_count(cli, "--body-limit", optarg,
				       BODY_LIMIT_MAX, &limit);
			if (rc != 0)
				return rc;
			if (limit == 0)
				return cli_usage(cli, "--body-limit must be "
						      "at least 1 byte");
			break;
		case 'I':
		case 'L':
			rc = cli_count(
			    cli, c == 'I' ? "--session-idle" : "--session-life",
			    optarg, SESSION_MAX, &secs);
			if (rc != 0)
				return rc;
			if (secs == 0)
				return cli_usage(cli, "a session lasts at "
						      "least 1 second");
			if (c == 'I')
				o.session_idle = (unsigned)secs;
			else
				o.session_life = (unsigned)secs;
			break;
		case 'w':
			rc = cli_count(cli, "--write-wait", optarg,
				       WRITE_WAIT_MAX, &secs);
			if (rc != 0)
				return rc;
			if (secs == 0)
				return cli_usage(cli, "--write-wait must be at "
						      "least 1 second");
			o.write_wait = (unsigned)secs;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	if ((o.cert == NULL) != (o.key == NULL))
		return cli_usage(cli, "--cert and --key go together");
	o.db_path = cli->db_path;
	o.allow_shared = cli->allow_shared;
	o.body_limit = (size_t)limit;
	o.catalogue_csv = cli_data_file("sp800-60-info-types.csv", catalogue,
					sizeof catalogue);
	o.baselines_csv = cli_data_file("sp800-53b-baselines.csv", baselines,
					sizeof baselines);
	/* change assess counts control gaps with it, as main sets it for
	 * the commands that open a store */
	if (o.baselines_csv != NULL)
		hw_posture_set_catalogue(o.baselines_csv);
	o.openapi_json = cli_data_file("openapi.json", openapi, sizeof openapi);
	o.web_dir = cli_data_file("web", web, sizeof web);
	o.log = stderr;
	o.quiet = cli->quiet;
	if (hws_run(&o, &err) < 0)
		return cli_fail(cli, &err);
	return 0;
}

const struct cmd_entry cmd_serve_entry = {
    .name = "serve",
    .usage = "[--listen ADDR:PORT] [--cert FILE --key FILE] [--insecure] "
	     "[--body-limit BYTES] [--session-idle SECONDS] "
	     "[--session-life SECONDS] [--write-wait SECONDS]",
    .summary = "Serve the database: a JSON API (/api/v1) and a web page",
    .help = "Options:\n"
	    "  --listen ADDR:PORT      where to listen: IPV4:PORT or "
	    "[IPV6]:PORT\n"
	    "                          (default 127.0.0.1:8199)\n"
	    "  --cert FILE             the TLS certificate (PEM): serve "
	    "HTTPS\n"
	    "  --key FILE              its private key (PEM)\n"
	    "  --insecure              allow an address other than loopback "
	    "without\n"
	    "                          TLS\n"
	    "  --body-limit BYTES      the largest request body (default "
	    "67108864):\n"
	    "                          past it 413\n"
	    "  --session-idle SECONDS  a session ends unused this long "
	    "(default 1800)\n"
	    "  --session-life SECONDS  a session ends this long after its "
	    "sign-in\n"
	    "                          (default 28800)\n"
	    "  --write-wait SECONDS    how long a write waits for the "
	    "database while\n"
	    "                          others write to it (an import from "
	    "the command\n"
	    "                          line): past it 503 with Retry-After "
	    "(default 30)\n"
	    "\nThe API needs a user's token (highwater user add) in "
	    "Authorization:\nBearer TOKEN, or a session (POST "
	    "/api/v1/session).  One line a request\ngoes to stderr "
	    "(time, user, method, path, status, milliseconds).\nReads run "
	    "side by side and never wait for a write; writes run one\n"
	    "at a time.  The whole graph stays in memory, loaded again "
	    "after a write\n(the service's or anybody's).  SIGTERM or "
	    "SIGINT stops it once the requests in\nflight are answered "
	    "(10 seconds at most).\n",
    .flags = CMD_STORE_NONE,
    .exec = cmd_serve_exec,
};

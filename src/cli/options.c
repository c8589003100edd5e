/*
 * options.c: the command line's option values, parsed one way for every
 * command: getopt with usage errors, levels, counts (--depth, --top) and
 * dates, the impact search's --types and --direction, under one
 * exit-code rule (options.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"

int cli_getopt(struct cli *cli, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts ? longopts : none,
			NULL);
	if (c == '?' || c == ':') {
		if (optopt != 0 && c == ':')
			cli_usage(cli, "option '-%c' needs a value", optopt);
		else if (c == ':' ||
			 (optopt != 0 && strchr(shortopts, optopt) != NULL))
			cli_usage(cli, "option '%s' needs a value",
				  argv[optind - 1]);
		else
			cli_usage(cli, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	return c;
}

int cli_level(struct cli *cli, const char *what, const char *value,
	      int allow_na, enum hw_level *out)
{
	struct hw_error err = {0};

	if (hw_level_parse(value, allow_na, out, &err) < 0) {
		cli_failf(cli, "%s: %s", what, err.text);
		return 1;
	}
	return 0;
}

int cli_count(struct cli *cli, const char *option, const char *value, long max,
	      long *out)
{
	struct hw_error err = {0};

	if (hw_count_parse(value, max, out, &err) < 0)
		return cli_usage(cli, "%s: %s", option, err.text);
	return 0;
}

int cli_today(struct cli *cli, const char *as_of, int32_t *out)
{
	struct hw_error err = {0};
	time_t now;
	struct tm tm;
	char buf[16];

	if (as_of != NULL) {
		if (hw_date_parse(as_of, out, &err) < 0)
			return cli_usage(cli, "--as-of: %s", err.text);
		return 0;
	}
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0 ||
	    hw_date_parse(buf, out, &err) < 0)
		return cli_failf(cli, "cannot tell today's date");
	return 0;
}

int cli_depth(struct cli *cli, const char *value, int *out)
{
	long v;
	int rc = cli_count(cli, "--depth", value, CLI_DEPTH_MAX, &v);

	if (rc == 0)
		*out = (int)v;
	return rc;
}

int cli_top(struct cli *cli, const char *value, long *out)
{
	return cli_count(cli, "--top", value, CLI_TOP_MAX, out);
}

int cli_mode(struct cli *cli, const char *value, unsigned *out)
{
	char *end;
	unsigned long m;

	if (value[0] < '0' || value[0] > '7' || strlen(value) > 4 ||
	    (m = strtoul(value, &end, 8), *end != '\0'))
		return cli_usage(cli,
				 "--mode: \"%.20s\" is not an octal mode "
				 "(expected 600, 640, 604 or 644)",
				 value);
	if ((m & 0600) != 0600 || (m & ~0644UL) != 0)
		return cli_usage(cli,
				 "--mode: %04lo: a report is read and written "
				 "by its owner and may be read by the group "
				 "and others, nothing more (expected 600, 640, "
				 "604 or 644)",
				 m);
	*out = (unsigned)m;
	return 0;
}

int cli_sc_level(struct cli *cli, int c, const char *value, int allow_na,
		 struct hw_sc *sc)
{
	static const char *const what[] = {"confidentiality", "integrity",
					   "availability"};
	int o = c == 'C' ? HW_C : c == 'I' ? HW_I : HW_A;

	return cli_level(cli, what[o], value, o == HW_C && allow_na, &sc->v[o]);
}

int cli_impact_types(struct cli *cli, const char *list, unsigned *mask)
{
	struct hw_error err = {0};

	if (hw_dep_types_parse(list, mask, &err) < 0)
		return cli_failf(cli, "--types: %s", err.text);
	if (*mask == 0)
		return cli_usage(cli, "--types: empty list (expected %s)",
				 hw_vocab_text(hw_dep_types));
	return 0;
}

int cli_impact_direction(struct cli *cli, const char *value,
			 enum hw_direction *d)
{
	struct hw_error err = {0};

	if (hw_direction_parse(value, d, &err) < 0)
		return cli_usage(cli, "--direction: %s", err.text);
	return 0;
}

int cli_operand(struct cli *cli, int argc, char **argv, const char *what,
		const char **out)
{
	if (optind >= argc)
		return cli_usage(cli, "missing %s", what);
	if (optind + 1 < argc)
		return cli_usage(cli, "unexpected argument '%s'",
				 argv[optind + 1]);
	*out = argv[optind];
	return 0;
}

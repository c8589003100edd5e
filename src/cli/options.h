/*
 * options.h: option values parsed one way for every command (options.c).
 * Included by cmd.h.
 *
 * Exit statuses follow one rule: 2 (usage) when a value does not parse
 * as its option's type (a number, a count, a date, one of the command
 * line's own fixed words such as up|down|both); 1 when a well-formed
 * value is refused by the data or the domain's vocabularies (a level,
 * an asset type, an unknown asset).  Each parser prints its error and
 * returns that status (0 when the value is good): a caller returns
 * what it got.
 */
#ifndef HW_CLI_OPTIONS_H
#define HW_CLI_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

#include "highwater.h"

struct cli;

/* getopt_long over argv with opterr off; unknown options and missing
 * arguments become usage errors.  Returns the option, -1 at the end, or
 * '?' after printing the error (the caller returns 2). */
int cli_getopt(struct cli *cli, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* A level option's value (a vocabulary: 1 when refused). */
int cli_level(struct cli *cli, const char *what, const char *value,
	      int allow_na, enum hw_level *out);

/* The level of --c, --i or --a (c is 'C', 'I' or 'A') into sc;
 * allow_na lets confidentiality be n/a (public information). */
int cli_sc_level(struct cli *cli, int c, const char *value, int allow_na,
		 struct hw_sc *sc);

/* The value of a count option (digits only, 0 to max) in *out; else
 * prints a usage error naming option and returns 2. */
int cli_count(struct cli *cli, const char *option, const char *value, long max,
	      long *out);

/* --depth (edges to follow) and --top (rows to show): counts. */
#define CLI_DEPTH_MAX HW_IMPACT_DEPTH_MAX
#define CLI_TOP_MAX HW_TOP_MAX
int cli_depth(struct cli *cli, const char *value, int *out);
int cli_top(struct cli *cli, const char *value, long *out);

/* --mode MODE (a report's permission bits, octal: 600, 640, 604 or 644,
 * a leading 0 allowed): the owner reads and writes, the group and others
 * may be let read, never write, run or set an id (a report anybody may
 * rewrite could be changed before the CAB reads it).  0, or prints a
 * usage error and returns 2. */
int cli_mode(struct cli *cli, const char *value, unsigned *out);

/* Today (UTC) as days since 1970, or the --as-of date when given;
 * prints the error and returns 2 when DATE is no date, 1 when today
 * cannot be told. */
int cli_today(struct cli *cli, const char *as_of, int32_t *out);

/* The impact search's options (impact, report change, graph). */
/* --types runs_on,uses: a mask of hw_dep_types bits into *mask; 0, 1
 * for an unknown type, 2 for an empty list (after printing why). */
int cli_impact_types(struct cli *cli, const char *list, unsigned *mask);

/* --direction up|down|both into *d; 0, or 2 after printing why. */
int cli_impact_direction(struct cli *cli, const char *value,
			 enum hw_direction *d);


/* After the options: exactly one operand (what names it in the usage
 * error) into *out; 0, or 2 after printing the usage error. */
int cli_operand(struct cli *cli, int argc, char **argv, const char *what,
		const char **out);

#endif

/*
 * impact-options.h: the impact search's options as the command line
 * gives them (--depth, --types, --direction), parsed once for every
 * command that takes them.
 */
#ifndef HW_CLI_IMPACT_OPTIONS_H
#define HW_CLI_IMPACT_OPTIONS_H

#include "cmd.h"

/* --depth N: a count from 0 to HW_IMPACT_DEPTH_MAX into *depth; 0, or
 * 2 after printing the usage error. */
int cli_impact_depth(struct cli *cli, const char *value, int *depth);

/* --types runs_on,uses: a mask of hw_dep_types bits into *mask; 0, 1
 * for an unknown type, 2 for an empty list (after printing why). */
int cli_impact_types(struct cli *cli, const char *list, unsigned *mask);

/* --direction up|down|both into *d; 0, or 2 after printing why. */
int cli_impact_direction(struct cli *cli, const char *value,
			 enum hw_direction *d);

/* "up", "down", "both". */
const char *cli_direction_name(enum hw_direction d);

#endif

/*
 * impact-options.c: the impact search's options as the command line
 * gives them (--depth, --types, --direction): one parse, one bound and
 * one message for "impact", "report change" and "graph".
 */
#include <stdlib.h>
#include <string.h>

#include "impact-options.h"

int cli_impact_depth(struct cli *cli, const char *value, int *depth)
{
	long v;

	if (cli_count(cli, "--depth", value, HW_IMPACT_DEPTH_MAX, &v))
		return 2;
	*depth = (int)v;
	return 0;
}

int cli_impact_types(struct cli *cli, const char *list, unsigned *mask)
{
	char *buf = strdup(list), *tok, *save = NULL;
	int i;

	if (buf == NULL)
		return cli_failf(cli, "out of memory");
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; hw_dep_types[i] != NULL; i++)
			if (strcmp(hw_dep_types[i], tok) == 0)
				break;
		if (hw_dep_types[i] == NULL) {
			cli_failf(cli,
				  "--types: unknown dependency type \"%.40s\" "
				  "(expected %s)",
				  tok, hw_vocab_text(hw_dep_types));
			free(buf);
			return 1;
		}
		*mask |= 1u << i;
	}
	free(buf);
	if (*mask == 0)
		return cli_usage(cli, "--types: empty list (expected %s)",
				 hw_vocab_text(hw_dep_types));
	return 0;
}

int cli_impact_direction(struct cli *cli, const char *value,
			 enum hw_direction *d)
{
	if (strcmp(value, "up") == 0)
		*d = HW_DIR_UP;
	else if (strcmp(value, "down") == 0)
		*d = HW_DIR_DOWN;
	else if (strcmp(value, "both") == 0)
		*d = HW_DIR_BOTH;
	else
		return cli_usage(cli,
				 "--direction: \"%s\" (expected up, down or "
				 "both)",
				 value);
	return 0;
}

const char *cli_direction_name(enum hw_direction d)
{
	return d == HW_DIR_UP ? "up" : d == HW_DIR_DOWN ? "down" : "both";
}

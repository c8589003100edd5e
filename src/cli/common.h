/*
 * common.h: data files, settings and writes, shared by the commands
 * (common.c).  Included by cmd.h.
 */
#ifndef HW_CLI_COMMON_H
#define HW_CLI_COMMON_H

#include <stddef.h>

#include "highwater.h"

struct cli;

/* Path of a shipped data file: $HIGHWATER_DATADIR, the installed data
 * folder, or the source tree's data/ folder, whichever has it. */
const char *cli_data_file(const char *name, char *buf, size_t size);

/* qsort comparator for an array of strings. */
int cli_strcmp(const void *a, const void *b);

/* The setting called name (the library's, settings.h), or NULL. */
const struct hw_setting *cli_setting_find(const char *name);

/* Its value in force (a new string), the default when unset; NULL
 * after printing an error. */
char *cli_setting_value(struct cli *cli, const struct hw_setting *s);

/* A level setting's value; prints the error and returns 1 on failure. */
int cli_setting_level(struct cli *cli, const char *name, enum hw_level *out);

/* Open the database for a command (read-only unless it writes), its
 * actor set, waiting for another process's write lock up to
 * $HIGHWATER_WAIT seconds (default 60), with a line on stderr once a
 * second has passed (not with --quiet).  NULL with err set. */
struct hw_store *cli_store_open(struct cli *cli, int readonly,
				struct hw_error *err);

/* A write is cli_begin, the library calls, then cli_finish with whether
 * they succeeded (their error in err): it commits, or rolls back and
 * prints err.  Both return 0, or the exit status 1 after an error. */
int cli_begin(struct cli *cli);
int cli_finish(struct cli *cli, int ok, struct hw_error *err);

#endif

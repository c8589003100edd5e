/*
 * output.h: what the commands print (output.c): messages, help, text
 * tables, JSON.  Included by cmd.h.
 */
#ifndef HW_CLI_OUTPUT_H
#define HW_CLI_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "highwater.h"
#include "answer.h"

struct cli;
struct cli_progress;
struct cmd_entry;

/* Print "highwater: NAME: [source line L column C: ]text"; returns 1. */
int cli_fail(struct cli *cli, const struct hw_error *err);

/* Print "highwater: NAME: message"; returns 1. */
int cli_failf(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A usage error: message plus a hint; returns 2. */
int cli_usage(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Help text fits this many columns. */
#define CLI_WIDTH 80

/* Print lead, then text's words, wrapped at CLI_WIDTH columns with
 * continuation lines indented by indent spaces, and a newline. */
void cli_wrap(FILE *f, const char *lead, int indent, const char *text);

/* "  name               summary", wrapped, for the lists of commands. */
void cli_summary_line(FILE *f, const struct cmd_entry *e);

/* Is word a command group ("asset") of the table rather than a command? */
int cli_is_group(const struct cmd_entry *const *table, const char *word);

/* Print a group's subcommands with their summaries on f. */
void cli_group_help(FILE *f, const struct cmd_entry *const *table,
		    const char *word);

/* Print the entry's --help text on stdout. */
void cli_help(const struct cmd_entry *e);

/* Level as lower-case text, or "-" for none. */
const char *cli_level_text(enum hw_level l);

/* How every --json document is written: indented, sorted keys, reals
 * to 12 digits. */
#define CLI_JSON_FLAGS \
	(JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12))

/* Write a JSON value (stolen) to stdout with sorted keys and a newline. */
int cli_print_json(struct cli *cli, json_t *json);

/* Start a document streamed to stdout as cli_print_json would write it
 * whole; end it after the last close (the newline, the flush): 0, or 1
 * after printing the stream's first error.  A document that failed
 * halfway is left open: no reader takes it for a whole one. */
void cli_jstream_begin(struct cli *cli, struct hw_jstream *js);
int cli_jstream_end(struct cli *cli, struct hw_jstream *js);

/* Risk factors as printed lines. */
void cli_print_factors(const struct hw_factors *f);

/* Own and effective categorization of graph node v (after
 * hw_graph_categorize), printed for people (answer.h has its JSON). */
void cli_print_categorization(const struct cli *cli, const struct hw_graph *g,
			      uint32_t v);

/* Levels in colour on a terminal (cli->colour): HIGH red, MODERATE
 * yellow, LOW green.  Print text on fp with its level words (high,
 * moderate, low, in upper or lower case, whole words: not within an id
 * such as "db-low-01") coloured, padded with spaces to width visible
 * columns (none when width is 0); without colour, exactly text padded
 * as "%-*s" would. */
void cli_put_levels(const struct cli *cli, FILE *fp, const char *text,
		    int width);
/* printf to stdout through cli_put_levels; returns what printf would. */
int cli_printf_levels(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Text tables: rows of text cells, printed with columns as wide as
 * their widest cell (the last column is not padded). */
#define TABLE_MAX_COLS 12
#define TABLE_COL(i) (1u << (i))

struct table {
	int ncols;   /* set before the first table_add */
	char ***rows; /* rows of ncols strings */
	size_t nrows, cap;
	unsigned levels; /* TABLE_COL(i): column i holds levels */
	int colour;	 /* cli->colour: print them in colour */
};

/* Add a row of ncols strings (NULL prints as "-"); -1 if out of memory. */
int table_add(struct table *t, ...);
void table_print(struct table *t, FILE *fp);
void table_release(struct table *t);

/* A progress bar on stderr, "LABEL [####....]  42%", for long work:
 * cli_progress_begin(cli, label) starts the clock on cli->bar; then
 * pass the library "cli->bar.on ? cli_progress : NULL" with ctx
 * &cli->bar.  Nothing is drawn unless cli->progress, nor before the
 * work has taken a second; (total, total) ends the line.
 * cli_progress_end ends a line left open (main calls it after every
 * command, cli_fail before its message). */
void cli_progress_begin(struct cli *cli, const char *label);
void cli_progress(long long done, long long total, void *bar);
void cli_progress_end(struct cli_progress *bar);

#endif

/*
 * cmd.h: what the command files share: the CLI state, the command table
 * entry, and helpers for options, errors and output.
 */
#ifndef HW_CMD_H
#define HW_CMD_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "highwater.h"

struct cli {
	const char *db_path; /* --db, $HIGHWATER_DB or ./highwater.db */
	const char *actor;   /* --actor, $HIGHWATER_ACTOR or login name */
	int json;	     /* --json: one JSON document on stdout */
	int quiet;	     /* --quiet: no progress, no chatter */
	const char *name;    /* the command's full name, for messages */
	const struct cmd_entry *entry;
	struct hw_store *st; /* opened by main as the entry's flags say */
	int writable;	     /* st was opened for writing */
};

/* Entry flags: how main opens the store before exec. */
#define CMD_STORE_NONE 0x0
#define CMD_STORE_READ 0x1
#define CMD_STORE_WRITE 0x2

struct cmd_entry {
	const char *name;    /* "asset add" */
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for "highwater help" */
	const char *help;    /* options, one per line, for --help */
	unsigned flags;
	int (*exec)(struct cli *, int argc, char **argv);
};

extern const struct cmd_entry *const cmd_table[];

/* Each command file defines its entries. */
extern const struct cmd_entry cmd_init_entry, cmd_upgrade_entry;
extern const struct cmd_entry cmd_asset_add_entry, cmd_asset_set_entry,
    cmd_asset_rm_entry, cmd_asset_show_entry, cmd_asset_list_entry;
extern const struct cmd_entry cmd_infotype_list_entry,
    cmd_infotype_add_entry, cmd_infotype_assign_entry;
extern const struct cmd_entry cmd_dep_add_entry, cmd_dep_rm_entry,
    cmd_dep_list_entry;
extern const struct cmd_entry cmd_categorize_entry, cmd_impact_entry,
    cmd_graph_entry, cmd_config_entry;
extern const struct cmd_entry cmd_risk_entry, cmd_plan_entry,
    cmd_check_entry;
extern const struct cmd_entry cmd_import_entry, cmd_export_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_report_plan_entry,
    cmd_report_change_entry, cmd_report_inventory_entry;

/* Print "highwater: NAME: [source line L column C: ]text"; returns 1. */
int cli_fail(struct cli *cli, const struct hw_error *err);

/* Print "highwater: NAME: message"; returns 1. */
int cli_failf(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A usage error: message plus a hint; returns 2. */
int cli_usage(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A write is cli_begin, the library calls, then cli_finish with whether
 * they succeeded (their error in err): it commits, or rolls back and
 * prints err.  Both return 0, or the exit status 1 after an error. */
int cli_begin(struct cli *cli);
int cli_finish(struct cli *cli, int ok, struct hw_error *err);

/* Help text fits this many columns. */
#define CLI_WIDTH 80

/* Print lead, then text's words, wrapped at CLI_WIDTH columns with
 * continuation lines indented by indent spaces, and a newline. */
void cli_wrap(FILE *f, const char *lead, int indent, const char *text);

/* "  name               summary", wrapped, for the lists of commands. */
void cli_summary_line(FILE *f, const struct cmd_entry *e);

/* Is word a command group ("asset") rather than a command? */
int cli_is_group(const char *word);

/* Print a group's subcommands with their summaries on f. */
void cli_group_help(FILE *f, const char *word);

/* Print the entry's --help text on stdout. */
void cli_help(const struct cmd_entry *e);

/* getopt_long over argv with opterr off; unknown options and missing
 * arguments become usage errors.  Returns the option, -1 at the end, or
 * '?' after printing the error (the caller returns 2). */
int cli_getopt(struct cli *cli, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Parse a level option value; prints the error.  Returns 0 or 1. */
int cli_level(struct cli *cli, const char *what, const char *value,
	      int allow_na, enum hw_level *out);

/* Level as lower-case text, or "-" for none. */
const char *cli_level_text(enum hw_level l);

/* Path of a shipped data file: $HIGHWATER_DATADIR, the installed data
 * folder, or the source tree's data/ folder, whichever has it. */
const char *cli_data_file(const char *name, char *buf, size_t size);

/* Write a JSON value (stolen) to stdout with sorted keys and a newline. */
int cli_print_json(struct cli *cli, json_t *json);
/* cli_print_json's flags, for a document streamed with hw_jstream. */
#define CLI_JSON_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12))

/* JSON forms (new references): a level (null for none), a triple, and
 * an asset with its own categorization. */
json_t *cli_level_json(enum hw_level l);
json_t *cli_sc_json(const struct hw_sc *sc);

/* Put "overall", "overall_exact", "baseline" and "baseline_exact" of sc
 * into o: the highest known level (null when none is) and whether it
 * is exact (false for a lower bound, partly categorized). */
void cli_overall_json(json_t *o, const struct hw_sc *sc);
json_t *cli_asset_json(const struct hw_asset *a);

/* Risk factors: a JSON object of those with data, or printed lines. */
json_t *cli_factors_json(const struct hw_factors *f);
void cli_print_factors(const struct hw_factors *f);

/* A risk register row as JSON (a new object). */
json_t *cli_risk_json(const struct hw_graph *g, const struct hw_risk_entry *e);

/* Exit statuses follow one rule: 2 (usage) when a value does not parse
 * as its option's type (a number, a count, a date, one of the command
 * line's own fixed words such as up|down|both); 1 when a well-formed
 * value is refused by the data or the domain's vocabularies (a level,
 * an asset type, an unknown asset). */

/* The value of a count option (digits only, 0 to max) in *out; else
 * prints a usage error naming option and returns 2. */
int cli_count(struct cli *cli, const char *option, const char *value,
	      long max, long *out);

/* Today (UTC) as days since 1970, or the --as-of date when given;
 * prints the error and returns 2 when DATE is no date, 1 when today
 * cannot be told. */
int cli_today(struct cli *cli, const char *as_of, int32_t *out);

/* Own and effective categorization of graph node v (after
 * hw_graph_categorize): printed for people, or as a new JSON object. */
void cli_print_categorization(const struct hw_graph *g, uint32_t v);
json_t *cli_categorization_json(const struct hw_graph *g, uint32_t v);
/* "a -> b -> c": a new string (NULL if out of memory). */
char *cli_path_string(const struct hw_graph *g, const uint32_t *path,
		      size_t len, const char *sep);
json_t *cli_path_json(const struct hw_graph *g, const uint32_t *path,
		      size_t len);

/* qsort comparator for an array of strings. */
int cli_strcmp(const void *a, const void *b);

/* Closure loads (one asset and its dependents) beyond this many assets
 * read the whole graph instead: a bulk scan is cheaper by then. */
#define CLI_CLOSURE_LIMIT 5000

/* Settings kept in the database; cli_settings ends with a NULL name. */
struct cli_setting {
	const char *name, *fallback, *about;
	int level; /* the value is a level */
};
extern const struct cli_setting cli_settings[];

/* The setting called name, or NULL. */
const struct cli_setting *cli_setting_find(const char *name);

/* Its value in force (a new string), the default when unset; NULL
 * after printing an error. */
char *cli_setting_value(struct cli *cli, const struct cli_setting *s);

/* A level setting's value; prints the error and returns 1 on failure. */
int cli_setting_level(struct cli *cli, const char *name, enum hw_level *out);

/* Workbooks (cmd-report.c).  Where one goes: file, else
 * reports/STEM-DAY.xlsx, DAY today's date unless given (YYYY-MM-DD;
 * may be NULL) (the folder made if need be); an
 * existing file is refused unless force, and so is a folder that is not
 * there.  Fills o from the settings (the organisation), the baselines
 * and change-controls files when baselines is set, and $HIGHWATER_XLSX_ROWS
 * (rows a worksheet holds, for tests).  Returns 0, or 1 after printing the
 * error; cli_report_release(o) in both cases. */
int cli_report_prepare(struct cli *cli, const char *file, const char *stem,
		       const char *day, int force, int baselines,
		       struct hw_report_opts *o, char *path, size_t size);
void cli_report_release(struct hw_report_opts *o);

/* Say where the workbook went: on stdout ("wrote ...", or JSON) when
 * it is the command's output, else on stderr unless --quiet.  Returns
 * 0, or 1 if stdout fails. */
int cli_report_done(struct cli *cli, const char *path,
		    const struct hw_report_info *info, int on_stdout);

/* cmd-impact.c: the impact command; with report_mode set, "report
 * change": -o FILE instead of --xlsx, and the workbook, not the table. */
int cli_impact_run(struct cli *cli, int argc, char **argv, int report_mode);

#define TABLE_MAX_COLS 12

struct table {
	int ncols;   /* set before the first table_add */
	char ***rows; /* rows of ncols strings */
	size_t nrows, cap;
};

/* Add a row of ncols strings (NULL prints as "-"); -1 if out of memory. */
int table_add(struct table *t, ...);
void table_print(struct table *t, FILE *fp);
void table_release(struct table *t);

#endif

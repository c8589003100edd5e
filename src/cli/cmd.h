/*
 * cmd.h: what a command is: the CLI state every command receives, the
 * command table entry and the entries of the command files.  It includes
 * the shared helpers' headers (output.h, options.h, common.h), so that
 * a command file includes cmd.h alone.
 */
#ifndef HW_CMD_H
#define HW_CMD_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "highwater.h"

struct cmd_entry;

/* A progress bar on stderr (output.c), drawn once its work has taken a
 * second. */
struct cli_progress {
	const char *label;     /* "exporting" */
	struct timespec start; /* when the work began (CLOCK_MONOTONIC) */
	int on;		       /* wanted: cli->progress at begin */
	int drawn;	       /* on screen, its line not yet ended */
	int pct;	       /* the percentage drawn */
};

struct cli {
	const char *db_path; /* --db, $HIGHWATER_DB or ./highwater.db */
	const char *actor;   /* --actor, $HIGHWATER_ACTOR or login name */
	int json;	     /* --json: one JSON document on stdout */
	int quiet;	     /* --quiet: no progress, no chatter */
	int allow_shared;    /* --allow-shared: a database others may
				write is used (HW_OPEN_SHARED) */
	const char *name;    /* the command's full name, for messages */
	const struct cmd_entry *entry;
	const struct cmd_entry *const *table; /* cmd_table, for help */
	struct hw_store *st; /* opened by main as the entry's flags say */
	int writable;	     /* st was opened for writing */
	/* Decided once by main, after the command's own options: */
	int colour;		 /* stdout a terminal, no $NO_COLOR, not --json:
				    levels in colour */
	int progress;		 /* stderr a terminal, not --quiet or --json */
	struct cli_progress bar; /* the command's long work, if any */
};

/* Entry flags: how main opens the store before exec. */
#define CMD_STORE_NONE 0x0
#define CMD_STORE_READ 0x1
#define CMD_STORE_WRITE 0x2
/* Opens the database (--db) itself: its help names --db. */
#define CMD_DB_OWN 0x4

struct cmd_entry {
	const char *name;    /* "asset add" */
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line for "highwater help" */
	const char *help;    /* options, one per line, for --help */
	unsigned flags;
	int (*exec)(struct cli *, int argc, char **argv);
};

/* cmd.c: every entry, NULL-terminated (main.c alone uses it). */
extern const struct cmd_entry *const cmd_table[];

/* Each command file defines its entries. */
extern const struct cmd_entry cmd_init_entry, cmd_upgrade_entry;
extern const struct cmd_entry cmd_doctor_entry;
extern const struct cmd_entry cmd_asset_add_entry, cmd_asset_set_entry,
    cmd_asset_rm_entry, cmd_asset_show_entry, cmd_asset_list_entry;
extern const struct cmd_entry cmd_asset_authorize_entry;
extern const struct cmd_entry cmd_infotype_list_entry,
    cmd_infotype_add_entry, cmd_infotype_assign_entry;
extern const struct cmd_entry cmd_dep_add_entry, cmd_dep_rm_entry,
    cmd_dep_list_entry;
extern const struct cmd_entry cmd_categorize_entry, cmd_impact_entry,
    cmd_graph_entry, cmd_config_entry;
extern const struct cmd_entry cmd_risk_entry, cmd_plan_entry,
    cmd_check_entry;
extern const struct cmd_entry cmd_import_entry, cmd_export_entry,
    cmd_backup_entry, cmd_copy_entry;
extern const struct cmd_entry cmd_baseline_save_entry,
    cmd_baseline_list_entry, cmd_baseline_diff_entry;
extern const struct cmd_entry cmd_help_entry;
/* cmd-serve.c: the HTTP service */
extern const struct cmd_entry cmd_serve_entry;
extern const struct cmd_entry cmd_change_new_entry, cmd_change_edit_entry,
    cmd_change_assess_entry, cmd_change_decide_entry,
    cmd_change_implement_entry, cmd_change_close_entry,
    cmd_change_cancel_entry, cmd_change_revert_entry, cmd_change_list_entry,
    cmd_change_show_entry;
extern const struct cmd_entry cmd_incident_add_entry,
    cmd_incident_resolve_entry, cmd_incident_list_entry;
extern const struct cmd_entry cmd_audit_log_entry, cmd_audit_verify_entry,
    cmd_audit_head_entry;
extern const struct cmd_entry cmd_user_add_entry, cmd_user_list_entry,
    cmd_user_rm_entry, cmd_user_token_entry;
extern const struct cmd_entry cmd_report_plan_entry,
    cmd_report_change_entry, cmd_report_inventory_entry;

/* cmd-import-oscal.c: import's --format oscal (cmd-import.c parses). */
int cmd_import_oscal(struct cli *cli, const char *file, const char *asset,
		     int dry);

#include "common.h"
#include "options.h"
#include "output.h"

/* Closure loads beyond this many assets read the whole graph instead
 * (answer.h). */
#define CLI_CLOSURE_LIMIT HW_CLOSURE_LIMIT

#include "workbook.h"

#endif

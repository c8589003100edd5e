/*
 * cmd.c: the command table, every entry in the order "highwater help"
 * lists them.  main.c looks commands up in it; the command files see it
 * through struct cli (cli->table), so that none of them depends on it.
 */
#include "cmd.h"

/*
 * cmd.c: the command table and the helpers every command uses for
 * options, error messages, levels, data files and JSON output.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_upgrade_entry,
	&cmd_doctor_entry,
	&cmd_asset_add_entry,
	&cmd_asset_set_entry,
	&cmd_asset_rm_entry,
	&cmd_asset_show_entry,
	&cmd_asset_list_entry,
	&cmd_asset_authorize_entry,
	&cmd_infotype_list_entry,
	&cmd_infotype_add_entry,
	&cmd_infotype_assign_entry,
	&cmd_dep_add_entry,
	&cmd_dep_rm_entry,
	&cmd_dep_list_entry,
	&cmd_categorize_entry,
	&cmd_impact_entry,
	&cmd_graph_entry,
	&cmd_config_entry,
	&cmd_risk_entry,
	&cmd_plan_entry,
	&cmd_check_entry,
	&cmd_import_entry,
	&cmd_export_entry,
	&cmd_backup_entry,
	&cmd_copy_entry,
	&cmd_incident_add_entry,
	&cmd_incident_resolve_entry,
	&cmd_incident_list_entry,
	&cmd_baseline_save_entry,
	&cmd_baseline_list_entry,
	&cmd_baseline_diff_entry,
	&cmd_audit_log_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_head_entry,
	&cmd_report_plan_entry,
	&cmd_report_change_entry,
	&cmd_report_inventory_entry,
	&cmd_change_new_entry,
	&cmd_change_edit_entry,
	&cmd_change_assess_entry,
	&cmd_change_decide_entry,
	&cmd_change_implement_entry,
	&cmd_change_close_entry,
	&cmd_change_cancel_entry,
	&cmd_change_revert_entry,
	&cmd_change_list_entry,
	&cmd_change_show_entry,
	&cmd_user_add_entry,
	&cmd_user_list_entry,
	&cmd_user_rm_entry,
	&cmd_user_token_entry,
	&cmd_serve_entry,
	&cmd_help_entry,
	NULL,
};

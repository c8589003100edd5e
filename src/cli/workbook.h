/*
 * workbook.h: where the CLI's workbooks go and how it says so: the
 * destination of report plan, report change, report inventory and
 * impact --xlsx, the options filled from the settings and data files.
 */
#ifndef HW_CLI_WORKBOOK_H
#define HW_CLI_WORKBOOK_H

#include "highwater.h"

struct cli;

/* Where a workbook goes: file, else
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

#endif

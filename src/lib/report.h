/*
 * report.h: the workbooks' public side: the options and results every
 * report shares (written by xlsx.c and the report-*.c files), and the
 * inventory workbook (report-inventory.c).  Included by highwater.h.
 */
#ifndef HW_REPORT_H
#define HW_REPORT_H

#include <stddef.h>
#include <time.h>

struct hw_store;
struct hw_error;

#define HW_XLSX_ROWS_MAX 1048576 /* rows in an Excel worksheet */

struct hw_report_opts {
	const char *organisation;  /* company property, page headers; may
				      be NULL */
	const char *baselines_csv; /* SP 800-53B baselines CSV (the change
				      report's Controls sheet) */
	const char *change_controls_csv; /* the controls a change engages
					    (control_id,engaged_by); NULL:
					    none */
	size_t row_limit;	   /* rows a worksheet holds, header row
				      included (2 to HW_XLSX_ROWS_MAX); 0
				      for HW_XLSX_ROWS_MAX.  A longer table
				      goes on in "NAME (2)" and so on */
	int force;		   /* replace an existing file */
	unsigned mode;		   /* the file's permission bits; 0 for
				      0600, owner-only */
	time_t now;		   /* the report's time; 0 for the clock */
	const char *database;	   /* named on a Summary; may be NULL */
	/* Told now and then the records written of about total, and
	 * (total, total) once the file is in place; may be NULL. */
	void (*progress)(long long done, long long total, void *);
	void *progress_ctx;
};

/* What was written. */
struct hw_report_info {
	size_t sheets;	 /* worksheets */
	size_t rows;	 /* records over all tables */
	char split[512]; /* which tables continue on further worksheets,
			    "" if none */
};

/* Write the inventory workbook: the four tables of table.h as sheets,
 * Assets, Assignments, Dependencies and Information types (the
 * organisation's own, as in the JSON export), one header row of the
 * table's columns and one record a row, so that each sheet saved as CSV
 * is that table's CSV file and the workbook imports back.  Same file
 * handling as hw_report_change. */
int hw_report_inventory(struct hw_store *st, const struct hw_report_opts *o,
			const char *path, struct hw_report_info *info,
			struct hw_error *err);

#endif

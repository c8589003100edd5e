/*
 * store-audit-upgrade.c: the audit trail of schema 5 into the rows of
 * schema 6 (the migration 5 -> 6, store.c): each record's time text as
 * microseconds, its prev left out (the row before holds it), and the
 * links of its assets' histories, which replace audit_asset's rows for
 * the records whose object names their assets.  The hashes are not
 * touched: a chain that verified before verifies after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" exactly (the only form written) into
 * microseconds; -1 if it is anything else. */
static int time_of(const char *text, long long *us)
{
	char sec[HW_TIME_TEXT], back[HW_TIME_TEXT];
	hw_time t;
	int i;

	if (text == NULL || strlen(text) != 27 || text[19] != '.' ||
	    text[26] != 'Z')
		return -1;
	for (i = 20; i < 26; i++)
		if (text[i] < '0' || text[i] > '9')
			return -1;
	memcpy(sec, text, 19);
	strcpy(sec + 19, "Z");
	if (hw_time_parse(sec, &t, NULL) < 0)
		return -1;
	*us = (long long)t * 1000000 + atoi(text + 20);
	return hwp_audit_time_text(*us, back) == 0 && strcmp(back, text) == 0
		   ? 0
		   : -1;
}

static int copy_record(struct hw_store *st, struct hwp_stmt *r, struct hwp_stmt *w,
		       struct hw_error *err)
{
	long long seq = hwp_col_int64(r, 0), us, link[2];
	const char *object = (const char *)hwp_col_text(r, 4);
	int i, rc;

	/* A time that is not as written (an edited record) keeps the
	 * database open: it becomes one no record has, which 'audit
	 * verify' reports as out of range at that record. */
	if (time_of((const char *)hwp_col_text(r, 1), &us) < 0)
		us = INT64_MIN;
	if (object == NULL)
		object = ""; /* NOT NULL: a crafted file; verify says so */
	if (hwp_audit_links(st, object, seq, link, err) < 0)
		return -1;
	hwp_reset(w);
	hwp_clear_bindings(w);
	hwp_bind_int64(w, 1, seq);
	hwp_bind_int64(w, 2, us);
	for (i = 2; i <= 7; i++)
		sqlite3_bind_value(w->lite, i + 1,
				   sqlite3_column_value(r->lite, i));
	for (i = 0; i < 2; i++)
		if (link[i] > 0)
			hwp_bind_int64(w, 9 + i, link[i]);
	rc = hwp_step(w);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err,
				      "cannot upgrade the audit trail");
	return hwp_audit_linked(st, object, seq, err);
}

int hwp_audit_upgrade(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *r = NULL, *w = NULL;
	int rc, ret = -1;

	/* a SQLite file's migration (a server's schema starts at 10) */
	if (st->db == NULL)
		return hw_error_set(err, HW_EINVAL,
				    "the audit trail's upgrade is SQLite's");
	if (hwp_prepare_raw(st, "SELECT seq, time, actor, action, object, "
			       "before, after, hash FROM audit ORDER BY seq", &r) != HWP_OK ||
	    hwp_prepare_raw(st, "INSERT INTO audit6 (" AUDIT_ROW_COLS ")"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			       " ?10)", &w) != HWP_OK) {
		hwp_db_error(st, err, "cannot upgrade the audit trail");
		goto out;
	}
	while ((rc = hwp_step(r)) == HWP_ROW)
		if (copy_record(st, r, w, err) < 0)
			goto out;
	if (rc != HWP_DONE) {
		hwp_step_error(st, rc, err, "cannot read the audit trail");
		goto out;
	}
	hwp_finalize(r);
	r = NULL;
	/* audit_asset keeps the rows the links do not give. */
	ret = hwp_exec_sql(st,
			   "DELETE FROM audit_asset WHERE seq NOT IN"
			   " (SELECT seq FROM audit6"
			   "  WHERE object GLOB 'information_type:*');"
			   "DROP TABLE audit;"
			   "ALTER TABLE audit6 RENAME TO audit;",
			   err);
out:
	hwp_finalize(r);
	hwp_finalize(w);
	return ret;
}

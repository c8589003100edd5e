/*
 * doctor.c: "highwater doctor" in the library: a database checked as
 * the input it is, read-only: the store's checks (store-doctor.c: the
 * file, its pages, its foreign keys), then the values the commands rely
 * on, read by the very loads the commands use, and the audit chain as
 * 'audit verify' walks it; each finding told as it is found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* Values: the loads themselves read everything                        */

struct counts {
	long assets, deps, types;
};

static int count_asset(const struct hw_asset *a, void *ctx)
{
	(void)a;
	((struct counts *)ctx)->assets++;
	return 0;
}

static int count_dep(const struct hw_dep *e, void *ctx)
{
	(void)e;
	((struct counts *)ctx)->deps++;
	return 0;
}

static int count_type(const struct hw_infotype *t, void *ctx)
{
	(void)t;
	((struct counts *)ctx)->types++;
	return 0;
}

static int any_row(void *ctx, const void *row)
{
	(void)ctx;
	(void)row;
	return 0;
}

static int any_user(const struct hw_user *u, void *ctx)
{
	(void)u;
	(void)ctx;
	return 0;
}

static int any_change(const struct hw_change *c, void *ctx)
{
	(void)c;
	(void)ctx;
	return 0;
}

static int any_incident(const struct hw_incident *i, void *ctx)
{
	(void)i;
	(void)ctx;
	return 0;
}

static int any_snapshot(const struct hw_snapshot *s, void *ctx)
{
	(void)s;
	(void)ctx;
	return 0;
}

/* What a load said of a value: its problem (0), or -1 when the load
 * failed for want of memory (a problem of this process, not of the
 * file).  "'DB' is damaged: " is left out: every line is of DB. */
static int value_problem(struct hwp_doctor *d, struct hw_error *e)
{
	const char *t = e->text, *p = strstr(t, " is damaged: ");

	if (e->code == HW_ENOMEM)
		return -1;
	if (p != NULL)
		t = p + strlen(" is damaged: ");
	/* a row whose parent is gone: said under foreign keys */
	if (d->fk_rows > 0 && (strstr(t, "which does not exist") != NULL ||
			       strstr(t, "which is not in table") != NULL)) {
		d->cut = 1;
		t = NULL;
	}
	if (t != NULL && strcmp(t, d->last) != 0) {
		snprintf(d->last, sizeof d->last, "%s", t);
		hwp_doctor_say(
		    d, HW_DOCTOR_VALUES, 0, 0,
		    "a value highwater never writes (another tool wrote it, "
		    "or damage): " HWP_DOCTOR_RESTORE,
		    "%s", t);
	}
	hw_error_clear(e);
	return 0;
}

static int check_values(struct hwp_doctor *d, struct hw_error *err)
{
	struct hw_store *st = d->st;
	struct counts n = {0, 0, 0};
	struct hw_error e = {0};
	struct hw_weights w;
	struct hw_graph *g;
	long before = d->res->problems;
	char uuid[HW_UUID_TEXT], *v, text[sizeof e.text];
	long long gen;
	enum hw_level l;
	size_t i, len;

#define LOAD(call)                                                             \
	do {                                                                   \
		if ((call) < 0 && value_problem(d, &e) < 0)                    \
			goto nomem;                                            \
	} while (0)
	LOAD(hw_store_asset_each(st, count_asset, &n, &e));
	LOAD(hw_store_dep_each(st, NULL, count_dep, &n, &e));
	/* the whole graph's load reads the same rows by number: what the
	 * two above found, it would say again in other words */
	if (d->res->problems == before && !d->cut) {
		g = hw_graph_load(st, &e);
		if (g == NULL && value_problem(d, &e) < 0)
			goto nomem;
		hw_graph_free(g);
	}
	LOAD(hw_store_infotype_each(st, NULL, -1, count_type, &n, &e));
	LOAD(hwp_scan_factors(st, any_row, NULL, &e));
	LOAD(hw_store_weights(st, &w, &e));
	for (i = 0; hw_settings[i].name != NULL; i++) {
		v = NULL;
		LOAD(hw_setting_value(st, &hw_settings[i], &v, &e));
		/* a value no write gives, which its reader takes for
		 * another (self-approval: anything but allow refuses) */
		if (v != NULL && !hw_settings[i].level &&
		    hw_setting_check(&hw_settings[i], v, &e) < 0) {
			/* "NAME: "x" (expected ...)" */
			len = strlen(hw_settings[i].name);
			snprintf(text, sizeof text, "%s",
				 strncmp(e.text, hw_settings[i].name, len) ==
					     0 &&
					 e.text[len] == ':'
				     ? e.text + len + 2
				     : e.text);
			hw_error_clear(&e);
			hw_error_set(&e, HW_EDAMAGED, "setting %s holds %s",
				     hw_settings[i].name, text);
			value_problem(d, &e);
		}
		free(v);
		if (hw_settings[i].level)
			LOAD(hw_setting_level(st, hw_settings[i].name, &l, &e));
	}
	LOAD(hw_store_database_id(st, uuid, &e));
	LOAD(hw_store_generation(st, &gen, &e));
	LOAD(hw_user_each(st, any_user, NULL, &e));
	LOAD(hw_store_change_each(st, NULL, 0, any_change, NULL, &e));
	LOAD(hw_store_incident_each(st, NULL, any_incident, NULL, &e));
	LOAD(hw_store_snapshot_each(st, any_snapshot, NULL, &e));
#undef LOAD
	if (d->cut)
		hwp_doctor_skipped(
		    d, HW_DOCTOR_VALUES,
		    "checked in part (a load stops at a row named under "
		    "foreign keys: run doctor again once they are "
		    "repaired)");
	else if (d->res->problems == before && d->last[0] == '\0')
		hwp_doctor_say(
		    d, HW_DOCTOR_VALUES, 1, 0, NULL,
		    "ok (%ld asset%s, %ld dependenc%s, %ld information "
		    "type%s, settings, weights and history read as the "
		    "commands read them)",
		    n.assets, n.assets == 1 ? "" : "s", n.deps,
		    n.deps == 1 ? "y" : "ies", n.types,
		    n.types == 1 ? "" : "s");
	return 0;
nomem:
	if (err != NULL)
		*err = e;
	return -1;
}

static void check_audit(struct hwp_doctor *d)
{
	struct hw_audit_verdict v;
	struct hw_error e = {0};
	const char *t, *p;

	if (hw_audit_verify(d->st, NULL, &v, NULL, NULL, &e) < 0) {
		p = strstr(e.text, " is damaged: ");
		t = p ? p + strlen(" is damaged: ") : e.text;
		hwp_doctor_say(
		    d, HW_DOCTOR_AUDIT, 0, 0,
		    "keep this file as evidence; " HWP_DOCTOR_RESTORE, "%s", t);
		return;
	}
	if (v.broken != 0) {
		hwp_doctor_say(
		    d, HW_DOCTOR_AUDIT, 0, 0,
		    "the trail was changed outside highwater: keep this file "
		    "as evidence; " HWP_DOCTOR_RESTORE,
		    "%s", v.why);
		return;
	}
	hwp_doctor_say(d, HW_DOCTOR_AUDIT, 1, 0, NULL,
		       "ok (%lld record%s, head %s: 'audit verify' agrees)",
		       v.records, v.records == 1 ? "" : "s", v.head);
}

int hw_doctor_check(const char *path, int flags,
		    int (*fn)(const struct hw_doctor_finding *, void *),
		    void *ctx, struct hw_doctor_result *out,
		    struct hw_error *err)
{
	struct hw_doctor_result res = {0, 0};
	struct hwp_doctor d;
	struct hw_error e = {0};
	long long version = 0;
	int pages_ok, schema_ok, code_ok, rc = 0;

	memset(&d, 0, sizeof d);
	d.fn = fn;
	d.ctx = ctx;
	d.res = &res;
	d.st = hw_store_open(
	    path, HW_OPEN_READONLY | HW_OPEN_AS_IS | (flags & HW_OPEN_SHARED),
	    &e);
	if (d.st == NULL) {
		if (e.code != HW_ENOTHW) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		hwp_doctor_say(&d, HW_DOCTOR_FILE, 0, 0,
			       "check the path (--db, $HIGHWATER_DB)",
			       "not a SQLite database, so not a highwater one");
		goto done;
	}
	if (!hwp_doctor_file(&d, &version))
		goto done;
	schema_ok = hwp_doctor_version(&d, version);
	/* a version out of range says the file is damaged already */
	code_ok = version < 1 || version > hw_store_schema_version() ||
		  hwp_doctor_code(&d, version);
	d.mendable = schema_ok && code_ok;
	pages_ok = hwp_doctor_integrity(&d, (flags & HW_DOCTOR_FULL) != 0);
	if (!pages_ok) {
		hwp_doctor_skipped(&d, HW_DOCTOR_FOREIGN_KEYS,
				   "not checked (the pages are damaged)");
		hwp_doctor_skipped(&d, HW_DOCTOR_VALUES,
				   "not checked (the pages are damaged)");
		hwp_doctor_skipped(&d, HW_DOCTOR_AUDIT,
				   "not checked (the pages are damaged)");
		goto done;
	}
	hwp_doctor_foreign_keys(&d);
	if (!schema_ok) {
		hwp_doctor_skipped(&d, HW_DOCTOR_VALUES,
				   "not checked (not this highwater's schema)");
		hwp_doctor_skipped(&d, HW_DOCTOR_AUDIT,
				   "not checked (not this highwater's schema)");
		goto done;
	}
	if (!d.stop && check_values(&d, err) < 0) {
		rc = -1;
		goto done;
	}
	if (!d.stop)
		check_audit(&d);
done:
	hw_store_close(d.st);
	if (rc == 0 && d.stop)
		rc = d.stop;
	if (rc == 0 && out != NULL)
		*out = res;
	return rc;
}

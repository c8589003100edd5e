/*
 * store-settings.c: small named values kept in the store: the
 * settings (the organisation's name, ...), the risk model's weights and
 * the database's own id, checked as they are read back.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Settings                                                            */

int hw_store_setting_get(struct hw_store *st, const char *name, char **out,
			 struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_SETTING_GET, err);
	char *v = NULL;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, name);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		v = hwp_col_dup(s, 0, &bad);
	hwp_reset(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no setting '%s'", name);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read setting");
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = v;
	return 0;
}

int hw_store_setting_set(struct hw_store *st, const char *name,
			 const char *value, struct hw_error *err)
{
	struct hw_error e = {0};
	struct hwp_stmt *s;
	char *old = NULL;
	int rc;

	if (hwp_audit_ready(st, "a setting's write", err) < 0 ||
	    hwp_text_check(value, name, err) < 0)
		return -1;
	if (hw_store_setting_get(st, name, &old, &e) < 0 &&
	    e.code != HW_ENOTFOUND) {
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	s = hwp_stmt(st, Q_SETTING_SET, err);
	if (s == NULL) {
		free(old);
		return -1;
	}
	hwp_bind_text(s, 1, name);
	hwp_bind_text(s, 2, value);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc != HWP_DONE) {
		free(old);
		return hwp_step_error(st, rc, err, "cannot save setting");
	}
	rc = hwp_audit_named(
	    st, "setting", name,
	    old ? json_pack("{s:s,s:s}", "name", name, "value", old) : NULL,
	    json_pack("{s:s,s:s}", "name", name, "value", value), err);
	free(old);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Risk weights                                                        */

int hw_store_weights(struct hw_store *st, struct hw_weights *out,
		     struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_WEIGHT_ALL, err);
	struct hw_weights w;
	int rc;

	if (s == NULL)
		return -1;
	hw_weights_default(&w);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *name = (const char *)hwp_col_text(s, 0);
		int i = name ? hw_weight_find(name) : -1;

		double v = hwp_col_double(s, 1);

		/* Names a newer version knows and we do not stay unused.
		 * Values index tables and divide: the range is checked
		 * (written the negated way, NaN fails too). */
		if (i < 0)
			continue;
		if (!(v >= hw_weight_defs[i].min &&
		      v <= hw_weight_defs[i].max)) {
			hwp_damaged(st, err, "risk_weight",
				    "%s = %g is out of range (expected %g to "
				    "%g)",
				    hw_weight_defs[i].name, v,
				    hw_weight_defs[i].min,
				    hw_weight_defs[i].max);
			hwp_reset(s);
			return -1;
		}
		w.v[i] = v;
	}
	hwp_reset(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read risk weights");
	if (!(w.v[HW_W_BAND_MODERATE] < w.v[HW_W_BAND_HIGH] &&
	      w.v[HW_W_BAND_HIGH] < w.v[HW_W_BAND_VERY_HIGH]))
		return hwp_damaged(st, err, "risk_weight",
				   "the bands do not rise (band.moderate %g, "
				   "band.high %g, band.very_high %g)",
				   w.v[HW_W_BAND_MODERATE], w.v[HW_W_BAND_HIGH],
				   w.v[HW_W_BAND_VERY_HIGH]);
	*out = w;
	return 0;
}

int hw_store_weight_set(struct hw_store *st, const char *name,
			const char *value, struct hw_error *err)
{
	struct hw_weights w;
	struct hwp_stmt *s;
	double was;
	int i, rc;

	if (hwp_audit_ready(st, "a weight's write", err) < 0 ||
	    hw_store_weights(st, &w, err) < 0)
		return -1;
	i = hw_weight_find(name);
	was = i >= 0 ? w.v[i] : 0;
	if (hw_weight_set(&w, name, value, err) < 0)
		return -1;
	s = hwp_stmt(st, Q_WEIGHT_SET, err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, name);
	hwp_bind_double(s, 2, w.v[i]);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot store weight");
	/* before: the weight in force (the default if none was stored) */
	return hwp_audit_named(
	    st, "weight", hw_weight_defs[i].name,
	    json_pack("{s:s,s:f}", "name", hw_weight_defs[i].name, "value",
		      was),
	    json_pack("{s:s,s:f}", "name", hw_weight_defs[i].name, "value",
		      w.v[i]),
	    err);
}

/* ------------------------------------------------------------------ */
/* The database's own id                                               */

int hwp_database_id_create(struct hw_store *st, struct hw_error *err)
{
	char id[HW_UUID_TEXT];
	struct hwp_stmt *s = NULL;
	int rc;

	if (hw_uuid_v4(id, err) < 0)
		return -1;
	if (hwp_prepare_raw(st, "INSERT INTO database_id (one, uuid) "
			       "VALUES (1, ?1) ON CONFLICT DO NOTHING", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot give the database its id");
	hwp_bind_text(s, 1, id);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err,
				      "cannot give the database its id");
	return 0;
}

int hw_store_database_id(struct hw_store *st, char out[HW_UUID_TEXT],
			 struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	const char *v = NULL;
	int rc, ok = 0;

	if (hwp_prepare_raw(st, "SELECT uuid FROM database_id WHERE one = 1", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read the database's id");
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		v = (const char *)hwp_col_text(s, 0);
		if (v != NULL && hw_uuid_valid(v)) {
			memcpy(out, v, HW_UUID_TEXT);
			ok = 1;
		} else {
			hwp_damaged(st, err, "database_id",
				    "the database's id \"%.40s\" is not a UUID",
				    v ? v : "");
		}
	}
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_step_error(st, rc, err,
				      "cannot read the database's id");
	if (rc == HWP_DONE)
		return hwp_damaged(st, err, "database_id",
				   "no database id (expected one UUID)");
	return ok ? 0 : -1;
}

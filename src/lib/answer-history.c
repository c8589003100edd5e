/*
 * answer-history.c: the JSON answers of the history, written once for
 * the CLI's --json and the service alike: changes (listed, one with its
 * stored assessment), incidents (listed, one just recorded with the
 * changes behind it), configuration baselines and the drift since one,
 * the audit trail, the settings and the risk model's weights.  What
 * grows with the history (changes, incidents, the trail, a drift) is
 * streamed.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hw-private.h"
/* after highwater.h */
#include "answer.h"
#include "change.h"

/* ------------------------------------------------------------------ */
/* Changes                                                             */

struct change_walk {
	struct hw_jstream *js;
	int state;
};

static int change_one(const struct hw_change *c, void *ctx)
{
	struct change_walk *w = ctx;

	if (w->state >= 0 && (int)c->state != w->state)
		return 0;
	return hw_jstream_put(w->js, NULL, hw_change_json(c)) < 0 ? 1 : 0;
}

int hw_answer_changes(struct hw_store *st, const struct hw_change_filter *f,
		      struct hw_jstream *js, struct hw_error *err)
{
	struct change_walk w = {js, f != NULL ? f->state : -1};
	int rc;

	hw_jstream_object(js, NULL);
	hw_jstream_array(js, "changes");
	rc = hw_store_change_each(st, f != NULL ? f->asset : NULL,
				  f != NULL && f->open_only, change_one, &w,
				  err);
	hw_jstream_close(js);
	hw_jstream_close(js);
	return rc < 0 ? -1 : 0;
}

int hw_answer_change(struct hw_store *st, long long n, json_t **out,
		     struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_change c = {0};
	json_t *doc, *a = NULL;
	char *text = NULL;

	if (hw_store_change_get(st, n, &c, err) < 0)
		return -1;
	if (hw_store_assessment_get(st, n, &text, &e) == 0) {
		a = json_loads(text, 0, NULL);
		free(text);
	} else if (e.code != HW_ENOTFOUND) {
		hw_change_release(&c);
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	doc = hw_change_json(&c);
	hw_change_release(&c);
	if (doc == NULL ||
	    (a != NULL && json_object_set_new(doc, "assessment", a) < 0)) {
		json_decref(doc);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	*out = doc;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Incidents                                                           */

json_t *hw_json_incident(const struct hw_incident *i)
{
	return hwp_incident_json(i);
}

struct incident_walk {
	struct hw_jstream *js;
	int open_only;
};

static int incident_one(const struct hw_incident *i, void *ctx)
{
	struct incident_walk *w = ctx;

	if (w->open_only && i->resolved)
		return 0;
	return hw_jstream_put(w->js, NULL, hw_json_incident(i)) < 0 ? 1 : 0;
}

int hw_answer_incidents(struct hw_store *st, const char *asset, int open_only,
			struct hw_jstream *js, struct hw_error *err)
{
	struct incident_walk w = {js, open_only};
	int rc;

	hw_jstream_object(js, NULL);
	hw_jstream_array(js, "incidents");
	rc = hw_store_incident_each(st, asset, incident_one, &w, err);
	hw_jstream_close(js);
	hw_jstream_close(js);
	return rc < 0 ? -1 : 0;
}

/* One change of first response: its targets split at ", ". */
static json_t *recent_json(const struct hw_recent_change *r)
{
	char id[HW_CHANGE_ID_TEXT], t[HW_TIME_TEXT];
	json_t *targets = json_array();
	const char *p = r->targets, *end;

	while (targets != NULL && p != NULL && *p != '\0') {
		end = strstr(p, ", ");
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && json_array_append_new(
				   targets, json_stringn(p, (size_t)(end - p))))
			break;
		p = *end ? end + 2 : end;
	}
	return json_pack("{sssssosssosi}", "id", hw_change_id(r->change, id),
			 "title", r->title, "implemented_by",
			 r->implemented_by ? json_string(r->implemented_by)
					   : json_null(),
			 "implemented_at", hw_time_format(r->implemented_at, t),
			 "targets", targets, "distance", r->distance);
}

json_t *hw_json_incident_recorded(const struct hw_incident *i,
				  const struct hw_recent_change *recent,
				  size_t n)
{
	json_t *arr = json_array();
	size_t k;

	for (k = 0; arr != NULL && k < n; k++)
		if (json_array_append_new(arr, recent_json(&recent[k])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	return json_pack("{soso}", "incident", hw_json_incident(i),
			 "recent_changes", arr);
}

/* ------------------------------------------------------------------ */
/* Baselines and drift                                                 */

json_t *hw_json_snapshot(const struct hw_snapshot *s)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "name", s->name,
			 "created", s->created, "actor", s->actor, "assets",
			 (json_int_t)s->assets, "dependencies",
			 (json_int_t)s->dependencies, "assignments",
			 (json_int_t)s->assignments);
}

static int snapshot_one(const struct hw_snapshot *s, void *ctx)
{
	return json_array_append_new(ctx, hw_json_snapshot(s)) != 0;
}

int hw_answer_baselines(struct hw_store *st, json_t **out, struct hw_error *err)
{
	json_t *arr = json_array();
	int rc;

	if (arr == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hw_store_snapshot_each(st, snapshot_one, arr, err);
	if (rc != 0) {
		json_decref(arr);
		return rc < 0 ? -1
			      : hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if ((*out = json_pack("{s:o}", "baselines", arr)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

struct drift_walk {
	struct hw_jstream *js;
	int section;	/* the array open, -1 before the first */
	json_t *counts; /* written between two arrays */
};

/* A field's value as JSON: numbers and booleans as such. */
static json_t *value_json(enum hw_drift_type type, const char *v)
{
	char *end;
	long long n;

	if (v == NULL)
		return json_null();
	if (type == HW_DRIFT_BOOL)
		return json_boolean(strcmp(v, "true") == 0);
	if (type == HW_DRIFT_NUMBER) {
		n = strtoll(v, &end, 10);
		if (*end == '\0' && end != v)
			return json_integer(n);
		return json_real(strtod(v, NULL));
	}
	return json_string(v);
}

static json_t *item_json(const struct hw_drift_item *it)
{
	json_t *o, *fields = json_object();
	size_t i;

	for (i = 0; fields != NULL && i < it->nfields; i++) {
		const struct hw_drift_field *f = &it->fields[i];

		if (json_object_set_new(
			fields, f->name,
			json_pack("{s:o, s:o}", "before",
				  value_json(f->type, f->before), "after",
				  value_json(f->type, f->after))) != 0) {
			json_decref(fields);
			return NULL;
		}
	}
	if (fields == NULL)
		return NULL;
	if (it->section == HW_DRIFT_ASSETS)
		o = json_pack("{s:s, s:s}", "id", it->id, "change",
			      hw_drift_kind_name(it->kind));
	else if (it->section == HW_DRIFT_DEPS)
		o = json_pack("{s:s, s:s, s:s}", "from", it->id, "to",
			      it->other, "change",
			      hw_drift_kind_name(it->kind));
	else
		o = json_pack("{s:s, s:s, s:s}", "asset", it->id,
			      "information_type", it->other, "change",
			      hw_drift_kind_name(it->kind));
	if (o == NULL || json_object_set_new(o, "fields", fields) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Close the arrays before section s and open those up to it; "counts"
 * comes between "assignments" and "dependencies" (sorted keys). */
static void drift_advance(struct drift_walk *d, int s)
{
	while (d->section < s) {
		if (d->section >= 0)
			hw_jstream_close(d->js);
		d->section++;
		if (d->section == HW_DRIFT_DEPS) {
			hw_jstream_put(d->js, "counts", d->counts);
			d->counts = NULL;
		}
		if (d->section < HW_DRIFT_SECTIONS)
			hw_jstream_array(d->js,
					 hw_drift_section_name(d->section));
	}
}

static json_t *counts_json(const struct hw_drift_counts *c)
{
	json_t *o = json_object(), *sect;
	int s, k;

	for (s = 0; o != NULL && s < HW_DRIFT_SECTIONS; s++) {
		if ((sect = json_object()) == NULL ||
		    json_object_set_new(o, hw_drift_section_name(s), sect)) {
			json_decref(o);
			return NULL;
		}
		for (k = s == HW_DRIFT_ASSETS ? 0 : 1; k < HW_DRIFT_KINDS; k++)
			json_object_set_new(sect, hw_drift_kind_name(k),
					    json_integer(c->n[s][k]));
	}
	return o;
}

static int drift_counted(const struct hw_drift_counts *c, void *ctx)
{
	struct drift_walk *d = ctx;

	if ((d->counts = counts_json(c)) == NULL)
		return 1;
	hw_jstream_object(d->js, NULL);
	d->section = -1;
	drift_advance(d, HW_DRIFT_ASSETS);
	return 0;
}

static int drift_item(const struct hw_drift_item *it, void *ctx)
{
	struct drift_walk *d = ctx;

	drift_advance(d, (int)it->section);
	return hw_jstream_put(d->js, NULL, item_json(it)) < 0 ? 1 : 0;
}

int hw_answer_drift(struct hw_store *st, const char *from, const char *to,
		    struct hw_jstream *js, struct hw_error *err)
{
	struct hw_snapshot a = {0}, b = {0};
	struct drift_walk d = {js, -1, NULL};
	int rc = -1;

	if (hw_store_snapshot_get(st, from, &a, err) < 0 ||
	    (to != NULL && hw_store_snapshot_get(st, to, &b, err) < 0))
		goto out;
	rc = hw_drift_run(st, from, to, drift_counted, drift_item, &d, err);
	if (rc > 0) {
		/* the stream's own failure is hw_jstream_end's to tell */
		rc = d.section < 0
			 ? hw_error_set(err, HW_ENOMEM, "out of memory")
			 : 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	drift_advance(&d, HW_DRIFT_SECTIONS);
	hw_jstream_put(js, "from", hw_json_snapshot(&a));
	hw_jstream_put(js, "to",
		       to != NULL ? hw_json_snapshot(&b) : json_null());
	hw_jstream_close(js);
out:
	json_decref(d.counts);
	hw_snapshot_release(&a);
	hw_snapshot_release(&b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The audit trail                                                     */

int hw_audit_asset_known(struct hw_store *st, const char *asset,
			 struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_asset a;
	char *by = NULL, *at = NULL;

	if (hw_store_asset_get(st, asset, &a, &e) == 0) {
		hw_asset_release(&a);
		return 0;
	}
	if (e.code != HW_ENOTFOUND) {
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	if (hw_audit_last(st, asset, &by, &at, err) < 0)
		return -1;
	free(at);
	if (by == NULL)
		return hw_error_set(err, HW_ENOTFOUND,
				    "unknown asset '%s' (not in the inventory, "
				    "and no record names it)",
				    asset);
	free(by);
	return 0;
}

/* A stored JSON text as a value (NULL: null). */
static json_t *text_json(const char *text)
{
	if (text == NULL)
		return json_null();
	return json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

struct audit_walk {
	struct hw_jstream *js;
	long long left; /* records still wanted; -1: all */
};

static int audit_one(const struct hw_audit_record *r, void *ctx)
{
	struct audit_walk *w = ctx;
	struct hw_jstream *js = w->js;

	if (w->left == 0)
		return 1;
	if (w->left > 0)
		w->left--;
	hw_jstream_object(js, NULL);
	/* keys in sorted order, as every --json document */
	hw_jstream_str(js, "action", r->action);
	hw_jstream_str(js, "actor", r->actor);
	hw_jstream_put(js, "after", text_json(r->after));
	hw_jstream_put(js, "before", text_json(r->before));
	hw_jstream_str(js, "hash", r->hash);
	hw_jstream_str(js, "object", r->object);
	if (r->prev[0] != '\0')
		hw_jstream_str(js, "prev", r->prev);
	else /* the record before is missing: 'audit verify' says so */
		hw_jstream_null(js, "prev");
	hw_jstream_int(js, "seq", r->seq);
	hw_jstream_str(js, "time", r->time);
	hw_jstream_close(js);
	return 0;
}

int hw_answer_audit(struct hw_store *st, const struct hw_audit_filter *f,
		    long long limit, struct hw_jstream *js,
		    struct hw_error *err)
{
	struct audit_walk w = {js, limit};
	int rc;

	if (f->asset != NULL && hw_audit_asset_known(st, f->asset, err) < 0)
		return -1;
	hw_jstream_object(js, NULL);
	hw_jstream_array(js, "records");
	rc = hw_audit_each(st, f, audit_one, &w, err);
	/* cut short by a failure, the document still ends: the caller
	 * says why */
	hw_jstream_close(js);
	hw_jstream_close(js);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Settings and weights                                                */

int hw_answer_settings(struct hw_store *st, json_t **out, struct hw_error *err)
{
	json_t *doc = json_object();
	const struct hw_setting *s;
	char *v;

	if (doc == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (s = hw_settings; s->name != NULL; s++) {
		if (hw_setting_value(st, s, &v, err) < 0) {
			json_decref(doc);
			return -1;
		}
		if (json_object_set_new(doc, s->name, json_string(v)) != 0) {
			free(v);
			json_decref(doc);
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		}
		free(v);
	}
	*out = doc;
	return 0;
}

json_t *hw_json_weights(const struct hw_weights *w)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; arr != NULL && i < HW_W_COUNT; i++) {
		const struct hw_weight_def *d = &hw_weight_defs[i];

		if (json_array_append_new(
			arr, json_pack("{s:s, s:f, s:f, s:f, s:f, s:s}", "name",
				       d->name, "value", w->v[i], "default",
				       d->fallback, "min", d->min, "max",
				       d->max, "about", d->about)) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return json_pack("{so}", "weights", arr);
}

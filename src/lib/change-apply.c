/*
 * change-apply.c: a change's proposed edits applied to the inventory
 * through the store's own writes (each audited by the store), and their
 * inverse from the undo texts the application left.
 *
 * An undo text is a JSON object:
 *   {"object": "asset:ID" | "dependency:FROM>TO",
 *    "before": the object before the edit (hwp_asset_json/hwp_dep_json)
 *              or null, "after": the object as the edit left it or null,
 *    and what the inverse needs beyond that:
 *    set:     "field", "old" (the value as text, "" for none) and, for a
 *             real-valued factor, "old_real" (exact);
 *    rm-dep:  "type", "carries" (the mask) of the removed dependency}.
 * A revert compares "after" with the object as it is now: a difference
 * means a later write touched it, and the revert is refused.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hw-private.h"
#include "posture.h"

/* ------------------------------------------------------------------ */
/* Naming an edit in messages                                          */

static void edit_label(const struct hw_change_edit *e, size_t i, char *buf,
		       size_t size)
{
	switch (e->kind) {
	case HW_EDIT_ADD_DEP:
		snprintf(buf, size, "edit %zu, add-dep %s,%s", i + 1,
			 e->dep.from, e->dep.to);
		break;
	case HW_EDIT_RM_DEP:
		snprintf(buf, size, "edit %zu, rm-dep %s,%s", i + 1,
			 e->dep.from, e->dep.to);
		break;
	case HW_EDIT_SET:
		snprintf(buf, size, "edit %zu, set %s,%s=%s", i + 1,
			 e->asset, e->field, e->value ? e->value : "");
		break;
	default:
		snprintf(buf, size, "edit %zu, add-asset %s", i + 1,
			 e->add.id ? e->add.id : "?");
		break;
	}
}

/* Prefix err's text with the edit's label. */
static int edit_fail(const struct hw_change_edit *e, size_t i,
		     struct hw_error *err)
{
	char label[300], text[sizeof err->text + sizeof label + 2];

	if (err == NULL)
		return -1;
	edit_label(e, i, label, sizeof label);
	snprintf(text, sizeof text, "%s: %s", label, err->text);
	text[sizeof err->text - 1] = '\0';
	memcpy(err->text, text, sizeof err->text);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Reading objects as they are now                                     */

struct dep_find {
	const char *from, *to;
	struct hw_dep dep; /* owned copy when found */
	int found;
};

static int find_dep(const struct hw_dep *d, void *ctx)
{
	struct dep_find *f = ctx;

	if (f->found || strcmp(d->from, f->from) || strcmp(d->to, f->to))
		return 0;
	f->dep.from = strdup(d->from);
	f->dep.to = strdup(d->to);
	f->dep.type = strdup(d->type);
	f->dep.carries = d->carries;
	f->found = 1;
	if (!f->dep.from || !f->dep.to || !f->dep.type)
		return -1;
	return 0;
}

static void dep_free(struct hw_dep *d)
{
	free(d->from);
	free(d->to);
	free(d->type);
	memset(d, 0, sizeof *d);
}

/* The dependency from>to as JSON now, json_null() when absent; NULL on
 * failure (err set).  found (may be NULL) receives the dependency. */
static json_t *dep_now(struct hw_store *st, const char *from, const char *to,
		       struct hw_dep *found, struct hw_error *err)
{
	struct dep_find f = {from, to, {0}, 0};
	json_t *j;

	if (hw_store_dep_each(st, from, find_dep, &f, err) != 0) {
		dep_free(&f.dep);
		if (err && err->code == HW_OK)
			hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	if (!f.found)
		return json_null();
	j = hwp_dep_json(&f.dep);
	if (found != NULL)
		*found = f.dep;
	else
		dep_free(&f.dep);
	if (j == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return j;
}

/* The asset id as JSON now, json_null() when absent; NULL on failure. */
static json_t *asset_now(struct hw_store *st, const char *id,
			 struct hw_error *err)
{
	struct hw_asset a = {0};
	struct hw_error e = {0};
	json_t *j;

	if (hw_store_asset_get(st, id, &a, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return json_null();
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return NULL;
	}
	j = hwp_asset_json(&a);
	hw_asset_release(&a);
	if (j == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return j;
}

/* ------------------------------------------------------------------ */
/* Applying one edit                                                   */

static const char *field_canonical(const char *f)
{
	if (strcmp(f, "c") == 0)
		return "confidentiality";
	if (strcmp(f, "i") == 0)
		return "integrity";
	if (strcmp(f, "a") == 0)
		return "availability";
	return f;
}

/* The value of field of a as hw_asset_set_field takes it ("" none). */
static const char *field_text(const struct hw_asset *a, const char *field,
			      char buf[32])
{
	int o;
	enum hw_factor k;

	field = field_canonical(field);
	buf[0] = '\0';
	if (strcmp(field, "name") == 0)
		return a->name ? a->name : "";
	if (strcmp(field, "type") == 0)
		return a->type ? a->type : "";
	if (strcmp(field, "owner") == 0)
		return a->owner ? a->owner : "";
	if (strcmp(field, "description") == 0)
		return a->description ? a->description : "";
	for (o = 0; o < HW_NOBJ; o++)
		if (strcmp(field, hw_objective_name(o)) == 0)
			return a->direct.v[o] == HW_LEVEL_NONE
				   ? ""
				   : hw_level_name(a->direct.v[o]);
	if (strcmp(field, "internet_facing") == 0)
		return a->internet_facing ? "yes" : "no";
	for (k = 0; k < HW_F_COUNT; k++)
		if (strcmp(field, hw_factor_name(k)) == 0)
			return hw_factor_text(&a->factors, k, buf);
	return buf;
}

/* json text of o (released), or NULL with err set. */
static char *undo_text(json_t *o, struct hw_error *err)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(o);
	if (s == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return s;
}

static json_t *undo_new(const char *kind, const char *id1, const char *id2,
			json_t *before, json_t *after)
{
	char object[2 * HW_ID_MAX + 32];
	json_t *o;

	if (id2 != NULL)
		snprintf(object, sizeof object, "%s:%s>%s", kind, id1, id2);
	else
		snprintf(object, sizeof object, "%s:%s", kind, id1);
	o = json_object();
	if (o == NULL || before == NULL || after == NULL ||
	    json_object_set_new(o, "object", json_string(object)) ||
	    json_object_set_new(o, "before", before) ||
	    json_object_set_new(o, "after", after)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int apply_add_dep(struct hw_store *st, const struct hw_change_edit *e,
			 json_t **undo, struct hw_error *err)
{
	struct hw_dep d = e->dep;

	if (d.type == NULL)
		d.type = (char *)"other";
	if (d.carries == 0)
		d.carries = HW_CARRY_ALL;
	if (hw_store_dep_add(st, &d, 0, err) < 0)
		return -1;
	if (undo != NULL)
		*undo = undo_new("dependency", d.from, d.to, json_null(),
				 hwp_dep_json(&d));
	return 0;
}

static int apply_rm_dep(struct hw_store *st, const struct hw_change_edit *e,
			json_t **undo, struct hw_error *err)
{
	struct hw_dep old = {0};
	json_t *before;

	before = dep_now(st, e->dep.from, e->dep.to, &old, err);
	if (before == NULL)
		return -1;
	if (json_is_null(before)) {
		json_decref(before);
		return hw_error_set(err, HW_ENOTFOUND,
				    "'%s' does not depend on '%s'", e->dep.from,
				    e->dep.to);
	}
	if (hw_store_dep_delete(st, e->dep.from, e->dep.to, err) < 0) {
		json_decref(before);
		dep_free(&old);
		return -1;
	}
	if (undo != NULL) {
		*undo = undo_new("dependency", e->dep.from, e->dep.to, before,
				 json_null());
		if (*undo &&
		    (json_object_set_new(*undo, "type", json_string(old.type)) ||
		     json_object_set_new(*undo, "carries",
					 json_integer(old.carries)))) {
			json_decref(*undo);
			*undo = NULL;
		}
	} else {
		json_decref(before);
	}
	dep_free(&old);
	return 0;
}

static int apply_set(struct hw_store *st, const struct hw_change_edit *e,
		     json_t **undo, struct hw_error *err)
{
	struct hw_asset a = {0};
	json_t *before = NULL, *o = NULL;
	char buf[32];
	const char *field = field_canonical(e->field);
	int rc = -1;

	if (hw_store_asset_get(st, e->asset, &a, err) < 0)
		return -1;
	if (undo != NULL) {
		before = hwp_asset_json(&a);
		o = json_object();
		if (before == NULL || o == NULL ||
		    json_object_set_new(o, "field", json_string(field)) ||
		    json_object_set_new(o, "old",
					json_string(field_text(&a, field, buf))))
			goto nomem;
		if (strcmp(field, "worst_cvss") == 0 &&
		    (a.factors.known & HW_F_BIT(HW_F_WORST_CVSS)))
			json_object_set_new(o, "old_real",
					    json_real(a.factors.worst_cvss));
		if (strcmp(field, "downtime_cost") == 0 &&
		    (a.factors.known & HW_F_BIT(HW_F_DOWNTIME_COST)))
			json_object_set_new(o, "old_real",
					    json_real(a.factors.downtime_cost));
	}
	if (hw_asset_set_field(&a, e->field, e->value ? e->value : "", err) <
		0 ||
	    hw_store_asset_put(st, &a, 1, err) < 0)
		goto out;
	if (undo != NULL) {
		json_t *u = undo_new("asset", a.id, NULL, before,
				     hwp_asset_json(&a));

		before = NULL;
		if (u == NULL || json_object_update(u, o) != 0) {
			json_decref(u);
			goto nomem;
		}
		*undo = u;
	}
	rc = 0;
	goto out;
nomem:
	hw_error_set(err, HW_ENOMEM, "out of memory");
out:
	json_decref(before);
	json_decref(o);
	hw_asset_release(&a);
	return rc;
}

static int apply_add_asset(struct hw_store *st, const struct hw_change_edit *e,
			   json_t **undo, struct hw_error *err)
{
	if (hw_store_asset_put(st, &e->add, 0, err) < 0)
		return -1;
	if (undo != NULL)
		*undo = undo_new("asset", e->add.id, NULL, json_null(),
				 asset_now(st, e->add.id, err));
	return 0;
}

int hw_change_apply(struct hw_store *st, const struct hw_change *c,
		    char **undo, struct hw_error *err)
{
	size_t i, j;

	for (i = 0; i < c->nedits; i++) {
		const struct hw_change_edit *e = &c->edits[i];
		json_t *u = NULL, **up = undo ? &u : NULL;
		int rc;

		switch (e->kind) {
		case HW_EDIT_ADD_DEP:
			rc = apply_add_dep(st, e, up, err);
			break;
		case HW_EDIT_RM_DEP:
			rc = apply_rm_dep(st, e, up, err);
			break;
		case HW_EDIT_SET:
			rc = apply_set(st, e, up, err);
			break;
		case HW_EDIT_ADD_ASSET:
			rc = apply_add_asset(st, e, up, err);
			break;
		default:
			rc = hw_error_set(err, HW_EINVAL, "unknown edit kind");
			break;
		}
		if (rc == 0 && undo != NULL) {
			if (u == NULL)
				hw_error_set(err, HW_ENOMEM, "out of memory");
			undo[i] = u ? undo_text(u, err) : NULL;
			if (undo[i] == NULL)
				rc = -1;
		}
		if (rc < 0) {
			if (undo != NULL)
				for (j = 0; j < i; j++) {
					free(undo[j]);
					undo[j] = NULL;
				}
			return edit_fail(e, i, err);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The inverse                                                         */

/* The object an undo text names, as it is now; NULL on failure. */
static json_t *object_now(struct hw_store *st, const char *object,
			  struct hw_error *err)
{
	char buf[2 * HW_ID_MAX + 32], *gt;

	if (strncmp(object, "asset:", 6) == 0)
		return asset_now(st, object + 6, err);
	if (strncmp(object, "dependency:", 11) == 0 &&
	    strlen(object + 11) < sizeof buf &&
	    (gt = strchr(strcpy(buf, object + 11), '>')) != NULL) {
		*gt = '\0';
		return dep_now(st, buf, gt + 1, NULL, err);
	}
	return NULL;
}

/* Parse undo text i: its object JSON in *o. */
static int undo_parse(const char *text, size_t i, json_t **o,
		      struct hw_error *err)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	if (j == NULL || !json_is_object(j) ||
	    !json_is_string(json_object_get(j, "object")) ||
	    json_object_get(j, "before") == NULL ||
	    json_object_get(j, "after") == NULL) {
		json_decref(j);
		return hw_error_set(err, HW_EDAMAGED,
				    "edit %zu: its undo text is not what "
				    "hw_change_apply writes",
				    i + 1);
	}
	*o = j;
	return 0;
}

static int unapply_one(struct hw_store *st, const struct hw_change_edit *e,
		       json_t *u, struct hw_error *err)
{
	struct hw_asset a = {0};
	struct hw_dep d = e->dep;
	const char *field, *old;
	json_t *real;
	int rc;

	switch (e->kind) {
	case HW_EDIT_ADD_DEP:
		return hw_store_dep_delete(st, e->dep.from, e->dep.to, err);
	case HW_EDIT_RM_DEP:
		d.type = (char *)json_string_value(json_object_get(u, "type"));
		d.carries = (unsigned)json_integer_value(
		    json_object_get(u, "carries"));
		if (d.type == NULL)
			return hw_error_set(err, HW_EDAMAGED,
					    "the undo text of rm-dep %s,%s "
					    "has no type",
					    d.from, d.to);
		return hw_store_dep_add(st, &d, 0, err);
	case HW_EDIT_SET:
		field = json_string_value(json_object_get(u, "field"));
		old = json_string_value(json_object_get(u, "old"));
		if (field == NULL || old == NULL)
			return hw_error_set(err, HW_EDAMAGED,
					    "the undo text of set %s,%s has "
					    "no old value",
					    e->asset, e->field);
		if (hw_store_asset_get(st, e->asset, &a, err) < 0)
			return -1;
		rc = hw_asset_set_field(&a, field, old, err);
		real = json_object_get(u, "old_real");
		if (rc == 0 && json_is_real(real)) {
			if (strcmp(field, "worst_cvss") == 0)
				a.factors.worst_cvss = json_real_value(real);
			else
				a.factors.downtime_cost = json_real_value(real);
		}
		if (rc == 0)
			rc = hw_store_asset_put(st, &a, 1, err);
		hw_asset_release(&a);
		return rc;
	case HW_EDIT_ADD_ASSET:
		return hw_store_asset_delete(st, e->add.id, 0, err);
	default:
		return hw_error_set(err, HW_EINVAL, "unknown edit kind");
	}
}

int hw_change_unapply(struct hw_store *st, const struct hw_change *c,
		      char *const *undo, struct hw_error *err)
{
	json_t **u;
	char changed[sizeof err->text] = "";
	size_t i, n = 0, len = 0;
	int rc = 0;

	if (c->nedits == 0)
		return 0;
	if (undo == NULL)
		return hw_error_set(err, HW_EINVAL, "no undo texts");
	u = calloc(c->nedits, sizeof *u);
	if (u == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < c->nedits && rc == 0; i++)
		rc = undo_parse(undo[i], i, &u[i], err);
	/* Every object must still be as the implementation left it: as
	 * the last edit of it left it (one object may be edited twice). */
	for (i = c->nedits; i-- > 0 && rc == 0;) {
		const char *object =
		    json_string_value(json_object_get(u[i], "object"));
		json_t *now;
		size_t k;
		int later = 0;

		for (k = i + 1; k < c->nedits; k++)
			if (strcmp(object, json_string_value(json_object_get(
						   u[k], "object"))) == 0)
				later = 1;
		if (later)
			continue;
		now = object_now(st, object, err);
		if (now == NULL) {
			if (err == NULL || err->code == HW_OK)
				hw_error_set(err, HW_EDAMAGED,
					     "edit %zu: bad object \"%s\"",
					     i + 1, object);
			rc = -1;
			break;
		}
		if (!json_equal(now, json_object_get(u[i], "after"))) {
			n++;
			if (len < sizeof changed)
				len += (size_t)snprintf(
				    changed + len, sizeof changed - len,
				    "%s%s", n > 1 ? ", " : "", object);
		}
		json_decref(now);
	}
	if (rc == 0 && n > 0)
		rc = hw_error_set(err, HW_EREFUSED,
				  "later writes changed %s since the change "
				  "was implemented: revert it by hand",
				  changed);
	for (i = c->nedits; i-- > 0 && rc == 0;)
		if (unapply_one(st, &c->edits[i], u[i], err) < 0)
			rc = edit_fail(&c->edits[i], i, err);
	for (i = 0; i < c->nedits; i++)
		json_decref(u[i]);
	free(u);
	return rc;
}

/*
 * history-json.c: history records as JSON values: a change with its
 * proposed edits, one edit, an incident.  The shapes the inventory
 * format's changes and incidents sections, the audit trail's before and
 * after, and the --json of change and incident commands share; keys
 * absent when there is nothing to say, times "YYYY-MM-DDTHH:MM:SSZ".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "hw-private.h"

/* o, or NULL (o released) when building it failed (rc non-zero). */
static json_t *done(json_t *o, int rc)
{
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int set_str(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return 0;
	return json_object_set_new(o, key, json_string(s));
}

static int set_time(json_t *o, const char *key, hw_time t)
{
	char buf[HW_TIME_TEXT];

	if (t == 0)
		return 0;
	return json_object_set_new(o, key, json_string(hw_time_format(t, buf)));
}

static const char *const kind_names_z[] = {"add-dep", "rm-dep", "set",
					   "add-asset", NULL};

json_t *hwp_change_edit_json(const struct hw_change_edit *e)
{
	json_t *o = json_object();
	char buf[4];
	int rc;

	if (o == NULL)
		return NULL;
	if ((unsigned)e->kind > HW_EDIT_ADD_ASSET)
		return done(o, -1);
	rc = set_str(o, "kind", kind_names_z[e->kind]);
	switch (e->kind) {
	case HW_EDIT_ADD_DEP:
		rc |= set_str(o, "from", e->dep.from) |
		      set_str(o, "to", e->dep.to) |
		      set_str(o, "type", e->dep.type);
		if (e->dep.carries != 0)
			rc |= set_str(o, "carries",
				      hw_carries_text(e->dep.carries, buf));
		break;
	case HW_EDIT_RM_DEP:
		rc |= set_str(o, "from", e->dep.from) |
		      set_str(o, "to", e->dep.to);
		break;
	case HW_EDIT_SET:
		rc |= set_str(o, "asset", e->asset) |
		      set_str(o, "field", e->field) |
		      set_str(o, "value", e->value);
		break;
	case HW_EDIT_ADD_ASSET: {
		json_t *a = hwp_asset_json(&e->add);

		rc |= a == NULL ? -1 : json_object_set_new(o, "asset", a);
		break;
	}
	}
	return done(o, rc);
}

json_t *hwp_change_json(const struct hw_change *c)
{
	char id[HW_CHANGE_ID_TEXT];
	json_t *o = json_object(), *a;
	size_t i;
	int rc;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "id", hw_change_id(c->n, id)) |
	     set_str(o, "title", c->title) |
	     set_str(o, "description", c->description);
	if (c->ntargets > 0) {
		a = json_array();
		rc |= json_object_set_new(o, "targets", a);
		for (i = 0; i < c->ntargets && rc == 0; i++)
			rc |= json_array_append_new(a,
						    json_string(c->targets[i]));
	}
	if (c->nedits > 0) {
		a = json_array();
		rc |= json_object_set_new(o, "edits", a);
		for (i = 0; i < c->nedits && rc == 0; i++)
			rc |= json_array_append_new(
			    a, hwp_change_edit_json(&c->edits[i]));
	}
	rc |= set_str(o, "state", hw_change_state_name(c->state));
	if (c->result != HW_RESULT_NONE)
		rc |= set_str(o, "result", hw_change_result_name(c->result));
	rc |= set_str(o, "requester", c->requester) |
	      set_time(o, "created", c->created) |
	      set_time(o, "planned", c->planned) |
	      set_time(o, "assessed_at", c->assessed_at) |
	      set_str(o, "decided_by", c->decided_by) |
	      set_str(o, "chair", c->chair) | set_str(o, "reason", c->reason) |
	      set_time(o, "decided_at", c->decided_at) |
	      set_str(o, "implemented_by", c->implemented_by) |
	      set_time(o, "implemented_at", c->implemented_at) |
	      set_time(o, "closed_at", c->closed_at) |
	      set_str(o, "reverted_by", c->reverted_by) |
	      set_time(o, "reverted_at", c->reverted_at);
	return done(o, rc);
}

json_t *hwp_incident_json(const struct hw_incident *i)
{
	char id[HW_CHANGE_ID_TEXT];
	json_t *o = json_object();
	int rc;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "id", hw_incident_id(i->n, id)) |
	     set_str(o, "asset", i->asset) | set_str(o, "title", i->title) |
	     set_time(o, "opened", i->opened) |
	     set_time(o, "resolved", i->resolved);
	if (i->change != 0)
		rc |= set_str(o, "change", hw_change_id(i->change, id));
	rc |= set_str(o, "reporter", i->reporter);
	return done(o, rc);
}

/* ------------------------------------------------------------------ */
/* Reading back: a strict reader of the shapes above.                  */

/* Set err for member key of what: expected want. */
static int bad(struct hw_error *err, const char *what, const char *key,
	       const char *want)
{
	return hw_error_set(err, HW_EFORMAT, "%s: \"%s\" is not %s", what, key,
			    want);
}

/* Only keys of the NULL-terminated list. */
static int known_keys(const json_t *o, const char *const *keys,
		      const char *what, struct hw_error *err)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v)
	{
		(void)v;
		if (hwp_vocab_index(keys, k) < 0)
			return hw_error_set(err, HW_EFORMAT,
					    "%s: unknown member \"%.40s\"", what,
					    k);
	}
	return 0;
}

/* A copy of string member key (NULL when absent unless need). */
static int take_str(const json_t *o, const char *key, int need,
		    const char *what, char **out, struct hw_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && !need)
		return 0;
	if (!json_is_string(v))
		return bad(err, what, key, "a string");
	*out = hwp_strdup(json_string_value(v), err);
	return *out == NULL ? -1 : 0;
}

static int take_level(const json_t *o, const char *key, int allow_na,
		      const char *what, enum hw_level *out,
		      struct hw_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = HW_LEVEL_NONE;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    hw_level_parse(json_string_value(v), allow_na, out, NULL) < 0)
		return bad(err, what, key, "a level");
	return 0;
}

static int take_factors(const json_t *o, const char *what,
			struct hw_factors *f, struct hw_error *err)
{
	enum hw_factor k;

	for (k = 0; k < HW_F_FRAGILITY; k++) {
		const char *key = hw_factor_name(k);
		json_t *v = json_object_get(o, key);
		char text[64];

		if (v == NULL)
			continue;
		if (json_is_integer(v))
			snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
		else if (json_is_real(v))
			snprintf(text, sizeof text, "%.17g",
				 json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(text, sizeof text, "%s",
				 json_is_true(v) ? "yes" : "no");
		else if (json_is_string(v) &&
			 json_string_length(v) < sizeof text)
			snprintf(text, sizeof text, "%s", json_string_value(v));
		else
			return bad(err, what, key, "a factor's value");
		if (hw_factor_set(f, key, text, NULL) != 0)
			return bad(err, what, key, "a factor's value");
	}
	return 0;
}

int hwp_asset_from_json(const json_t *o, struct hw_asset *out,
			struct hw_error *err)
{
	static const char *const keys[] = {
	    "id", "name", "type", "owner", "description", "confidentiality",
	    "integrity", "availability", "internet_facing",
	    "information_types", "vulnerabilities", "worst_cvss",
	    "last_patched", "end_of_life", "authorized",
	    "implemented_baseline", "downtime_cost", "authorized_by",
	    "authorized_at", NULL};
	static const char *const gkeys[] = {"id", "confidentiality",
					    "integrity", "availability",
					    "justification", NULL};
	const char *what = "asset";
	struct hw_asset a = {0};
	json_t *v, *types, *t;
	size_t i;
	int x;

	if (!json_is_object(o))
		return hw_error_set(err, HW_EFORMAT, "an asset is not an "
						     "object");
	if (known_keys(o, keys, what, err) < 0 ||
	    take_str(o, "id", 1, what, &a.id, err) < 0 ||
	    take_str(o, "name", 1, what, &a.name, err) < 0 ||
	    take_str(o, "type", 1, what, &a.type, err) < 0 ||
	    take_str(o, "owner", 0, what, &a.owner, err) < 0 ||
	    take_str(o, "description", 0, what, &a.description, err) < 0 ||
	    take_str(o, "authorized_by", 0, what, &a.authorized_by, err) < 0)
		goto fail;
	for (x = 0; x < HW_NOBJ; x++)
		if (take_level(o, hw_objective_name(x), 0, what,
			       &a.direct.v[x], err) < 0)
			goto fail;
	v = json_object_get(o, "internet_facing");
	if (v != NULL && !json_is_boolean(v)) {
		bad(err, what, "internet_facing", "true or false");
		goto fail;
	}
	a.internet_facing = json_is_true(v);
	v = json_object_get(o, "authorized_at");
	if (v != NULL && (!json_is_string(v) ||
			  hw_time_parse(json_string_value(v),
					&a.authorized_at, NULL) < 0)) {
		bad(err, what, "authorized_at", "a time");
		goto fail;
	}
	if (take_factors(o, what, &a.factors, err) < 0)
		goto fail;
	types = json_object_get(o, "information_types");
	if (types != NULL && !json_is_array(types)) {
		bad(err, what, "information_types", "an array");
		goto fail;
	}
	if (types != NULL && json_array_size(types) > 0) {
		a.types = calloc(json_array_size(types), sizeof *a.types);
		if (a.types == NULL) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto fail;
		}
	}
	json_array_foreach(types, i, t)
	{
		struct hw_assignment *g = &a.types[i];

		a.ntypes = i + 1;
		if (!json_is_object(t) ||
		    known_keys(t, gkeys, "information type", err) < 0 ||
		    take_str(t, "id", 1, "information type", &g->type_id,
			     err) < 0 ||
		    take_str(t, "justification", 0, "information type",
			     &g->justification, err) < 0) {
			hw_error_set(err, HW_EFORMAT,
				     "asset: bad information type");
			goto fail;
		}
		for (x = 0; x < HW_NOBJ; x++)
			if (take_level(t, hw_objective_name(x), x == HW_C,
				       "information type", &g->selected.v[x],
				       err) < 0)
				goto fail;
	}
	*out = a;
	return 0;
fail:
	hw_asset_release(&a);
	return -1;
}

int hwp_change_edit_from_json(const json_t *o, struct hw_change_edit *out,
			      struct hw_error *err)
{
	static const char *const keys[] = {"kind", "from", "to", "type",
					   "carries", "asset", "field",
					   "value", NULL};
	const char *what = "change edit";
	struct hw_change_edit e = {0};
	json_t *v;
	int k;

	v = json_object_get(o, "kind");
	k = json_is_string(v) ? hwp_vocab_index(kind_names_z,
						json_string_value(v))
			      : -1;
	if (!json_is_object(o) || k < 0)
		return bad(err, what, "kind",
			   "add-dep, rm-dep, set or add-asset");
	if (known_keys(o, keys, what, err) < 0)
		return -1;
	e.kind = (enum hw_edit_kind)k;
	switch (e.kind) {
	case HW_EDIT_ADD_DEP:
	case HW_EDIT_RM_DEP:
		if (take_str(o, "from", 1, what, &e.dep.from, err) < 0 ||
		    take_str(o, "to", 1, what, &e.dep.to, err) < 0 ||
		    take_str(o, "type", 0, what, &e.dep.type, err) < 0)
			goto fail;
		v = json_object_get(o, "carries");
		if (v != NULL &&
		    (!json_is_string(v) ||
		     hw_carries_parse(json_string_value(v), &e.dep.carries,
				      NULL) < 0)) {
			bad(err, what, "carries", "objectives (e.g. \"cia\")");
			goto fail;
		}
		break;
	case HW_EDIT_SET:
		if (take_str(o, "asset", 1, what, &e.asset, err) < 0 ||
		    take_str(o, "field", 1, what, &e.field, err) < 0 ||
		    take_str(o, "value", 1, what, &e.value, err) < 0)
			goto fail;
		break;
	case HW_EDIT_ADD_ASSET:
		if (hwp_asset_from_json(json_object_get(o, "asset"), &e.add,
					err) < 0)
			goto fail;
		break;
	}
	*out = e;
	return 0;
fail:
	hw_change_edit_release(&e);
	return -1;
}

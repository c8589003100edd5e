/*
 * history-json.c: history records as JSON values: a change with its
 * proposed edits, one edit, an incident.  The shapes the inventory
 * format's changes and incidents sections, the audit trail's before and
 * after, and the --json of change and incident commands share; keys
 * absent when there is nothing to say, times "YYYY-MM-DDTHH:MM:SSZ".
 */
#include <jansson.h>

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

static const char *const kind_names[] = {"add-dep", "rm-dep", "set",
					 "add-asset"};

json_t *hwp_change_edit_json(const struct hw_change_edit *e)
{
	json_t *o = json_object();
	char buf[4];
	int rc;

	if (o == NULL)
		return NULL;
	if ((unsigned)e->kind >= sizeof kind_names / sizeof kind_names[0])
		return done(o, -1);
	rc = set_str(o, "kind", kind_names[e->kind]);
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

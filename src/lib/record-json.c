/*
 * record-json.c: inventory records as JSON values, with the keys of the
 * inventory format (DESIGN.md section 3): what export writes and what
 * the audit trail records as an object's before and after.
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

static int set_level(json_t *obj, const char *key, enum hw_level l)
{
	if (l == HW_LEVEL_NONE)
		return 0;
	return json_object_set_new(obj, key, json_string(hw_level_name(l)));
}

static int set_str(json_t *obj, const char *key, const char *s)
{
	if (s == NULL)
		return 0;
	return json_object_set_new(obj, key, json_string(s));
}

json_t *hwp_infotype_json(const struct hw_infotype *t)
{
	json_t *o = json_object();
	int rc, x;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "id", t->id) | set_str(o, "name", t->name) |
	     set_str(o, "category", t->category);
	for (x = 0; x < HW_NOBJ; x++)
		rc |= set_level(o, hw_objective_name(x), t->prov.v[x]);
	return done(o, rc);
}

static json_t *assignment_json(const struct hw_assignment *g)
{
	json_t *o = json_object();
	int x, rc;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "id", g->type_id);
	/* Levels only where they are not simply the provisional ones. */
	if (hw_assignment_adjusted(g) || g->base.v[HW_I] == HW_LEVEL_NONE)
		for (x = 0; x < HW_NOBJ; x++)
			rc |= set_level(o, hw_objective_name(x),
					g->selected.v[x]);
	rc |= set_str(o, "justification", g->justification);
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int hw_factors_json_put(json_t *o, const struct hw_factors *f)
{
	enum hw_factor k;
	char buf[32];
	int rc = 0;

	for (k = 0; k < HW_F_FRAGILITY; k++) {
		json_t *v;

		if (!(f->known & HW_F_BIT(k)))
			continue;
		if (k == HW_F_VULNERABILITIES)
			v = json_integer(f->vulnerabilities);
		else if (k == HW_F_WORST_CVSS)
			v = json_real(f->worst_cvss);
		else if (k == HW_F_DOWNTIME_COST)
			v = json_real(f->downtime_cost);
		else if (k == HW_F_AUTHORIZED)
			v = json_boolean(f->authorized);
		else
			v = json_string(hw_factor_text(f, k, buf));
		rc |= json_object_set_new(o, hw_factor_name(k), v);
	}
	return rc;
}

json_t *hwp_asset_json(const struct hw_asset *a)
{
	json_t *o = json_object(), *types;
	size_t i;
	int rc, x;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "id", a->id) | set_str(o, "name", a->name) |
	     set_str(o, "type", a->type) | set_str(o, "owner", a->owner) |
	     set_str(o, "description", a->description) |
	     json_object_set_new(o, "internet_facing",
				 json_boolean(a->internet_facing));
	for (x = 0; x < HW_NOBJ; x++)
		rc |= set_level(o, hw_objective_name(x), a->direct.v[x]);
	rc |= hw_factors_json_put(o, &a->factors);
	if (a->ntypes > 0) {
		types = json_array();
		rc |= json_object_set_new(o, "information_types", types);
		for (i = 0; i < a->ntypes && rc == 0; i++)
			rc |= json_array_append_new(
			    types, assignment_json(&a->types[i]));
	}
	return done(o, rc);
}

json_t *hwp_dep_json(const struct hw_dep *d)
{
	json_t *o = json_object();
	char buf[4];
	int rc;

	if (o == NULL)
		return NULL;
	rc = set_str(o, "from", d->from) | set_str(o, "to", d->to) |
	     set_str(o, "type", d->type) |
	     set_str(o, "carries", hw_carries_text(d->carries, buf));
	return done(o, rc);
}


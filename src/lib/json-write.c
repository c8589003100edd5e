/*
 * json-write.c: the JSON inventory export: the whole inventory as one
 * document (DESIGN.md section 3), sorted keys, records in id order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-records.h"

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

static int export_infotype(const struct hw_infotype *t, void *ctx)
{
	json_t *o = json_object();
	int rc, x;

	if (o == NULL)
		return -1;
	rc = set_str(o, "id", t->id) | set_str(o, "name", t->name) |
	     set_str(o, "category", t->category);
	for (x = 0; x < HW_NOBJ; x++)
		rc |= set_level(o, hw_objective_name(x), t->prov.v[x]);
	return rc | json_array_append_new(ctx, o);
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

static int export_asset(const struct hw_asset *a, void *ctx)
{
	json_t *o = json_object(), *types;
	size_t i;
	int rc, x;

	if (o == NULL)
		return -1;
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
	return rc | json_array_append_new(ctx, o);
}

static int export_dep(const struct hw_dep *d, void *ctx)
{
	json_t *o = json_object();
	char buf[4];
	int rc;

	if (o == NULL)
		return -1;
	rc = set_str(o, "from", d->from) | set_str(o, "to", d->to) |
	     set_str(o, "type", d->type) |
	     set_str(o, "carries", hw_carries_text(d->carries, buf));
	return rc | json_array_append_new(ctx, o);
}

/* Build the whole export document; a new reference. */
static json_t *export_doc(struct hw_store *st, struct hw_error *err)
{
	json_t *doc = json_object(), *types = json_array(),
	       *assets = json_array(), *deps = json_array();
	int rc;

	if (doc == NULL || types == NULL || assets == NULL || deps == NULL) {
		json_decref(doc);
		json_decref(types);
		json_decref(assets);
		json_decref(deps);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	rc = json_object_set_new(doc, "format", json_string(HWP_JSON_FORMAT)) |
	     json_object_set_new(doc, "version",
				 json_integer(HWP_JSON_VERSION)) |
	     json_object_set_new(doc, "information_types", types) |
	     json_object_set_new(doc, "assets", assets) |
	     json_object_set_new(doc, "dependencies", deps);
	if (rc != 0) {
		json_decref(doc);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	if (hw_store_infotype_each(st, NULL, 0, export_infotype, types, err) ||
	    hw_store_asset_each(st, export_asset, assets, err) ||
	    hw_store_dep_each(st, NULL, export_dep, deps, err)) {
		json_decref(doc);
		hw_error_set(err, HW_ENOMEM, "cannot build the export");
		return NULL;
	}
	return doc;
}

#define EXPORT_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS)

int hw_export_json(struct hw_store *st, FILE *fp, struct hw_error *err)
{
	json_t *doc = export_doc(st, err);
	int rc;

	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, fp, EXPORT_FLAGS);
	json_decref(doc);
	if (rc != 0 || fputc('\n', fp) == EOF)
		return hw_error_set(err, HW_EIO, "cannot write the export: %s",
				    strerror(errno));
	return 0;
}

char *hw_export_json_string(struct hw_store *st, struct hw_error *err)
{
	json_t *doc = export_doc(st, err);
	char *s;

	if (doc == NULL)
		return NULL;
	s = json_dumps(doc, EXPORT_FLAGS);
	json_decref(doc);
	if (s == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return s;
}
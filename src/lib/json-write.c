/*
 * json-write.c: the JSON inventory export: the whole inventory as one
 * document (DESIGN.md section 3), sorted keys, records in id order,
 * streamed (hw_jstream) as the store reads it, one record at a time,
 * byte for byte as jansson would write the whole document.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-records.h"

#define EXPORT_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS)

/* Write record o (taken over) into the array open in the stream ctx;
 * rc: whether building it failed (non-zero). */
static int put_element(void *ctx, json_t *o, int rc)
{
	if (rc != 0) {
		json_decref(o);
		return -1;
	}
	return hw_jstream_put(ctx, NULL, o);
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
	return put_element(ctx, o, rc);
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
	return put_element(ctx, o, rc);
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
	return put_element(ctx, o, rc);
}

/* Write the document to fp (a final newline if newline): 0, or -1 with
 * err set, having written a document that does not end. */
static int export_doc(struct hw_store *st, FILE *fp, int newline,
		      struct hw_error *err)
{
	struct hw_jstream js;
	struct hw_error e = {0};

	hw_jstream_init(&js, fp, EXPORT_FLAGS);
	if (hw_jstream_object(&js, NULL) == 0 &&
	    hw_jstream_array(&js, "assets") == 0 &&
	    hw_store_asset_each(st, export_asset, &js, &e) == 0 &&
	    hw_jstream_close(&js) == 0 &&
	    hw_jstream_array(&js, "dependencies") == 0 &&
	    hw_store_dep_each(st, NULL, export_dep, &js, &e) == 0 &&
	    hw_jstream_close(&js) == 0 &&
	    hw_jstream_put(&js, "format", json_string(HWP_JSON_FORMAT)) == 0 &&
	    hw_jstream_array(&js, "information_types") == 0 &&
	    hw_store_infotype_each(st, NULL, 0, export_infotype, &js, &e) ==
		0 &&
	    hw_jstream_close(&js) == 0 &&
	    hw_jstream_put(&js, "version", json_integer(HWP_JSON_VERSION)) ==
		0 &&
	    hw_jstream_close(&js) == 0 && hw_jstream_end(&js, newline, &e) == 0)
		return 0;
	/* The store's error, else the stream's, else a record that could
	 * not be built. */
	if (e.code == HW_OK && js.err.code == HW_EIO)
		return hw_error_set(err, HW_EIO,
				    "%s (what was written is not a whole "
				    "document)",
				    js.err.text);
	if (e.code == HW_OK)
		e = js.err;
	if (e.code == HW_OK)
		return hw_error_set(err, HW_ENOMEM, "cannot build the export");
	if (err != NULL && err->code == HW_OK)
		*err = e;
	return -1;
}

int hw_export_json(struct hw_store *st, FILE *fp, struct hw_error *err)
{
	return export_doc(st, fp, 1, err);
}

char *hw_export_json_string(struct hw_store *st, struct hw_error *err)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int rc;

	if (fp == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	rc = export_doc(st, fp, 0, err);
	if (fclose(fp) != 0 && rc == 0)
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	if (rc < 0) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * json-write.c: the JSON inventory export: the whole inventory as one
 * document (DESIGN.md section 3), sorted keys, records in id order,
 * written as the store reads it, one record at a time, byte for byte as
 * jansson would write the whole document.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-records.h"

#define EXPORT_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS)

/* The document being written: members at depth 1, records at depth 2. */
struct writer {
	FILE *fp;
	int failed; /* a write failed: nothing more is written */
	int first;  /* no record yet in the open array */
	struct hw_error *err;
};

static int put(struct writer *w, const char *s, size_t n)
{
	if (w->failed)
		return -1;
	if (n > 0 && fwrite(s, 1, n, w->fp) != n) {
		w->failed = 1;
		return hw_error_set(w->err, HW_EIO,
				    "cannot write the export: %s (what was "
				    "written is not a whole document)",
				    strerror(errno));
	}
	return 0;
}

static int puts_(struct writer *w, const char *s)
{
	return put(w, s, strlen(s));
}

/* jansson's output of a record, indented two levels deeper: with
 * JSON_INDENT every newline it writes is indentation (a newline in a
 * string is written "\\n"). */
static int put_indented(const char *buf, size_t size, void *data)
{
	struct writer *w = data;
	const char *nl;

	while ((nl = memchr(buf, '\n', size)) != NULL) {
		if (put(w, buf, (size_t)(nl - buf)) < 0 ||
		    put(w, "\n    ", 5) < 0)
			return -1;
		size -= (size_t)(nl + 1 - buf);
		buf = nl + 1;
	}
	return put(w, buf, size);
}

/* Write record o (taken over) into the open array; rc: whether building
 * it failed (non-zero). */
static int put_element(void *ctx, json_t *o, int rc)
{
	struct writer *w = ctx;

	if (rc == 0 && o != NULL) {
		rc = puts_(w, w->first ? "\n    " : ",\n    ");
		w->first = 0;
		if (rc == 0 &&
		    json_dump_callback(o, put_indented, w, EXPORT_FLAGS) != 0)
			rc = w->failed ? -1
				       : hw_error_set(w->err, HW_ENOMEM,
						      "out of memory");
	}
	json_decref(o);
	return rc != 0 ? -1 : 0;
}

/* Open member key's array (first: the document's first member). */
static int open_array(struct writer *w, const char *key, int first)
{
	w->first = 1;
	return puts_(w, first ? "{\n  \"" : ",\n  \"") | puts_(w, key) |
	       puts_(w, "\": [");
}

static int close_array(struct writer *w)
{
	return puts_(w, w->first ? "]" : "\n  ]");
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

/* Write the document to fp, without a final newline: 0, or -1 with
 * err set, having written a document that does not end. */
static int export_doc(struct hw_store *st, FILE *fp, struct hw_error *err)
{
	struct writer w = {fp, 0, 1, err};
	char tail[64];

	if (open_array(&w, "assets", 1) < 0 ||
	    hw_store_asset_each(st, export_asset, &w, err) != 0 ||
	    close_array(&w) < 0 || open_array(&w, "dependencies", 0) < 0 ||
	    hw_store_dep_each(st, NULL, export_dep, &w, err) != 0 ||
	    close_array(&w) < 0 ||
	    puts_(&w, ",\n  \"format\": \"" HWP_JSON_FORMAT "\"") < 0 ||
	    open_array(&w, "information_types", 0) < 0 ||
	    hw_store_infotype_each(st, NULL, 0, export_infotype, &w, err) !=
		0 ||
	    close_array(&w) < 0)
		goto fail;
	snprintf(tail, sizeof tail, ",\n  \"version\": %d\n}",
		 HWP_JSON_VERSION);
	if (puts_(&w, tail) < 0)
		goto fail;
	return 0;
fail:
	return hw_error_set(err, HW_ENOMEM, "cannot build the export");
}

int hw_export_json(struct hw_store *st, FILE *fp, struct hw_error *err)
{
	if (export_doc(st, fp, err) < 0)
		return -1;
	if (fputc('\n', fp) == EOF || fflush(fp) != 0)
		return hw_error_set(err, HW_EIO,
				    "cannot write the export: %s (what was "
				    "written is not a whole document)",
				    strerror(errno));
	return 0;
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
	rc = export_doc(st, fp, err);
	if (fclose(fp) != 0 && rc == 0)
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	if (rc < 0) {
		free(s);
		return NULL;
	}
	return s;
}

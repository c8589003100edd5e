/*
 * record-json.c: inventory records as JSON values, with the keys of the
 * inventory format (DESIGN.md section 3): what export writes and what
 * the audit trail records as an object's before and after.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
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
	rc |= set_str(o, "authorized_by", a->authorized_by);
	if (a->authorized_at != 0) {
		char tb[HW_TIME_TEXT];

		rc |= set_str(o, "authorized_at",
			      hw_time_format(a->authorized_at, tb));
	}
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


/* ------------------------------------------------------------------ */
/* Canonical text (canon.h) written straight from the records: byte for
 * byte what hwp_canon_append gives for the values above, without a
 * jansson value (an import writes millions).  Keys are written in the
 * order of their bytes, fixed here; check-json tests the equality. */

struct canon_out {
	struct hwp_buf *b;
	struct hw_error *err;
	int rc;
	char sep; /* '{' before the first key, then ',' */
};

static void out_raw(struct canon_out *o, const char *s, size_t n)
{
	if (o->rc == 0)
		o->rc = hwp_buf_add(o->b, s, n, o->err);
}

/* Keys are plain ASCII: nothing to escape. */
static void out_key(struct canon_out *o, const char *key)
{
	char buf[40];
	size_t n = strlen(key);

	if (n > sizeof buf - 4)
		n = sizeof buf - 4;
	buf[0] = o->sep;
	buf[1] = '"';
	memcpy(buf + 2, key, n);
	buf[n + 2] = '"';
	buf[n + 3] = ':';
	o->sep = ',';
	out_raw(o, buf, n + 4);
}

static void out_str(struct canon_out *o, const char *key, const char *s)
{
	if (s == NULL)
		return;
	out_key(o, key);
	if (o->rc == 0)
		o->rc = hwp_canon_string(o->b, s, strlen(s), o->err);
}

static void out_level(struct canon_out *o, const char *key, enum hw_level l)
{
	if (l != HW_LEVEL_NONE)
		out_str(o, key, hw_level_name(l));
}

static void out_bool(struct canon_out *o, const char *key, int v)
{
	out_key(o, key);
	out_raw(o, v ? "true" : "false", v ? 4 : 5);
}

static void out_real(struct canon_out *o, const char *key, double d)
{
	out_key(o, key);
	if (o->rc == 0)
		o->rc = hwp_canon_real(o->b, d, o->err);
}

static void out_end(struct canon_out *o)
{
	if (o->sep == '{')
		out_raw(o, "{}", 2);
	else
		out_raw(o, "}", 1);
}

/* A factor with data, as hw_factors_json_put writes it. */
static void out_factor(struct canon_out *o, const struct hw_factors *f,
		       enum hw_factor k)
{
	char buf[32];
	int n;

	if (!(f->known & HW_F_BIT(k)))
		return;
	if (k == HW_F_VULNERABILITIES) {
		out_key(o, hw_factor_name(k));
		n = snprintf(buf, sizeof buf, "%d", f->vulnerabilities);
		out_raw(o, buf, (size_t)n);
	} else if (k == HW_F_WORST_CVSS) {
		out_real(o, hw_factor_name(k), f->worst_cvss);
	} else if (k == HW_F_DOWNTIME_COST) {
		out_real(o, hw_factor_name(k), f->downtime_cost);
	} else if (k == HW_F_AUTHORIZED) {
		out_bool(o, hw_factor_name(k), f->authorized);
	} else {
		out_str(o, hw_factor_name(k), hw_factor_text(f, k, buf));
	}
}

static void out_assignment(struct canon_out *o, const struct hw_assignment *g)
{
	struct canon_out in = {o->b, o->err, o->rc, '{'};
	int levels = hw_assignment_adjusted(g) ||
		     g->base.v[HW_I] == HW_LEVEL_NONE;

	if (levels) {
		out_level(&in, "availability", g->selected.v[HW_A]);
		out_level(&in, "confidentiality", g->selected.v[HW_C]);
	}
	out_str(&in, "id", g->type_id);
	if (levels)
		out_level(&in, "integrity", g->selected.v[HW_I]);
	out_str(&in, "justification", g->justification);
	out_end(&in);
	o->rc = in.rc;
}

int hwp_asset_canon(struct hwp_buf *b, const struct hw_asset *a,
		    struct hw_error *err)
{
	struct canon_out o = {b, err, 0, '{'};
	const struct hw_factors *f = &a->factors;
	char tb[HW_TIME_TEXT];
	size_t i;

	out_factor(&o, f, HW_F_AUTHORIZED);
	if (a->authorized_at != 0)
		out_str(&o, "authorized_at", hw_time_format(a->authorized_at, tb));
	out_str(&o, "authorized_by", a->authorized_by);
	out_level(&o, "availability", a->direct.v[HW_A]);
	out_level(&o, "confidentiality", a->direct.v[HW_C]);
	out_str(&o, "description", a->description);
	out_factor(&o, f, HW_F_DOWNTIME_COST);
	out_factor(&o, f, HW_F_END_OF_LIFE);
	out_str(&o, "id", a->id);
	out_factor(&o, f, HW_F_BASELINE);
	if (a->ntypes > 0) {
		out_key(&o, "information_types");
		for (i = 0; i < a->ntypes; i++) {
			out_raw(&o, i ? "," : "[", 1);
			out_assignment(&o, &a->types[i]);
		}
		out_raw(&o, "]", 1);
	}
	out_level(&o, "integrity", a->direct.v[HW_I]);
	out_bool(&o, "internet_facing", a->internet_facing);
	out_factor(&o, f, HW_F_LAST_PATCHED);
	out_str(&o, "name", a->name);
	out_str(&o, "owner", a->owner);
	out_str(&o, "type", a->type);
	out_factor(&o, f, HW_F_VULNERABILITIES);
	out_factor(&o, f, HW_F_WORST_CVSS);
	out_end(&o);
	return o.rc;
}

int hwp_dep_canon(struct hwp_buf *b, const struct hw_dep *d,
		  struct hw_error *err)
{
	struct canon_out o = {b, err, 0, '{'};
	char buf[4];

	out_str(&o, "carries", hw_carries_text(d->carries, buf));
	out_str(&o, "from", d->from);
	out_str(&o, "to", d->to);
	out_str(&o, "type", d->type);
	out_end(&o);
	return o.rc;
}

/*
 * oscal-ssp.c: one system of the inventory as an OSCAL 1.1 System
 * Security Plan in JSON: the system asset's categorization (its
 * information types with base and selected levels, its effective and
 * overall levels), its boundary (the system and what it depends on) as
 * components and inventory items with their owners as parties, and the
 * controls of the SP 800-53B baseline it requires, each planned or
 * implemented.  Beyond NIST's schema it keeps what validators and
 * authorities ask: all three impacts on every information type, a
 * selected level always, a justification wherever selected differs
 * from base, and levels never below the information types' high-water
 * mark.  The components, inventory items and parties, which grow with
 * the boundary, are streamed one at a time.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hw-private.h"

#define SSP_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS)

#define RFC4122 "http://datatracker.ietf.org/doc/html/rfc4122"
#define PROFILE_HREF                                                           \
	"https://raw.githubusercontent.com/usnistgov/oscal-content/main/"      \
	"nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_%s-baseline_"         \
	"profile.json"

/* One information type of the plan: per objective, the highest selected
 * level of its assignments in the boundary (the system's alone unless
 * include_components), with that assignment's justification. */
struct ssp_type {
	char *id;
	struct hw_sc base;  /* provisional levels; NONE if none */
	struct hw_sc sel;   /* highest selected */
	char *why[HW_NOBJ]; /* justification where sel != base */
};

struct ssp {
	struct hw_store *st;
	const struct hw_oscal_opts *o;
	struct hw_error *err;
	char dbid[HW_UUID_TEXT];
	struct hw_graph *g;
	struct hw_graph_order ord; /* nodes and out-edges by id */
	struct hw_impact *imp;	   /* the boundary: what sys depends on */
	uint32_t sys;		   /* the system's node */
	uint32_t *members;	   /* the boundary, the system first, then
				      by id */
	size_t n;
	struct hw_asset a; /* the system asset */
	struct ssp_type *types;
	size_t ntypes, captypes;
	const char **owners; /* the boundary's owners, by name (borrowed
				from the graph) */
	size_t nowners;
	struct hw_sc level;    /* security-impact-level */
	enum hw_level overall; /* security-sensitivity-level */
	struct hw_baselines b;
};

/* ------------------------------------------------------------------ */
/* Small values                                                        */

/* The version 5 UUID of "kind:key" in the database's namespace.  A key
 * of two ids joins them with '/', which no id holds ("SYSTEM/TYPE"). */
static int ssp_uuid(struct ssp *s, const char *kind, const char *key,
		    char out[HW_UUID_TEXT])
{
	size_t len = strlen(kind) + strlen(key) + 2;
	char *name = malloc(len);
	int rc;

	if (name == NULL)
		return hw_error_set(s->err, HW_ENOMEM, "out of memory");
	snprintf(name, len, "%s:%s", kind, key);
	rc = hw_uuid_v5(s->dbid, name, out, s->err);
	free(name);
	return rc;
}

/* A new JSON string of that UUID, or NULL after setting the error. */
static json_t *uuid_json(struct ssp *s, const char *kind, const char *key)
{
	char u[HW_UUID_TEXT];
	json_t *v;

	if (ssp_uuid(s, kind, key, u) < 0)
		return NULL;
	if ((v = json_string(u)) == NULL)
		hw_error_set(s->err, HW_ENOMEM, "out of memory");
	return v;
}

/* "fips-199-moderate" (and "fips-199-na" for not applicable). */
static json_t *fips_json(enum hw_level l)
{
	const char *name = hw_level_name(l);

	return name ? json_sprintf("fips-199-%s", name) : NULL;
}

/* A prop {name, value}. */
static json_t *prop_json(const char *name, const char *value)
{
	return json_pack("{s:s, s:s}", "name", name, "value", value);
}

static const char *text_or(const char *s, const char *alt)
{
	return s != NULL && s[strspn(s, " \t\r\n")] != '\0' ? s : alt;
}

/* OSCAL's component type for an asset type. */
static const char *component_type(const char *type)
{
	static const char *const map[][2] = {
	    {"business_service", "service"}, {"cloud_service", "service"},
	    {"application", "software"},     {"database", "software"},
	    {"container", "software"},	     {"server", "hardware"},
	    {"virtual_machine", "hardware"}, {"network_device", "hardware"},
	    {"storage_device", "hardware"},  {"endpoint", "hardware"},
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return "hardware"; /* other: PLCs, UPSes, RTUs */
}

/* A component's or the system's status from the asset: disposition past
 * its end of life, other while not authorized, else operational.  The
 * remarks are made whole (json_sprintf): a text cut short could end
 * inside a UTF-8 character, which jansson refuses. */
static json_t *status_json(const struct ssp *s, const struct hw_asset *a)
{
	const struct hw_factors *f = &a->factors;
	char day[11];
	json_t *remarks = NULL;

	if ((f->known & HW_F_BIT(HW_F_END_OF_LIFE)) &&
	    f->end_of_life <= hw_time_day(s->o->now))
		return json_pack(
		    "{s:s, s:o}", "state", "disposition", "remarks",
		    json_sprintf("End of life since %s.",
				 hw_date_format(f->end_of_life, day)));
	if ((f->known & HW_F_BIT(HW_F_AUTHORIZED)) && !f->authorized)
		return json_pack("{s:s, s:s}", "state", "other", "remarks",
				 "Not authorized into production.");
	if (a->authorized_by != NULL && a->authorized_at != 0)
		remarks = json_sprintf(
		    "Authorized by %s on %s.", a->authorized_by,
		    hw_date_format(hw_time_day(a->authorized_at), day));
	return remarks ? json_pack("{s:s, s:o}", "state", "operational",
				   "remarks", remarks)
		       : json_pack("{s:s}", "state", "operational");
}

/* ------------------------------------------------------------------ */
/* The boundary, its owners and its information types                  */

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* members: the system, then the rest of the boundary by id; owners:
 * theirs, by name. */
static int ssp_boundary(struct ssp *s)
{
	struct hw_impact_opts io = {s->o->depth, 0, HW_DIR_DOWN};
	size_t nn = hw_graph_size(s->g), no = hw_graph_owner_count(s->g), i;
	unsigned char *seen = NULL;
	int k;

	s->imp = hw_graph_impact(s->g, &s->sys, 1, &io, s->err);
	if (s->imp == NULL || hw_graph_order_init(s->g, &s->ord, s->err) < 0)
		return -1;
	s->members = malloc(s->imp->count * sizeof *s->members);
	s->owners = malloc((no + 1) * sizeof *s->owners);
	seen = calloc(no + 1, 1);
	if (s->members == NULL || s->owners == NULL || seen == NULL) {
		free(seen);
		return hw_error_set(s->err, HW_ENOMEM, "out of memory");
	}
	s->members[s->n++] = s->sys;
	for (i = 0; i < nn; i++) {
		uint32_t v = s->ord.nodes[i];

		if (v != s->sys && s->imp->dist[v] != HW_NOT_MEMBER &&
		    s->n < s->imp->count)
			s->members[s->n++] = v;
	}
	for (i = 0; i < s->n; i++) {
		k = hw_graph_owner_index(s->g, s->members[i]);
		if (k >= 0 && (size_t)k < no && !seen[k]) {
			seen[k] = 1;
			s->owners[s->nowners++] = hw_graph_owner_name(s->g, k);
		}
	}
	free(seen);
	qsort(s->owners, s->nowners, sizeof *s->owners, cmp_str);
	return 0;
}

/* A copy of the justification why of an assignment held by asset id,
 * the asset named when it is not the system. */
static char *why_dup(struct ssp *s, const char *id, const char *why)
{
	const char *text = text_or(why, "Adjusted in highwater without a "
					"recorded justification.");
	char *out;
	size_t len;

	if (strcmp(id, s->o->system) == 0) {
		out = strdup(text);
	} else {
		len = strlen(id) + strlen(text) + 16;
		if ((out = malloc(len)) != NULL)
			snprintf(out, len, "%s (asset %s)", text, id);
	}
	if (out == NULL)
		hw_error_set(s->err, HW_ENOMEM, "out of memory");
	return out;
}

/* Merge asset a's assignments into the plan's information types. */
static int ssp_types_add(struct ssp *s, const struct hw_asset *a)
{
	struct ssp_type *t;
	size_t i, j;
	int o;

	for (i = 0; i < a->ntypes; i++) {
		const struct hw_assignment *g = &a->types[i];

		for (j = 0; j < s->ntypes; j++)
			if (strcmp(s->types[j].id, g->type_id) == 0)
				break;
		if (j == s->ntypes) {
			if (s->ntypes == s->captypes) {
				size_t cap = s->captypes ? 2 * s->captypes : 8;
				void *p = realloc(s->types, cap * sizeof *t);

				if (p == NULL)
					return hw_error_set(s->err, HW_ENOMEM,
							    "out of memory");
				s->types = p;
				s->captypes = cap;
			}
			t = &s->types[s->ntypes];
			memset(t, 0, sizeof *t);
			if ((t->id = strdup(g->type_id)) == NULL)
				return hw_error_set(s->err, HW_ENOMEM,
						    "out of memory");
			s->ntypes++;
			t->base = g->base;
		}
		t = &s->types[j];
		for (o = 0; o < HW_NOBJ; o++) {
			if (g->selected.v[o] <= t->sel.v[o])
				continue;
			t->sel.v[o] = g->selected.v[o];
			free(t->why[o]);
			t->why[o] = NULL;
			if (t->base.v[o] != HW_LEVEL_NONE &&
			    t->sel.v[o] != t->base.v[o] &&
			    (t->why[o] = why_dup(s, a->id, g->justification)) ==
				NULL)
				return -1;
		}
	}
	return 0;
}

/* The information types: the system's, and with include_components
 * those of the rest of the boundary. */
static int ssp_types(struct ssp *s)
{
	struct hw_asset a;
	size_t i;
	int rc;

	if (ssp_types_add(s, &s->a) < 0)
		return -1;
	for (i = 1; s->o->include_components && i < s->n; i++) {
		if (hw_store_asset_get(s->st, hw_graph_id(s->g, s->members[i]),
				       &a, s->err) < 0)
			return -1;
		rc = ssp_types_add(s, &a);
		hw_asset_release(&a);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The document's parts                                                */

/* An impact: base, selected, and a justification when they differ.  A
 * type without provisional levels (SP 800-60 gives none) has the
 * levels chosen for it as its base. */
static json_t *impact_json(const struct ssp_type *t, enum hw_objective o)
{
	enum hw_level base =
	    t->base.v[o] != HW_LEVEL_NONE ? t->base.v[o] : t->sel.v[o];
	json_t *v = json_pack("{s:o, s:o}", "base", fips_json(base), "selected",
			      fips_json(t->sel.v[o]));

	if (v != NULL && base != t->sel.v[o] &&
	    json_object_set_new(v, "adjustment-justification",
				json_string(t->why[o])) < 0) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *infotype_json(struct ssp *s, const struct ssp_type *t)
{
	static const char *const key[HW_NOBJ] = {"confidentiality-impact",
						 "integrity-impact",
						 "availability-impact"};
	struct hw_infotype it;
	char urn[HW_UUID_TEXT + 16], name[HW_ID_MAX * 2 + 2];
	json_t *v;
	int o;

	if (hw_store_infotype_get(s->st, t->id, &it, s->err) < 0)
		return NULL;
	snprintf(urn, sizeof urn, "urn:uuid:%s", s->dbid);
	snprintf(name, sizeof name, "%s/%s", s->o->system, t->id);
	v = json_pack("{s:o, s:s, s:o, s:[{s:s, s:[s]}]}", "uuid",
		      uuid_json(s, "information-type", name), "title", it.name,
		      "description",
		      json_sprintf("%s information type %s%s%s%s.",
				   it.builtin ? "NIST SP 800-60 Vol. 2 Rev. 1"
					      : "The organisation's own",
				   it.id, it.category ? " (" : "",
				   it.category ? it.category : "",
				   it.category ? ")" : ""),
		      "categorizations", "system",
		      it.builtin ? HW_OSCAL_SP80060 : urn,
		      "information-type-ids", it.id);
	hw_infotype_release(&it);
	for (o = 0; v != NULL && o < HW_NOBJ; o++)
		if (json_object_set_new(v, key[o], impact_json(t, o)) < 0) {
			json_decref(v);
			v = NULL;
		}
	return v;
}

static json_t *sc_json(const struct hw_sc *sc)
{
	return json_pack(
	    "{s:o, s:o, s:o}", "security-objective-confidentiality",
	    fips_json(sc->v[HW_C]), "security-objective-integrity",
	    fips_json(sc->v[HW_I]), "security-objective-availability",
	    fips_json(sc->v[HW_A]));
}

/* [{role-id: role, party-uuids: [the owner's party]}]: a component's
 * responsible-roles, an inventory item's or the system's
 * responsible-parties (the same shape). */
static json_t *owner_roles_json(struct ssp *s, const char *role,
				const char *owner)
{
	return json_pack("[{s:s, s:[o]}]", "role-id", role, "party-uuids",
			 uuid_json(s, "party", owner));
}

static json_t *characteristics_json(struct ssp *s)
{
	const struct hw_asset *a = &s->a;
	json_t *v, *types = json_array();
	char boundary[512], day[11], depth[48];
	size_t i;

	for (i = 0; types != NULL && i < s->ntypes; i++)
		if (json_array_append_new(types,
					  infotype_json(s, &s->types[i])) < 0) {
			json_decref(types);
			return NULL;
		}
	if (s->o->depth < 0)
		snprintf(depth, sizeof depth, "directly or through others");
	else
		snprintf(depth, sizeof depth, "within %d hop%s", s->o->depth,
			 s->o->depth == 1 ? "" : "s");
	snprintf(boundary, sizeof boundary,
		 "The asset %s and the %zu asset%s it depends on (%s), as "
		 "recorded in highwater; each is a component and an "
		 "inventory item of this plan.",
		 a->id, s->n - 1, s->n == 2 ? "" : "s", depth);
	v = json_pack(
	    "{s:[{s:s, s:o}], s:s, s:s, s:s, s:o, s:{s:o}, s:o, s:o, s:{s:s}}",
	    "system-ids", "identifier-type", RFC4122, "id",
	    uuid_json(s, "system", a->id), "system-name", a->name,
	    "system-name-short", a->id, "description",
	    text_or(a->description, a->name), "security-sensitivity-level",
	    fips_json(s->overall), "system-information", "information-types",
	    types, "security-impact-level", sc_json(&s->level), "status",
	    status_json(s, a), "authorization-boundary", "description",
	    boundary);
	if (v != NULL && a->owner != NULL &&
	    json_object_set_new(v, "responsible-parties",
				owner_roles_json(s, "system-owner", a->owner)) <
		0)
		goto fail;
	if (v != NULL && a->authorized_at != 0 &&
	    (a->factors.known & HW_F_BIT(HW_F_AUTHORIZED)) &&
	    a->factors.authorized &&
	    json_object_set_new(v, "date-authorized",
				json_string(hw_date_format(
				    hw_time_day(a->authorized_at), day))) < 0)
		goto fail;
	return v;
fail:
	json_decref(v);
	return NULL;
}

/* One who owns assets in the boundary; an e-mail address as such. */
static json_t *party_json(struct ssp *s, const char *owner)
{
	const char *at = strchr(owner, '@');
	json_t *v =
	    json_pack("{s:o, s:s, s:s}", "uuid", uuid_json(s, "party", owner),
		      "type", "organization", "name", owner);

	if (v != NULL && at != NULL && at != owner && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strpbrk(owner, " \t\r\n") == NULL &&
	    json_object_set_new(v, "email-addresses", json_pack("[s]", owner)) <
		0) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* The metadata, its keys in sorted order; the parties, which grow with
 * the boundary's owners, streamed one at a time. */
static int stream_metadata(struct ssp *s, struct hw_jstream *js)
{
	char now[HW_TIME_TEXT];
	size_t i;

	if (hw_jstream_object(js, "metadata") < 0 ||
	    hw_jstream_str(js, "last-modified",
			   hw_time_format(s->o->now, now)) < 0 ||
	    hw_jstream_str(js, "oscal-version", HW_OSCAL_VERSION) < 0)
		return -1;
	/* no party: no "parties" (the schema wants at least one) */
	if (s->nowners > 0) {
		if (hw_jstream_array(js, "parties") < 0)
			return -1;
		for (i = 0; i < s->nowners; i++)
			if (hw_jstream_put(js, NULL,
					   party_json(s, s->owners[i])) < 0)
				return -1;
		if (hw_jstream_close(js) < 0)
			return -1;
	}
	if (hw_jstream_put(js, "roles",
			   json_pack("[{s:s, s:s}, {s:s, s:s}]", "id",
				     "system-owner", "title", "System Owner",
				     "id", "asset-owner", "title",
				     "Asset Owner")) < 0 ||
	    hw_jstream_put(js, "title",
			   json_sprintf("%s System Security Plan", s->a.name)) <
		0 ||
	    hw_jstream_str(js, "version", "1.0") < 0)
		return -1;
	return hw_jstream_close(js);
}

/* The required baseline's controls, each planned or implemented (in the
 * baseline the system has implemented, as recorded). */
static json_t *controls_json(struct ssp *s)
{
	int have = hw_factors_baseline(&s->a.factors);
	const char *need = hw_baseline_name(s->overall);
	json_t *reqs = json_array(), *v = NULL;
	char comp[HW_UUID_TEXT], key[HW_ID_MAX * 2 + 2], desc[400];
	size_t i, planned = 0, done = 0;

	if (reqs == NULL || ssp_uuid(s, "component", s->a.id, comp) < 0)
		goto fail;
	for (i = 0; i < s->b.count; i++) {
		const struct hw_control *c = &s->b.controls[i];
		int ok;
		json_t *r;

		if (!(c->in & (1u << s->overall)))
			continue;
		ok = have >= HW_LEVEL_LOW && (c->in & (1u << have));
		ok ? done++ : planned++;
		snprintf(key, sizeof key, "%s/%s", s->a.id, c->id);
		if (ok)
			snprintf(desc, sizeof desc,
				 "Implemented: in the %s baseline recorded "
				 "as implemented for %s.",
				 hw_baseline_name(have), s->a.id);
		else
			snprintf(desc, sizeof desc,
				 "Planned: not in the baseline recorded as "
				 "implemented for %s.",
				 s->a.id);
		r = json_pack(
		    "{s:o, s:s, s:[{s:s, s:o, s:s, s:{s:s}}]}", "uuid",
		    uuid_json(s, "implemented-requirement", key), "control-id",
		    c->id, "by-components", "component-uuid", comp, "uuid",
		    uuid_json(s, "by-component", key), "description", desc,
		    "implementation-status", "state",
		    ok ? "implemented" : "planned");
		if (json_array_append_new(reqs, r) < 0)
			goto fail;
	}
	snprintf(desc, sizeof desc,
		 "The SP 800-53B %s baseline, which the overall level "
		 "requires: %zu controls, %zu implemented and %zu planned "
		 "(implemented baseline recorded: %s).",
		 need, done + planned, done, planned,
		 hw_factors_baseline_text(&s->a.factors));
	v = json_pack("{s:s, s:O}", "description", desc,
		      "implemented-requirements", reqs);
fail:
	json_decref(reqs);
	if (v == NULL)
		hw_error_set(s->err, HW_ENOMEM, "out of memory");
	return v;
}

/* Component of node v (asset a): the system itself is "this-system";
 * links name what it depends on inside the boundary. */
static json_t *component_json(struct ssp *s, uint32_t v,
			      const struct hw_asset *a)
{
	const uint32_t *adj, *idx;
	const uint8_t *attr;
	json_t *c, *links = NULL;
	char href[HW_UUID_TEXT + 1];
	size_t n, i;

	c = json_pack(
	    "{s:o, s:s, s:s, s:s, s:o, s:[o]}", "uuid",
	    uuid_json(s, "component", a->id), "type",
	    v == s->sys ? "this-system" : component_type(a->type), "title",
	    a->name, "description", text_or(a->description, a->name), "status",
	    status_json(s, a), "props", prop_json("asset-type", a->type));
	if (c == NULL)
		return NULL;
	if (a->owner != NULL &&
	    json_object_set_new(c, "responsible-roles",
				owner_roles_json(s, "asset-owner", a->owner)) <
		0)
		goto fail;
	hw_graph_out(s->g, v, &adj, &attr);
	n = hw_graph_order_edges(&s->ord, v, &idx);
	for (i = 0; i < n; i++) {
		uint32_t w = adj[idx[i]];

		if (s->imp->dist[w] == HW_NOT_MEMBER)
			continue;
		if (ssp_uuid(s, "component", hw_graph_id(s->g, w), href + 1) <
		    0)
			goto fail;
		href[0] = '#';
		if (links == NULL && (links = json_array()) == NULL)
			goto fail;
		if (json_array_append_new(
			links, json_pack("{s:s, s:s, s:s}", "href", href, "rel",
					 "depends-on", "text",
					 hw_graph_attr_type(attr[idx[i]]))) < 0)
			goto fail;
	}
	if (links != NULL && json_object_set_new(c, "links", links) < 0) {
		links = NULL;
		goto fail;
	}
	return c;
fail:
	json_decref(links);
	json_decref(c);
	return NULL;
}

static json_t *inventory_item_json(struct ssp *s, const struct hw_asset *a)
{
	json_t *v;

	v = json_pack("{s:o, s:s, s:[o, o, o], s:[{s:o}]}", "uuid",
		      uuid_json(s, "inventory-item", a->id), "description",
		      text_or(a->description, a->name), "props",
		      prop_json("asset-id", a->id),
		      prop_json("asset-type", a->type),
		      prop_json("public", a->internet_facing ? "yes" : "no"),
		      "implemented-components", "component-uuid",
		      uuid_json(s, "component", a->id));
	if (v != NULL && strcmp(a->type, "virtual_machine") == 0 &&
	    json_array_append_new(json_object_get(v, "props"),
				  prop_json("virtual", "yes")) < 0)
		goto fail;
	if (v != NULL && a->owner != NULL &&
	    json_object_set_new(v, "responsible-parties",
				owner_roles_json(s, "asset-owner", a->owner)) <
		0)
		goto fail;
	return v;
fail:
	json_decref(v);
	return NULL;
}

/* The components, then the inventory items, one asset at a time. */
static int stream_boundary(struct ssp *s, struct hw_jstream *js, int items)
{
	struct hw_asset a;
	json_t *v;
	size_t i;

	if (hw_jstream_array(js, items ? "inventory-items" : "components") < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		if (hw_store_asset_get(s->st, hw_graph_id(s->g, s->members[i]),
				       &a, s->err) < 0)
			return -1;
		v = items ? inventory_item_json(s, &a)
			  : component_json(s, s->members[i], &a);
		hw_asset_release(&a);
		if (v == NULL)
			return hw_error_set(s->err, HW_ENOMEM, "out of memory");
		if (hw_jstream_put(js, NULL, v) < 0)
			return -1;
	}
	return hw_jstream_close(js);
}

/* ------------------------------------------------------------------ */
/* The system and the whole                                            */

/* A system has an information type (and so all three levels: an
 * assignment selects each). */
static int ssp_check(struct ssp *s)
{
	const struct hw_sc *eff = hw_graph_effective(s->g, s->sys);
	const char *name[HW_NOBJ];
	char unknown[64] = "";
	int o, nu = 0, k;

	if (s->a.ntypes > 0)
		return 0;
	for (o = 0; o < HW_NOBJ; o++)
		if (eff->v[o] == HW_LEVEL_NONE)
			name[nu++] = hw_objective_name(o);
	for (k = 0; k < nu; k++) /* "integrity or availability" */
		snprintf(unknown + strlen(unknown),
			 sizeof unknown - strlen(unknown), "%s%s",
			 k == 0	       ? ""
			 : k == nu - 1 ? " or "
				       : ", ",
			 name[k]);
	if (nu > 0)
		return hw_error_set(s->err, HW_EREFUSED,
				    "'%s' is not a system: it has no "
				    "information type and no %s level "
				    "(expected at least one information "
				    "type)",
				    s->a.id, unknown);
	return hw_error_set(s->err, HW_EREFUSED,
			    "'%s' is not a system: it has no information "
			    "type (expected at least one)",
			    s->a.id);
}

/* Everything but the streamed parts. */
static int ssp_prepare(struct ssp *s)
{
	size_t i;
	int o;
	long v;

	if (hw_store_database_id(s->st, s->dbid, s->err) < 0 ||
	    hw_store_asset_get(s->st, s->o->system, &s->a, s->err) < 0)
		return -1;
	if ((s->g = hw_graph_load(s->st, s->err)) == NULL ||
	    hw_graph_categorize(s->g, s->err) < 0)
		return -1;
	if ((v = hw_graph_find(s->g, s->o->system)) < 0)
		return hw_error_set(s->err, HW_ENOTFOUND, "unknown asset '%s'",
				    s->o->system);
	s->sys = (uint32_t)v;
	if (ssp_check(s) < 0 || ssp_boundary(s) < 0 || ssp_types(s) < 0)
		return -1;
	/* Never below the information types' high-water mark. */
	s->level = *hw_graph_effective(s->g, s->sys);
	for (i = 0; i < s->ntypes; i++)
		for (o = 0; o < HW_NOBJ; o++)
			s->level.v[o] =
			    hw_level_max(s->level.v[o],
					 hw_level_system(s->types[i].sel.v[o]));
	s->overall = hw_sc_overall(&s->level);
	return hw_baselines_load(&s->b, s->o->baselines_csv, s->err);
}

static void ssp_release(struct ssp *s)
{
	size_t i;
	int o;

	hw_baselines_release(&s->b);
	for (i = 0; i < s->ntypes; i++) {
		free(s->types[i].id);
		for (o = 0; o < HW_NOBJ; o++)
			free(s->types[i].why[o]);
	}
	free(s->types);
	free(s->owners);
	free(s->members);
	hw_impact_free(s->imp);
	hw_graph_order_release(&s->ord);
	hw_graph_free(s->g);
	hw_asset_release(&s->a);
}

int hw_export_oscal(struct hw_store *st, const struct hw_oscal_opts *o,
		    FILE *fp, struct hw_error *err)
{
	struct ssp s;
	struct hw_jstream js;
	char href[256], doc[HW_UUID_TEXT];
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.st = st;
	s.o = o;
	s.err = err;
	if (ssp_prepare(&s) < 0 || hw_uuid_v4(doc, err) < 0)
		goto out;
	snprintf(href, sizeof href, PROFILE_HREF, hw_baseline_name(s.overall));
	hw_jstream_init(&js, fp, SSP_FLAGS);
	hw_jstream_object(&js, NULL);
	hw_jstream_object(&js, "system-security-plan");
	if (hw_jstream_put(&js, "control-implementation", controls_json(&s)) <
		0 ||
	    hw_jstream_put(&js, "import-profile",
			   json_pack("{s:s}", "href", href)) < 0 ||
	    stream_metadata(&s, &js) < 0 ||
	    hw_jstream_put(&js, "system-characteristics",
			   characteristics_json(&s)) < 0 ||
	    hw_jstream_object(&js, "system-implementation") < 0 ||
	    stream_boundary(&s, &js, 0) < 0 ||
	    stream_boundary(&s, &js, 1) < 0 ||
	    hw_jstream_put(&js, "users",
			   json_pack("[{s:o, s:s, s:[s]}]", "uuid",
				     uuid_json(&s, "user", "asset-owner"),
				     "title", "Asset owner", "role-ids",
				     "asset-owner")) < 0)
		goto end;
	hw_jstream_close(&js);
	hw_jstream_str(&js, "uuid", doc);
	hw_jstream_close(&js);
	hw_jstream_close(&js);
end:
	/* the first error set is kept: a failure above wins over the
	 * stream's own account of it */
	rc = hw_jstream_end(&js, 1, err);
out:
	ssp_release(&s);
	return rc;
}

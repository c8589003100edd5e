/*
 * json-record.c: one record of the inventory format from a JSON value
 * outside an import (a body the service is sent): the import's own
 * parsers (json-records.c) give the keys, checks and messages, and the
 * record comes out with its strings its own, its error's source the
 * JSON path at fault ("$.information_types[0].id").  Also an asset's
 * fields changed by an object of those keys, as asset set changes them.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json-records.h"
#include "posture.h"
#include "table.h"

#define ROOT "$"

/* e's "PATH: message" into err as source PATH and text message. */
static int path_fail(struct hw_error *err, const struct hw_error *e)
{
	const char *colon = strstr(e->text, ": ");
	enum hw_errcode code = e->code == HW_OK ? HW_EINVAL : e->code;
	char at[sizeof e->source];
	size_t n;

	if (strncmp(e->text, ROOT, strlen(ROOT)) != 0 || colon == NULL ||
	    (n = (size_t)(colon - e->text)) >= sizeof at)
		return hw_error_set_at(err, code, ROOT, 0, 0, "%s", e->text);
	memcpy(at, e->text, n);
	at[n] = '\0';
	return hw_error_set_at(err, code, at, 0, 0, "%s", colon + 2);
}

/* Any member of the object v not in keys (NULL-terminated) nor an
 * "x-" extension: failed at its own path, PATH.KEY (the import names
 * the object holding it). */
static int unknown_key(json_t *v, const char *path, const char *const *keys,
		       struct hw_error *err)
{
	const char *key;
	json_t *x;
	size_t i;

	if (!json_is_object(v))
		return 0;
	json_object_foreach(v, key, x)
	{
		char at[128];

		(void)x;
		for (i = 0; keys[i] != NULL && strcmp(keys[i], key) != 0; i++)
			;
		if (keys[i] != NULL || strncmp(key, "x-", 2) == 0)
			continue;
		snprintf(at, sizeof at, "%.60s.%.60s", path, key);
		return hw_error_set_at(err, HW_EFORMAT, at, 0, 0,
				       "unknown key \"%.40s\" (extensions "
				       "must start with \"x-\")",
				       key);
	}
	return 0;
}

static const char *const asset_keys[] = {HWP_INV_ASSET_COLUMNS,
					 "information_types", NULL};
static const char *const assign_keys[] = {
    "id",	    "confidentiality", "integrity",
    "availability", "justification",   NULL};

/* One record of the value v, its keys checked first: *rec in pool
 * (hwp_pool_free it whatever the result).  0, or -1 with err set. */
static int parse_rec(json_t *v, const char *const *keys,
		     int (*parse)(struct hwp_json_parser *, const char *,
				  json_t *, long, struct hwp_rec **),
		     struct hwp_pool *pool, struct hwp_rec **rec,
		     struct hw_error *err)
{
	struct hwp_json_parser ps;
	struct hw_error e = {0};

	memset(&ps, 0, sizeof ps);
	ps.w.err = &e;
	ps.pool = pool;
	if (unknown_key(v, ROOT, keys, err) < 0)
		return -1;
	if (parse(&ps, ROOT, v, 0, rec) < 0)
		return path_fail(err, &e);
	return 0;
}

static char *dup_or_null(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

static int nomem(struct hw_error *err)
{
	return hw_error_set(err, HW_ENOMEM, "out of memory");
}

/* Prepare g (hw_store_assignment_prepare) with errors at path. */
static int assignment_prepare(struct hw_store *st, struct hw_assignment *g,
			      const char *path, struct hw_error *err)
{
	struct hw_error e = {0};
	char at[128];

	if (hw_store_assignment_prepare(st, g, &e) == 0)
		return 0;
	snprintf(at, sizeof at, "%.100s%s", path,
		 e.code == HW_ENOTFOUND ? ".id" : "");
	return hw_error_set_at(err, e.code, at, 0, 0, "%s", e.text);
}

/* A parsed assignment r into g (strings copied), prepared. */
static int assignment_take(struct hw_store *st, const struct hwp_rec_assign *r,
			   const char *path, struct hw_assignment *g,
			   struct hw_error *err)
{
	int bad = 0;

	memset(g, 0, sizeof *g);
	g->type_id = dup_or_null(r->id, &bad);
	g->justification = dup_or_null(r->why, &bad);
	g->selected = r->selected;
	if (bad)
		return nomem(err);
	return assignment_prepare(st, g, path, err);
}

int hw_asset_from_json(struct hw_store *st, json_t *v, struct hw_asset *out,
		       struct hw_error *err)
{
	struct hwp_pool pool = {0};
	struct hw_asset a = {0};
	struct hwp_rec *rec;
	const struct hwp_rec_asset *r;
	json_t *types, *t;
	char at[128];
	size_t i, j;
	int bad = 0, rc = -1;

	types = json_object_get(v, "information_types");
	json_array_foreach(types, i, t)
	{
		snprintf(at, sizeof at, ROOT ".information_types[%zu]", i);
		if (unknown_key(t, at, assign_keys, err) < 0)
			goto out;
	}
	if (parse_rec(v, asset_keys, hwp_json_asset, &pool, &rec, err) < 0)
		goto out;
	r = (const struct hwp_rec_asset *)rec;
	/* Authorization is recorded by authorizing (its actor and time),
	 * never given. */
	if (r->authorized_by != NULL || r->authorized_at != 0) {
		hw_error_set_at(err, HW_EINVAL,
				r->authorized_by ? ROOT ".authorized_by"
						 : ROOT ".authorized_at",
				0, 0,
				"recorded by authorizing the asset, not given");
		goto out;
	}
	a.id = dup_or_null(r->id, &bad);
	a.name = dup_or_null(r->name, &bad);
	a.type = dup_or_null(r->type, &bad);
	a.owner = dup_or_null(r->owner, &bad);
	a.description = dup_or_null(r->description, &bad);
	a.direct = r->direct;
	a.internet_facing = r->internet_facing;
	a.factors = r->factors;
	if (bad || (r->ntypes > 0 &&
		    (a.types = calloc(r->ntypes, sizeof *a.types)) == NULL)) {
		nomem(err);
		goto out;
	}
	for (i = 0; i < r->ntypes; i++) {
		snprintf(at, sizeof at, ROOT ".information_types[%zu]", i);
		a.ntypes = i + 1;
		for (j = 0; j < i; j++)
			if (strcmp(r->types[j].id, r->types[i].id) == 0) {
				hw_error_set_at(err, HW_EINVAL, at, 0, 0,
						"information type '%s' is "
						"given twice",
						r->types[i].id);
				goto out;
			}
		if (assignment_take(st, &r->types[i], at, &a.types[i], err) < 0)
			goto out;
	}
	*out = a;
	memset(&a, 0, sizeof a);
	rc = 0;
out:
	hw_asset_release(&a);
	hwp_pool_free(&pool);
	return rc;
}

int hw_assignment_from_json(struct hw_store *st, json_t *v,
			    struct hw_assignment *out, struct hw_error *err)
{
	struct hwp_json_parser ps = {0};
	struct hwp_pool pool = {0};
	struct hw_error e = {0};
	struct hwp_rec_assign r = {0};
	struct hw_assignment g;
	int rc = -1;

	ps.w.err = &e;
	ps.pool = &pool;
	if (unknown_key(v, ROOT, assign_keys, err) < 0)
		;
	else if (hwp_json_assignment(&ps, ROOT, v, &r) < 0)
		path_fail(err, &e);
	else if (assignment_take(st, &r, ROOT, &g, err) < 0)
		hw_assignment_release(&g);
	else {
		*out = g;
		rc = 0;
	}
	hwp_pool_free(&pool);
	return rc;
}

int hw_infotype_from_json(json_t *v, struct hw_infotype *out,
			  struct hw_error *err)
{
	struct hwp_pool pool = {0};
	struct hwp_rec *rec;
	const struct hwp_rec_infotype *r;
	struct hw_infotype t = {0};
	int bad = 0, rc = -1;

	static const char *const keys[] = {
	    "id",	 "name",	 "category", "confidentiality",
	    "integrity", "availability", NULL};

	if (parse_rec(v, keys, hwp_json_infotype, &pool, &rec, err) < 0)
		goto out;
	r = (const struct hwp_rec_infotype *)rec;
	t.id = dup_or_null(r->id, &bad);
	t.name = dup_or_null(r->name, &bad);
	t.category = dup_or_null(r->category, &bad);
	t.prov = r->prov;
	if (bad) {
		nomem(err);
		hw_infotype_release(&t);
		goto out;
	}
	*out = t;
	rc = 0;
out:
	hwp_pool_free(&pool);
	return rc;
}

int hw_dep_from_json(json_t *v, struct hw_dep *out, struct hw_error *err)
{
	struct hwp_pool pool = {0};
	struct hwp_rec *rec;
	const struct hwp_rec_dep *r;
	struct hw_dep d = {0};
	int bad = 0, rc = -1;

	static const char *const keys[] = {"from", "to", "type", "carries",
					   NULL};

	if (parse_rec(v, keys, hwp_json_dep, &pool, &rec, err) < 0)
		goto out;
	r = (const struct hwp_rec_dep *)rec;
	d.from = dup_or_null(r->from, &bad);
	d.to = dup_or_null(r->to, &bad);
	d.type = dup_or_null(hw_dep_types[r->type], &bad);
	d.carries = r->carries;
	if (bad) {
		nomem(err);
		hw_dep_release(&d);
		goto out;
	}
	*out = d;
	rc = 0;
out:
	hwp_pool_free(&pool);
	return rc;
}

/* ------------------------------------------------------------------ */
/* An asset changed by an object of the format's keys                  */

/* What JSON a field takes. */
enum field_kind { F_TEXT, F_BOOL, F_WHOLE, F_NUMBER };

static enum field_kind field_kind(const char *key)
{
	if (strcmp(key, "internet_facing") == 0 ||
	    strcmp(key, "authorized") == 0)
		return F_BOOL;
	if (strcmp(key, "vulnerabilities") == 0)
		return F_WHOLE;
	if (strcmp(key, "worst_cvss") == 0 || strcmp(key, "downtime_cost") == 0)
		return F_NUMBER;
	return F_TEXT;
}

/* v as the text asset set takes for a field of kind k ("" for null:
 * cleared); -1 when v is not of that kind. */
static int field_text(enum field_kind k, json_t *v, char *buf, size_t size)
{
	if (json_is_null(v)) {
		buf[0] = '\0';
		return 0;
	}
	switch (k) {
	case F_BOOL:
		if (!json_is_boolean(v))
			return -1;
		snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
		return 0;
	case F_WHOLE:
		if (!json_is_integer(v))
			return -1;
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return 0;
	case F_NUMBER:
		if (!json_is_number(v))
			return -1;
		snprintf(buf, size, "%.17g", json_number_value(v));
		return 0;
	default:
		if (!json_is_string(v) ||
		    memchr(json_string_value(v), '\0', json_string_length(v)))
			return -1;
		return 1; /* the string itself */
	}
}

static const char *const kind_text[] = {
    "a string or null", "true, false or null", "a whole number or null",
    "a number or null"};

/* The assignments of a replaced by the array v. */
static int patch_types(struct hw_store *st, struct hw_asset *a, json_t *v,
		       struct hw_error *err)
{
	struct hw_assignment *types = NULL;
	size_t i, j, n = 0;
	char at[128];
	json_t *t;
	int rc = -1;

	if (!json_is_array(v) && !json_is_null(v))
		return hw_error_set_at(
		    err, HW_EFORMAT, ROOT ".information_types", 0, 0,
		    "expected an array or null, not %s", hwp_json_kind(v));
	if (json_array_size(v) > 0 &&
	    (types = calloc(json_array_size(v), sizeof *types)) == NULL)
		return nomem(err);
	json_array_foreach(v, i, t)
	{
		struct hw_error e = {0};

		snprintf(at, sizeof at, ROOT ".information_types[%zu]", i);
		if (hw_assignment_from_json(st, t, &types[i], &e) < 0) {
			char sub[sizeof e.source + 8];

			snprintf(sub, sizeof sub, "%.60s%.60s", at,
				 e.source + 1);
			hw_error_set_at(err, e.code, sub, 0, 0, "%s", e.text);
			goto out;
		}
		n = i + 1;
		for (j = 0; j < i; j++)
			if (strcmp(types[j].type_id, types[i].type_id) == 0) {
				hw_error_set_at(err, HW_EINVAL, at, 0, 0,
						"information type '%s' is "
						"given twice",
						types[i].type_id);
				goto out;
			}
	}
	for (j = 0; j < a->ntypes; j++)
		hw_assignment_release(&a->types[j]);
	free(a->types);
	a->types = types;
	a->ntypes = n;
	types = NULL;
	n = 0;
	rc = 0;
out:
	for (j = 0; j < n; j++)
		hw_assignment_release(&types[j]);
	free(types);
	return rc;
}

int hw_asset_patch_json(struct hw_store *st, struct hw_asset *a, json_t *v,
			struct hw_error *err)
{
	const char *key;
	json_t *x;
	char at[128], buf[64];

	if (!json_is_object(v))
		return hw_error_set_at(err, HW_EFORMAT, ROOT, 0, 0,
				       "expected an object, not %s",
				       hwp_json_kind(v));
	if (unknown_key(v, ROOT, asset_keys, err) < 0)
		return -1;
	json_object_foreach(v, key, x)
	{
		struct hw_error e = {0};
		enum field_kind k = field_kind(key);
		const char *text = buf;
		int rc;

		snprintf(at, sizeof at, ROOT ".%.100s", key);
		if (strncmp(key, "x-", 2) == 0)
			continue;
		if (strcmp(key, "information_types") == 0) {
			if (patch_types(st, a, x, err) < 0)
				return -1;
			continue;
		}
		if (strcmp(key, "id") == 0)
			return hw_error_set_at(err, HW_EINVAL, at, 0, 0,
					       "an asset's id cannot change");
		if (strncmp(key, "authorized_", 11) == 0)
			return hw_error_set_at(
			    err, HW_EINVAL, at, 0, 0,
			    "recorded by authorizing the asset, not given");
		rc = field_text(k, x, buf, sizeof buf);
		if (rc < 0)
			return hw_error_set_at(err, HW_EFORMAT, at, 0, 0,
					       "expected %s, not %s",
					       kind_text[k], hwp_json_kind(x));
		if (rc == 1)
			text = json_string_value(x);
		if (hw_asset_set_field(a, key, text, &e) < 0)
			return hw_error_set_at(err, e.code, at, 0, 0, "%s",
					       e.text);
	}
	return 0;
}

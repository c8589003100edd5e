/*
 * json-records.c: JSON values into import records: the inventory
 * format's members and their checks (DESIGN.md section 3), naming the
 * JSON path of anything wrong.  No store, no shared state: safe on any
 * thread, so that the readers parse on worker threads.
 */
#include <jansson.h>
#include <string.h>

#include "json-history.h"
#include "json-records.h"
#include "table.h"

const char *hwp_json_error_text(json_error_t *e)
{
	static const char nul[] = "\\u0000 is not allowed without "
				  "JSON_ALLOW_NUL";
	static const char ours[] = "\\u0000 (a NUL character) is not "
				   "allowed in a string";
	char rest[sizeof e->text - sizeof ours + 1];

	/* What follows (" near '...'") is kept as far as it fits. */
	if (strncmp(e->text, nul, sizeof nul - 1) == 0) {
		snprintf(rest, sizeof rest, "%.*s", (int)(sizeof rest - 1),
			 e->text + sizeof nul - 1);
		memcpy(e->text, ours, sizeof ours - 1);
		memcpy(e->text + sizeof ours - 1, rest, strlen(rest) + 1);
	}
	return e->text;
}

const char *hwp_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static void *new_rec(struct hwp_json_parser *ps, size_t size,
		     enum hwp_rec_kind kind, long ord)
{
	struct hwp_rec *r = hwp_pool_alloc(ps->pool, size);

	if (r == NULL) {
		hwp_where_nomem(&ps->w);
		return NULL;
	}
	memset(r, 0, size);
	r->kind = kind;
	r->ord = ord;
	return r;
}

static int expect_object(struct hwp_json_parser *ps, const char *path,
			 json_t *v)
{
	if (!json_is_object(v))
		return hwp_where_fail(&ps->w, path, HW_EFORMAT,
				      "expected an object, not %s",
				      hwp_json_kind(v));
	return 0;
}

/* Take the members of obj named in keys (NULL-terminated) into vals (as
 * many), in one pass; any other key but an "x-" extension is an error. */
static int take_members(struct hwp_json_parser *ps, const char *path,
			json_t *obj, const char *const *keys, json_t **vals)
{
	const char *key;
	json_t *v;
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		vals[i] = NULL;
	json_object_foreach(obj, key, v)
	{
		for (i = 0; keys[i] != NULL &&
			    (key[0] != keys[i][0] || strcmp(key, keys[i]) != 0);
		     i++)
			;
		if (keys[i] != NULL)
			vals[i] = v;
		else if (strncmp(key, "x-", 2) != 0)
			return hwp_where_fail(
			    &ps->w, path, HW_EFORMAT,
			    "unknown key \"%.40s\" (extensions must "
			    "start with \"x-\")",
			    key);
	}
	return 0;
}

/* A string member v (NULL when absent): *out borrowed from the JSON,
 * NULL when absent or null. */
static int str_of(struct hwp_json_parser *ps, const char *path, json_t *v,
		  const char *key, int required, const char **out)
{
	char sub[200];

	if (v == NULL || json_is_null(v)) {
		if (required)
			return hwp_where_fail(
			    &ps->w, path, HW_EFORMAT,
			    "missing \"%s\" (expected a string)", key);
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v) ||
	    memchr(json_string_value(v), '\0', json_string_length(v))) {
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		if (!json_is_string(v))
			return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
					      "expected a string, not %s",
					      hwp_json_kind(v));
		return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
				      "string contains a NUL byte");
	}
	*out = json_string_value(v);
	return 0;
}

/* Like str_of, with the string copied into the pool. */
static int keep_str(struct hwp_json_parser *ps, const char *path, json_t *v,
		    const char *key, int required, const char **out)
{
	const char *s;

	if (str_of(ps, path, v, key, required, &s) < 0)
		return -1;
	*out = NULL;
	if (s != NULL && (*out = hwp_pool_strdup(
			      ps->pool, s, json_string_length(v))) == NULL)
		return hwp_where_nomem(&ps->w);
	return 0;
}

/* s (a string at path.key) is at most max bytes long. */
static int short_str(struct hwp_json_parser *ps, const char *path,
		     const char *key, const char *s, size_t max)
{
	char sub[200];
	size_t n;

	if (s == NULL || (n = strlen(s)) <= max)
		return 0;
	snprintf(sub, sizeof sub, "%.160s.%s", path, key);
	return hwp_where_fail(&ps->w, sub, HW_EINVAL,
			      "%zu bytes long (expected at most %zu)", n, max);
}

/* The checks below run millions of times: they ask for the message (an
 * error structure to fill) only once they know there is one. */

static int keep_id(struct hwp_json_parser *ps, const char *path, json_t *v,
		   const char *key, const char *what, const char **out)
{
	char sub[200];
	const char *s;

	if (str_of(ps, path, v, key, 1, &s) < 0)
		return -1;
	if (!hw_id_valid(s)) {
		struct hw_error e = {0};

		hw_id_check(s, what, &e);
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		return hwp_where_rewrap(&ps->w, sub, &e);
	}
	return keep_str(ps, path, v, key, 1, out);
}

static int level_of(struct hwp_json_parser *ps, const char *path, json_t *v,
		    const char *key, int allow_na, enum hw_level *out)
{
	const char *s;
	char sub[200];

	if (str_of(ps, path, v, key, 0, &s) < 0)
		return -1;
	*out = HW_LEVEL_NONE;
	if (s != NULL && hw_level_parse(s, allow_na, out, NULL) < 0) {
		struct hw_error e = {0};

		hw_level_parse(s, allow_na, out, &e);
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		return hwp_where_rewrap(&ps->w, sub, &e);
	}
	return 0;
}

/* vals[0..2]: confidentiality, integrity, availability. */
static int triple_of(struct hwp_json_parser *ps, const char *path,
		     json_t **vals, int allow_na, struct hw_sc *sc)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if (level_of(ps, path, vals[o], hw_objective_name(o),
			     allow_na && o == HW_C, &sc->v[o]) < 0)
			return -1;
	return 0;
}

int hwp_json_infotype(struct hwp_json_parser *ps, const char *path, json_t *obj,
		      long ord, struct hwp_rec **out)
{
	static const char *const keys[] = {
	    "id",	 "name",	 "category", "confidentiality",
	    "integrity", "availability", NULL};
	struct hwp_rec_infotype *r;
	json_t *v[6];

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, HWP_REC_INFOTYPE, ord)) == NULL ||
	    keep_id(ps, path, v[0], "id", "information type id", &r->id) < 0 ||
	    keep_str(ps, path, v[1], "name", 1, &r->name) < 0 ||
	    short_str(ps, path, "name", r->name, HWP_NAME_MAX) < 0 ||
	    keep_str(ps, path, v[2], "category", 0, &r->category) < 0 ||
	    short_str(ps, path, "category", r->category, HWP_CATEGORY_MAX) <
		0 ||
	    triple_of(ps, path, v + 3, 1, &r->prov) < 0)
		return -1;
	*out = &r->h;
	return 0;
}

int hwp_json_assignment(struct hwp_json_parser *ps, const char *path,
			json_t *obj, struct hwp_rec_assign *g)
{
	static const char *const keys[] = {
	    "id",	    "confidentiality", "integrity",
	    "availability", "justification",   NULL};
	json_t *v[5];

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    keep_id(ps, path, v[0], "id", "information type id", &g->id) < 0 ||
	    triple_of(ps, path, v + 1, 1, &g->selected) < 0 ||
	    keep_str(ps, path, v[4], "justification", 0, &g->why) < 0 ||
	    short_str(ps, path, "justification", g->why, HWP_DESCRIPTION_MAX) <
		0)
		return -1;
	return 0;
}

/* The shortest text of x that reads back as x: -0.1 as the file gave
 * it, not -0.10000000000000001. */
static void real_text(double x, char *buf, size_t size)
{
	int p;

	for (p = 1; p < 17; p++) {
		snprintf(buf, size, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return;
	}
	snprintf(buf, size, "%.17g", x);
}

/* Risk factors: vals holds the members named as the factors, in enum
 * hw_factor order (NULL when absent), each optional. */
static int factors_of(struct hwp_json_parser *ps, const char *path,
		      json_t **vals, struct hw_factors *f)
{
	enum hw_factor k;

	memset(f, 0, sizeof *f);
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		const char *key = hw_factor_name(k);
		json_t *v = vals[k];
		struct hw_error e = {0};
		char sub[200], text[64];
		const char *want;
		int ok;

		if (v == NULL || json_is_null(v))
			continue;
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		switch (k) {
		case HW_F_VULNERABILITIES:
			want = "a whole number";
			ok = json_is_integer(v);
			if (ok)
				snprintf(text, sizeof text,
					 "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
			break;
		case HW_F_WORST_CVSS:
		case HW_F_DOWNTIME_COST:
			want = "a number";
			ok = json_is_number(v);
			if (ok)
				real_text(json_number_value(v), text,
					  sizeof text);
			break;
		case HW_F_AUTHORIZED:
			want = "true or false";
			ok = json_is_boolean(v);
			if (ok)
				snprintf(text, sizeof text, "%s",
					 json_is_true(v) ? "yes" : "no");
			break;
		default:
			want = "a string";
			ok = json_is_string(v) &&
			     json_string_length(v) < sizeof text;
			if (ok)
				snprintf(text, sizeof text, "%s",
					 json_string_value(v));
			break;
		}
		if (!ok && json_is_real(v)) {
			/* A whole number wanted: say which number came. */
			real_text(json_real_value(v), text, sizeof text);
			return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
					      "expected %s, not %s", want,
					      text);
		}
		if (!ok)
			return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
					      "expected %s, not %s", want,
					      hwp_json_kind(v));
		if (hw_factor_set(f, key, text, &e) < 0)
			return hwp_where_rewrap(&ps->w, sub, &e);
	}
	return 0;
}

int hwp_json_asset(struct hwp_json_parser *ps, const char *path, json_t *obj,
		   long ord, struct hwp_rec **out)
{
	/* The columns of the assets table, then the assignments. */
	static const char *const keys[] = {HWP_INV_ASSET_COLUMNS,
					   "information_types", NULL};
	struct hwp_rec_asset *r;
	json_t *v[19], *types, *t;
	const char *s;
	char sub[200];
	size_t i;
	int k;

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, HWP_REC_ASSET, ord)) == NULL ||
	    keep_id(ps, path, v[0], "id", "asset id", &r->id) < 0 ||
	    keep_str(ps, path, v[1], "name", 1, &r->name) < 0 ||
	    short_str(ps, path, "name", r->name, HWP_NAME_MAX) < 0 ||
	    str_of(ps, path, v[2], "type", 1, &s) < 0)
		return -1;
	r->hash = hwp_import_hash(r->id);
	k = hwp_vocab_index(hw_asset_types, s);
	if (k < 0) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return hwp_where_fail(
		    &ps->w, sub, HW_EINVAL,
		    "unknown asset type \"%.40s\" (expected %s)", s,
		    hw_vocab_text(hw_asset_types));
	}
	r->type = hw_asset_types[k];
	if (keep_str(ps, path, v[3], "owner", 0, &r->owner) < 0 ||
	    short_str(ps, path, "owner", r->owner, HWP_OWNER_MAX) < 0 ||
	    keep_str(ps, path, v[4], "description", 0, &r->description) < 0 ||
	    short_str(ps, path, "description", r->description,
		      HWP_DESCRIPTION_MAX) < 0 ||
	    triple_of(ps, path, v + 5, 0, &r->direct) < 0)
		return -1;
	if (v[8] != NULL && !json_is_boolean(v[8])) {
		snprintf(sub, sizeof sub, "%.160s.internet_facing", path);
		return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
				      "expected true or false, not %s",
				      hwp_json_kind(v[8]));
	}
	r->internet_facing = v[8] != NULL && json_is_true(v[8]);
	if (factors_of(ps, path, v + 9, &r->factors) < 0 ||
	    keep_str(ps, path, v[16], "authorized_by", 0, &r->authorized_by) <
		0 ||
	    str_of(ps, path, v[17], "authorized_at", 0, &s) < 0)
		return -1;
	if (r->authorized_by != NULL && r->authorized_by[0] == '\0') {
		snprintf(sub, sizeof sub, "%.160s.authorized_by", path);
		return hwp_where_fail(&ps->w, sub, HW_EINVAL,
				      "expected a name, not an empty string");
	}
	if (s != NULL) {
		struct hw_error e = {0};

		if (hw_time_parse(s, &r->authorized_at, &e) < 0) {
			snprintf(sub, sizeof sub, "%.160s.authorized_at", path);
			return hwp_where_rewrap(&ps->w, sub, &e);
		}
	}
	types = v[18];
	if (types != NULL && !json_is_array(types)) {
		snprintf(sub, sizeof sub, "%.160s.information_types", path);
		return hwp_where_fail(&ps->w, sub, HW_EFORMAT,
				      "expected an array, not %s",
				      hwp_json_kind(types));
	}
	if (types != NULL && json_array_size(types) > 0) {
		r->types = hwp_pool_alloc(ps->pool, json_array_size(types) *
							sizeof *r->types);
		if (r->types == NULL)
			return hwp_where_nomem(&ps->w);
		memset(r->types, 0, json_array_size(types) * sizeof *r->types);
	}
	json_array_foreach(types, i, t)
	{
		snprintf(sub, sizeof sub, "%.140s.information_types[%zu]", path,
			 i);
		if (hwp_json_assignment(ps, sub, t, &r->types[i]) < 0)
			return -1;
		r->ntypes = i + 1;
	}
	*out = &r->h;
	return 0;
}

int hwp_json_dep(struct hwp_json_parser *ps, const char *path, json_t *obj,
		 long ord, struct hwp_rec **out)
{
	static const char *const keys[] = {"from", "to", "type", "carries",
					   NULL};
	struct hwp_rec_dep *r;
	unsigned carries = HW_CARRY_ALL;
	json_t *v[4];
	const char *s;
	char sub[200];
	int k;

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, HWP_REC_DEP, ord)) == NULL ||
	    keep_id(ps, path, v[0], "from", "asset id", &r->from) < 0 ||
	    keep_id(ps, path, v[1], "to", "asset id", &r->to) < 0)
		return -1;
	if (strcmp(r->from, r->to) == 0)
		return hwp_where_fail(&ps->w, path, HW_EINVAL,
				      "asset '%s' cannot depend on itself",
				      r->from);
	if (str_of(ps, path, v[2], "type", 0, &s) < 0)
		return -1;
	k = hwp_vocab_index(hw_dep_types, s ? s : "other");
	if (k < 0) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return hwp_where_fail(
		    &ps->w, sub, HW_EINVAL,
		    "unknown dependency type \"%.40s\" (expected %s)", s,
		    hw_vocab_text(hw_dep_types));
	}
	if (str_of(ps, path, v[3], "carries", 0, &s) < 0)
		return -1;
	if (s != NULL && hw_carries_parse(s, &carries, NULL) < 0) {
		struct hw_error e = {0};

		hw_carries_parse(s, &carries, &e);
		snprintf(sub, sizeof sub, "%.160s.carries", path);
		return hwp_where_rewrap(&ps->w, sub, &e);
	}
	r->type = (unsigned char)k;
	r->carries = (unsigned char)carries;
	r->hfrom = hwp_import_hash(r->from);
	r->hto = hwp_import_hash(r->to);
	*out = &r->h;
	return 0;
}

/* History records: checked here, on the parsing thread; the record owns
 * what its struct holds (hwp_rec_release). */
static int history_fail(struct hwp_json_parser *ps, const char *path,
			const char *sub, const struct hw_error *e)
{
	char at[200];

	if (e->code == HW_ENOMEM)
		return hwp_where_nomem(&ps->w);
	snprintf(at, sizeof at, "%.130s%s", path, sub);
	return hwp_where_rewrap(&ps->w, at, e);
}

int hwp_json_change(struct hwp_json_parser *ps, const char *path, json_t *obj,
		    long ord, struct hwp_rec **out)
{
	struct hwp_rec_change *r;
	struct hw_error e = {0};
	char sub[HWP_HISTORY_SUB];

	r = new_rec(ps, sizeof *r, HWP_REC_CHANGE, ord);
	if (r == NULL)
		return -1;
	if (hwp_history_change(obj, &r->c, sub, &e) < 0)
		return history_fail(ps, path, sub, &e);
	*out = &r->h;
	return 0;
}

int hwp_json_incident(struct hwp_json_parser *ps, const char *path,
		      json_t *obj, long ord, struct hwp_rec **out)
{
	struct hwp_rec_incident *r;
	struct hw_error e = {0};
	char sub[HWP_HISTORY_SUB];

	r = new_rec(ps, sizeof *r, HWP_REC_INCIDENT, ord);
	if (r == NULL)
		return -1;
	if (hwp_history_incident(obj, &r->i, sub, &e) < 0)
		return history_fail(ps, path, sub, &e);
	*out = &r->h;
	return 0;
}

void hwp_rec_release(struct hwp_rec *r)
{
	if (r == NULL)
		return;
	if (r->kind == HWP_REC_CHANGE)
		hw_change_release(&((struct hwp_rec_change *)r)->c);
	else if (r->kind == HWP_REC_INCIDENT)
		hw_incident_release(&((struct hwp_rec_incident *)r)->i);
}

/* The header: format and version must be ours. */
int hwp_json_check_header(struct hwp_json_parser *ps, json_t *doc,
			  const char *path, const char *const *keys)
{
	json_t *fmt = json_object_get(doc, "format");
	json_t *ver = json_object_get(doc, "version");
	json_t *v[8];

	if (take_members(ps, path, doc, keys, v) < 0)
		return -1;
	if (!json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), HWP_JSON_FORMAT) != 0)
		return hwp_where_fail(
		    &ps->w, "format", HW_EFORMAT,
		    "expected \"format\": \"" HWP_JSON_FORMAT "\", "
		    "found %s%.40s%s",
		    json_is_string(fmt) ? "\"" : "",
		    json_is_string(fmt) ? json_string_value(fmt)
		    : fmt		? hwp_json_kind(fmt)
			  : "nothing (is this a highwater inventory?)",
		    json_is_string(fmt) ? "\"" : "");
	if (!json_is_integer(ver))
		return hwp_where_fail(&ps->w, "version", HW_EFORMAT,
				      "expected \"version\": %d, found %s",
				      HWP_JSON_VERSION,
				      ver ? hwp_json_kind(ver) : "nothing");
	if (json_integer_value(ver) != HWP_JSON_VERSION)
		return hwp_where_fail(
		    &ps->w, "version", HW_EFORMAT,
		    "unsupported version %" JSON_INTEGER_FORMAT
		    " (expected %d)",
		    json_integer_value(ver), HWP_JSON_VERSION);
	return 0;
}

static int blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* One line of JSON Lines after the header (len bytes, its newline
 * included): *out is its record, NULL for a blank line. */
int hwp_json_line(struct hwp_json_parser *ps, const char *line, size_t len,
		  struct hwp_rec **out)
{
	static const char *const keys[] = {"information_type", "asset",
					   "dependency", "change",
					   "incident", NULL};
	json_error_t jerr;
	json_t *rec, *v[5];
	int rc;

	*out = NULL;
	if (blank(line, len))
		return 0;
	rec = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (rec == NULL)
		return hw_error_set_at(ps->w.err, HW_EFORMAT, ps->w.file,
				       (int)ps->w.line, jerr.column,
				       "malformed JSON: %s",
				       hwp_json_error_text(&jerr));
	if (!json_is_object(rec))
		rc = hwp_where_fail(&ps->w, "(line)", HW_EFORMAT,
				    "expected an object, not %s",
				    hwp_json_kind(rec));
	else if (take_members(ps, "(line)", rec, keys, v) < 0)
		rc = -1;
	else if (json_object_size(rec) != 1 ||
		 (!v[0] && !v[1] && !v[2] && !v[3] && !v[4]))
		rc = hwp_where_fail(&ps->w, "(line)", HW_EFORMAT,
				    "expected exactly one of \"asset\", "
				    "\"dependency\", \"information_type\", "
				    "\"change\", \"incident\"");
	else if (v[1] != NULL)
		rc = hwp_json_asset(ps, "asset", v[1], ps->w.line, out);
	else if (v[2] != NULL)
		rc = hwp_json_dep(ps, "dependency", v[2], ps->w.line, out);
	else if (v[3] != NULL)
		rc = hwp_json_change(ps, "change", v[3], ps->w.line, out);
	else if (v[4] != NULL)
		rc = hwp_json_incident(ps, "incident", v[4], ps->w.line, out);
	else
		rc = hwp_json_infotype(ps, "information_type", v[0], ps->w.line,
				       out);
	json_decref(rec);
	return rc;
}

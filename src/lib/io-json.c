/*
 * io-json.c: the JSON inventory format (DESIGN.md section 3), whole
 * documents and JSON Lines, in and out.  Import validates every record,
 * naming the JSON path of anything wrong, and runs in one transaction.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hw-private.h"

#define FORMAT_NAME "highwater-inventory"
#define FORMAT_VERSION 1

/* Where a record came from: a whole document (index into its array) or
 * a JSON Lines file (line number). */
struct importer {
	struct hw_store *st;
	const char *file;
	int lines;	    /* JSON Lines input */
	long line;	    /* current line (JSON Lines) */
	struct hw_import_stats stats;
	struct hw_error *err;
	/* Assets of this file: id -> index into rown[] and ord[]. */
	struct hwp_arena arena;
	struct hwp_map ids;
	struct hwp_map types; /* information types of this file: id -> ord */
	long long *rown;
	long *ord;
	size_t nids, capids;
	/* Dependencies of this file: (from row << 32 | to row) -> ord. */
	struct hwp_map pairs;
};

static void importer_release(struct importer *im)
{
	hwp_arena_free(&im->arena);
	hwp_map_free(&im->ids);
	hwp_map_free(&im->types);
	hwp_map_free(&im->pairs);
	free(im->rown);
	free(im->ord);
}

/* Remember an asset of the file; -1 when out of memory. */
static int remember(struct importer *im, const char *id, long long n,
		    long ord)
{
	const char *key;

	if (im->nids == im->capids) {
		size_t cap = im->capids ? im->capids * 2 : 1024;
		long long *r = realloc(im->rown, cap * sizeof *r);
		long *o;

		if (r == NULL)
			return -1;
		im->rown = r;
		o = realloc(im->ord, cap * sizeof *o);
		if (o == NULL)
			return -1;
		im->ord = o;
		im->capids = cap;
	}
	key = hwp_arena_dup(&im->arena, id);
	if (key == NULL || hwp_map_put(&im->ids, (uint64_t)(uintptr_t)key,
				       (uint32_t)im->nids) == HWP_NONE)
		return -1;
	im->rown[im->nids] = n;
	im->ord[im->nids] = ord;
	im->nids++;
	return 0;
}

/* Row number of an asset of this file or of the database: 1 found, 0
 * not (yet), -1 error. */
static int resolve(struct importer *im, const char *id, long long *n)
{
	struct hw_error e = {0};
	uint32_t idx = hwp_map_get(&im->ids, (uint64_t)(uintptr_t)id);

	if (idx != HWP_NONE) {
		*n = im->rown[idx];
		return 1;
	}
	if (hwp_asset_n(im->st, id, n, &e) == 0)
		return 1;
	if (e.code == HW_ENOTFOUND)
		return 0;
	hw_error_set(im->err, e.code, "%s", e.text);
	return -1;
}

/* Fail with "<path>: <message>" located in the file. */
static int fail(struct importer *im, const char *path, enum hw_errcode code,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct importer *im, const char *path, enum hw_errcode code,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hw_error_set_at(im->err, code, im->file,
			       im->lines ? (int)im->line : 0, 0, "%s: %s",
			       path, msg);
}

/* Re-raise an error from a helper with the JSON path in front. */
static int rewrap(struct importer *im, const char *path,
		  const struct hw_error *e)
{
	return fail(im, path, e->code == HW_OK ? HW_EINVAL : e->code, "%s",
		    e->text);
}

static const char *json_kind(const json_t *v)
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

/* Check that obj has only allowed keys (or "x-" extensions). */
static int check_keys(struct importer *im, const char *path, json_t *obj,
		      const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		int ok = strncmp(key, "x-", 2) == 0;

		for (i = 0; !ok && allowed[i] != NULL; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok)
			return fail(im, path, HW_EFORMAT,
				    "unknown key \"%.40s\" (extensions must "
				    "start with \"x-\")",
				    key);
	}
	(void)v;
	return 0;
}

/* Optional string member: *out borrowed, NULL when absent or null. */
static int get_str(struct importer *im, const char *path, json_t *obj,
		   const char *key, int required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	char sub[200];

	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(im, path, HW_EFORMAT,
				    "missing \"%s\" (expected a string)", key);
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		if (!json_is_string(v))
			return fail(im, sub, HW_EFORMAT,
				    "expected a string, not %s", json_kind(v));
		return fail(im, sub, HW_EFORMAT, "string contains a NUL byte");
	}
	*out = json_string_value(v);
	return 0;
}

static int get_level(struct importer *im, const char *path, json_t *obj,
		     const char *key, int allow_na, enum hw_level *out)
{
	struct hw_error e = {0};
	const char *s;
	char sub[200];

	if (get_str(im, path, obj, key, 0, &s) < 0)
		return -1;
	*out = HW_LEVEL_NONE;
	if (s == NULL)
		return 0;
	if (hw_level_parse(s, allow_na, out, &e) < 0) {
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		return rewrap(im, sub, &e);
	}
	return 0;
}

static int get_triple(struct importer *im, const char *path, json_t *obj,
		      int allow_na, struct hw_sc *sc)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if (get_level(im, path, obj, hw_objective_name(o),
			      allow_na && o == HW_C, &sc->v[o]) < 0)
			return -1;
	return 0;
}

static int get_id(struct importer *im, const char *path, json_t *obj,
		  const char *key, const char *what, const char **out)
{
	struct hw_error e = {0};
	char sub[200];

	if (get_str(im, path, obj, key, 1, out) < 0)
		return -1;
	if (hw_id_check(*out, what, &e) < 0) {
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		return rewrap(im, sub, &e);
	}
	return 0;
}

static int expect_object(struct importer *im, const char *path, json_t *v)
{
	if (!json_is_object(v))
		return fail(im, path, HW_EFORMAT, "expected an object, not %s",
			    json_kind(v));
	return 0;
}

/* Risk factors: the members named as the factors, each optional. */
static int get_factors(struct importer *im, const char *path, json_t *obj,
		       struct hw_factors *f)
{
	enum hw_factor k;

	for (k = 0; k < HW_F_FRAGILITY; k++) {
		const char *key = hw_factor_name(k);
		json_t *v = json_object_get(obj, key);
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
				snprintf(text, sizeof text, "%.17g",
					 json_number_value(v));
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
			ok = json_is_string(v) && json_string_length(v) <
							  sizeof text;
			if (ok)
				snprintf(text, sizeof text, "%s",
					 json_string_value(v));
			break;
		}
		if (!ok)
			return fail(im, sub, HW_EFORMAT, "expected %s, not %s",
				    want, json_kind(v));
		if (hw_factor_set(f, key, text, &e) < 0)
			return rewrap(im, sub, &e);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static int import_infotype(struct importer *im, const char *path, json_t *obj,
			   long ord)
{
	static const char *const keys[] = {"id", "name", "category",
					   "confidentiality", "integrity",
					   "availability", NULL};
	struct hw_infotype t = {0}, old;
	struct hw_error e = {0};
	const char *id, *name, *category;
	const char *key;
	uint32_t first;
	int o, same = 0;

	if (expect_object(im, path, obj) < 0 ||
	    check_keys(im, path, obj, keys) < 0 ||
	    get_id(im, path, obj, "id", "information type id", &id) < 0 ||
	    get_str(im, path, obj, "name", 1, &name) < 0 ||
	    get_str(im, path, obj, "category", 0, &category) < 0 ||
	    get_triple(im, path, obj, 1, &t.prov) < 0)
		return -1;
	first = hwp_map_get(&im->types, (uint64_t)(uintptr_t)id);
	if (first != HWP_NONE)
		return fail(im, path, HW_EEXIST,
			    "duplicate information type id '%s' (first at "
			    "%s %u)",
			    id, im->lines ? "line" : "information_types index",
			    first);
	key = hwp_arena_dup(&im->arena, id);
	if (key == NULL || hwp_map_put(&im->types, (uint64_t)(uintptr_t)key,
				       (uint32_t)ord) == HWP_NONE)
		return hw_error_set(im->err, HW_ENOMEM, "out of memory");
	t.id = (char *)id;
	t.name = (char *)name;
	t.category = (char *)category;
	/* A catalogue entry given unchanged stays a catalogue entry. */
	if (hw_store_infotype_get(im->st, id, &old, &e) == 0) {
		same = old.builtin && strcmp(old.name, name) == 0 &&
		       ((old.category == NULL && category == NULL) ||
			(old.category && category &&
			 strcmp(old.category, category) == 0));
		for (o = 0; o < HW_NOBJ; o++)
			same = same && old.prov.v[o] == t.prov.v[o];
		hw_infotype_release(&old);
	} else if (e.code != HW_ENOTFOUND) {
		return rewrap(im, path, &e);
	}
	im->stats.infotypes++;
	if (same)
		return 0;
	hw_error_clear(&e);
	if (hw_store_infotype_put(im->st, &t, 1, &e) < 0)
		return rewrap(im, path, &e);
	return 0;
}

static int parse_assignment(struct importer *im, const char *path,
			    json_t *obj, struct hw_assignment *g)
{
	static const char *const keys[] = {"id",	   "confidentiality",
					   "integrity",	   "availability",
					   "justification", NULL};
	struct hw_error e = {0};
	const char *id, *why;
	char sub[200];

	if (expect_object(im, path, obj) < 0 ||
	    check_keys(im, path, obj, keys) < 0 ||
	    get_id(im, path, obj, "id", "information type id", &id) < 0 ||
	    get_triple(im, path, obj, 1, &g->selected) < 0 ||
	    get_str(im, path, obj, "justification", 0, &why) < 0)
		return -1;
	g->type_id = (char *)id;
	g->justification = (char *)why;
	if (hw_store_assignment_prepare(im->st, g, &e) < 0) {
		snprintf(sub, sizeof sub, "%.160s%s", path,
			 e.code == HW_ENOTFOUND ? ".id" : "");
		return rewrap(im, sub, &e);
	}
	return 0;
}

static int import_asset(struct importer *im, const char *path, json_t *obj,
			long ord)
{
	static const char *const keys[] = {
	    "id",	 "name",      "type",	      "owner",
	    "description", "confidentiality", "integrity", "availability",
	    "information_types", "internet_facing", "vulnerabilities",
	    "worst_cvss", "last_patched", "end_of_life", "authorized",
	    "implemented_baseline", "downtime_cost", NULL};
	struct hw_asset a = {0};
	struct hw_error e = {0};
	const char *s;
	json_t *types, *inet, *v;
	char sub[200];
	size_t i;
	long long n;
	uint32_t idx;
	int existed, ret = -1;

	if (expect_object(im, path, obj) < 0 ||
	    check_keys(im, path, obj, keys) < 0 ||
	    get_id(im, path, obj, "id", "asset id", &s) < 0)
		return -1;
	a.id = (char *)s;
	if (get_str(im, path, obj, "name", 1, &s) < 0)
		return -1;
	a.name = (char *)s;
	if (get_str(im, path, obj, "type", 1, &s) < 0)
		return -1;
	a.type = (char *)s;
	if (!hw_vocab_has(hw_asset_types, a.type)) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return fail(im, sub, HW_EINVAL,
			    "unknown asset type \"%.40s\" (expected %s)",
			    a.type, hw_vocab_text(hw_asset_types));
	}
	if (get_str(im, path, obj, "owner", 0, &s) < 0)
		return -1;
	a.owner = (char *)s;
	if (get_str(im, path, obj, "description", 0, &s) < 0)
		return -1;
	a.description = (char *)s;
	if (get_triple(im, path, obj, 0, &a.direct) < 0 ||
	    get_factors(im, path, obj, &a.factors) < 0)
		return -1;
	inet = json_object_get(obj, "internet_facing");
	if (inet != NULL && !json_is_boolean(inet)) {
		snprintf(sub, sizeof sub, "%.160s.internet_facing", path);
		return fail(im, sub, HW_EFORMAT,
			    "expected true or false, not %s", json_kind(inet));
	}
	a.internet_facing = inet != NULL && json_is_true(inet);
	types = json_object_get(obj, "information_types");
	if (types != NULL && !json_is_array(types)) {
		snprintf(sub, sizeof sub, "%.160s.information_types", path);
		return fail(im, sub, HW_EFORMAT, "expected an array, not %s",
			    json_kind(types));
	}
	if (types != NULL && json_array_size(types) > 0) {
		a.types = calloc(json_array_size(types), sizeof *a.types);
		if (a.types == NULL)
			return hw_error_set(im->err, HW_ENOMEM,
					    "out of memory");
	}
	json_array_foreach(types, i, v) {
		snprintf(sub, sizeof sub, "%.140s.information_types[%zu]", path, i);
		if (parse_assignment(im, sub, v, &a.types[i]) < 0)
			goto out;
		a.ntypes = i + 1;
	}
	idx = hwp_map_get(&im->ids, (uint64_t)(uintptr_t)a.id);
	if (idx != HWP_NONE) {
		fail(im, path, HW_EEXIST,
		     "duplicate asset id '%s' (first at %s %ld)", a.id,
		     im->lines ? "line" : "assets index", im->ord[idx]);
		goto out;
	}
	if (hwp_asset_put(im->st, &a, 1, &n, &existed, &e) < 0) {
		rewrap(im, path, &e);
		goto out;
	}
	if (remember(im, a.id, n, ord) < 0) {
		hw_error_set(im->err, HW_ENOMEM, "out of memory");
		goto out;
	}
	im->stats.assets++;
	ret = 0;
out:
	/* Strings are borrowed from the JSON; only the array is ours. */
	free(a.types);
	return ret;
}

static int import_dep(struct importer *im, const char *path, json_t *obj,
		      long ord)
{
	static const char *const keys[] = {"from", "to", "type", "carries",
					   NULL};
	struct hw_dep d = {0};
	struct hw_error e = {0};
	const char *s;
	char sub[200];
	long long from = -1, to = -1;
	long first;
	int rc, rf, rt;

	if (expect_object(im, path, obj) < 0 ||
	    check_keys(im, path, obj, keys) < 0 ||
	    get_id(im, path, obj, "from", "asset id", &s) < 0)
		return -1;
	d.from = (char *)s;
	if (get_id(im, path, obj, "to", "asset id", &s) < 0)
		return -1;
	d.to = (char *)s;
	if (strcmp(d.from, d.to) == 0)
		return fail(im, path, HW_EINVAL,
			    "asset '%s' cannot depend on itself", d.from);
	if (get_str(im, path, obj, "type", 0, &s) < 0)
		return -1;
	d.type = (char *)(s ? s : "other");
	if (!hw_vocab_has(hw_dep_types, d.type)) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return fail(im, sub, HW_EINVAL,
			    "unknown dependency type \"%.40s\" (expected %s)",
			    d.type, hw_vocab_text(hw_dep_types));
	}
	if (get_str(im, path, obj, "carries", 0, &s) < 0)
		return -1;
	d.carries = HW_CARRY_ALL;
	if (s != NULL && hw_carries_parse(s, &d.carries, &e) < 0) {
		snprintf(sub, sizeof sub, "%.160s.carries", path);
		return rewrap(im, sub, &e);
	}
	/* Both ends known: straight in, duplicates found in memory. */
	rf = resolve(im, d.from, &from);
	rt = rf < 0 ? -1 : resolve(im, d.to, &to);
	if (rf < 0 || rt < 0)
		return -1;
	if (rf && rt && from >= 0 && to >= 0 && from < UINT32_MAX &&
	    to < UINT32_MAX) {
		uint64_t key = ((uint64_t)from << 32) | (uint64_t)to;
		uint32_t prev = hwp_map_get(&im->pairs, key);

		if (prev != HWP_NONE)
			return fail(im, path, HW_EEXIST,
				    "duplicate dependency '%s' -> '%s' (first "
				    "at %s %u)",
				    d.from, d.to,
				    im->lines ? "line" : "dependencies index",
				    prev);
		if (hwp_map_put(&im->pairs, key, (uint32_t)ord) == HWP_NONE)
			return hw_error_set(im->err, HW_ENOMEM,
					    "out of memory");
		if (hwp_dep_put_n(im->st, from, to, d.type, d.carries, &e) < 0)
			return rewrap(im, path, &e);
		im->stats.dependencies++;
		return 0;
	}
	/* An end not seen yet (JSON Lines in any order): stage it. */
	rc = hwp_import_dep(im->st, &d, ord, &first, im->err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return fail(im, path, HW_EEXIST,
			    "duplicate dependency '%s' -> '%s' (first at %s "
			    "%ld)",
			    d.from, d.to,
			    im->lines ? "line" : "dependencies index", first);
	im->stats.dependencies++;
	return 0;
}

/* The header: format and version must be ours. */
static int check_header(struct importer *im, json_t *doc, const char *path,
			const char *const *keys)
{
	json_t *fmt = json_object_get(doc, "format");
	json_t *ver = json_object_get(doc, "version");

	if (check_keys(im, path, doc, keys) < 0)
		return -1;
	if (!json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), FORMAT_NAME) != 0)
		return fail(im, "format", HW_EFORMAT,
			    "expected \"format\": \"" FORMAT_NAME "\", "
			    "found %s%.40s%s",
			    json_is_string(fmt) ? "\"" : "",
			    json_is_string(fmt) ? json_string_value(fmt)
			    : fmt ? json_kind(fmt)
				  : "nothing (is this a highwater inventory?)",
			    json_is_string(fmt) ? "\"" : "");
	if (!json_is_integer(ver))
		return fail(im, "version", HW_EFORMAT,
			    "expected \"version\": %d, found %s", FORMAT_VERSION,
			    ver ? json_kind(ver) : "nothing");
	if (json_integer_value(ver) != FORMAT_VERSION)
		return fail(im, "version", HW_EFORMAT,
			    "unsupported version %" JSON_INTEGER_FORMAT
			    " (expected %d)",
			    json_integer_value(ver), FORMAT_VERSION);
	return 0;
}

/* Walk one top-level array of a whole document. */
static int import_array(struct importer *im, json_t *doc, const char *key,
			int (*fn)(struct importer *, const char *, json_t *,
				  long))
{
	json_t *arr = json_object_get(doc, key), *v;
	char path[96];
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr))
		return fail(im, key, HW_EFORMAT, "expected an array, not %s",
			    json_kind(arr));
	json_array_foreach(arr, i, v) {
		snprintf(path, sizeof path, "%s[%zu]", key, i);
		if (fn(im, path, v, (long)i) < 0)
			return -1;
	}
	return 0;
}

static int import_document(struct importer *im, FILE *fp)
{
	static const char *const keys[] = {"format", "version",
					   "information_types", "assets",
					   "dependencies", NULL};
	json_error_t jerr;
	json_t *doc;
	int ret = -1;

	doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return hw_error_set_at(im->err, HW_EFORMAT, im->file,
				       jerr.line, jerr.column,
				       "malformed JSON: %s", jerr.text);
	if (!json_is_object(doc)) {
		fail(im, "(document)", HW_EFORMAT,
		     "expected an object, not %s", json_kind(doc));
		goto out;
	}
	if (check_header(im, doc, "(document)", keys) < 0 ||
	    import_array(im, doc, "information_types", import_infotype) < 0 ||
	    import_array(im, doc, "assets", import_asset) < 0 ||
	    import_array(im, doc, "dependencies", import_dep) < 0)
		goto out;
	ret = 0;
out:
	json_decref(doc);
	return ret;
}

static int import_lines(struct importer *im, FILE *fp, long long total,
			void (*progress)(long long, long long, void *),
			void *pctx)
{
	static const char *const hkeys[] = {"format", "version", NULL};
	static const char *const rkeys[] = {"information_type", "asset",
					    "dependency", NULL};
	json_error_t jerr;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long long done = 0;
	int ret = -1, header = 0;

	while ((len = getline(&line, &cap, fp)) >= 0) {
		json_t *rec, *v;
		const char *key;
		int rc = 0;

		im->line++;
		done += len;
		if (progress != NULL && (im->line & 0xffff) == 0)
			progress(done, total, pctx);
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		rec = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES,
				 &jerr);
		if (rec == NULL) {
			hw_error_set_at(im->err, HW_EFORMAT, im->file,
					(int)im->line, jerr.column,
					"malformed JSON: %s", jerr.text);
			goto out;
		}
		if (!json_is_object(rec)) {
			rc = fail(im, "(line)", HW_EFORMAT,
				  "expected an object, not %s",
				  json_kind(rec));
		} else if (!header) {
			rc = check_header(im, rec, "(header)", hkeys);
			header = 1;
		} else if (check_keys(im, "(line)", rec, rkeys) < 0) {
			rc = -1;
		} else if (json_object_size(rec) != 1) {
			rc = fail(im, "(line)", HW_EFORMAT,
				  "expected exactly one of \"asset\", "
				  "\"dependency\", \"information_type\"");
		} else {
			json_object_foreach(rec, key, v) {
				long ord = im->line;

				if (strcmp(key, "asset") == 0)
					rc = import_asset(im, key, v, ord);
				else if (strcmp(key, "dependency") == 0)
					rc = import_dep(im, key, v, ord);
				else
					rc = import_infotype(im, key, v, ord);
			}
		}
		json_decref(rec);
		if (rc < 0)
			goto out;
	}
	if (ferror(fp)) {
		hw_error_set(im->err, HW_EIO, "cannot read '%s': %s", im->file,
			     strerror(errno));
		goto out;
	}
	if (!header) {
		hw_error_set_at(im->err, HW_EFORMAT, im->file, 1, 1,
				"empty file (expected a highwater inventory)");
		goto out;
	}
	if (progress != NULL)
		progress(done, total, pctx);
	ret = 0;
out:
	free(line);
	return ret;
}

/* JSON Lines when the first line is a short, complete object holding the
 * format and none of the document's arrays; a whole document otherwise. */
static int sniff_lines(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	json_t *v;
	int lines = 0;

	/* A header line is short; a long first line is a whole document on
	 * one line, which is not worth parsing twice to find out. */
	len = getline(&line, &cap, fp);
	if (len > 0 && len < 4096) {
		v = json_loadb(line, (size_t)len, 0, NULL);
		lines = json_is_object(v) && json_object_get(v, "format") &&
			json_object_get(v, "assets") == NULL &&
			json_object_get(v, "dependencies") == NULL &&
			json_object_get(v, "information_types") == NULL;
		json_decref(v);
	}
	free(line);
	rewind(fp);
	return lines;
}

int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err)
{
	struct importer im = {0};
	struct stat sb;
	char *bad_id = NULL;
	long bad_ord;
	int bad_end, rc;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	im.st = st;
	im.ids.strings = im.types.strings = 1;
	im.file = path;
	im.err = err;
	im.lines = sniff_lines(fp);
	if (hwp_foreign_keys(st, 0, err) < 0 || hw_store_begin(st, err) < 0) {
		hwp_foreign_keys(st, 1, NULL);
		fclose(fp);
		return -1;
	}
	if (hwp_import_stage(st, err) < 0 ||
	    (replace && hw_store_clear(st, err) < 0))
		goto fail;
	if (im.lines) {
		if (import_lines(&im, fp,
				 fstat(fileno(fp), &sb) == 0 ? sb.st_size : 0,
				 progress, pctx) < 0)
			goto fail;
	} else if (import_document(&im, fp) < 0) {
		goto fail;
	}
	rc = hwp_import_deps_resolve(st, &bad_ord, &bad_end, &bad_id, err);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		char where[96];

		if (im.lines) {
			im.line = bad_ord;
			snprintf(where, sizeof where, "dependency.%s",
				 bad_end ? "to" : "from");
		} else {
			snprintf(where, sizeof where, "dependencies[%ld].%s",
				 bad_ord, bad_end ? "to" : "from");
		}
		fail(&im, where, HW_ENOTFOUND,
		     "unknown asset '%s' (not in the file nor the database)",
		     bad_id);
		free(bad_id);
		goto fail;
	}
	hwp_import_unstage(st);
	if (dry_run)
		hw_store_rollback(st);
	else if (hw_store_commit(st, err) < 0)
		goto fail;
	fclose(fp);
	importer_release(&im);
	hwp_foreign_keys(st, 1, NULL);
	if (stats != NULL)
		*stats = im.stats;
	return 0;
fail:
	hw_store_rollback(st);
	hwp_import_unstage(st);
	hwp_foreign_keys(st, 1, NULL);
	fclose(fp);
	importer_release(&im);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Export                                                              */

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
	rc = json_object_set_new(doc, "format", json_string(FORMAT_NAME)) |
	     json_object_set_new(doc, "version", json_integer(FORMAT_VERSION)) |
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

/*
 * io-json.c: the JSON inventory format (DESIGN.md section 3), whole
 * documents and JSON Lines, in and out.  Import validates every record,
 * naming the JSON path of anything wrong, and runs in one transaction.
 *
 * Import is parsing, then applying.  Parsing (jansson and every check
 * that needs no database) turns each record into a compact copy with
 * its strings in a pool; applying writes the records to the store in
 * file order.  A JSON Lines file is parsed by worker threads, a batch
 * of lines at a time, while the calling thread applies the batches in
 * order: the first error in file order wins, whichever thread finds it.
 * Only the calling thread touches the store.  Dependencies are
 * collected in memory, sorted by (from, to) to find duplicates, and
 * inserted in that order at the end, once every asset is known.
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw-private.h"

#define FORMAT_NAME "highwater-inventory"
#define FORMAT_VERSION 1

/* JSON Lines: whole lines of about this many bytes make a batch (some
 * thousands of records); at most MAX_WORKERS threads parse, at most
 * MAX_INFLIGHT batches wait between reading and applying. */
#define BATCH_BYTES (256u << 10)
#define MAX_WORKERS 4
#define MAX_INFLIGHT 1024

/* Where errors go, and the place they name. */
struct where {
	const char *file;
	int lines; /* JSON Lines: errors name the line */
	long line; /* the line being parsed or applied */
	struct hw_error *err;
};

/* Fail with "<path>: <message>" located in the file. */
static int fail(struct where *w, const char *path, enum hw_errcode code,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct where *w, const char *path, enum hw_errcode code,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hw_error_set_at(w->err, code, w->file,
			       w->lines ? (int)w->line : 0, 0, "%s: %s", path,
			       msg);
}

/* Re-raise an error from a helper with the JSON path in front. */
static int rewrap(struct where *w, const char *path, const struct hw_error *e)
{
	return fail(w, path, e->code == HW_OK ? HW_EINVAL : e->code, "%s",
		    e->text);
}

static int nomem(struct where *w)
{
	return hw_error_set(w->err, HW_ENOMEM, "out of memory");
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

/* ------------------------------------------------------------------ */
/* Records                                                             */

enum rec_kind { REC_INFOTYPE, REC_ASSET, REC_DEP };

/* What every record starts with. */
struct rec {
	enum rec_kind kind;
	long ord; /* line (JSON Lines) or index in its array */
};

struct rec_infotype {
	struct rec h;
	const char *id, *name, *category;
	struct hw_sc prov;
};

struct rec_assign {
	const char *id, *why;
	struct hw_sc selected; /* as given: unset levels stay NONE */
};

struct rec_asset {
	struct rec h;
	const char *id, *name, *owner, *description;
	const char *type; /* an entry of hw_asset_types */
	uint64_t hash;	  /* of id */
	struct hw_sc direct;
	int internet_facing;
	struct hw_factors factors;
	size_t ntypes;
	struct rec_assign *types;
};

struct rec_dep {
	struct rec h;
	const char *from, *to;
	uint64_t hfrom, hto; /* hashes of from and to */
	unsigned char type;  /* index into hw_dep_types */
	unsigned char carries;
};

static uint64_t hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* ------------------------------------------------------------------ */
/* Parsing: no store, no shared state; safe on any thread              */

struct parser {
	struct where w;
	struct hwp_pool *pool; /* records and their strings */
};

static void *new_rec(struct parser *ps, size_t size, enum rec_kind kind,
		     long ord)
{
	struct rec *r = hwp_pool_alloc(ps->pool, size);

	if (r == NULL) {
		nomem(&ps->w);
		return NULL;
	}
	memset(r, 0, size);
	r->kind = kind;
	r->ord = ord;
	return r;
}

static int expect_object(struct parser *ps, const char *path, json_t *v)
{
	if (!json_is_object(v))
		return fail(&ps->w, path, HW_EFORMAT,
			    "expected an object, not %s", json_kind(v));
	return 0;
}

/* Take the members of obj named in keys (NULL-terminated) into vals (as
 * many), in one pass; any other key but an "x-" extension is an error. */
static int take_members(struct parser *ps, const char *path, json_t *obj,
			const char *const *keys, json_t **vals)
{
	const char *key;
	json_t *v;
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		vals[i] = NULL;
	json_object_foreach(obj, key, v) {
		for (i = 0; keys[i] != NULL &&
			    (key[0] != keys[i][0] || strcmp(key, keys[i]) != 0);
		     i++)
			;
		if (keys[i] != NULL)
			vals[i] = v;
		else if (strncmp(key, "x-", 2) != 0)
			return fail(&ps->w, path, HW_EFORMAT,
				    "unknown key \"%.40s\" (extensions must "
				    "start with \"x-\")",
				    key);
	}
	return 0;
}

/* A string member v (NULL when absent): *out borrowed from the JSON,
 * NULL when absent or null. */
static int str_of(struct parser *ps, const char *path, json_t *v,
		  const char *key, int required, const char **out)
{
	char sub[200];

	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(&ps->w, path, HW_EFORMAT,
				    "missing \"%s\" (expected a string)", key);
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v) ||
	    memchr(json_string_value(v), '\0', json_string_length(v))) {
		snprintf(sub, sizeof sub, "%.160s.%s", path, key);
		if (!json_is_string(v))
			return fail(&ps->w, sub, HW_EFORMAT,
				    "expected a string, not %s", json_kind(v));
		return fail(&ps->w, sub, HW_EFORMAT,
			    "string contains a NUL byte");
	}
	*out = json_string_value(v);
	return 0;
}

/* Like str_of, with the string copied into the pool. */
static int keep_str(struct parser *ps, const char *path, json_t *v,
		    const char *key, int required, const char **out)
{
	const char *s;

	if (str_of(ps, path, v, key, required, &s) < 0)
		return -1;
	*out = NULL;
	if (s != NULL && (*out = hwp_pool_strdup(
			      ps->pool, s, json_string_length(v))) == NULL)
		return nomem(&ps->w);
	return 0;
}

/* The checks below run millions of times: they ask for the message (an
 * error structure to fill) only once they know there is one. */

static int keep_id(struct parser *ps, const char *path, json_t *v,
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
		return rewrap(&ps->w, sub, &e);
	}
	return keep_str(ps, path, v, key, 1, out);
}

static int level_of(struct parser *ps, const char *path, json_t *v,
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
		return rewrap(&ps->w, sub, &e);
	}
	return 0;
}

/* vals[0..2]: confidentiality, integrity, availability. */
static int triple_of(struct parser *ps, const char *path, json_t **vals,
		     int allow_na, struct hw_sc *sc)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if (level_of(ps, path, vals[o], hw_objective_name(o),
			     allow_na && o == HW_C, &sc->v[o]) < 0)
			return -1;
	return 0;
}

static int parse_infotype(struct parser *ps, const char *path, json_t *obj,
			  long ord, struct rec **out)
{
	static const char *const keys[] = {
	    "id",	 "name",	 "category", "confidentiality",
	    "integrity", "availability", NULL};
	struct rec_infotype *r;
	json_t *v[6];

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, REC_INFOTYPE, ord)) == NULL ||
	    keep_id(ps, path, v[0], "id", "information type id", &r->id) < 0 ||
	    keep_str(ps, path, v[1], "name", 1, &r->name) < 0 ||
	    keep_str(ps, path, v[2], "category", 0, &r->category) < 0 ||
	    triple_of(ps, path, v + 3, 1, &r->prov) < 0)
		return -1;
	*out = &r->h;
	return 0;
}

static int parse_assignment(struct parser *ps, const char *path, json_t *obj,
			    struct rec_assign *g)
{
	static const char *const keys[] = {
	    "id",	    "confidentiality", "integrity",
	    "availability", "justification",   NULL};
	json_t *v[5];

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    keep_id(ps, path, v[0], "id", "information type id", &g->id) < 0 ||
	    triple_of(ps, path, v + 1, 1, &g->selected) < 0 ||
	    keep_str(ps, path, v[4], "justification", 0, &g->why) < 0)
		return -1;
	return 0;
}

/* Risk factors: vals holds the members named as the factors, in enum
 * hw_factor order (NULL when absent), each optional. */
static int factors_of(struct parser *ps, const char *path, json_t **vals,
		      struct hw_factors *f)
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
			ok = json_is_string(v) &&
			     json_string_length(v) < sizeof text;
			if (ok)
				snprintf(text, sizeof text, "%s",
					 json_string_value(v));
			break;
		}
		if (!ok)
			return fail(&ps->w, sub, HW_EFORMAT,
				    "expected %s, not %s", want, json_kind(v));
		if (hw_factor_set(f, key, text, &e) < 0)
			return rewrap(&ps->w, sub, &e);
	}
	return 0;
}

static int parse_asset(struct parser *ps, const char *path, json_t *obj,
		       long ord, struct rec **out)
{
	static const char *const keys[] = {"id",
					   "name",
					   "type",
					   "owner",
					   "description",
					   "confidentiality",
					   "integrity",
					   "availability",
					   "internet_facing",
					   "information_types",
					   "vulnerabilities",
					   "worst_cvss",
					   "last_patched",
					   "end_of_life",
					   "authorized",
					   "implemented_baseline",
					   "downtime_cost",
					   NULL};
	struct rec_asset *r;
	json_t *v[17], *types, *t;
	const char *s;
	char sub[200];
	size_t i;
	int k;

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, REC_ASSET, ord)) == NULL ||
	    keep_id(ps, path, v[0], "id", "asset id", &r->id) < 0 ||
	    keep_str(ps, path, v[1], "name", 1, &r->name) < 0 ||
	    str_of(ps, path, v[2], "type", 1, &s) < 0)
		return -1;
	r->hash = hash_id(r->id);
	k = hwp_vocab_index(hw_asset_types, s);
	if (k < 0) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return fail(&ps->w, sub, HW_EINVAL,
			    "unknown asset type \"%.40s\" (expected %s)", s,
			    hw_vocab_text(hw_asset_types));
	}
	r->type = hw_asset_types[k];
	if (keep_str(ps, path, v[3], "owner", 0, &r->owner) < 0 ||
	    keep_str(ps, path, v[4], "description", 0, &r->description) < 0 ||
	    triple_of(ps, path, v + 5, 0, &r->direct) < 0)
		return -1;
	if (v[8] != NULL && !json_is_boolean(v[8])) {
		snprintf(sub, sizeof sub, "%.160s.internet_facing", path);
		return fail(&ps->w, sub, HW_EFORMAT,
			    "expected true or false, not %s", json_kind(v[8]));
	}
	r->internet_facing = v[8] != NULL && json_is_true(v[8]);
	if (factors_of(ps, path, v + 10, &r->factors) < 0)
		return -1;
	types = v[9];
	if (types != NULL && !json_is_array(types)) {
		snprintf(sub, sizeof sub, "%.160s.information_types", path);
		return fail(&ps->w, sub, HW_EFORMAT,
			    "expected an array, not %s", json_kind(types));
	}
	if (types != NULL && json_array_size(types) > 0) {
		r->types = hwp_pool_alloc(ps->pool, json_array_size(types) *
							sizeof *r->types);
		if (r->types == NULL)
			return nomem(&ps->w);
		memset(r->types, 0, json_array_size(types) * sizeof *r->types);
	}
	json_array_foreach(types, i, t) {
		snprintf(sub, sizeof sub, "%.140s.information_types[%zu]", path,
			 i);
		if (parse_assignment(ps, sub, t, &r->types[i]) < 0)
			return -1;
		r->ntypes = i + 1;
	}
	*out = &r->h;
	return 0;
}

static int parse_dep(struct parser *ps, const char *path, json_t *obj, long ord,
		     struct rec **out)
{
	static const char *const keys[] = {"from", "to", "type", "carries",
					   NULL};
	struct rec_dep *r;
	unsigned carries = HW_CARRY_ALL;
	json_t *v[4];
	const char *s;
	char sub[200];
	int k;

	if (expect_object(ps, path, obj) < 0 ||
	    take_members(ps, path, obj, keys, v) < 0 ||
	    (r = new_rec(ps, sizeof *r, REC_DEP, ord)) == NULL ||
	    keep_id(ps, path, v[0], "from", "asset id", &r->from) < 0 ||
	    keep_id(ps, path, v[1], "to", "asset id", &r->to) < 0)
		return -1;
	if (strcmp(r->from, r->to) == 0)
		return fail(&ps->w, path, HW_EINVAL,
			    "asset '%s' cannot depend on itself", r->from);
	if (str_of(ps, path, v[2], "type", 0, &s) < 0)
		return -1;
	k = hwp_vocab_index(hw_dep_types, s ? s : "other");
	if (k < 0) {
		snprintf(sub, sizeof sub, "%.160s.type", path);
		return fail(&ps->w, sub, HW_EINVAL,
			    "unknown dependency type \"%.40s\" (expected %s)",
			    s, hw_vocab_text(hw_dep_types));
	}
	if (str_of(ps, path, v[3], "carries", 0, &s) < 0)
		return -1;
	if (s != NULL && hw_carries_parse(s, &carries, NULL) < 0) {
		struct hw_error e = {0};

		hw_carries_parse(s, &carries, &e);
		snprintf(sub, sizeof sub, "%.160s.carries", path);
		return rewrap(&ps->w, sub, &e);
	}
	r->type = (unsigned char)k;
	r->carries = (unsigned char)carries;
	r->hfrom = hash_id(r->from);
	r->hto = hash_id(r->to);
	*out = &r->h;
	return 0;
}

/* The header: format and version must be ours. */
static int check_header(struct parser *ps, json_t *doc, const char *path,
			const char *const *keys)
{
	json_t *fmt = json_object_get(doc, "format");
	json_t *ver = json_object_get(doc, "version");
	json_t *v[8];

	if (take_members(ps, path, doc, keys, v) < 0)
		return -1;
	if (!json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), FORMAT_NAME) != 0)
		return fail(&ps->w, "format", HW_EFORMAT,
			    "expected \"format\": \"" FORMAT_NAME "\", "
			    "found %s%.40s%s",
			    json_is_string(fmt) ? "\"" : "",
			    json_is_string(fmt) ? json_string_value(fmt)
			    : fmt ? json_kind(fmt)
				  : "nothing (is this a highwater inventory?)",
			    json_is_string(fmt) ? "\"" : "");
	if (!json_is_integer(ver))
		return fail(&ps->w, "version", HW_EFORMAT,
			    "expected \"version\": %d, found %s",
			    FORMAT_VERSION, ver ? json_kind(ver) : "nothing");
	if (json_integer_value(ver) != FORMAT_VERSION)
		return fail(&ps->w, "version", HW_EFORMAT,
			    "unsupported version %" JSON_INTEGER_FORMAT
			    " (expected %d)",
			    json_integer_value(ver), FORMAT_VERSION);
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
static int parse_line(struct parser *ps, const char *line, size_t len,
		      struct rec **out)
{
	static const char *const keys[] = {"information_type", "asset",
					   "dependency", NULL};
	json_error_t jerr;
	json_t *rec, *v[3];
	int rc;

	*out = NULL;
	if (blank(line, len))
		return 0;
	rec = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (rec == NULL)
		return hw_error_set_at(ps->w.err, HW_EFORMAT, ps->w.file,
				       (int)ps->w.line, jerr.column,
				       "malformed JSON: %s", jerr.text);
	if (!json_is_object(rec))
		rc = fail(&ps->w, "(line)", HW_EFORMAT,
			  "expected an object, not %s", json_kind(rec));
	else if (take_members(ps, "(line)", rec, keys, v) < 0)
		rc = -1;
	else if (json_object_size(rec) != 1 || (!v[0] && !v[1] && !v[2]))
		rc = fail(&ps->w, "(line)", HW_EFORMAT,
			  "expected exactly one of \"asset\", "
			  "\"dependency\", \"information_type\"");
	else if (v[1] != NULL)
		rc = parse_asset(ps, "asset", v[1], ps->w.line, out);
	else if (v[2] != NULL)
		rc = parse_dep(ps, "dependency", v[2], ps->w.line, out);
	else
		rc = parse_infotype(ps, "information_type", v[0], ps->w.line,
				    out);
	json_decref(rec);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Applying: on the calling thread, in file order                      */

/* An asset id the import has met, in the file or in the database. */
struct ident {
	long long n; /* row number; 0 while not known */
	long ord;    /* where the file holds the asset; -1 not (yet), -2
			not in the database either */
	char id[];
};

/* ids -> ident, open addressing; a slot keeps the whole hash, so that a
 * miss seldom and a hit once looks at an ident (which holds its id). */
struct idslot {
	uint64_t hash;
	struct ident *ent; /* NULL: empty */
};

struct idmap {
	struct idslot *slots;
	size_t cap, count; /* cap a power of two */
	struct hwp_pool idents;
};

/* Dependencies are struct hwp_dep_row.  An end not known yet (JSON
 * Lines may name an asset before its line) is LATER | the address of its
 * ident until resolved; flag is 1 once the row is in the store.  Rows are
 * inserted a sorted chunk at a time while the file is read (most of the work
 * then overlaps the parsing), all that is left at the end. */
#define LATER (1ULL << 63)
#define LATER_IDENT(end) ((struct ident *)(uintptr_t)((end) & ~LATER))
#define CHUNK (1u << 18)

struct importer {
	struct hw_store *st;
	struct where w;
	struct hw_import_stats stats;
	struct idmap ids;
	struct hwp_map types; /* information types of this file: id -> ord */
	struct hwp_arena type_ids;
	struct hwp_dep_row *deps;
	size_t ndeps, capdeps;
	size_t nlater;		     /* rows with an end not known yet */
	size_t nstored;		     /* rows [0, nstored) are in the store */
	struct hwp_dep_row *sortbuf; /* scratch for sorting */
	size_t capsort;
	size_t *runs; /* where each sorted run of stored rows starts */
	size_t nruns, capruns;
	int index;	 /* dependency_dst: 0 undecided, 1 kept, 2 dropped */
	int owner_index; /* asset_owner: 1 dropped, to build again */
	int threads;	 /* for SQLite's sorter */
	long long done, total; /* bytes of the file applied, and in all */
	struct hw_assignment *scratch; /* one asset's assignments */
	size_t capscratch;
};

static void idmap_free(struct idmap *m)
{
	free(m->slots);
	hwp_pool_free(&m->idents);
	memset(m, 0, sizeof *m);
}

static int idmap_grow(struct idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 4096, i, j;
	struct idslot *slots = calloc(cap, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].ent == NULL)
			continue;
		for (j = m->slots[i].hash & (cap - 1); slots[j].ent != NULL;
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/* The ident of id (hash h), added when new; NULL when out of memory. */
static struct ident *idmap_get(struct idmap *m, const char *id, uint64_t h)
{
	struct ident *e;
	size_t i, len;

	if ((m->count + 1) * 2 > m->cap && idmap_grow(m) < 0)
		return NULL;
	for (i = h & (m->cap - 1); m->slots[i].ent != NULL;
	     i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h &&
		    strcmp(m->slots[i].ent->id, id) == 0)
			return m->slots[i].ent;
	len = strlen(id);
	e = hwp_pool_alloc(&m->idents, sizeof *e + len + 1);
	if (e == NULL)
		return NULL;
	e->n = 0;
	e->ord = -1;
	memcpy(e->id, id, len + 1);
	m->slots[i].hash = h;
	m->slots[i].ent = e;
	m->count++;
	return e;
}

/* The records a batch applies next: bring their slots (stage 0) and then
 * their idents (stage 1) into the cache ahead of time, most of the cost
 * of a lookup in a map of a million ids. */
static void idmap_prefetch(const struct idmap *m, uint64_t h, int stage)
{
	const struct idslot *s;

	if (m->cap == 0)
		return;
	s = &m->slots[h & (m->cap - 1)];
	if (stage == 0)
		__builtin_prefetch(s);
	else if (s->ent != NULL)
		__builtin_prefetch(s->ent);
}

static void prefetch_rec(const struct idmap *m, const struct rec *r, int stage)
{
	const struct rec_dep *d = (const struct rec_dep *)r;

	if (r->kind == REC_DEP) {
		idmap_prefetch(m, d->hfrom, stage);
		idmap_prefetch(m, d->hto, stage);
	} else if (r->kind == REC_ASSET) {
		idmap_prefetch(m, ((const struct rec_asset *)r)->hash, stage);
	}
}

/* "asset" in JSON Lines, "assets[12]" in a document. */
static const char *rec_path(const struct importer *im, const struct rec *r,
			    char *buf, size_t size)
{
	static const char *const line_key[] = {"information_type", "asset",
					       "dependency"};
	static const char *const doc_key[] = {"information_types", "assets",
					      "dependencies"};

	if (im->w.lines)
		return line_key[r->kind];
	snprintf(buf, size, "%s[%ld]", doc_key[r->kind], r->ord);
	return buf;
}

static int apply_infotype(struct importer *im, const struct rec_infotype *r)
{
	struct hw_infotype t = {0}, old;
	struct hw_error e = {0};
	const char *key, *diff = NULL;
	char buf[64], sub[96];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);
	uint32_t first;

	first = hwp_map_get(&im->types, (uint64_t)(uintptr_t)r->id);
	if (first != HWP_NONE)
		return fail(&im->w, path, HW_EEXIST,
			    "duplicate information type id '%s' (first at "
			    "%s %u)",
			    r->id,
			    im->w.lines ? "line" : "information_types index",
			    first);
	key = hwp_arena_dup(&im->type_ids, r->id);
	if (key == NULL || hwp_map_put(&im->types, (uint64_t)(uintptr_t)key,
				       (uint32_t)r->h.ord) == HWP_NONE)
		return nomem(&im->w);
	t.id = (char *)r->id;
	t.name = (char *)r->name;
	t.category = (char *)r->category;
	t.prov = r->prov;
	/* The shipped catalogue is reference data: a file may give a
	 * shipped type only as shipped (then nothing changes), and the
	 * error names the first member that differs. */
	if (hw_store_infotype_get(im->st, r->id, &old, &e) == 0) {
		int builtin = old.builtin;

		diff = builtin ? hw_infotype_shipped_diff(&old, &t) : NULL;
		hw_infotype_release(&old);
		if (diff != NULL) {
			snprintf(sub, sizeof sub, "%s.%s", path, diff);
			return fail(&im->w, sub, HW_EREFUSED,
				    "information type '%s' is in the shipped "
				    "SP 800-60 catalogue: its %s cannot "
				    "change (give it as shipped, or leave it "
				    "out)",
				    r->id, diff);
		}
		if (builtin) {
			im->stats.infotypes++;
			return 0;
		}
	} else if (e.code != HW_ENOTFOUND) {
		return rewrap(&im->w, path, &e);
	}
	hw_error_clear(&e);
	if (hw_store_infotype_put(im->st, &t, 1, &e) < 0)
		return rewrap(&im->w, path, &e);
	im->stats.infotypes++;
	return 0;
}

static int apply_asset(struct importer *im, const struct rec_asset *r)
{
	struct hw_asset a = {0};
	struct hw_error e; /* ready (code HW_OK) before each call */
	char buf[64], sub[200];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);
	struct ident *x;
	long long n;
	size_t i;
	int existed;

	if (r->ntypes > im->capscratch) {
		struct hw_assignment *g =
		    realloc(im->scratch, r->ntypes * sizeof *g);

		if (g == NULL)
			return nomem(&im->w);
		im->scratch = g;
		im->capscratch = r->ntypes;
	}
	for (i = 0; i < r->ntypes; i++) {
		struct hw_assignment *g = &im->scratch[i];

		memset(g, 0, sizeof *g);
		g->type_id = (char *)r->types[i].id;
		g->selected = r->types[i].selected;
		g->justification = (char *)r->types[i].why;
		e.code = HW_OK;
		if (hw_store_assignment_prepare(im->st, g, &e) < 0) {
			snprintf(sub, sizeof sub,
				 "%.140s.information_types[%zu]%s", path, i,
				 e.code == HW_ENOTFOUND ? ".id" : "");
			return rewrap(&im->w, sub, &e);
		}
	}
	x = idmap_get(&im->ids, r->id, r->hash);
	if (x == NULL)
		return nomem(&im->w);
	if (x->ord >= 0)
		return fail(&im->w, path, HW_EEXIST,
			    "duplicate asset id '%s' (first at %s %ld)", r->id,
			    im->w.lines ? "line" : "assets index", x->ord);
	a.id = (char *)r->id;
	a.name = (char *)r->name;
	a.type = (char *)r->type;
	a.owner = (char *)r->owner;
	a.description = (char *)r->description;
	a.direct = r->direct;
	a.internet_facing = r->internet_facing;
	a.factors = r->factors;
	a.types = im->scratch;
	a.ntypes = r->ntypes;
	e.code = HW_OK;
	if (hwp_asset_put(im->st, &a, 1, &n, &existed, &e) < 0)
		return rewrap(&im->w, path, &e);
	x->n = n;
	x->ord = r->h.ord;
	im->stats.assets++;
	return 0;
}

/* The row number of an asset named by a dependency, or LATER | its
 * ident while neither the file (so far) nor the database has it.  The
 * database is asked once per id: only this import adds assets. */
static int dep_end(struct importer *im, const char *id, uint64_t h,
		   uint64_t *out)
{
	struct ident *ent = idmap_get(&im->ids, id, h);
	long long n;

	if (ent == NULL)
		return nomem(&im->w);
	if (ent->n == 0 && ent->ord == -1) {
		struct hw_error e = {0};

		if (hwp_asset_n(im->st, id, &n, &e) == 0)
			ent->n = n;
		else if (e.code != HW_ENOTFOUND)
			return hw_error_set(im->w.err, e.code, "%s", e.text);
		else
			ent->ord = -2;
	}
	*out = ent->n > 0 ? (uint64_t)ent->n : LATER | (uintptr_t)ent;
	return 0;
}

static int store_chunk(struct importer *im);

/* Build the owner index again if the import dropped it: at the first
 * dependency (inventories list their assets first, and the sort then
 * runs while the rest of the file is parsed), else at the end.  Assets
 * after that are inserted into it. */
static int owner_index(struct importer *im)
{
	if (!im->owner_index)
		return 0;
	im->owner_index = 0;
	return hwp_index_create(im->st, HWP_INDEX_ASSET_OWNER, im->threads,
				im->w.err);
}

static int apply_dep(struct importer *im, const struct rec_dep *r)
{
	struct hwp_dep_row *d;

	if (owner_index(im) < 0)
		return -1;

	if (im->ndeps == im->capdeps) {
		size_t cap = im->capdeps ? im->capdeps * 2 : 4096;
		struct hwp_dep_row *p = realloc(im->deps, cap * sizeof *p);

		if (p == NULL)
			return nomem(&im->w);
		im->deps = p;
		im->capdeps = cap;
	}
	d = &im->deps[im->ndeps];
	if (dep_end(im, r->from, r->hfrom, &d->src) < 0 ||
	    dep_end(im, r->to, r->hto, &d->dst) < 0)
		return -1;
	d->ord = (uint32_t)r->h.ord;
	d->type = r->type;
	d->carries = r->carries;
	d->flag = 0;
	im->nlater += (d->src & LATER) || (d->dst & LATER);
	im->ndeps++;
	im->stats.dependencies++;
	if (im->ndeps - im->nstored >= CHUNK)
		return store_chunk(im);
	return 0;
}

static int apply(struct importer *im, const struct rec *r)
{
	im->w.line = r->ord;
	switch (r->kind) {
	case REC_INFOTYPE:
		return apply_infotype(im, (const struct rec_infotype *)r);
	case REC_ASSET:
		return apply_asset(im, (const struct rec_asset *)r);
	default:
		return apply_dep(im, (const struct rec_dep *)r);
	}
}

/* ------------------------------------------------------------------ */
/* Dependencies: resolve, sort, check, insert                          */

/* Ends of rows [from, ndeps) that were not known when their dependency
 * was read and are now. */
static void resolve_later(struct importer *im, size_t from)
{
	struct hwp_dep_row *d;
	size_t i;

	for (i = from; i < im->ndeps && im->nlater > 0; i++) {
		d = &im->deps[i];
		if (!(d->src & LATER) && !(d->dst & LATER))
			continue;
		if ((d->src & LATER) && LATER_IDENT(d->src)->n > 0)
			d->src = (uint64_t)LATER_IDENT(d->src)->n;
		if ((d->dst & LATER) && LATER_IDENT(d->dst)->n > 0)
			d->dst = (uint64_t)LATER_IDENT(d->dst)->n;
		im->nlater -= !(d->src & LATER) && !(d->dst & LATER);
	}
}

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)

/* Sort n rows by (src, dst), stably: least significant digit first,
 * through a second array; as many digits as the largest value needs. */
static int sort_rows(struct importer *im, struct hwp_dep_row *rows, size_t n)
{
	struct hwp_dep_row *from = rows, *to;
	uint64_t any_src = 0, any_dst = 0, key;
	size_t count[RADIX], i;
	int shift, field;

	if (n < 2)
		return 0;
	/* The scratch array stays for the next chunk. */
	if (n > im->capsort) {
		free(im->sortbuf);
		im->sortbuf = malloc(n * sizeof *im->sortbuf);
		im->capsort = im->sortbuf != NULL ? n : 0;
		if (im->sortbuf == NULL)
			return nomem(&im->w);
	}
	for (i = 0; i < n; i++) {
		any_src |= from[i].src;
		any_dst |= from[i].dst;
	}
	to = im->sortbuf;
	for (field = 1; field >= 0; field--) {
		uint64_t any = field ? any_dst : any_src;

		for (shift = 0; shift < 64 && (any >> shift) != 0;
		     shift += RADIX_BITS) {
			size_t sum = 0, c;

			memset(count, 0, sizeof count);
			for (i = 0; i < n; i++) {
				key = field ? from[i].dst : from[i].src;
				count[(key >> shift) & (RADIX - 1)]++;
			}
			for (i = 0; i < RADIX; i++) {
				c = count[i];
				count[i] = sum;
				sum += c;
			}
			for (i = 0; i < n; i++) {
				key = field ? from[i].dst : from[i].src;
				to[count[(key >> shift) & (RADIX - 1)]++] =
				    from[i];
			}
			from = to;
			to = from == im->sortbuf ? rows : im->sortbuf;
		}
	}
	if (from != rows)
		memcpy(rows, from, n * sizeof *rows);
	return 0;
}

static int sort_deps(struct importer *im)
{
	return sort_rows(im, im->deps, im->ndeps);
}

/* After sort_deps: the index of the row that repeats an earlier
 * dependency first in file order (*first its first row), or -1.  Rows
 * of a pair stay in file order: the sort is stable. */
static long first_duplicate(const struct importer *im, long *first)
{
	long best = -1;
	size_t i;

	for (i = 1; i < im->ndeps; i++) {
		const struct hwp_dep_row *a = &im->deps[i - 1],
					 *b = &im->deps[i];

		if (a->src != b->src || a->dst != b->dst)
			continue;
		if (best < 0 || b->ord < im->deps[best].ord) {
			best = (long)i;
			*first = (long)i - 1;
		}
		while (i + 1 < im->ndeps && im->deps[i + 1].src == b->src &&
		       im->deps[i + 1].dst == b->dst)
			i++;
	}
	return best;
}

/* The id of a dependency end, for a message: a new string. */
static char *end_id(struct importer *im, uint64_t end)
{
	char *id = NULL;

	if (end & LATER)
		return strdup(LATER_IDENT(end)->id);
	if (hwp_asset_id(im->st, (long long)end, &id, NULL) < 0)
		return NULL;
	return id;
}

static int dep_fail(struct importer *im, long ord, const char *end,
		    enum hw_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int dep_fail(struct importer *im, long ord, const char *end,
		    enum hw_errcode code, const char *fmt, ...)
{
	char path[96], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (im->w.lines)
		snprintf(path, sizeof path, "dependency%s", end);
	else
		snprintf(path, sizeof path, "dependencies[%ld]%s", ord, end);
	im->w.line = ord;
	return fail(&im->w, path, code, "%s", msg);
}

/* Report the first duplicate among the rows, if any: 1 reported, 0
 * none, -1 on error.  Needs the rows sorted. */
static int report_duplicate(struct importer *im, long before)
{
	long first = 0, dup = first_duplicate(im, &first);
	char *from, *to;

	if (dup < 0 || (before >= 0 && im->deps[dup].ord >= before))
		return 0;
	from = end_id(im, im->deps[dup].src);
	to = end_id(im, im->deps[dup].dst);
	if (from == NULL || to == NULL)
		hw_error_set(im->w.err, HW_ENOMEM, "out of memory");
	else
		dep_fail(im, im->deps[dup].ord, "", HW_EEXIST,
			 "duplicate dependency '%s' -> '%s' (first at %s "
			 "%u)",
			 from, to, im->w.lines ? "line" : "dependencies index",
			 im->deps[first].ord);
	free(from);
	free(to);
	return 1;
}

/* Before the first insert: drop the reverse index when the import adds
 * more dependencies than the store holds (to build it again at the
 * end, in one sort), else keep it.  pending: how many it adds, or an
 * estimate. */
static int decide_index(struct importer *im, long long pending)
{
	long long have = 0;

	if (im->index != 0)
		return 0;
	if (hwp_dep_count_upto(im->st, pending, &have, im->w.err) < 0)
		return -1;
	im->index = pending > have ? 2 : 1;
	return im->index == 2
		   ? hwp_index_drop(im->st, HWP_INDEX_DEPENDENCY_DST, im->w.err)
		   : 0;
}

/* Insert n rows (in this order) into the store. */
static int put_rows(struct importer *im, struct hwp_dep_row *rows, size_t n)
{
	struct hw_error e = {0};
	size_t bad = 0, i;

	if (hwp_dep_put_rows(im->st, rows, n, &bad, &e) < 0)
		return dep_fail(im, rows[bad].ord, "", e.code, "%s", e.text);
	for (i = 0; i < n; i++)
		rows[i].flag = 1;
	return 0;
}

/* Rows [nstored, ndeps) make a run: sort it and remember where it
 * starts. */
static int sort_run(struct importer *im)
{
	if (im->nruns == im->capruns) {
		size_t cap = im->capruns ? im->capruns * 2 : 16;
		size_t *p = realloc(im->runs, cap * sizeof *p);

		if (p == NULL)
			return nomem(&im->w);
		im->runs = p;
		im->capruns = cap;
	}
	im->runs[im->nruns++] = im->nstored;
	/* No rows (a file without dependencies): maybe no array either. */
	if (im->ndeps == im->nstored)
		return 0;
	return sort_rows(im, im->deps + im->nstored, im->ndeps - im->nstored);
}

/* While reading: insert the rows read since the last chunk, sorted,
 * unless some have an end not known yet (they wait for the end). */
static int store_chunk(struct importer *im)
{
	size_t n = im->ndeps - im->nstored;
	long long estimate = (long long)im->ndeps;

	resolve_later(im, im->nstored);
	if (im->nlater > 0)
		return 0;
	/* Large inventories come as JSON Lines: guess the whole file's
	 * dependencies from the part read. */
	if (im->done > 0 && im->total > im->done)
		estimate = (long long)((double)im->ndeps *
				       ((double)im->total / (double)im->done));
	if (decide_index(im, estimate) < 0 || sort_run(im) < 0 ||
	    put_rows(im, im->deps + im->nstored, n) < 0)
		return -1;
	im->nstored = im->ndeps;
	return 0;
}

/* At the end: insert the last run (sorted), and build the reverse index
 * again if it was dropped. */
static int insert_deps(struct importer *im)
{
	size_t n = im->ndeps - im->nstored;

	if (n > 0 && (decide_index(im, (long long)n) < 0 ||
		      put_rows(im, im->deps + im->nstored, n) < 0))
		return -1;
	im->nstored = im->ndeps;
	if (im->index == 2 && hwp_index_create(im->st, HWP_INDEX_DEPENDENCY_DST,
					       im->threads, im->w.err) < 0)
		return -1;
	return 0;
}

/* Whether the head of run a sorts before the head of run b. */
static int head_less(const struct importer *im, const size_t *pos, size_t a,
		     size_t b)
{
	const struct hwp_dep_row *x = &im->deps[pos[a]], *y = &im->deps[pos[b]];

	return x->src < y->src || (x->src == y->src && x->dst < y->dst);
}

/* Restore the heap of runs (by their heads) below slot top. */
static void sift_down(const struct importer *im, const size_t *pos,
		      size_t *heap, size_t n, size_t top)
{
	size_t c, t;

	for (; (c = 2 * top + 1) < n; top = c) {
		if (c + 1 < n && head_less(im, pos, heap[c + 1], heap[c]))
			c++;
		if (!head_less(im, pos, heap[c], heap[top]))
			break;
		t = heap[c];
		heap[c] = heap[top];
		heap[top] = t;
	}
}

/* With every run sorted: whether some pair is there twice, found by
 * merging the runs (a heap of their heads) and comparing each row with
 * the one before: far cheaper than sorting all the rows again. */
static int runs_duplicate(struct importer *im)
{
	size_t *pos, *end, *heap, k = im->nruns, n = 0, i;
	const struct hwp_dep_row *prev = NULL, *row;
	int ret = 0;

	pos = malloc(3 * (k + 1) * sizeof *pos);
	if (pos == NULL)
		return nomem(&im->w);
	end = pos + k + 1;
	heap = end + k + 1;
	for (i = 0; i < k; i++) {
		pos[i] = im->runs[i];
		end[i] = i + 1 < k ? im->runs[i + 1] : im->ndeps;
		if (pos[i] < end[i])
			heap[n++] = i;
	}
	for (i = n / 2; i-- > 0;)
		sift_down(im, pos, heap, n, i);
	while (n > 0 && !ret) {
		row = &im->deps[pos[heap[0]]];
		ret = prev != NULL && prev->src == row->src &&
		      prev->dst == row->dst;
		prev = row;
		if (++pos[heap[0]] == end[heap[0]])
			heap[0] = heap[--n];
		sift_down(im, pos, heap, n, 0);
	}
	free(pos);
	return ret;
}

/* After every record: check the dependencies (ends that are no asset,
 * duplicates: whichever comes first in the file) and insert them. */
static int finish_deps(struct importer *im)
{
	struct hwp_dep_row bad = {0};
	int have_bad = 0, from, rc;
	size_t i;
	char *id;

	resolve_later(im, 0);
	for (i = 0; i < im->ndeps && im->nlater > 0 && !have_bad; i++)
		if ((im->deps[i].src | im->deps[i].dst) & LATER) {
			bad = im->deps[i];
			have_bad = 1;
		}
	if (!have_bad) {
		if (sort_run(im) < 0 || (rc = runs_duplicate(im)) < 0)
			return -1;
		if (rc == 0)
			return insert_deps(im);
	}
	/* Something to report: sort all the rows to tell what. */
	if (sort_deps(im) < 0 ||
	    report_duplicate(im, have_bad ? (long)bad.ord : -1) != 0 ||
	    !have_bad)
		return -1;
	from = (bad.src & LATER) != 0;
	id = end_id(im, from ? bad.src : bad.dst);
	if (id == NULL)
		return nomem(&im->w);
	dep_fail(im, bad.ord, from ? ".from" : ".to", HW_ENOTFOUND,
		 "unknown asset '%s' (not in the file nor the database)", id);
	free(id);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Whole documents                                                     */

/* Parse and apply one top-level array of a document. */
static int import_array(struct importer *im, struct parser *ps, json_t *doc,
			const char *key,
			int (*parse)(struct parser *, const char *, json_t *,
				     long, struct rec **))
{
	json_t *arr = json_object_get(doc, key), *v;
	struct rec *r;
	char path[96];
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr))
		return fail(&im->w, key, HW_EFORMAT,
			    "expected an array, not %s", json_kind(arr));
	json_array_foreach(arr, i, v) {
		snprintf(path, sizeof path, "%s[%zu]", key, i);
		hwp_pool_reset(ps->pool);
		if (parse(ps, path, v, (long)i, &r) < 0 || apply(im, r) < 0)
			return -1;
	}
	return 0;
}

static int import_document(struct importer *im, FILE *fp)
{
	static const char *const keys[] = {
	    "format", "version",      "information_types",
	    "assets", "dependencies", NULL};
	struct hwp_pool pool = {0};
	struct parser ps = {im->w, &pool};
	json_error_t jerr;
	json_t *doc;
	int ret = -1;

	doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return hw_error_set_at(im->w.err, HW_EFORMAT, im->w.file,
				       jerr.line, jerr.column,
				       "malformed JSON: %s", jerr.text);
	if (!json_is_object(doc)) {
		fail(&im->w, "(document)", HW_EFORMAT,
		     "expected an object, not %s", json_kind(doc));
		goto out;
	}
	if (check_header(&ps, doc, "(document)", keys) < 0 ||
	    import_array(im, &ps, doc, "information_types", parse_infotype) <
		0 ||
	    import_array(im, &ps, doc, "assets", parse_asset) < 0 ||
	    import_array(im, &ps, doc, "dependencies", parse_dep) < 0)
		goto out;
	ret = 0;
out:
	hwp_pool_free(&pool);
	json_decref(doc);
	return ret;
}

/* ------------------------------------------------------------------ */
/* JSON Lines: worker threads parse batches, the caller applies them   */

struct batch {
	struct batch *next; /* in the parsed list (by seq) or the free list */
	long seq;	    /* place in the file, from 0 */
	long nlines;	    /* lines parsed; records and the error count
			       lines from 1 at the batch's first line */
	long long end;	    /* bytes of the file up to its end */
	char *text;
	size_t len, cap;
	struct hwp_pool pool; /* its records and their strings */
	struct rec **recs;
	size_t nrecs, caprecs;
	int failed; /* err ends the batch: records before it are good */
	struct hw_error err;
};

struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t ready; /* a batch was parsed, or a worker ended */
	pthread_cond_t room;  /* a batch was applied, or stop */
	FILE *fp;
	const char *file;
	char *carry; /* the start of a line read past the last batch */
	size_t ncarry, capcarry;
	long next_seq;
	long long offset; /* bytes read from the file */
	int eof;	  /* read no more: the end, an error, or the caller
			     gave up */
	int read_errno;	  /* reading failed */
	int nomem;
	long inflight; /* batches read and not yet applied */
	struct batch *parsed, *free;
	/* Text goes back here once parsed: a batch waiting to be applied
	 * holds only its records. */
	char *spare[2 * MAX_WORKERS];
	size_t sparecap[2 * MAX_WORKERS];
	int nspare;
};

static void batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	free(b->text);
	hwp_pool_free(&b->pool);
	free(b->recs);
	free(b);
}

static int grow_text(char **buf, size_t *cap, size_t need)
{
	char *p;
	size_t n = *cap ? *cap : BATCH_BYTES;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((p = realloc(*buf, n)) == NULL)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

/* Fill b with the next whole lines of the file, lock held: 1, or 0 at
 * the end of the file, -1 on error (p->read_errno or p->nomem set). */
static int read_batch(struct pipeline *p, struct batch *b)
{
	const char *nl, *s;
	size_t got, tail;

	b->len = 0;
	if (b->text == NULL && p->nspare > 0) {
		p->nspare--;
		b->text = p->spare[p->nspare];
		b->cap = p->sparecap[p->nspare];
	}
	if (grow_text(&b->text, &b->cap, p->ncarry + BATCH_BYTES) < 0)
		goto nomem;
	if (p->ncarry > 0)
		memcpy(b->text, p->carry, p->ncarry);
	b->len = p->ncarry;
	p->ncarry = 0;
	/* Read until a newline ends the batch: a line longer than a batch
	 * makes the batch longer. */
	for (;;) {
		if (grow_text(&b->text, &b->cap, b->len + BATCH_BYTES) < 0)
			goto nomem;
		got = fread(b->text + b->len, 1, BATCH_BYTES, p->fp);
		p->offset += (long long)got;
		s = b->text + b->len;
		b->len += got;
		if (got < BATCH_BYTES) {
			if (ferror(p->fp)) {
				p->read_errno = errno ? errno : EIO;
				return -1;
			}
			p->eof = 1;
			break;
		}
		nl = memrchr(s, '\n', got);
		if (nl != NULL) {
			tail = (size_t)(b->text + b->len - (nl + 1));
			/* A batch may end exactly on a newline: no tail,
			 * and maybe no carry buffer yet. */
			if (tail > 0 &&
			    grow_text(&p->carry, &p->capcarry, tail) < 0)
				goto nomem;
			if (tail > 0)
				memcpy(p->carry, nl + 1, tail);
			p->ncarry = tail;
			b->len -= tail;
			break;
		}
	}
	if (b->len == 0)
		return 0;
	b->seq = p->next_seq++;
	b->end = p->offset - (long long)p->ncarry;
	return 1;
nomem:
	p->nomem = 1;
	return -1;
}

/* Parse the lines of b into records, stopping at the first error.  Line
 * numbers are the batch's own (from 1): the caller, which applies the
 * batches in order, knows where it starts. */
static void parse_batch(struct pipeline *p, struct batch *b)
{
	struct parser ps = {{p->file, 1, 1, &b->err}, &b->pool};
	const char *s = b->text, *end = b->text + b->len, *nl;
	struct rec *r;

	hwp_pool_reset(&b->pool);
	b->nrecs = 0;
	b->failed = 0;
	hw_error_clear(&b->err);
	for (b->nlines = 0; s < end; s = nl, ps.w.line++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		nl = nl ? nl + 1 : end;
		b->nlines++;
		if (parse_line(&ps, s, (size_t)(nl - s), &r) < 0) {
			b->failed = 1;
			return;
		}
		if (r == NULL)
			continue;
		if (b->nrecs == b->caprecs) {
			size_t cap = b->caprecs ? b->caprecs * 2 : 1024;
			struct rec **x = realloc(b->recs, cap * sizeof *x);

			if (x == NULL) {
				b->failed = 1;
				nomem(&ps.w);
				return;
			}
			b->recs = x;
			b->caprecs = cap;
		}
		b->recs[b->nrecs++] = r;
	}
}

static void *worker(void *arg)
{
	struct pipeline *p = arg;
	struct batch *b, **at;
	int rc;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->eof && p->inflight >= MAX_INFLIGHT)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->eof)
			break;
		if ((b = p->free) != NULL) {
			p->free = b->next;
		} else if ((b = calloc(1, sizeof *b)) == NULL) {
			p->nomem = p->eof = 1;
			break;
		}
		rc = read_batch(p, b);
		if (rc <= 0) {
			b->next = p->free;
			p->free = b;
			p->eof = 1;
			break;
		}
		p->inflight++;
		pthread_mutex_unlock(&p->lock);
		parse_batch(p, b);
		pthread_mutex_lock(&p->lock);
		if (p->nspare < 2 * MAX_WORKERS) {
			p->spare[p->nspare] = b->text;
			p->sparecap[p->nspare++] = b->cap;
		} else {
			free(b->text);
		}
		b->text = NULL;
		b->cap = 0;
		for (at = &p->parsed; *at != NULL && (*at)->seq < b->seq;
		     at = &(*at)->next)
			;
		b->next = *at;
		*at = b;
		/* Nothing after a bad line matters. */
		if (b->failed)
			p->eof = 1;
		pthread_cond_signal(&p->ready);
	}
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The next batch in file order, or NULL when there is none: every batch
 * read has been applied and no more will be. */
static struct batch *next_batch(struct pipeline *p, long seq)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&p->lock);
	while ((p->parsed == NULL || p->parsed->seq != seq) &&
	       !(p->eof && seq == p->next_seq))
		pthread_cond_wait(&p->ready, &p->lock);
	if (p->parsed != NULL && p->parsed->seq == seq) {
		b = p->parsed;
		p->parsed = b->next;
	}
	pthread_mutex_unlock(&p->lock);
	return b;
}

static void recycle(struct pipeline *p, struct batch *b)
{
	pthread_mutex_lock(&p->lock);
	b->next = p->free;
	p->free = b;
	p->inflight--;
	pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->lock);
}

static int workers_wanted(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

static int import_lines(struct importer *im, FILE *fp, long long total,
			void (*progress)(long long, long long, void *),
			void *pctx)
{
	static const char *const hkeys[] = {"format", "version", NULL};
	struct pipeline p = {0};
	struct parser ps = {im->w, NULL};
	pthread_t tid[MAX_WORKERS];
	struct batch *b;
	json_error_t jerr;
	json_t *hdr;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t len;
	long seq, base = 1; /* line before the batch: 1, the header */
	long long last_tick = 0;
	int nthreads = 0, want, ret = -1, rc = 0;

	/* The header is line 1 (that is how the file was told apart). */
	len = getline(&line, &cap, fp);
	if (len < 0) {
		free(line);
		return hw_error_set(im->w.err, HW_EIO, "cannot read '%s': %s",
				    im->w.file, strerror(errno));
	}
	ps.w.line = 1;
	hdr = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
	free(line);
	if (hdr == NULL)
		return hw_error_set_at(im->w.err, HW_EFORMAT, im->w.file, 1,
				       jerr.column, "malformed JSON: %s",
				       jerr.text);
	rc = check_header(&ps, hdr, "(header)", hkeys);
	json_decref(hdr);
	if (rc < 0)
		return -1;

	p.fp = fp;
	p.file = im->w.file;
	p.offset = len;
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		return hw_error_set(im->w.err, HW_ENOMEM,
				    "cannot start parsing threads");
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	/* Set what jansson and the messages share before any thread. */
	json_object_seed(0);
	hw_vocab_text(hw_asset_types);
	want = workers_wanted();
	while (nthreads < want &&
	       pthread_create(&tid[nthreads], NULL, worker, &p) == 0)
		nthreads++;
	if (nthreads == 0) {
		hw_error_set(im->w.err, HW_ENOMEM,
			     "cannot start parsing threads");
		goto out;
	}
	im->total = total;
	for (seq = 0; (b = next_batch(&p, seq)) != NULL; seq++) {
		im->done = b->end;
		for (i = 0; i < b->nrecs && rc == 0; i++) {
			if (i + 16 < b->nrecs)
				prefetch_rec(&im->ids, b->recs[i + 16], 0);
			if (i + 8 < b->nrecs)
				prefetch_rec(&im->ids, b->recs[i + 8], 1);
			b->recs[i]->ord += base;
			rc = apply(im, b->recs[i]);
		}
		if (rc == 0 && b->failed) {
			if (b->err.line > 0)
				b->err.line += (int)base;
			if (im->w.err != NULL && im->w.err->code == HW_OK)
				*im->w.err = b->err;
			rc = -1;
		}
		base += b->nlines;
		if (progress != NULL && b->end - last_tick >= (1 << 22)) {
			progress(b->end, total, pctx);
			last_tick = b->end;
		}
		recycle(&p, b);
		if (rc < 0)
			goto out;
	}
	if (p.nomem) {
		nomem(&im->w);
		goto out;
	}
	if (p.read_errno != 0) {
		hw_error_set(im->w.err, HW_EIO, "cannot read '%s': %s",
			     im->w.file, strerror(p.read_errno));
		goto out;
	}
	if (progress != NULL)
		progress(total, total, pctx);
	ret = 0;
out:
	pthread_mutex_lock(&p.lock);
	p.eof = 1;
	pthread_cond_broadcast(&p.room);
	pthread_mutex_unlock(&p.lock);
	while (nthreads > 0)
		pthread_join(tid[--nthreads], NULL);
	while ((b = p.parsed) != NULL) {
		p.parsed = b->next;
		batch_free(b);
	}
	while ((b = p.free) != NULL) {
		p.free = b->next;
		batch_free(b);
	}
	while (p.nspare > 0)
		free(p.spare[--p.nspare]);
	free(p.carry);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.room);
	pthread_mutex_destroy(&p.lock);
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

static void importer_release(struct importer *im)
{
	idmap_free(&im->ids);
	hwp_map_free(&im->types);
	hwp_arena_free(&im->type_ids);
	free(im->deps);
	free(im->sortbuf);
	free(im->runs);
	free(im->scratch);
}

int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err)
{
	struct importer im = {0};
	struct hw_error e = {0};
	struct stat sb;
	FILE *fp;
	int rc, any;

	fp = fopen(path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	im.st = st;
	im.types.strings = 1;
	im.w.file = path;
	im.w.err = &e;
	im.w.lines = sniff_lines(fp);
	im.threads = workers_wanted();
	if (hwp_foreign_keys(st, 0, err) < 0 || hw_store_begin(st, err) < 0) {
		hwp_foreign_keys(st, 1, NULL);
		fclose(fp);
		return -1;
	}
	if ((replace && hw_store_clear(st, &e) < 0) ||
	    hwp_asset_any(st, &any, &e) < 0)
		goto fail;
	/* Into an empty inventory, the owner index is built after the
	 * assets (at the first dependency, or at the end), by one sort. */
	if (!any && hwp_index_drop(st, HWP_INDEX_ASSET_OWNER, &e) < 0)
		goto fail;
	im.owner_index = !any;
	if (im.w.lines)
		rc = import_lines(&im, fp,
				  fstat(fileno(fp), &sb) == 0 ? sb.st_size : 0,
				  progress, pctx);
	else
		rc = import_document(&im, fp);
	if (rc < 0) {
		/* A duplicate dependency before the bad record is the first
		 * error in the file. */
		if (e.code == HW_EINVAL || e.code == HW_EFORMAT ||
		    e.code == HW_EEXIST || e.code == HW_ENOTFOUND) {
			struct hw_error dup = {0};

			im.w.err = &dup;
			resolve_later(&im, 0);
			if (sort_deps(&im) == 0 &&
			    report_duplicate(&im, -1) > 0 &&
			    dup.code != HW_ENOMEM)
				e = dup;
			im.w.err = &e;
		}
		goto fail;
	}
	if (owner_index(&im) < 0 || finish_deps(&im) < 0)
		goto fail;
	if (dry_run)
		hw_store_rollback(st);
	else if (hw_store_commit(st, &e) < 0)
		goto fail;
	fclose(fp);
	importer_release(&im);
	hwp_foreign_keys(st, 1, NULL);
	if (stats != NULL)
		*stats = im.stats;
	return 0;
fail:
	if (err != NULL && err->code == HW_OK)
		*err = e;
	hw_store_rollback(st);
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

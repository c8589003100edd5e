/*
 * oscal-read.c: hw_import_oscal, the information types of an OSCAL
 * system security plan (SP 800-60 ids, base and selected levels,
 * adjustment justifications) assigned to one asset, and the level words
 * OSCAL files hold.
 *
 * Only system-characteristics.system-information is read: the rest of
 * the document (controls, components, parties) is not the inventory's.
 * The file is read whole, its size bounded, and parsed by jansson.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "json-records.h"

#define INFO_PATH                                                              \
	"system-security-plan.system-characteristics.system-information."      \
	"information-types"

/* The DOI of SP 800-60 Vol. 2 Rev. 1, the tail of every form of its URI. */
#define SP80060_DOI "10.6028/NIST.SP.800-60v2r1"

/* ------------------------------------------------------------------ */
/* Level words                                                         */

static const struct {
	const char *word;
	enum hw_level level;
} oscal_words[] = {
    {"low", HW_LEVEL_LOW},
    {"moderate", HW_LEVEL_MODERATE},
    {"medium", HW_LEVEL_MODERATE},
    {"high", HW_LEVEL_HIGH},
    {"na", HW_LEVEL_NA},
    {"n/a", HW_LEVEL_NA},
    {"not-applicable", HW_LEVEL_NA},
};

/* s as a message shows it: at most 40 bytes (whole UTF-8 characters),
 * control characters as '?', "..." when cut. */
static const char *shown(const char *s, char buf[48])
{
	size_t n = strlen(s), i;

	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		buf[i] =
		    (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	strcpy(buf + n, s[n] != '\0' ? "..." : "");
	return buf;
}

int hw_oscal_level_parse(const char *s, enum hw_objective o, enum hw_level *out,
			 struct hw_error *err)
{
	const char *w = s;
	char buf[48];
	size_t i;

	if (strncasecmp(w, "fips-199-", 9) == 0)
		w += 9;
	for (i = 0; i < sizeof oscal_words / sizeof oscal_words[0]; i++) {
		if (strcasecmp(w, oscal_words[i].word) != 0)
			continue;
		if (oscal_words[i].level == HW_LEVEL_NA && o != HW_C)
			break;
		*out = oscal_words[i].level;
		return 0;
	}
	return hw_error_set(err, HW_EINVAL,
			    "expected fips-199-low, fips-199-moderate%s "
			    "fips-199-high%s, got \"%s\"%s",
			    o == HW_C ? "," : " or",
			    o == HW_C ? " or fips-199-na" : "", shown(s, buf),
			    i < sizeof oscal_words / sizeof oscal_words[0]
				? " (not applicable is for confidentiality "
				  "alone)"
				: "");
}

/* ------------------------------------------------------------------ */
/* Reading the document                                                */

/* One information type id the SSP gives, with the levels of the
 * information type that lists it. */
struct ssp_type {
	char *id;
	const char *title; /* borrowed from the document */
	long index;	   /* in information-types */
	long ord;	   /* the id's place among all ids, for messages */
	char at[96]; /* "[3].categorizations[0].information-type-ids[1]" */
	struct hw_sc base, settled; /* NONE where the SSP has no impact */
	const char *why[HW_NOBJ];   /* adjustment-justification, borrowed */
};

struct reader {
	struct hwp_where w;
	json_t *root;	   /* the document, which the strings are borrowed
			      from */
	const char *title; /* metadata.title */
	struct ssp_type *t;
	size_t n, cap;
	struct ssp_type **sorted; /* t by id */
};

static const char *kind_of(json_type want)
{
	return want == JSON_OBJECT  ? "an object"
	       : want == JSON_ARRAY ? "an array"
				    : "a string";
}

/* obj's member key, of type want: *out borrowed, NULL when absent or
 * null (an error when required). */
static int member(struct reader *r, const char *path, json_t *obj,
		  const char *key, json_type want, int required, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	char sub[256];

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		return hwp_where_fail(&r->w, path, HW_EFORMAT,
				      "missing \"%s\" (expected %s)", key,
				      kind_of(want));
	}
	if (json_typeof(v) != want) {
		snprintf(sub, sizeof sub, "%s.%s", path, key);
		return hwp_where_fail(&r->w, sub, HW_EFORMAT,
				      "expected %s, not %s", kind_of(want),
				      hwp_json_kind(v));
	}
	*out = v;
	return 0;
}

/* The string member key of obj: *out borrowed, NULL when absent. */
static int string_member(struct reader *r, const char *path, json_t *obj,
			 const char *key, int required, const char **out)
{
	json_t *v;

	if (member(r, path, obj, key, JSON_STRING, required, &v) < 0)
		return -1;
	*out = v ? json_string_value(v) : NULL;
	return 0;
}

/* A text the import keeps or prints (a title, a justification): the
 * string member key of obj, refused where it is read if it holds a
 * control character, so that the error names it and nothing reaches a
 * terminal or the audit trail unchecked.  *out borrowed. */
static int text_member(struct reader *r, const char *path, json_t *obj,
		       const char *key, int required, const char **out)
{
	struct hw_error e = {0};
	char sub[256];

	if (string_member(r, path, obj, key, required, out) < 0)
		return -1;
	if (hwp_text_check(*out, "the text", &e) < 0) {
		snprintf(sub, sizeof sub, "%s.%s", path, key);
		return hwp_where_rewrap(&r->w, sub, &e);
	}
	return 0;
}

/* One level word at path.key of impact object obj. */
static int level_member(struct reader *r, const char *path, json_t *obj,
			const char *key, int required, enum hw_objective o,
			enum hw_level *out)
{
	struct hw_error e = {0};
	const char *s;
	char sub[256];

	if (string_member(r, path, obj, key, required, &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (hw_oscal_level_parse(s, o, out, &e) < 0) {
		snprintf(sub, sizeof sub, "%s.%s", path, key);
		return hwp_where_rewrap(&r->w, sub, &e);
	}
	return 0;
}

/* The three *-impact objects of information type obj at path. */
static int impacts(struct reader *r, const char *path, json_t *obj,
		   struct ssp_type *s)
{
	static const char *const keys[HW_NOBJ] = {"confidentiality-impact",
						  "integrity-impact",
						  "availability-impact"};
	char sub[256];
	json_t *v;
	int o;

	for (o = 0; o < HW_NOBJ; o++) {
		if (member(r, path, obj, keys[o], JSON_OBJECT, 0, &v) < 0)
			return -1;
		if (v == NULL)
			continue;
		snprintf(sub, sizeof sub, "%s.%s", path, keys[o]);
		if (level_member(r, sub, v, "base", 1, o, &s->base.v[o]) < 0)
			return -1;
		s->settled.v[o] = s->base.v[o];
		if (level_member(r, sub, v, "selected", 0, o,
				 &s->settled.v[o]) < 0 ||
		    text_member(r, sub, v, "adjustment-justification", 0,
				&s->why[o]) < 0)
			return -1;
	}
	return 0;
}

/* 1 if uri names SP 800-60 Vol. 2 Rev. 1: it ends in its DOI (a
 * trailing '/' aside) after a '/' or ':' or nothing: http or https,
 * doi.org or dx.doi.org, or "doi:". */
static int is_sp80060(const char *uri)
{
	size_t n = strlen(uri), k = strlen(SP80060_DOI);

	if (n > 0 && uri[n - 1] == '/')
		n--;
	return n >= k && strncasecmp(uri + n - k, SP80060_DOI, k) == 0 &&
	       (n == k || uri[n - k - 1] == '/' || uri[n - k - 1] == ':');
}

/* An SP 800-60 id as NIST writes it ("C.3.5.8", "D.26.1"): surrounding
 * blanks dropped, the letter in capitals.  A new string, or NULL when s
 * has not that form (or out of memory: *nomem set). */
static char *sp80060_id(const char *s, int *nomem)
{
	size_t n, i, digits = 0, groups = 0;
	char *id;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 3 || n > HW_ID_MAX ||
	    !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return NULL;
	for (i = 1; i < n; i++) {
		if (s[i] == '.') {
			if (i > 1 && digits == 0)
				return NULL;
			groups++;
			digits = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && groups > 0) {
			digits++;
		} else {
			return NULL;
		}
	}
	if (digits == 0)
		return NULL;
	if ((id = strndup(s, n)) == NULL) {
		*nomem = 1;
		return NULL;
	}
	if (id[0] >= 'a')
		id[0] = (char)(id[0] - 'a' + 'A');
	return id;
}

/* Add the ids of categorizations item (under SP 800-60 when sp, else
 * under any other system) of information type tmpl->index. */
static int take_ids(struct reader *r, const char *path, json_t *cats, int sp,
		    const struct ssp_type *tmpl)
{
	char sub[256], at[96];
	size_t j, k;

	for (j = 0; j < json_array_size(cats); j++) {
		json_t *c = json_array_get(cats, j), *ids, *v;
		const char *sys;

		snprintf(sub, sizeof sub, "%s.categorizations[%zu]", path, j);
		if (!json_is_object(c))
			return hwp_where_fail(&r->w, sub, HW_EFORMAT,
					      "expected an object, not %s",
					      hwp_json_kind(c));
		if (string_member(r, sub, c, "system", 1, &sys) < 0 ||
		    member(r, sub, c, "information-type-ids", JSON_ARRAY, 0,
			   &ids) < 0)
			return -1;
		if (is_sp80060(sys) != sp)
			continue;
		for (k = 0; k < json_array_size(ids); k++) {
			struct ssp_type *s;
			const char *text;
			char buf[48];
			int nomem = 0;

			v = json_array_get(ids, k);
			snprintf(at, sizeof at,
				 "[%ld].categorizations[%zu]."
				 "information-type-ids[%zu]",
				 tmpl->index, j, k);
			snprintf(sub, sizeof sub, "%s%s", INFO_PATH, at);
			if (!json_is_string(v))
				return hwp_where_fail(
				    &r->w, sub, HW_EFORMAT,
				    "expected a string, not %s",
				    hwp_json_kind(v));
			text = json_string_value(v);
			if (r->n == r->cap) {
				size_t cap = r->cap ? 2 * r->cap : 16;
				struct ssp_type *g =
				    realloc(r->t, cap * sizeof *g);

				if (g == NULL)
					return hwp_where_nomem(&r->w);
				r->t = g;
				r->cap = cap;
			}
			s = &r->t[r->n];
			*s = *tmpl;
			s->ord = (long)r->n;
			snprintf(s->at, sizeof s->at, "%s", at);
			s->id = sp ? sp80060_id(text, &nomem)
				   : (hw_id_valid(text) ? strdup(text) : NULL);
			if (s->id == NULL && (sp ? nomem : hw_id_valid(text)))
				return hwp_where_nomem(&r->w);
			if (s->id == NULL && sp)
				return hwp_where_fail(
				    &r->w, sub, HW_EFORMAT,
				    "expected an SP 800-60 id such as "
				    "\"C.3.5.8\", got \"%s\"",
				    shown(text, buf));
			if (s->id == NULL)
				return hwp_where_fail(
				    &r->w, sub, HW_EFORMAT,
				    "expected an id of 1-64 letters, digits "
				    "and ._:-, got \"%s\"",
				    shown(text, buf));
			r->n++;
		}
	}
	return 0;
}

/* Information type i: its title, levels and ids. */
static int info_type(struct reader *r, json_t *obj, long i)
{
	struct ssp_type tmpl;
	char path[160];
	json_t *cats;
	size_t before = r->n;

	memset(&tmpl, 0, sizeof tmpl);
	tmpl.index = i;
	snprintf(path, sizeof path, "%s[%ld]", INFO_PATH, i);
	if (!json_is_object(obj))
		return hwp_where_fail(&r->w, path, HW_EFORMAT,
				      "expected an object, not %s",
				      hwp_json_kind(obj));
	if (text_member(r, path, obj, "title", 1, &tmpl.title) < 0 ||
	    impacts(r, path, obj, &tmpl) < 0 ||
	    member(r, path, obj, "categorizations", JSON_ARRAY, 0, &cats) < 0)
		return -1;
	/* SP 800-60's ids name the type when it has any; only a type with
	 * none is the organisation's own (its ids under its own system). */
	if (take_ids(r, path, cats, 1, &tmpl) < 0)
		return -1;
	if (r->n == before && take_ids(r, path, cats, 0, &tmpl) < 0)
		return -1;
	if (r->n == before)
		return hwp_where_fail(&r->w, path, HW_EFORMAT,
				      "no information type id (expected "
				      "categorizations with system "
				      "%s and information-type-ids)",
				      HW_OSCAL_SP80060);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct ssp_type *x = *(struct ssp_type *const *)a,
			      *y = *(struct ssp_type *const *)b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : (x->ord > y->ord) - (x->ord < y->ord);
}

/* Sort the ids into r->sorted and refuse one given twice, naming its
 * first repetition in the file. */
static int sort_unique(struct reader *r)
{
	struct ssp_type **v, *dup = NULL, *first = NULL;
	char sub[256];
	size_t i;

	if ((v = r->sorted = malloc(r->n * sizeof *v)) == NULL)
		return hwp_where_nomem(&r->w);
	for (i = 0; i < r->n; i++)
		v[i] = &r->t[i];
	qsort(v, r->n, sizeof *v, by_id);
	for (i = 1; i < r->n; i++) {
		if (strcmp(v[i]->id, v[i - 1]->id) != 0)
			continue;
		if (dup == NULL || v[i]->ord < dup->ord) {
			size_t k = i - 1;

			while (k > 0 && strcmp(v[k - 1]->id, v[i]->id) == 0)
				k--;
			dup = v[i];
			first = v[k];
		}
	}
	if (dup == NULL)
		return 0;
	snprintf(sub, sizeof sub, "%s%s", INFO_PATH, dup->at);
	return hwp_where_fail(&r->w, sub, HW_EFORMAT,
			      "\"%s\" is given twice (first at "
			      "information-types%s)",
			      dup->id, first->at);
}

/* The whole file at path, at most HW_OSCAL_MAX_BYTES: a new buffer. */
static char *slurp(struct reader *r, const char *path, size_t *len)
{
	/* A regular file only, as import reads: a FIFO without a writer,
	 * a device or a directory is refused before any read. */
	FILE *fp = hwp_fopen_input(path, r->w.err);
	struct stat sb;
	size_t n = 0, cap = 0, got;
	char *buf = NULL, *g;

	if (fp == NULL)
		return NULL;
	/* Measured first; a file that grows is bounded while it is read. */
	if (fstat(fileno(fp), &sb) == 0 && sb.st_size > HW_OSCAL_MAX_BYTES)
		goto big;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1 << 16;
			if (cap > (size_t)HW_OSCAL_MAX_BYTES + 1)
				cap = (size_t)HW_OSCAL_MAX_BYTES + 1;
			if ((g = realloc(buf, cap)) == NULL) {
				hwp_where_nomem(&r->w);
				goto fail;
			}
			buf = g;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n > (size_t)HW_OSCAL_MAX_BYTES)
			goto big;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		hw_error_set(r->w.err, HW_EIO, "cannot read '%s': %s", path,
			     strerror(errno));
		goto fail;
	}
	fclose(fp);
	*len = n;
	return buf ? buf : strdup("");
big:
	hw_error_set_at(r->w.err, HW_EINVAL, path, 0, 0,
			"larger than %ld MiB, the most an SSP import reads",
			HW_OSCAL_MAX_BYTES >> 20);
fail:
	free(buf);
	fclose(fp);
	return NULL;
}

/* Parse the document at path into r: the title and the ids. */
static int read_ssp(struct reader *r, const char *path)
{
	json_t *root, *ssp, *meta, *chars, *sysinfo, *types;
	json_error_t jerr;
	size_t len = 0, i;
	char *text;
	int rc = -1;

	if ((text = slurp(r, path, &len)) == NULL)
		return -1;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (root == NULL)
		return hw_error_set_at(r->w.err, HW_EFORMAT, path, jerr.line,
				       jerr.column, "malformed JSON: %s",
				       hwp_json_error_text(&jerr));
	if (!json_is_object(root)) {
		hwp_where_fail(&r->w, "(document)", HW_EFORMAT,
			       "expected an object, not %s",
			       hwp_json_kind(root));
		goto out;
	}
	if (member(r, "(document)", root, "system-security-plan", JSON_OBJECT,
		   1, &ssp) < 0 ||
	    member(r, "system-security-plan", ssp, "metadata", JSON_OBJECT, 1,
		   &meta) < 0 ||
	    text_member(r, "system-security-plan.metadata", meta, "title", 1,
			&r->title) < 0 ||
	    member(r, "system-security-plan", ssp, "system-characteristics",
		   JSON_OBJECT, 1, &chars) < 0 ||
	    member(r, "system-security-plan.system-characteristics", chars,
		   "system-information", JSON_OBJECT, 1, &sysinfo) < 0 ||
	    member(r,
		   "system-security-plan.system-characteristics."
		   "system-information",
		   sysinfo, "information-types", JSON_ARRAY, 1, &types) < 0)
		goto out;
	if (json_array_size(types) == 0) {
		hwp_where_fail(&r->w, INFO_PATH, HW_EFORMAT,
			       "expected at least one information type");
		goto out;
	}
	for (i = 0; i < json_array_size(types); i++)
		if (info_type(r, json_array_get(types, i), (long)i) < 0)
			goto out;
	if (sort_unique(r) < 0)
		goto out;
	rc = 0;
out:
	r->root = root;
	return rc;
}

static void reader_release(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->t[i].id);
	free(r->t);
	free(r->sorted);
	json_decref(r->root);
}

/* ------------------------------------------------------------------ */
/* Assigning                                                           */

static int blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* The justification of s's levels where they differ from t's: per
 * objective the SSP's text, else "imported from SSP <title>"; one text
 * when they agree, else each after its objective's name.  A new string;
 * NULL with *adjusted 0 when nothing differs, or out of memory. */
static char *justify(const struct reader *r, const struct ssp_type *s,
		     const struct hw_infotype *t, int *adjusted)
{
	const char *text[HW_NOBJ] = {NULL}, *one = NULL;
	static const char lead[] = "imported from SSP ";
	size_t len = 0;
	char *dflt, *j;
	int o, same = 1;

	*adjusted = 0;
	if ((dflt = malloc(sizeof lead + strlen(r->title))) == NULL)
		return NULL;
	strcpy(dflt, lead);
	strcat(dflt, r->title);
	for (o = 0; o < HW_NOBJ; o++) {
		if (t->prov.v[o] == HW_LEVEL_NONE ||
		    s->settled.v[o] == HW_LEVEL_NONE ||
		    s->settled.v[o] == t->prov.v[o])
			continue;
		text[o] = blank(s->why[o]) ? dflt : s->why[o];
		same = same && (one == NULL || strcmp(one, text[o]) == 0);
		one = one ? one : text[o];
		len += strlen(hw_objective_name(o)) + strlen(text[o]) + 4;
	}
	if (one == NULL || same) {
		j = one ? strdup(one) : NULL;
	} else if ((j = malloc(len + 1)) != NULL) {
		j[0] = '\0';
		for (o = 0; o < HW_NOBJ; o++)
			if (text[o] != NULL)
				sprintf(j + strlen(j), "%s%s: %s",
					j[0] ? "; " : "", hw_objective_name(o),
					text[o]);
	}
	*adjusted = one != NULL;
	free(dflt);
	return j;
}

/* Assign the type of s (adding it when the store lacks it) into *out. */
static int assign(struct reader *r, struct hw_store *st,
		  const struct ssp_type *s, struct hw_oscal_type *out)
{
	struct hw_infotype t = {0};
	struct hw_error e = {0};
	char path[160];
	int o, adjusted, rc = -1;

	snprintf(path, sizeof path, "%s[%ld]", INFO_PATH, s->index);
	if (hw_store_infotype_get(st, s->id, &t, &e) < 0) {
		if (e.code != HW_ENOTFOUND)
			goto wrap;
		memset(&e, 0, sizeof e);
		for (o = 0; o < HW_NOBJ; o++)
			if (s->base.v[o] == HW_LEVEL_NONE)
				return hwp_where_fail(
				    &r->w, path, HW_EFORMAT,
				    "missing \"%s-impact\" (\"%s\" is not in "
				    "the catalogue: the SSP's base levels "
				    "are its levels)",
				    hw_objective_name(o), s->id);
		t.id = strdup(s->id);
		t.name = strdup(s->title);
		t.prov = s->base;
		if (t.id == NULL || t.name == NULL) {
			hwp_where_nomem(&r->w);
			goto out;
		}
		if (hw_store_infotype_put(st, &t, 0, &e) < 0)
			goto wrap;
		out->added = 1;
	}
	out->g.type_id = strdup(s->id);
	out->g.selected = s->settled;
	out->g.justification = justify(r, s, &t, &adjusted);
	if (out->g.type_id == NULL ||
	    (adjusted && out->g.justification == NULL)) {
		hwp_where_nomem(&r->w);
		goto out;
	}
	if (hwp_assignment_fill(&out->g, &t, &e) < 0)
		goto wrap;
	rc = 0;
	goto out;
wrap:
	if (e.code == HW_ENOMEM || e.code == HW_EDB)
		*r->w.err = e;
	else
		hwp_where_rewrap(&r->w, path, &e);
out:
	hw_infotype_release(&t);
	return rc;
}

static int by_key(const void *key, const void *elem)
{
	return strcmp(key, (*(struct ssp_type *const *)elem)->id);
}

/* a's assignments with those of done (r->n of them) in place of any of
 * the same types; the ones replaced are released. */
static int merge(struct reader *r, struct hw_asset *a,
		 const struct hw_oscal_type *done)
{
	struct hw_assignment *v;
	size_t i, n = 0;

	if ((v = calloc(a->ntypes + r->n, sizeof *v)) == NULL)
		return hwp_where_nomem(&r->w);
	for (i = 0; i < a->ntypes; i++) {
		if (bsearch(a->types[i].type_id, r->sorted, r->n,
			    sizeof *r->sorted, by_key) != NULL)
			hw_assignment_release(&a->types[i]);
		else
			v[n++] = a->types[i];
	}
	free(a->types);
	a->types = v;
	a->ntypes = n;
	for (i = 0; i < r->n; i++, a->ntypes++) {
		v[a->ntypes] = done[i].g;
		v[a->ntypes].type_id = strdup(done[i].g.type_id);
		v[a->ntypes].justification = NULL;
		if (v[a->ntypes].type_id == NULL ||
		    (done[i].g.justification != NULL &&
		     (v[a->ntypes].justification =
			  strdup(done[i].g.justification)) == NULL)) {
			a->ntypes++;
			return hwp_where_nomem(&r->w);
		}
	}
	return 0;
}

/* The import's one record in the audit trail: which SSP, for which
 * asset, how many types. */
static int audit_summary(struct reader *r, struct hw_store *st,
			 const char *asset)
{
	json_t *after;
	char *object;
	int rc = -1;

	after =
	    json_pack("{s:s, s:s, s:s, s:I}", "format", "oscal", "asset", asset,
		      "ssp", r->title, "information_types", (json_int_t)r->n);
	object = malloc(strlen(r->w.file) + 8);
	if (after == NULL || object == NULL)
		hwp_where_nomem(&r->w);
	else
		rc = hwp_audit(st, "import",
			       strcat(strcpy(object, "import:"), r->w.file),
			       NULL, after, r->w.err);
	free(object);
	json_decref(after);
	return rc;
}

void hw_oscal_import_release(struct hw_oscal_import *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ntypes; i++)
		hw_assignment_release(&r->types[i].g);
	free(r->types);
	free(r->title);
	memset(r, 0, sizeof *r);
}

int hw_import_oscal(struct hw_store *st, const char *path, const char *asset,
		    int dry_run, struct hw_oscal_import *out,
		    struct hw_error *err)
{
	struct hw_oscal_import res = {0};
	struct hw_error e = {0};
	struct hw_asset a = {0};
	struct reader r;
	int in_tx = 0;
	size_t i;

	memset(&r, 0, sizeof r);
	r.w.file = path;
	r.w.err = &e;
	if (read_ssp(&r, path) < 0)
		goto fail;
	res.ntypes = r.n;
	if ((res.types = calloc(r.n, sizeof *res.types)) == NULL ||
	    (res.title = strdup(r.title)) == NULL) {
		hwp_where_nomem(&r.w);
		goto fail;
	}
	if (hw_store_begin(st, &e) < 0)
		goto fail;
	in_tx = 1;
	if (hw_store_asset_get(st, asset, &a, &e) < 0)
		goto fail;
	for (i = 0; i < r.n; i++)
		if (assign(&r, st, &r.t[i], &res.types[i]) < 0)
			goto fail;
	if (merge(&r, &a, res.types) < 0 ||
	    hw_store_asset_put(st, &a, 1, &e) < 0 ||
	    (!dry_run && audit_summary(&r, st, asset) < 0))
		goto fail;
	/* A dry run is rolled back: everything checked, nothing kept. */
	if (dry_run)
		hw_store_rollback(st);
	else if (hw_store_commit(st, &e) < 0)
		goto fail;
	hw_asset_release(&a);
	reader_release(&r);
	*out = res;
	return 0;
fail:
	if (in_tx)
		hw_store_rollback(st);
	if (err != NULL && err->code == HW_OK)
		*err = e;
	hw_asset_release(&a);
	hw_oscal_import_release(&res);
	reader_release(&r);
	return -1;
}

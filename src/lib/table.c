/*
 * table.c: the four tables of the inventory (DESIGN.md section 3): their
 * columns, a header row mapped onto them, rows of text cells into import
 * records, and records into text cells.  What every tabular format (CSV,
 * the inventory workbook) shares; see table.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "table.h"

static const char *const infotype_cols[] = {
    "id",	 "name",	 "category", "confidentiality",
    "integrity", "availability", NULL};

/* Every key of an exported asset (record-json.c) but its assignments,
 * which are a table of their own. */
static const char *const asset_cols[] = {HWP_INV_ASSET_COLUMNS, NULL};

static const char *const assignment_cols[] = {
    "asset",	 "information_type", "confidentiality",
    "integrity", "availability",     "justification",
    NULL};

static const char *const dep_cols[] = {"from", "to", "type", "carries", NULL};

/* Column indexes the code below names. */
enum { T_ID, T_NAME, T_CATEGORY, T_C, T_I, T_A };
enum {
	A_ID,
	A_NAME,
	A_TYPE,
	A_OWNER,
	A_DESCRIPTION,
	A_C,
	A_I,
	A_A,
	A_INTERNET,
	A_VULNS, /* the factors, in enum hw_factor order */
	A_AUTHORIZED = A_VULNS + HW_F_AUTHORIZED,
	A_AUTHORIZED_BY = A_VULNS + HW_F_FRAGILITY,
	A_AUTHORIZED_AT,
	A_COUNT
};
enum { G_ASSET, G_TYPE, G_C, G_I, G_A, G_WHY };
enum { D_FROM, D_TO, D_TYPE, D_CARRIES };

static const struct hwp_inv_table tables[HWP_INV_COUNT] = {
    {HWP_INV_INFOTYPES, "information-types", "Information types", infotype_cols,
     6, 1u << T_ID | 1u << T_NAME},
    {HWP_INV_ASSETS, "assets", "Assets", asset_cols, A_COUNT,
     1u << A_ID | 1u << A_NAME | 1u << A_TYPE},
    {HWP_INV_ASSIGNMENTS, "assignments", "Assignments", assignment_cols, 6,
     1u << G_ASSET | 1u << G_TYPE},
    {HWP_INV_DEPS, "dependencies", "Dependencies", dep_cols, 4,
     1u << D_FROM | 1u << D_TO},
};

const struct hwp_inv_table *hwp_inv_table_get(enum hwp_inv_kind k)
{
	return &tables[k];
}

int hwp_inv_table_find(const char *name)
{
	int k;

	for (k = 0; k < HWP_INV_COUNT; k++)
		if (strcmp(name, tables[k].name) == 0)
			return k;
	return -1;
}

int hwp_inv_column_index(const struct hwp_inv_table *t, const char *column)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i], column) == 0)
			return (int)i;
	return -1;
}

/* Whether column is one of any table's. */
static int any_column(const char *column)
{
	int k;

	for (k = 0; k < HWP_INV_COUNT; k++)
		if (hwp_inv_column_index(&tables[k], column) >= 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* --columns                                                           */

void hwp_colmap_release(struct hwp_colmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->from[i]);
		free(m->to[i]);
	}
	free(m->from);
	free(m->to);
	memset(m, 0, sizeof *m);
}

static char *dup_trim(const char *s, size_t len)
{
	char *d;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	d = malloc(len + 1);
	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

int hwp_colmap_parse(struct hwp_colmap *m, const char *spec,
		     struct hw_error *err)
{
	struct hwp_colmap r = {0};
	const char *p = spec, *end, *eq;
	size_t n = 1, i;

	if (spec == NULL || *spec == '\0') {
		*m = r;
		return 0;
	}
	for (end = spec; *end != '\0'; end++)
		n += *end == ',';
	r.from = calloc(n, sizeof *r.from);
	r.to = calloc(n, sizeof *r.to);
	if (r.from == NULL || r.to == NULL)
		goto nomem;
	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq == NULL) {
			hw_error_set(err, HW_EINVAL,
				     "--columns: \"%.*s\" is not NAME=COLUMN",
				     (int)(end - p > 60 ? 60 : end - p), p);
			goto fail;
		}
		r.from[r.n] = dup_trim(p, (size_t)(eq - p));
		r.to[r.n] = dup_trim(eq + 1, (size_t)(end - eq - 1));
		if (r.from[r.n] == NULL || r.to[r.n] == NULL) {
			r.n++;
			goto nomem;
		}
		r.n++;
		if (r.from[r.n - 1][0] == '\0') {
			hw_error_set(err, HW_EINVAL,
				     "--columns: \"%.*s\" has no source column "
				     "name (expected NAME=COLUMN)",
				     (int)(end - p > 60 ? 60 : end - p), p);
			goto fail;
		}
		if (r.to[r.n - 1][0] == '\0') {
			hw_error_set(err, HW_EINVAL,
				     "--columns: \"%.*s\" has no column to "
				     "map to (expected NAME=COLUMN)",
				     (int)(end - p > 60 ? 60 : end - p), p);
			goto fail;
		}
		if (!any_column(r.to[r.n - 1])) {
			hw_error_set(err, HW_EINVAL,
				     "--columns: unknown column \"%.40s\" "
				     "(expected a column of information-types, "
				     "assets, assignments or dependencies)",
				     r.to[r.n - 1]);
			goto fail;
		}
		for (i = 0; i + 1 < r.n; i++)
			if (strcmp(r.from[i], r.from[r.n - 1]) == 0) {
				hw_error_set(err, HW_EINVAL,
					     "--columns: \"%.40s\" is mapped "
					     "twice",
					     r.from[i]);
				goto fail;
			}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*m = r;
	return 0;
nomem:
	hw_error_set(err, HW_ENOMEM, "out of memory");
fail:
	hwp_colmap_release(&r);
	return -1;
}

const char *hwp_colmap_apply(const struct hwp_colmap *m, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (strcmp(m->from[i], name) == 0)
			return m->to[i];
	return name;
}

/* ------------------------------------------------------------------ */
/* The header                                                          */

void hwp_inv_head_init(struct hwp_inv_head *h)
{
	memset(h, 0, sizeof *h);
}

void hwp_inv_head_release(struct hwp_inv_head *h)
{
	free(h->col);
	hwp_inv_head_init(h);
}

static int is_ext(const char *name)
{
	return strncmp(name, "x-", 2) == 0;
}

/* The table the header's columns tell: the one that holds them all and
 * all of whose required columns are there; when none holds them all,
 * the one that holds most (its unknown column is then the error). */
static int guess_kind(const struct hwp_colmap *m, const char *const *cells,
		      size_t n)
{
	int k, best = -1, bestn = -1, fits = -1, nfits = 0;
	size_t i;

	for (k = 0; k < HWP_INV_COUNT; k++) {
		unsigned have = 0;
		int known = 0, all = 1, idx;

		for (i = 0; i < n; i++) {
			const char *c = hwp_colmap_apply(m, cells[i]);

			if (is_ext(c))
				continue;
			idx = hwp_inv_column_index(&tables[k], c);
			if (idx < 0) {
				all = 0;
				continue;
			}
			known++;
			have |= 1u << idx;
		}
		if (known > bestn) {
			best = k;
			bestn = known;
		}
		if (all && (have & tables[k].required) == tables[k].required) {
			fits = k;
			nfits++;
		}
	}
	return nfits == 1 ? fits : best;
}

int hwp_inv_head_read(struct hwp_inv_head *h, int kind,
		      const struct hwp_colmap *m, const char *const *cells,
		      size_t n, size_t *bad, struct hw_error *err)
{
	const struct hwp_inv_table *t;
	size_t i;
	int c;

	hwp_inv_head_release(h);
	if (kind < 0)
		kind = guess_kind(m, cells, n);
	t = &tables[kind];
	h->t = t;
	for (c = 0; c < HWP_INV_MAXCOLS; c++)
		h->at[c] = -1;
	h->col = malloc(n > 0 ? n : 1);
	if (h->col == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	h->ncells = n;
	for (i = 0; i < n; i++) {
		const char *name = hwp_colmap_apply(m, cells[i]);

		h->col[i] = -1;
		if (is_ext(name))
			continue;
		*bad = i;
		if (name[0] == '\0')
			return hw_error_set(err, HW_EFORMAT,
					    "empty column name in the header "
					    "(expected a column of %s)",
					    t->name);
		c = hwp_inv_column_index(t, name);
		if (c < 0)
			return hw_error_set(
			    err, HW_EFORMAT,
			    "unknown column \"%.40s\" (not a column of %s; "
			    "--columns maps other names, extensions start "
			    "with \"x-\")",
			    cells[i], t->name);
		if (h->at[c] >= 0)
			return hw_error_set(err, HW_EFORMAT,
					    "column \"%.40s\" is given twice "
					    "(first as column %d)",
					    name, h->at[c] + 1);
		h->at[c] = (int)i;
		h->col[i] = (signed char)c;
	}
	for (c = 0; c < (int)t->ncolumns; c++)
		if ((t->required & (1u << c)) && h->at[c] < 0) {
			*bad = HWP_INV_ROW;
			return hw_error_set(
			    err, HW_EFORMAT,
			    "missing column \"%s\" (a table of "
			    "%s needs %s)",
			    t->columns[c], t->name,
			    kind == HWP_INV_INFOTYPES ? "id and name"
			    : kind == HWP_INV_ASSETS  ? "id, name and type"
			    : kind == HWP_INV_ASSIGNMENTS
				? "asset and information_type"
				: "from and to");
		}
	return 0;
}

const char *hwp_inv_head_column(const struct hwp_inv_head *h, size_t i)
{
	if (h->t == NULL || i >= h->ncells || h->col[i] < 0)
		return NULL;
	return h->t->columns[(int)h->col[i]];
}

/* ------------------------------------------------------------------ */
/* Rows in                                                             */

/* One row being read. */
struct rowin {
	const struct hwp_inv_head *h;
	const char *const *cells;
	size_t n;
	struct hwp_pool *pool;
	size_t *bad;
	struct hw_error *err;
};

/* The text of table column c, the formula rule applied: "" when empty
 * or absent. */
static const char *cell(const struct rowin *r, int c)
{
	int i = r->h->at[c];
	const char *s;

	if (i < 0 || (size_t)i >= r->n)
		return "";
	s = r->cells[i];
	return s[0] == '\'' ? s + 1 : s;
}

/* Fail at table column c with message fmt. */
__attribute__((format(printf, 3, 4))) static int
fail(const struct rowin *r, int c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	*r->bad = r->h->at[c] >= 0 ? (size_t)r->h->at[c] : HWP_INV_ROW;
	return hw_error_set(r->err, HW_EINVAL, "%s", msg);
}

/* Re-raise e at column c, without the "field: " a helper put in front. */
static int refail(const struct rowin *r, int c, const struct hw_error *e)
{
	const char *name = r->h->t->columns[c], *s = e->text;
	size_t len = strlen(name);

	if (strncmp(s, name, len) == 0 && s[len] == ':' && s[len + 1] == ' ')
		s += len + 2;
	return fail(r, c, "%s", s);
}

/* A copy of column c's text in the pool; NULL for an empty cell (an
 * error then when required, with what names what was expected). */
static int text(const struct rowin *r, int c, const char *what,
		const char **out)
{
	const char *s = cell(r, c);

	*out = NULL;
	if (s[0] == '\0') {
		if (what != NULL)
			return fail(r, c, "empty (expected %s)", what);
		return 0;
	}
	*out = hwp_pool_strdup(r->pool, s, strlen(s));
	if (*out == NULL)
		return hw_error_set(r->err, HW_ENOMEM, "out of memory");
	return 0;
}

/* text, at most max bytes. */
static int text_max(const struct rowin *r, int c, const char *what, size_t max,
		    const char **out)
{
	size_t n;

	if (text(r, c, what, out) < 0)
		return -1;
	if (*out != NULL && (n = strlen(*out)) > max)
		return fail(r, c, "%zu bytes long (expected at most %zu)", n,
			    max);
	return 0;
}

static int id(const struct rowin *r, int c, const char *what, const char **out)
{
	const char *s = cell(r, c);
	struct hw_error e = {0};

	if (!hw_id_valid(s)) {
		if (s[0] == '\0')
			return fail(r, c, "empty (expected %s)", what);
		hw_id_check(s, what, &e);
		return refail(r, c, &e);
	}
	return text(r, c, what, out);
}

static int level(const struct rowin *r, int c, int allow_na, enum hw_level *out)
{
	const char *s = cell(r, c);
	struct hw_error e = {0};

	*out = HW_LEVEL_NONE;
	if (s[0] == '\0')
		return 0;
	if (hw_level_parse(s, allow_na, out, &e) < 0)
		return refail(r, c, &e);
	return 0;
}

/* Columns c, c+1, c+2: confidentiality, integrity, availability. */
static int triple(const struct rowin *r, int c, int allow_na, struct hw_sc *sc)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if (level(r, c + o, allow_na && o == HW_C, &sc->v[o]) < 0)
			return -1;
	return 0;
}

/* true/false/yes/no in any case: 1, 0; -1 (empty) when absent. */
static int boolean(const struct rowin *r, int c, int *out)
{
	const char *s = cell(r, c);

	*out = -1;
	if (s[0] == '\0')
		return 0;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		*out = 0;
	else
		return fail(r, c, "\"%.40s\" is not true, false, yes or no", s);
	return 0;
}

static void *new_rec(const struct rowin *r, size_t size, enum hwp_rec_kind kind,
		     long ord)
{
	struct hwp_rec *rec = hwp_pool_alloc(r->pool, size);

	if (rec == NULL) {
		hw_error_set(r->err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	memset(rec, 0, size);
	rec->kind = kind;
	rec->ord = ord;
	return rec;
}

static int row_infotype(const struct rowin *r, long ord, struct hwp_rec **out)
{
	struct hwp_rec_infotype *t =
	    new_rec(r, sizeof *t, HWP_REC_INFOTYPE, ord);

	if (t == NULL || id(r, T_ID, "information type id", &t->id) < 0 ||
	    text_max(r, T_NAME, "a name", HWP_NAME_MAX, &t->name) < 0 ||
	    text_max(r, T_CATEGORY, NULL, HWP_CATEGORY_MAX, &t->category) < 0 ||
	    triple(r, T_C, 1, &t->prov) < 0)
		return -1;
	*out = &t->h;
	return 0;
}

static int row_asset(const struct rowin *r, long ord, struct hwp_rec **out)
{
	struct hwp_rec_asset *a = new_rec(r, sizeof *a, HWP_REC_ASSET, ord);
	enum hw_factor k;
	const char *s;
	int b, ty;

	if (a == NULL || id(r, A_ID, "asset id", &a->id) < 0 ||
	    text_max(r, A_NAME, "a name", HWP_NAME_MAX, &a->name) < 0)
		return -1;
	s = cell(r, A_TYPE);
	ty = hwp_vocab_index(hw_asset_types, s);
	if (ty < 0)
		return fail(r, A_TYPE,
			    "unknown asset type \"%.40s\" (expected %s)", s,
			    hw_vocab_text(hw_asset_types));
	a->type = hw_asset_types[ty];
	a->hash = hwp_import_hash(a->id);
	if (text_max(r, A_OWNER, NULL, HWP_OWNER_MAX, &a->owner) < 0 ||
	    text_max(r, A_DESCRIPTION, NULL, HWP_DESCRIPTION_MAX,
		     &a->description) < 0 ||
	    triple(r, A_C, 0, &a->direct) < 0 || boolean(r, A_INTERNET, &b) < 0)
		return -1;
	a->internet_facing = b == 1;
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		struct hw_error e = {0};
		int c = A_VULNS + (int)k;

		s = cell(r, c);
		if (c == A_AUTHORIZED) {
			if (boolean(r, c, &b) < 0)
				return -1;
			s = b < 0 ? "" : b ? "yes" : "no";
		}
		if (hw_factor_set(&a->factors, hw_factor_name(k), s, &e) < 0)
			return refail(r, c, &e);
	}
	if (text(r, A_AUTHORIZED_BY, NULL, &a->authorized_by) < 0)
		return -1;
	s = cell(r, A_AUTHORIZED_AT);
	if (s[0] != '\0') {
		struct hw_error e = {0};

		if (hw_time_parse(s, &a->authorized_at, &e) < 0)
			return refail(r, A_AUTHORIZED_AT, &e);
	}
	a->keep_types = 1;
	*out = &a->h;
	return 0;
}

static int row_assignment(const struct rowin *r, long ord, struct hwp_rec **out)
{
	struct hwp_rec_assignment *g =
	    new_rec(r, sizeof *g, HWP_REC_ASSIGNMENT, ord);

	if (g == NULL || id(r, G_ASSET, "asset id", &g->asset) < 0 ||
	    id(r, G_TYPE, "information type id", &g->a.id) < 0 ||
	    triple(r, G_C, 1, &g->a.selected) < 0 ||
	    text_max(r, G_WHY, NULL, HWP_DESCRIPTION_MAX, &g->a.why) < 0)
		return -1;
	g->hash = hwp_import_hash(g->asset);
	*out = &g->h;
	return 0;
}

static int row_dep(const struct rowin *r, long ord, struct hwp_rec **out)
{
	struct hwp_rec_dep *d = new_rec(r, sizeof *d, HWP_REC_DEP, ord);
	struct hw_error e = {0};
	unsigned carries = HW_CARRY_ALL;
	const char *s;
	int k;

	if (d == NULL || id(r, D_FROM, "asset id", &d->from) < 0 ||
	    id(r, D_TO, "asset id", &d->to) < 0)
		return -1;
	if (strcmp(d->from, d->to) == 0)
		return fail(r, D_TO, "asset '%s' cannot depend on itself",
			    d->from);
	s = cell(r, D_TYPE);
	k = hwp_vocab_index(hw_dep_types, s[0] ? s : "other");
	if (k < 0)
		return fail(r, D_TYPE,
			    "unknown dependency type \"%.40s\" (expected %s)",
			    s, hw_vocab_text(hw_dep_types));
	s = cell(r, D_CARRIES);
	if (s[0] != '\0' && hw_carries_parse(s, &carries, &e) < 0)
		return refail(r, D_CARRIES, &e);
	d->type = (unsigned char)k;
	d->carries = (unsigned char)carries;
	d->hfrom = hwp_import_hash(d->from);
	d->hto = hwp_import_hash(d->to);
	*out = &d->h;
	return 0;
}

int hwp_inv_row(const struct hwp_inv_head *h, const char *const *cells,
		size_t n, long ord, struct hwp_pool *pool, struct hwp_rec **out,
		size_t *bad, struct hw_error *err)
{
	struct rowin r = {h, cells, n, pool, bad, err};
	size_t i;

	for (i = h->ncells; i < n; i++)
		if (cells[i][0] != '\0') {
			*bad = i;
			return hw_error_set(err, HW_EFORMAT,
					    "a value past the last column "
					    "(the header has %zu)",
					    h->ncells);
		}
	switch (h->t->kind) {
	case HWP_INV_INFOTYPES:
		return row_infotype(&r, ord, out);
	case HWP_INV_ASSETS:
		return row_asset(&r, ord, out);
	case HWP_INV_ASSIGNMENTS:
		return row_assignment(&r, ord, out);
	default:
		return row_dep(&r, ord, out);
	}
}

/* ------------------------------------------------------------------ */
/* Rows out                                                            */

int hwp_inv_needs_quote(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@'\t\r", s[0]) != NULL;
}

/* Where the number texts go. */
struct rowout {
	const char **vals;
	char *buf;
	size_t size, used;
};

static const char *keep(struct rowout *o, const char *s)
{
	size_t len = strlen(s) + 1;
	char *d;

	if (o->used + len > o->size)
		return "";
	d = o->buf + o->used;
	memcpy(d, s, len);
	o->used += len;
	return d;
}

/* The shortest decimal that reads back to d. */
static const char *number(struct rowout *o, double d)
{
	char b[40];
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(b, sizeof b, "%.*g", p, d);
		if (strtod(b, NULL) == d)
			break;
	}
	return keep(o, b);
}

static const char *lvl(enum hw_level l)
{
	return l == HW_LEVEL_NONE ? "" : hw_level_name(l);
}

static void start(const char *vals[HWP_INV_MAXCOLS], unsigned *text,
		  unsigned textbits)
{
	int i;

	for (i = 0; i < HWP_INV_MAXCOLS; i++)
		vals[i] = "";
	if (text != NULL)
		*text = textbits;
}

static const char *str(const char *s)
{
	return s != NULL ? s : "";
}

void hwp_inv_infotype_cells(const struct hw_infotype *t,
			    const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			    char *buf, size_t size)
{
	int o;

	(void)buf;
	(void)size;
	start(vals, text, 1u << T_ID | 1u << T_NAME | 1u << T_CATEGORY);
	vals[T_ID] = str(t->id);
	vals[T_NAME] = str(t->name);
	vals[T_CATEGORY] = str(t->category);
	for (o = 0; o < HW_NOBJ; o++)
		vals[T_C + o] = lvl(t->prov.v[o]);
}

void hwp_inv_asset_cells(const struct hw_asset *a,
			 const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			 char *buf, size_t size)
{
	struct rowout out = {vals, buf, size, 0};
	const struct hw_factors *f = &a->factors;
	enum hw_factor k;
	char tb[HW_TIME_TEXT > 32 ? HW_TIME_TEXT : 32];
	int o;

	start(vals, text,
	      1u << A_ID | 1u << A_NAME | 1u << A_OWNER | 1u << A_DESCRIPTION |
		  1u << A_AUTHORIZED_BY);
	vals[A_ID] = str(a->id);
	vals[A_NAME] = str(a->name);
	vals[A_TYPE] = str(a->type);
	vals[A_OWNER] = str(a->owner);
	vals[A_DESCRIPTION] = str(a->description);
	for (o = 0; o < HW_NOBJ; o++)
		vals[A_C + o] = lvl(a->direct.v[o]);
	vals[A_INTERNET] = a->internet_facing ? "true" : "false";
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		int c = A_VULNS + (int)k;

		if (!(f->known & HW_F_BIT(k)))
			continue;
		if (k == HW_F_AUTHORIZED)
			vals[c] = f->authorized ? "true" : "false";
		else if (k == HW_F_WORST_CVSS)
			vals[c] = number(&out, f->worst_cvss);
		else if (k == HW_F_DOWNTIME_COST)
			vals[c] = number(&out, f->downtime_cost);
		else
			vals[c] = keep(&out, hw_factor_text(f, k, tb));
	}
	vals[A_AUTHORIZED_BY] = str(a->authorized_by);
	if (a->authorized_at != 0)
		vals[A_AUTHORIZED_AT] =
		    keep(&out, hw_time_format(a->authorized_at, tb));
}

void hwp_inv_assignment_cells(const struct hw_asset *a,
			      const struct hw_assignment *g,
			      const char *vals[HWP_INV_MAXCOLS], unsigned *text,
			      char *buf, size_t size)
{
	int o;

	(void)buf;
	(void)size;
	start(vals, text, 1u << G_ASSET | 1u << G_TYPE | 1u << G_WHY);
	vals[G_ASSET] = str(a->id);
	vals[G_TYPE] = str(g->type_id);
	/* Levels only where they are not simply the provisional ones, as
	 * JSON export writes them (record-json.c). */
	if (hw_assignment_adjusted(g) || g->base.v[HW_I] == HW_LEVEL_NONE)
		for (o = 0; o < HW_NOBJ; o++)
			vals[G_C + o] = lvl(g->selected.v[o]);
	vals[G_WHY] = str(g->justification);
}

void hwp_inv_dep_cells(const struct hw_dep *d,
		       const char *vals[HWP_INV_MAXCOLS], unsigned *text,
		       char *buf, size_t size)
{
	struct rowout out = {vals, buf, size, 0};
	char cb[4];

	start(vals, text, 1u << D_FROM | 1u << D_TO);
	vals[D_FROM] = str(d->from);
	vals[D_TO] = str(d->to);
	vals[D_TYPE] = str(d->type);
	vals[D_CARRIES] = keep(&out, hw_carries_text(d->carries, cb));
}

/*
 * store-inventory.c: the inventory's records in the store:
 * assets with their assignments and risk factors, dependencies, and the
 * key lookups between asset ids and keys (information types:
 * store-infotype.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Assets                                                              */

/* Store the asset's factors: a row only when it has any; who
 * authorized it and when only while it is authorized. */
static int put_factors(struct hw_store *st, long long n,
		       const struct hw_asset *a, struct hw_error *err)
{
	const struct hw_factors *f = &a->factors;
	struct hwp_stmt *s;
	char buf[32], at[HW_TIME_TEXT];
	int rc;

	/* (a load into an empty inventory: no row to replace) */
	s = hwp_stmt(st,
		     !f->known				 ? Q_FACTOR_CLEAR
		     : st->load.active && st->load.empty ? Q_FACTOR_INSERT
							 : Q_FACTOR_PUT,
		     err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	if (f->known) {
		enum hw_factor k;

		for (k = 0; k < HW_F_FRAGILITY; k++) {
			if (!(f->known & HW_F_BIT(k)))
				continue;
			if (k == HW_F_VULNERABILITIES)
				hwp_bind_int(s, 2, f->vulnerabilities);
			else if (k == HW_F_WORST_CVSS ||
				 k == HW_F_DOWNTIME_COST)
				hwp_bind_double(s, 2 + (int)k,
						k == HW_F_WORST_CVSS
						    ? f->worst_cvss
						    : f->downtime_cost);
			else if (k == HW_F_AUTHORIZED)
				hwp_bind_int(s, 2 + (int)k,
					     f->authorized ? 1 : 0);
			else
				hwp_bind_textn(s, 2 + (int)k,
					       hw_factor_text(f, k, buf), -1,
					       HWP_TRANSIENT);
		}
		if ((f->known & HW_F_BIT(HW_F_AUTHORIZED)) && f->authorized) {
			hwp_bind_text(s, 9, a->authorized_by);
			if (a->authorized_at > 0)
				hwp_bind_textn(
				    s, 10, hw_time_format(a->authorized_at, at),
				    -1, HWP_TRANSIENT);
		}
	}
	rc = hwp_step(s);
	hwp_reset(s);
	hwp_clear_bindings(s);
	return rc == HWP_DONE ? 0
			      : hwp_step_error(st, rc, err,
					       "cannot store risk "
					       "factors");
}

/* Who authorized the asset and when, from columns first and first+1
 * (NULL: not recorded).  0, or -1 with the error. */
static int row_authorized(struct hw_store *st, struct hwp_stmt *s, int first,
			  struct hw_asset *a, int *bad, struct hw_error *err)
{
	const char *at = (const char *)hwp_col_text(s, first + 1);
	char back[HW_TIME_TEXT];
	hw_time t;

	a->authorized_by = hwp_col_dup(s, first, bad);
	if (*bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (at == NULL)
		return 0;
	if (hw_time_parse(at, &t, NULL) < 0 || t <= 0 ||
	    strcmp(hw_time_format(t, back), at) != 0)
		return hwp_damaged(st, err, "asset_factor",
				   "'%s' has an authorized_at that is not "
				   "YYYY-MM-DDTHH:MM:SSZ",
				   a->id);
	a->authorized_at = t;
	return 0;
}

/* Fill the asset fields from columns 0..15 of s, its row number in
 * column ncol.  Returns 0, or -1 with the error for a damaged row (the
 * fields read so far in a, to release). */
static int row_asset(struct hw_store *st, struct hwp_stmt *s, int ncol,
		     struct hw_asset *a, int *bad, struct hw_error *err)
{
	enum hw_factor k;
	int o, ok = 1;

	memset(a, 0, sizeof *a);
	a->id = hwp_col_dup(s, 0, bad);
	a->name = hwp_col_dup(s, 1, bad);
	a->type = hwp_col_dup(s, 2, bad);
	a->owner = hwp_col_dup(s, 3, bad);
	a->description = hwp_col_dup(s, 4, bad);
	for (o = 0; o < HW_NOBJ; o++)
		a->direct.v[o] = hwp_col_level(s, 5 + o, 0, &ok);
	a->internet_facing = hwp_col_int(s, 8);
	if (*bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (hwp_check_asset_row(st, hwp_col_int64(s, ncol), a->id, a->name,
				a->type, ok, err) < 0 ||
	    hwp_check_asset_text(st, a->id, "name", a->name, err) < 0 ||
	    hwp_check_asset_text(st, a->id, "owner", a->owner, err) < 0 ||
	    hwp_check_asset_text(st, a->id, "description", a->description,
				 err) < 0)
		return -1;
	if (hwp_col_int64(s, 8) != (a->internet_facing != 0))
		return hwp_damaged(st, err, "asset",
				   "'%s' has an internet_facing that is not 0 "
				   "or 1",
				   a->id);
	if (hwp_row_factors(s, 9, &a->factors, &k) < 0)
		return hwp_bad_factor(st, a->id, 0, k, err);
	return row_authorized(st, s, ncol + 1, a, bad, err);
}

/* Append the assignment in columns first..first+8 of s to a.  Returns
 * 0, or -1 with the error (*bad set when out of memory). */
static int push_assignment(struct hw_store *st, struct hw_asset *a,
			   struct hwp_stmt *s, int first, int *bad,
			   struct hw_error *err)
{
	struct hw_assignment *g, *grown;
	int o, ok = 1;

	grown = realloc(a->types, (a->ntypes + 1) * sizeof *grown);
	if (grown == NULL) {
		*bad = 1;
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	a->types = grown;
	g = &a->types[a->ntypes++];
	memset(g, 0, sizeof *g);
	g->type_id = hwp_col_dup(s, first, bad);
	for (o = 0; o < HW_NOBJ; o++)
		g->base.v[o] = hwp_col_level(s, first + 1 + o, o == HW_C, &ok);
	if (!hwp_col_selected(s, first + 4, &g->selected))
		ok = 0;
	g->justification = hwp_col_dup(s, first + 7, bad);
	if (*bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (g->type_id == NULL || !ok)
		return hwp_damaged(st, err, "assignment",
				   "'%s' has an assignment with %s", a->id,
				   g->type_id ? "a level that is not na, low, "
						"moderate or high"
					      : "no information type");
	if (hwp_col_type(s, first + 8) == HWP_NULL)
		return hwp_damaged(st, err, "assignment",
				   "'%s' holds information type '%.64s', "
				   "which is not in table info_type",
				   a->id, g->type_id);
	return 0;
}

/* 1 (err set) when a load knows id is not stored, without asking the
 * server (store-load-ids.c); -1 on error; 0: ask. */
static int not_stored(struct hw_store *st, const char *id, struct hw_error *err)
{
	int rc = hwp_load_id_absent(st, id, err);

	if (rc > 0)
		hw_error_set(err, HW_ENOTFOUND, "unknown asset '%.64s'", id);
	return rc;
}

int hwp_asset_n(struct hw_store *st, const char *id, hw_key *n,
		struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc;

	if (not_stored(st, id, err) != 0)
		return -1;
	s = hwp_stmt(st, Q_ASSET_N, err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, id);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		*n = hwp_col_int64(s, 0);
	hwp_reset(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "unknown asset '%.64s'",
				    id);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot look up asset");
	return 0;
}

int hwp_asset_id(struct hw_store *st, hw_key n, char **out,
		 struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_ASSET_ID, err);
	char *id = NULL;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		id = hwp_col_dup(s, 0, &bad);
	hwp_reset(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no asset number %lld",
				    n);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot look up asset");
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = id;
	return 0;
}

int hw_store_asset_get(struct hw_store *st, const char *id,
		       struct hw_asset *out, struct hw_error *err)
{
	struct hwp_stmt *s;
	struct hw_asset a;
	long long n;
	int rc, ret, bad = 0;

	if (not_stored(st, id, err) != 0)
		return -1;
	s = hwp_stmt(st, Q_ASSET_GET, err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, id);
	rc = hwp_step(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "unknown asset '%.64s'",
				    id);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read asset");
	ret = row_asset(st, s, 16, &a, &bad, err);
	n = hwp_col_int64(s, 16);
	hwp_reset(s);
	s = ret < 0 ? NULL : hwp_stmt(st, Q_ASSIGN_OF, err);
	if (s == NULL) {
		hw_asset_release(&a);
		return -1;
	}
	hwp_bind_int64(s, 1, n);
	while (ret == 0 && (rc = hwp_step(s)) == HWP_ROW)
		ret = push_assignment(st, &a, s, 0, &bad, err);
	hwp_reset(s);
	if (ret < 0 || rc != HWP_DONE) {
		hw_asset_release(&a);
		if (ret < 0)
			return -1;
		return hwp_db_error(st, err, "cannot read assignments");
	}
	*out = a;
	return 0;
}

static void bind_asset(struct hwp_stmt *s, const struct hw_asset *a)
{
	int o;

	hwp_bind_text(s, 1, a->id);
	hwp_bind_text(s, 2, a->name);
	hwp_bind_text(s, 3, a->type);
	hwp_bind_text(s, 4, a->owner);
	hwp_bind_text(s, 5, a->description);
	for (o = 0; o < HW_NOBJ; o++)
		hwp_bind_level(s, 6 + o, a->direct.v[o]);
	hwp_bind_int(s, 9, a->internet_facing ? 1 : 0);
}

struct type_at {
	const char *id;
	size_t i;
};

static int by_type_then_place(const void *x, const void *y)
{
	const struct type_at *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/* No information type twice: said here, not by the table's key (a load
 * into an empty inventory on PostgreSQL sends its rows later, with
 * COPY), naming the type whose second mention comes first, as the
 * key's refusal did. */
static int types_once(const struct hw_asset *a, struct hw_error *err)
{
	struct type_at *v;
	size_t i, first = (size_t)-1;

	if (a->ntypes < 2)
		return 0;
	v = malloc(a->ntypes * sizeof *v);
	if (v == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < a->ntypes; i++) {
		v[i].id = a->types[i].type_id ? a->types[i].type_id : "";
		v[i].i = i;
	}
	qsort(v, a->ntypes, sizeof *v, by_type_then_place);
	for (i = 1; i < a->ntypes; i++)
		if (strcmp(v[i].id, v[i - 1].id) == 0 &&
		    (i < 2 || strcmp(v[i - 1].id, v[i - 2].id) != 0) &&
		    v[i].i < first)
			first = v[i].i;
	free(v);
	if (first == (size_t)-1)
		return 0;
	return hw_error_set(err, HW_EEXIST,
			    "asset '%s' holds information type '%s' twice",
			    a->id, a->types[first].type_id);
}

int hwp_asset_insert(struct hw_store *st, const struct hw_asset *a, int replace,
		     hw_key *nout, int *existed, struct hw_error *err)
{
	struct hwp_stmt *s;
	long long n = 0;
	size_t i;
	int rc, o, empty = st->load.active && st->load.empty;

	if (hwp_asset_check(a, err) < 0 || types_once(a, err) < 0)
		return -1;
	/* An insert first: a new asset has no assignments to clear.  No
	 * row: the id is taken (ON CONFLICT DO NOTHING; a failed statement
	 * would end a PostgreSQL transaction).  Into an empty inventory (a
	 * load's ids are unique): the next number, a plain insert. */
	s = hwp_stmt(st, empty ? Q_ASSET_INSERT_N : Q_ASSET_INSERT, err);
	if (s == NULL)
		return -1;
	bind_asset(s, a);
	if (empty)
		hwp_bind_int64(s, 10, n = ++st->load.last_n);
	rc = hwp_step(s);
	if (rc == HWP_ROW)
		n = hwp_col_int64(s, 0);
	hwp_reset(s);
	if (empty && rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot store asset");
	if (empty)
		rc = HWP_ROW; /* stored, as the RETURNING's row says */
	*existed = rc == HWP_DONE;
	if (*existed && !replace)
		return hw_error_set(err, HW_EEXIST, "asset '%s' already exists",
				    a->id);
	if (*existed) {
		s = hwp_stmt(st, Q_ASSET_UPSERT, err);
		if (s == NULL)
			return -1;
		bind_asset(s, a);
		rc = hwp_step(s);
		if (rc == HWP_ROW)
			n = hwp_col_int64(s, 0);
		hwp_reset(s);
	}
	if (rc != HWP_ROW)
		return hwp_step_error(st, rc, err, "cannot store asset");
	/* An import checks once, at its end (hwp_limit_assets). */
	if (!*existed && !st->load.active && hwp_limit_assets(st, err) < 0)
		return -1;
	if (*existed) {
		s = hwp_stmt(st, Q_ASSIGN_CLEAR, err);
		if (s == NULL)
			return -1;
		hwp_bind_int64(s, 1, n);
		rc = hwp_step(s);
		hwp_reset(s);
		if (rc != HWP_DONE)
			return hwp_db_error(st, err,
					    "cannot clear assignments");
	}
	*nout = n;
	if ((*existed || a->factors.known) && put_factors(st, n, a, err) < 0)
		return -1;
	for (i = 0; i < a->ntypes; i++) {
		const struct hw_assignment *g = &a->types[i];

		s = hwp_stmt(st, Q_ASSIGN_INSERT, err);
		if (s == NULL)
			return -1;
		hwp_bind_int64(s, 1, n);
		hwp_bind_text(s, 2, g->type_id);
		for (o = 0; o < HW_NOBJ; o++) {
			hwp_bind_level(s, 3 + o, g->base.v[o]);
			hwp_bind_level(s, 6 + o, g->selected.v[o]);
		}
		hwp_bind_text(s, 9, g->justification);
		rc = hwp_step(s);
		hwp_reset(s);
		if (rc == HWP_CONSTRAINT_PRIMARYKEY)
			return hw_error_set(err, HW_EEXIST,
					    "asset '%s' holds information "
					    "type '%s' twice",
					    a->id, g->type_id);
		if (rc == HWP_CONSTRAINT_FOREIGNKEY)
			return hw_error_set(err, HW_ENOTFOUND,
					    "unknown information type '%s'",
					    g->type_id);
		if (rc != HWP_DONE)
			return hwp_step_error(st, rc, err,
					      "cannot store assignment");
	}
	return 0;
}

int hwp_asset_delete(struct hw_store *st, const char *id, int force,
		     struct hw_error *err)
{
	struct hwp_stmt *s;
	long long n, deps = 0;
	int rc;

	if (hwp_asset_n(st, id, &n, err) < 0)
		return -1;
	if (!force) {
		if (hwp_stmt_int(st, Q_ASSET_DEPENDENTS, &n, &deps,
				 "cannot count dependents", err) < 0)
			return -1;
		if (deps > 0)
			return hw_error_set(
			    err, HW_EREFUSED, "%lld asset%s depend%s on '%s'",
			    (long long)deps, deps == 1 ? "" : "s",
			    deps == 1 ? "s" : "", id);
	}
	s = hwp_stmt(st, Q_ASSET_DELETE, err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot delete asset");
	return 0;
}

/* Call fn for each asset statement s (bound, an asset's rows together)
 * gives; s is reset. */
static int each_row(struct hw_store *st, struct hwp_stmt *s,
		    int (*fn)(const struct hw_asset *, void *), void *ctx,
		    struct hw_error *err)
{
	struct hw_asset a;
	long long an = 0;
	int rc, ret = 0, bad = 0, have = 0;

	memset(&a, 0, sizeof a);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		/* An asset's rows (one an assignment) come together. */
		long long n = hwp_col_int64(s, 25);

		if (!have || n != an) {
			if (have) {
				ret = fn(&a, ctx);
				hw_asset_release(&a);
				have = 0;
				if (ret != 0)
					break;
			}
			have = 1;
			an = n;
			if (row_asset(st, s, 25, &a, &bad, err) < 0) {
				ret = -1;
				break;
			}
		}
		if (hwp_col_type(s, 16) != HWP_NULL &&
		    push_assignment(st, &a, s, 16, &bad, err) < 0) {
			ret = -1;
			break;
		}
	}
	if (ret < 0)
		have = 0;
	else if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot list assets");
	else if (ret == 0 && have)
		ret = fn(&a, ctx);
	hw_asset_release(&a);
	hwp_reset(s);
	return ret;
}

int hw_store_asset_each(struct hw_store *st,
			int (*fn)(const struct hw_asset *, void *), void *ctx,
			struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_ASSET_ALL, err);

	return s == NULL ? -1 : each_row(st, s, fn, ctx, err);
}

int hw_store_asset_match(struct hw_store *st, const char *prefix,
			 const char *search,
			 int (*fn)(const struct hw_asset *, void *), void *ctx,
			 struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_ASSET_MATCH, err);
	size_t n = prefix ? strlen(prefix) : 0, i, k = 0;
	char *upto = NULL, *like = NULL;
	int rc;

	if (s == NULL)
		return -1;
	/* The first id past every id starting with prefix: its last byte
	 * that can grow, grown (none when all are 0xff). */
	while (n > 0 && (unsigned char)prefix[n - 1] == 0xff)
		n--;
	if (n > 0) {
		if ((upto = malloc(n + 1)) == NULL)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		memcpy(upto, prefix, n);
		upto[n - 1] = (char)((unsigned char)upto[n - 1] + 1);
		upto[n] = '\0';
	}
	if (search != NULL) {
		/* %search% with LIKE's own characters escaped. */
		if ((like = malloc(2 * strlen(search) + 3)) == NULL) {
			free(upto);
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		}
		like[k++] = '%';
		for (i = 0; search[i] != '\0'; i++) {
			if (search[i] == '%' || search[i] == '_' ||
			    search[i] == '\\')
				like[k++] = '\\';
			like[k++] = search[i];
		}
		like[k++] = '%';
		like[k] = '\0';
	}
	hwp_bind_text(s, 1, prefix ? prefix : "");
	hwp_bind_text(s, 2, upto);
	hwp_bind_text(s, 3, like);
	rc = each_row(st, s, fn, ctx, err);
	hwp_clear_bindings(s);
	free(upto);
	free(like);
	return rc;
}

int hw_store_asset_ids(struct hw_store *st, const char *prefix,
		       int (*fn)(const char *id, void *), void *ctx,
		       struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_ASSET_IDS, err);
	size_t n = prefix ? strlen(prefix) : 0;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, n ? prefix : "");
	/* Binary order: the ids with the prefix come together, from it. */
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *id = (const char *)hwp_col_text(s, 0);

		if (id == NULL || strncmp(id, prefix ? prefix : "", n) != 0)
			break;
		if ((ret = fn(id, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != HWP_ROW && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot list asset ids");
	hwp_reset(s);
	return ret;
}

/* The count statement q's result into *out (written only on success). */
static int count_rows(struct hw_store *st, enum stmt_id q, const char *what,
		      long *out, struct hw_error *err)
{
	long long n;

	if (hwp_stmt_int(st, q, NULL, &n, what, err) < 0)
		return -1;
	*out = (long)n;
	return 0;
}

int hw_store_asset_count(struct hw_store *st, long *out, struct hw_error *err)
{
	return count_rows(st, Q_ASSET_COUNT, "cannot count assets", out, err);
}

int hw_store_dep_count(struct hw_store *st, long *out, struct hw_error *err)
{
	return count_rows(st, Q_DEP_COUNT, "cannot count dependencies", out,
			  err);
}

/* ------------------------------------------------------------------ */
/* Dependencies                                                        */

int hwp_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		struct hw_error *err)
{
	struct hwp_stmt *s;
	long long from, to;
	int rc;

	if (hwp_dep_check(d, err) < 0)
		return -1;
	if (hwp_asset_n(st, d->from, &from, err) < 0 ||
	    hwp_asset_n(st, d->to, &to, err) < 0)
		return -1;
	s = hwp_stmt(st, replace ? Q_DEP_UPSERT : Q_DEP_INSERT, err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, from);
	hwp_bind_int64(s, 2, to);
	hwp_bind_text(s, 3, d->type);
	hwp_bind_int(s, 4, (int)d->carries);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc == HWP_CONSTRAINT_PRIMARYKEY)
		return hw_error_set(err, HW_EEXIST,
				    "'%s' already depends on '%s'", d->from,
				    d->to);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot store dependency");
	return hwp_limit_deps_of(st, from, d->from, err);
}

int hwp_dep_delete(struct hw_store *st, const char *from, const char *to,
		   struct hw_error *err)
{
	struct hwp_stmt *s;
	long long f, t;
	int rc;

	if (hwp_asset_n(st, from, &f, err) < 0 ||
	    hwp_asset_n(st, to, &t, err) < 0)
		return -1;
	s = hwp_stmt(st, Q_DEP_DELETE, err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, f);
	hwp_bind_int64(s, 2, t);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot delete dependency");
	if (hwp_changes(st) == 0)
		return hw_error_set(err, HW_ENOTFOUND,
				    "'%s' does not depend on '%s'", from, to);
	return 0;
}

int hw_store_dep_each(struct hw_store *st, const char *asset,
		      int (*fn)(const struct hw_dep *, void *), void *ctx,
		      struct hw_error *err)
{
	struct hwp_stmt *s;
	long long n = 0;
	struct hw_dep d;
	int rc, ret = 0;

	if (asset != NULL && hwp_asset_n(st, asset, &n, err) < 0)
		return -1;
	s = hwp_stmt(st, asset ? Q_DEP_OF : Q_DEP_ALL, err);
	if (s == NULL)
		return -1;
	if (asset != NULL)
		hwp_bind_int64(s, 1, n);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		long long carries = hwp_col_int64(s, 3);

		/* Borrowed column text: valid until the next step. */
		d.from = (char *)hwp_col_text(s, 0);
		d.to = (char *)hwp_col_text(s, 1);
		d.type = (char *)hwp_col_text(s, 2);
		d.carries = (unsigned)(carries & 7);
		if (d.from == NULL || d.to == NULL) {
			ret = hwp_damaged(st, err, "dependency",
					  "a row names asset number %lld, "
					  "which does not exist (or has no "
					  "id)",
					  (long long)hwp_col_int64(
					      s, d.from == NULL ? 4 : 5));
			break;
		}
		if (hwp_col_int64(s, 4) == hwp_col_int64(s, 5)) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' depends on itself", d.from);
			break;
		}
		if (d.type == NULL ||
		    hwp_vocab_index(hw_dep_types, d.type) < 0) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' -> '%s': unknown dependency "
					  "type \"%.40s\"",
					  d.from, d.to, d.type ? d.type : "");
			break;
		}
		if (carries < 1 || carries > 7) {
			ret = hwp_damaged(st, err, "dependency",
					  "'%s' -> '%s': carries %lld is out "
					  "of range (expected 1 to 7)",
					  d.from, d.to, (long long)carries);
			break;
		}
		ret = fn(&d, ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot list dependencies");
	hwp_reset(s);
	return ret;
}

int hw_store_clear(struct hw_store *st, struct hw_error *err)
{
	if (hwp_audit_ready(st, "clearing the inventory", err) < 0 ||
	    hwp_audit_clear(st, err) < 0)
		return -1;
	hwp_load_types_forget(st);
	return hwp_exec_sql(st,
			    "DELETE FROM dependency; DELETE FROM assignment; "
			    "DELETE FROM asset_factor; "
			    "DELETE FROM asset; DELETE FROM info_type WHERE "
			    "builtin = 0;",
			    err);
}

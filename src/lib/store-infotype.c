/*
 * store-infotype.c: the information types in the store: one by
 * id (kept for a load's assignments), the list with its search, and
 * writing one, with the assignments that follow its levels.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Information types                                                   */

/* Read one info_type row into *out, written only on success. */
static int row_infotype(struct hw_store *st, struct hwp_stmt *s,
			struct hw_infotype *out, struct hw_error *err)
{
	struct hw_infotype row, *t = &row;
	int bad = 0, ok = 1, o;

	memset(t, 0, sizeof *t);
	t->id = hwp_col_dup(s, 0, &bad);
	t->name = hwp_col_dup(s, 1, &bad);
	t->category = hwp_col_dup(s, 2, &bad);
	for (o = 0; o < HW_NOBJ; o++)
		t->prov.v[o] = hwp_col_level(s, 3 + o, o == HW_C, &ok);
	t->builtin = hwp_col_int(s, 6);
	if (bad) {
		hw_infotype_release(t);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (t->id == NULL || hw_id_check(t->id, "id", NULL) < 0 ||
	    t->name == NULL || !ok) {
		if (t->id == NULL || hw_id_check(t->id, "id", NULL) < 0)
			hwp_damaged(st, err, "info_type",
				    "a row has no valid id");
		else
			hwp_damaged(st, err, "info_type", "'%s' has %s", t->id,
				    t->name ? "a level that is not na, low, "
					      "moderate or high"
					    : "no name");
		hw_infotype_release(t);
		return -1;
	}
	*out = row;
	return 0;
}

int hw_store_infotype_get(struct hw_store *st, const char *id,
			  struct hw_infotype *out, struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_INFOTYPE_GET, err);
	int rc;

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, id);
	rc = hwp_step(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND,
				    "unknown information type '%.64s'", id);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read information type");
	rc = row_infotype(st, s, out, err);
	hwp_reset(s);
	return rc;
}

void hwp_load_types_forget(struct hw_store *st)
{
	struct load_types *c = &st->load.types;
	size_t i;

	for (i = 0; i < c->n; i++)
		hw_infotype_release(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* Where id is or would go in the load's sorted types: 1 if there. */
static int load_type_at(const struct load_types *c, const char *id,
			size_t *at)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(id, c->v[mid].id);

		if (d == 0) {
			*at = mid;
			return 1;
		}
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return 0;
}

/* Type id as the load knows it, read and kept the first time. */
static const struct hw_infotype *load_type(struct hw_store *st,
					   const char *id,
					   struct hw_error *err)
{
	struct load_types *c = &st->load.types;
	struct hw_infotype t, *v;
	size_t at;

	if (load_type_at(c, id, &at))
		return &c->v[at];
	if (hw_store_infotype_get(st, id, &t, err) < 0)
		return NULL;
	/* placed by the id its row holds (id itself: the lookup is
	 * exact), so that the order stays strcmp's */
	if (load_type_at(c, t.id, &at)) {
		hw_infotype_release(&t);
		return &c->v[at];
	}
	v = hwp_grow(c->v, &c->cap, c->n, sizeof *c->v);
	if (v == NULL) {
		hw_infotype_release(&t);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	c->v = v;
	memmove(&v[at + 1], &v[at], (c->n - at) * sizeof *v);
	v[at] = t;
	c->n++;
	return &v[at];
}

int hw_store_assignment_prepare(struct hw_store *st, struct hw_assignment *g,
				struct hw_error *err)
{
	const struct hw_infotype *k;
	struct hw_infotype t;
	int rc;

	if (st->load.active) {
		k = load_type(st, g->type_id, err);
		return k != NULL ? hwp_assignment_fill(g, k, err) : -1;
	}
	if (hw_store_infotype_get(st, g->type_id, &t, err) < 0)
		return -1;
	rc = hwp_assignment_fill(g, &t, err);
	hw_infotype_release(&t);
	return rc;
}

/* "moderate/moderate/moderate", or "no levels". */
static const char *levels_text(const struct hw_sc *sc, char *buf, size_t size)
{
	if (sc->v[HW_I] == HW_LEVEL_NONE)
		return "no levels";
	snprintf(buf, size, "%s/%s/%s", hw_level_name(sc->v[HW_C]),
		 hw_level_name(sc->v[HW_I]), hw_level_name(sc->v[HW_A]));
	return buf;
}

/* Statement q with type t's id and levels bound as ?1..?4. */
static struct hwp_stmt *type_stmt(struct hw_store *st, enum stmt_id q,
			       const struct hw_infotype *t,
			       struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, q, err);
	int o;

	if (s == NULL)
		return NULL;
	hwp_bind_text(s, 1, t->id);
	for (o = 0; o < HW_NOBJ; o++)
		hwp_bind_level(s, 2 + o, t->prov.v[o]);
	return s;
}

/* The asset (by id) that keeps type t from taking the levels t->prov:
 * 1 and an error naming it, 0 if none, -1 on a database error. */
static int follow_blocked(struct hw_store *st, const struct hw_infotype *t,
			  struct hw_error *err)
{
	struct hwp_stmt *s = type_stmt(st, Q_FOLLOW_BLOCKER, t, err);
	char buf[40];
	int rc;

	if (s == NULL)
		return -1;
	rc = hwp_step(s);
	if (rc == HWP_ROW && t->prov.v[HW_I] == HW_LEVEL_NONE)
		hw_error_set(err, HW_EREFUSED,
			     "information type '%s' cannot lose its levels: "
			     "asset '%.64s' holds it at them and would be "
			     "left with none (give that assignment its own "
			     "levels, or remove it)",
			     t->id, hwp_col_text(s, 0));
	else if (rc == HWP_ROW)
		hw_error_set(err, HW_EREFUSED,
			     "information type '%s' cannot take the levels "
			     "%s: asset '%.64s' holds it at other levels with "
			     "no justification for differing from them",
			     t->id, levels_text(&t->prov, buf, sizeof buf),
			     hwp_col_text(s, 0));
	hwp_reset(s);
	if (rc == HWP_ROW)
		return 1;
	return rc == HWP_DONE
		   ? 0
		   : hwp_db_error(st, err, "cannot read assignments");
}

/* Before replacing a type: a shipped type changes only from the
 * catalogue itself (*skip when a file gives it unchanged); the
 * assignments of a custom type must be able to follow new levels. */
static int replace_allowed(struct hw_store *st, const struct hw_infotype *t,
			   int *skip, struct hw_error *err)
{
	struct hw_infotype old;
	struct hw_error e = {0};
	int o, changed = 0, ret = 0;

	*skip = 0;
	if (hw_store_infotype_get(st, t->id, &old, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	for (o = 0; o < HW_NOBJ; o++)
		changed |= old.prov.v[o] != t->prov.v[o];
	if (old.builtin && !t->builtin) {
		const char *diff = hw_infotype_shipped_diff(&old, t);

		*skip = diff == NULL;
		if (diff != NULL)
			ret =
			    hw_error_set(err, HW_EREFUSED,
					 "information type '%s' is in the "
					 "shipped SP 800-60 catalogue: its %s "
					 "cannot change",
					 t->id, diff);
	} else if (changed && follow_blocked(st, t, err) != 0) {
		ret = -1;
	}
	hw_infotype_release(&old);
	return ret;
}

/* Assignments of t follow its new levels (see Q_FOLLOW). */
static int follow(struct hw_store *st, const struct hw_infotype *t,
		  struct hw_error *err)
{
	struct hwp_stmt *s = type_stmt(st, Q_FOLLOW, t, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = hwp_step(s);
	hwp_reset(s);
	return rc == HWP_DONE
		   ? 0
		   : hwp_step_error(st, rc, err, "cannot update assignments");
}

/* hw_store_infotype_put without its audit records
 * (store-inventory-audit.c writes them). */
int hwp_infotype_put(struct hw_store *st, const struct hw_infotype *t,
		     int replace, struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc, o, skip = 0;

	hwp_load_types_forget(st);
	if (hwp_infotype_check(t, err) < 0)
		return -1;
	if (replace && replace_allowed(st, t, &skip, err) < 0)
		return -1;
	if (skip)
		return 0;
	s = hwp_stmt(st, replace ? Q_INFOTYPE_REPLACE : Q_INFOTYPE_INSERT, err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, t->id);
	hwp_bind_text(s, 2, t->name);
	hwp_bind_text(s, 3, t->category);
	for (o = 0; o < HW_NOBJ; o++)
		hwp_bind_level(s, 4 + o, t->prov.v[o]);
	hwp_bind_int(s, 7, t->builtin ? 1 : 0);
	rc = hwp_step(s);
	hwp_reset(s);
	if (rc == HWP_CONSTRAINT_PRIMARYKEY)
		return hw_error_set(err, HW_EEXIST,
				    "information type '%s' already exists",
				    t->id);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err,
				      "cannot store information type");
	return replace ? follow(st, t, err) : 0;
}

/* Does t match every word of search (or does its id start with it)? */
static int infotype_matches(const struct hw_infotype *t, const char *search)
{
	char word[128];
	const char *p = search;
	size_t n;

	n = strlen(search);
	if (strncasecmp(t->id, search, n) == 0)
		return 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (n >= sizeof word)
			n = sizeof word - 1;
		memcpy(word, p, n);
		word[n] = '\0';
		if (!hwp_contains_ci(t->name, word) &&
		    !hwp_contains_ci(t->category, word) &&
		    !hwp_contains_ci(t->id, word))
			return 0;
		p += strcspn(p, " \t");
	}
	return 1;
}

int hw_store_infotype_each(struct hw_store *st, const char *search, int builtin,
			   int (*fn)(const struct hw_infotype *, void *),
			   void *ctx, struct hw_error *err)
{
	struct hwp_stmt *s = hwp_stmt(st, Q_INFOTYPE_ALL, err);
	struct hw_infotype t;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_int(s, 1, builtin);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		if (row_infotype(st, s, &t, err) < 0) {
			ret = -1;
			break;
		}
		if (search == NULL || infotype_matches(&t, search))
			ret = fn(&t, ctx);
		hw_infotype_release(&t);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot list information types");
	hwp_reset(s);
	return ret;
}

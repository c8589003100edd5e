/*
 * import-diff.c: what a dry run would change, field by field.  After
 * its records are applied, still inside its transaction, the inventory
 * as it would be is compared with the inventory as committed, which a
 * second, read-only connection to the same database still sees (WAL):
 * both are walked in id order and looked up in the other, so that
 * nothing is held that grows with the inventory.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import-engine.h"
#include "record.h"

struct diff {
	struct hw_store *now, *was;
	void (*fn)(const struct hw_import_diff *, void *);
	void *ctx;
	struct hw_error *err;
	const char *kind;
	char id[600];
	/* The dependencies' walk: the last "from" looked up. */
	char *from;
	hw_key from_key;
	int from_found;
};

static void tell(struct diff *d, const char *field, const char *before,
		 const char *after)
{
	struct hw_import_diff x = {HW_DIFF_CHANGED, d->kind, d->id,
				   field,	    before,  after};

	d->fn(&x, d->ctx);
}

/* The object d->id as a whole. */
static void tell_object(struct diff *d, enum hw_diff_change change)
{
	struct hw_import_diff x = {change, d->kind, d->id, NULL, NULL, NULL};

	d->fn(&x, d->ctx);
}

/* A member's value as text: a string as itself, else its JSON; NULL
 * when absent (the caller frees *tmp). */
static const char *text_of(const json_t *v, char **tmp)
{
	*tmp = NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_value(v);
	*tmp = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	return *tmp != NULL ? *tmp : "?";
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each member of before or after (objects; skip left out) that
 * differs, in key order. */
static int diff_members(struct diff *d, const json_t *before,
			const json_t *after, const char *skip)
{
	size_t n = json_object_size(before) + json_object_size(after), k = 0, i;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	const char *key;
	json_t *v;

	if (keys == NULL)
		return hw_error_set(d->err, HW_ENOMEM, "out of memory");
	json_object_foreach((json_t *)before, key, v) keys[k++] = key;
	json_object_foreach((json_t *)after, key,
			    v) if (json_object_get(before, key) == NULL)
	    keys[k++] = key;
	qsort(keys, k, sizeof *keys, by_str);
	for (i = 0; i < k; i++) {
		const json_t *b = json_object_get(before, keys[i]),
			     *a = json_object_get(after, keys[i]);
		char *tb, *ta;

		if ((skip != NULL && strcmp(keys[i], skip) == 0) ||
		    (a != NULL && b != NULL && json_equal(a, b)))
			continue;
		tell(d, keys[i], text_of(b, &tb), text_of(a, &ta));
		free(tb);
		free(ta);
	}
	free(keys);
	return 0;
}

/* One assignment's levels (those that count) and justification. */
static void diff_assignment(struct diff *d, const struct hw_assignment *b,
			    const struct hw_assignment *a)
{
	int x;

	for (x = 0; x < HW_NOBJ; x++)
		if (b->selected.v[x] != a->selected.v[x])
			tell(d, hw_objective_name(x),
			     hw_level_name(b->selected.v[x]),
			     hw_level_name(a->selected.v[x]));
	if (b->justification == NULL || a->justification == NULL
		? b->justification != a->justification
		: strcmp(b->justification, a->justification) != 0)
		tell(d, "justification", b->justification, a->justification);
}

/* The assignments of an asset, before and after (each in type id
 * order, as the store reads them back). */
static void diff_assignments(struct diff *d, const struct hw_asset *before,
			     const struct hw_asset *after)
{
	size_t i = 0, j = 0;
	const char *saved = d->kind;

	d->kind = "assignment";
	while (i < before->ntypes || j < after->ntypes) {
		const struct hw_assignment *b =
		    i < before->ntypes ? &before->types[i] : NULL;
		const struct hw_assignment *a =
		    j < after->ntypes ? &after->types[j] : NULL;
		int c = b == NULL   ? 1
			: a == NULL ? -1
				    : strcmp(b->type_id, a->type_id);

		snprintf(d->id, sizeof d->id, "%.290s %.290s", after->id,
			 c <= 0 ? b->type_id : a->type_id);
		if (c < 0) {
			tell_object(d, HW_DIFF_REMOVED);
			i++;
		} else if (c > 0) {
			tell_object(d, HW_DIFF_ADDED);
			j++;
		} else {
			diff_assignment(d, b, a);
			i++;
			j++;
		}
	}
	d->kind = saved;
}

/* An object of the inventory as it would be (after; its id) against
 * as it was (before, NULL when new); skip: a member left out. */
static int diff_object(struct diff *d, const char *id, const json_t *before,
		       const json_t *after, const char *skip)
{
	snprintf(d->id, sizeof d->id, "%s", id);
	if (before == NULL) {
		tell_object(d, HW_DIFF_ADDED);
		return 0;
	}
	return diff_members(d, before, after, skip);
}

static void removed(struct diff *d, const char *id)
{
	snprintf(d->id, sizeof d->id, "%s", id);
	tell_object(d, HW_DIFF_REMOVED);
}

static int infotype_now(const struct hw_infotype *t, void *ctx)
{
	struct diff *d = ctx;
	struct hw_infotype old;
	struct hw_error e = {0};
	json_t *b = NULL, *a = hwp_infotype_json(t);
	int rc = -1;

	if (a == NULL)
		return hw_error_set(d->err, HW_ENOMEM, "out of memory");
	if (hw_store_infotype_get(d->was, t->id, &old, &e) == 0) {
		b = hwp_infotype_json(&old);
		hw_infotype_release(&old);
		if (b == NULL) {
			hw_error_set(d->err, HW_ENOMEM, "out of memory");
			goto out;
		}
	} else if (e.code != HW_ENOTFOUND) {
		hw_error_set(d->err, e.code, "%s", e.text);
		goto out;
	}
	rc = diff_object(d, t->id, b, a, NULL);
out:
	json_decref(a);
	json_decref(b);
	return rc < 0 ? -1 : 0;
}

static int infotype_was(const struct hw_infotype *t, void *ctx)
{
	struct diff *d = ctx;
	struct hw_infotype now;
	struct hw_error e = {0};

	if (hw_store_infotype_get(d->now, t->id, &now, &e) == 0) {
		hw_infotype_release(&now);
		return 0;
	}
	if (e.code != HW_ENOTFOUND)
		return hw_error_set(d->err, e.code, "%s", e.text);
	removed(d, t->id);
	return 0;
}

static int asset_now(const struct hw_asset *x, void *ctx)
{
	struct diff *d = ctx;
	struct hw_asset old;
	struct hw_error e = {0};
	json_t *b = NULL, *a = hwp_asset_json(x);
	int rc = -1;

	if (a == NULL)
		return hw_error_set(d->err, HW_ENOMEM, "out of memory");
	if (hw_store_asset_get(d->was, x->id, &old, &e) == 0) {
		b = hwp_asset_json(&old);
		if (b == NULL)
			hw_error_set(d->err, HW_ENOMEM, "out of memory");
		else if ((rc = diff_object(d, x->id, b, a,
					   "information_types")) == 0)
			diff_assignments(d, &old, x);
		hw_asset_release(&old);
	} else if (e.code != HW_ENOTFOUND) {
		hw_error_set(d->err, e.code, "%s", e.text);
	} else {
		rc = diff_object(d, x->id, NULL, a, NULL);
	}
	json_decref(a);
	json_decref(b);
	return rc < 0 ? -1 : 0;
}

static int asset_was(const struct hw_asset *x, void *ctx)
{
	struct diff *d = ctx;
	struct hw_error e = {0};
	hw_key n;

	if (hwp_asset_n(d->now, x->id, &n, &e) == 0)
		return 0;
	if (e.code != HW_ENOTFOUND)
		return hw_error_set(d->err, e.code, "%s", e.text);
	removed(d, x->id);
	return 0;
}

/* The dependency from -> to in store st: 1 with its type and carries,
 * 0 when there is none; the key of from is kept while the walk stays
 * on it. */
static int dep_in(struct diff *d, struct hw_store *st, const struct hw_dep *x,
		  int *type, unsigned *carries)
{
	struct hw_error e = {0};
	hw_key to;

	if (d->from == NULL || strcmp(d->from, x->from) != 0) {
		free(d->from);
		d->from = hwp_strdup(x->from, d->err);
		if (d->from == NULL)
			return -1;
		d->from_found = hwp_asset_n(st, x->from, &d->from_key, &e) == 0;
		if (!d->from_found && e.code != HW_ENOTFOUND)
			return hw_error_set(d->err, e.code, "%s", e.text);
	}
	if (!d->from_found)
		return 0;
	e.code = HW_OK;
	if (hwp_asset_n(st, x->to, &to, &e) < 0)
		return e.code == HW_ENOTFOUND
			   ? 0
			   : hw_error_set(d->err, e.code, "%s", e.text);
	e.code = HW_OK;
	switch (hwp_load_dep_get(st, d->from_key, to, type, carries, &e)) {
	case 1:
		return 1;
	case 0:
		return 0;
	default:
		return hw_error_set(d->err, e.code, "%s", e.text);
	}
}

static int dep_now(const struct hw_dep *x, void *ctx)
{
	struct diff *d = ctx;
	unsigned carries;
	int type, found = dep_in(d, d->was, x, &type, &carries), rc;
	json_t *a, *b = NULL;

	if (found < 0)
		return -1;
	snprintf(d->id, sizeof d->id, "%.290s -> %.290s", x->from, x->to);
	if (!found) {
		tell_object(d, HW_DIFF_ADDED);
		return 0;
	}
	a = hwp_dep_json(x);
	if (a != NULL) {
		struct hw_dep old = *x;

		old.type = (char *)hw_dep_types[type];
		old.carries = carries;
		b = hwp_dep_json(&old);
	}
	rc = a == NULL || b == NULL
		 ? hw_error_set(d->err, HW_ENOMEM, "out of memory")
		 : diff_members(d, b, a, NULL);
	json_decref(a);
	json_decref(b);
	return rc < 0 ? -1 : 0;
}

static int dep_was(const struct hw_dep *x, void *ctx)
{
	struct diff *d = ctx;
	unsigned carries;
	int type, found = dep_in(d, d->now, x, &type, &carries);

	if (found < 0)
		return -1;
	if (!found) {
		snprintf(d->id, sizeof d->id, "%.290s -> %.290s", x->from,
			 x->to);
		tell_object(d, HW_DIFF_REMOVED);
	}
	return 0;
}

int hwp_import_diff(struct hw_store *st,
		    void (*fn)(const struct hw_import_diff *, void *),
		    void *ctx, struct hw_error *err)
{
	struct diff d = {0};
	struct hw_error e = {0};
	int rc = -1;

	d.now = st;
	d.fn = fn;
	d.ctx = ctx;
	d.err = err;
	d.was = hw_store_open(hwp_store_path(st),
			      HW_OPEN_READONLY | hwp_store_shared(st), &e);
	if (d.was == NULL)
		return hw_error_set(err, e.code,
				    "cannot read the inventory as it is, to "
				    "compare: %s",
				    e.text);
	d.kind = "information type";
	if (hw_store_infotype_each(st, NULL, 0, infotype_now, &d, &e) != 0 ||
	    hw_store_infotype_each(d.was, NULL, 0, infotype_was, &d, &e) != 0)
		goto out;
	d.kind = "asset";
	if (hw_store_asset_each(st, asset_now, &d, &e) != 0 ||
	    hw_store_asset_each(d.was, asset_was, &d, &e) != 0)
		goto out;
	d.kind = "dependency";
	if (hw_store_dep_each(st, NULL, dep_now, &d, &e) != 0)
		goto out;
	free(d.from);
	d.from = NULL;
	if (hw_store_dep_each(d.was, NULL, dep_was, &d, &e) != 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && e.code != HW_OK)
		hw_error_set(err, e.code, "%s", e.text);
	free(d.from);
	hw_store_close(d.was);
	return rc;
}

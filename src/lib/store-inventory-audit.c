/*
 * store-inventory-audit.c: the inventory's writes as the library offers
 * them (hw_store_asset_put, _asset_delete, _asset_authorize, _dep_add,
 * _dep_delete, _infotype_put): each reads the object before, makes the write
 * (store-inventory.c) and appends the audit records of what changed
 * (store-audit.c), in the caller's transaction.  A write outside a
 * transaction is refused, never made unaudited.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "store-sql.h"

/* ------------------------------------------------------------------ */
/* Objects before and after                                            */

/* object "KIND:NAME" in buf. */
static const char *object_name(char *buf, size_t size, const char *kind,
			       const char *name, const char *name2)
{
	if (name2 != NULL)
		snprintf(buf, size, "%s:%s>%s", kind, name, name2);
	else
		snprintf(buf, size, "%s:%s", kind, name);
	return buf;
}

static int hwp_audit_asset_json(struct hw_store *st, const char *id,
				json_t **out, struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_asset a;

	*out = NULL;
	if (st->audit.mute)
		return 0;
	if (hw_store_asset_get(st, id, &a, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	*out = hwp_asset_json(&a);
	hw_asset_release(&a);
	if (*out == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

static int hwp_audit_asset_put(struct hw_store *st, const char *id,
			       const json_t *before, struct hw_error *err)
{
	char obj[128];
	json_t *after;
	int rc;

	if (st->audit.mute)
		return 0;
	if (hwp_audit_asset_json(st, id, &after, err) < 0)
		return -1;
	rc = hwp_audit(st, before ? "update" : "add",
		       object_name(obj, sizeof obj, "asset", id, NULL), before,
		       after, err);
	json_decref(after);
	return rc;
}

struct dep_find {
	const char *to;
	json_t *found; /* the dependency's JSON */
	json_t *all;   /* or every one, when to is NULL */
};

static int find_dep(const struct hw_dep *d, void *ctx)
{
	struct dep_find *f = ctx;
	json_t *v;

	if (f->to != NULL && strcmp(d->to, f->to) != 0)
		return 0;
	if ((v = hwp_dep_json(d)) == NULL)
		return -1;
	if (f->to != NULL) {
		f->found = v;
		return 1;
	}
	return json_array_append_new(f->all, v);
}

static int hwp_audit_dep_json(struct hw_store *st, const char *from,
			      const char *to, json_t **out,
			      struct hw_error *err)
{
	struct dep_find f = {to, NULL, NULL};
	struct hw_error e = {0};

	*out = NULL;
	if (st->audit.mute)
		return 0;
	if (hw_store_dep_each(st, from, find_dep, &f, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	if (e.code != HW_OK) /* find_dep ran out of memory */
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*out = f.found;
	return 0;
}

static int hwp_audit_dep(struct hw_store *st, const char *from, const char *to,
			 const json_t *before, const json_t *after,
			 struct hw_error *err)
{
	char obj[160];

	if (st->audit.mute)
		return 0;
	return hwp_audit(st,
			 before == NULL	 ? "add"
			 : after == NULL ? "remove"
					 : "update",
			 object_name(obj, sizeof obj, "dependency", from, to),
			 before, after, err);
}

static int hwp_audit_infotype_json(struct hw_store *st, const char *id,
				   struct hw_infotype *old, json_t **out,
				   struct hw_error *err)
{
	struct hw_error e = {0};
	struct hw_infotype t;

	*out = NULL;
	if (old != NULL)
		memset(old, 0, sizeof *old);
	if (st->audit.mute)
		return 0;
	if (hw_store_infotype_get(st, id, &t, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			return 0;
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	*out = hwp_infotype_json(&t);
	if (old != NULL)
		*old = t;
	else
		hw_infotype_release(&t);
	if (*out == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* clang-format off */
#define HOLDERS_SQL                                                            \
	"SELECT a.id FROM assignment AS g JOIN asset AS a ON a.n = g.asset"    \
	" WHERE g.info_type = ?1 ORDER BY a.id"
/* clang-format on */

static int hwp_audit_holders(struct hw_store *st, const char *type_id,
			     json_t **out, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	json_t *held = json_object(), *ids = json_array(), *v;
	size_t i;
	int rc, ret = -1;

	*out = NULL;
	if (held == NULL || ids == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (hwp_prepare_raw(st, HOLDERS_SQL, &s) !=
	    HWP_OK) {
		hwp_db_error(st, err, "cannot read assignments");
		goto out;
	}
	hwp_bind_text(s, 1, type_id);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *id = (const char *)hwp_col_text(s, 0);

		if (id != NULL && json_array_append_new(ids, json_string(id)))
			rc = HWP_NOMEM;
	}
	if (rc != HWP_DONE) {
		hwp_db_error(st, err, "cannot read assignments");
		goto out;
	}
	json_array_foreach(ids, i, v)
	{
		json_t *a;

		if (hwp_audit_asset_json(st, json_string_value(v), &a, err) < 0)
			goto out;
		if (a != NULL &&
		    json_object_set_new(held, json_string_value(v), a) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = held;
	held = NULL;
	ret = 0;
out:
	hwp_finalize(s);
	json_decref(ids);
	json_decref(held);
	return ret;
}

static int hwp_audit_infotype_put(struct hw_store *st, const char *id,
				  const json_t *before, const json_t *held,
				  struct hw_error *err)
{
	const char *asset;
	json_t *after, *was, *now;
	long long seq;
	char obj[128];
	int rc;

	if (st->audit.mute)
		return 0;
	if (hwp_audit_infotype_json(st, id, NULL, &after, err) < 0)
		return -1;
	seq = st->audit.known ? st->audit.seq : -1;
	rc = hwp_audit(
	    st, before ? "update" : "add",
	    object_name(obj, sizeof obj, "information_type", id, NULL), before,
	    after, err);
	json_decref(after);
	/* The type's record, if one was written. */
	seq = rc == 0 && st->audit.known && st->audit.seq != seq ? st->audit.seq
								 : 0;
	/* Assignments that followed the type's new levels: the asset's
	 * JSON names the type without levels (they are the type's), so
	 * it reads the same: the type's record joins the asset's history.
	 * An asset whose JSON did change gets an update of its own. */
	json_object_foreach((json_t *)held, asset, was)
	{
		if (rc != 0)
			break;
		rc = hwp_audit_asset_json(st, asset, &now, err);
		if (rc == 0 && now != NULL && json_equal(now, was) && seq > 0)
			rc = hwp_audit_join(st, asset, seq, err);
		else if (rc == 0)
			rc = hwp_audit_asset_put(st, asset, was, err);
		json_decref(now);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The audited writes                                                  */

int hw_store_asset_put(struct hw_store *st, const struct hw_asset *a,
		       int replace, struct hw_error *err)
{
	json_t *before = NULL;
	hw_key n;
	int existed, ret;

	if (hwp_audit_ready(st, "an asset's write", err) < 0 ||
	    (replace && hwp_audit_asset_json(st, a->id, &before, err) < 0))
		return -1;
	ret = hwp_asset_insert(st, a, replace, &n, &existed, err);
	if (ret == 0)
		ret = hwp_audit_asset_put(st, a->id, before, err);
	json_decref(before);
	return ret;
}

/* The asset's dependencies (either end) go with it: each is recorded
 * removed, then the asset. */
int hw_store_asset_delete(struct hw_store *st, const char *id, int force,
			  struct hw_error *err)
{
	struct dep_find f = {NULL, NULL, NULL};
	json_t *before = NULL, *d;
	char obj[128];
	size_t i;
	int ret = -1;

	if (hwp_audit_ready(st, "an asset's delete", err) < 0)
		return -1;
	if (!st->audit.mute) {
		if ((f.all = json_array()) == NULL) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
		if (hwp_audit_asset_json(st, id, &before, err) < 0)
			goto out;
		if (before != NULL &&
		    hw_store_dep_each(st, id, find_dep, &f, err) != 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (hwp_asset_delete(st, id, force, err) < 0)
		goto out;
	ret = 0;
	json_array_foreach(f.all, i, d)
	{
		ret = hwp_audit_dep(
		    st, json_string_value(json_object_get(d, "from")),
		    json_string_value(json_object_get(d, "to")), d, NULL, err);
		if (ret < 0)
			goto out;
	}
	if (before != NULL)
		ret = hwp_audit(st, "remove",
				object_name(obj, sizeof obj, "asset", id, NULL),
				before, NULL, err);
out:
	json_decref(f.all);
	json_decref(before);
	return ret;
}

int hw_store_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		     struct hw_error *err)
{
	json_t *before = NULL, *after = NULL;
	int ret = -1;

	if (hwp_audit_ready(st, "a dependency's write", err) < 0 ||
	    (replace &&
	     hwp_audit_dep_json(st, d->from, d->to, &before, err) < 0))
		return -1;
	if (hwp_dep_add(st, d, replace, err) < 0)
		goto out;
	if (st->audit.mute)
		ret = 0;
	else if ((after = hwp_dep_json(d)) == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	else
		ret = hwp_audit_dep(st, d->from, d->to, before, after, err);
out:
	json_decref(before);
	json_decref(after);
	return ret;
}

int hw_store_dep_delete(struct hw_store *st, const char *from, const char *to,
			struct hw_error *err)
{
	json_t *before = NULL;
	int ret = -1;

	if (hwp_audit_ready(st, "a dependency's delete", err) < 0 ||
	    hwp_audit_dep_json(st, from, to, &before, err) < 0)
		return -1;
	if (hwp_dep_delete(st, from, to, err) == 0)
		ret = before == NULL
			  ? 0
			  : hwp_audit_dep(st, from, to, before, NULL, err);
	json_decref(before);
	return ret;
}

/* The audit's view of a type before it is replaced: its JSON, and the
 * assets holding it when its levels change (their assignments may
 * follow). */
static int type_before(struct hw_store *st, const struct hw_infotype *t,
		       json_t **before, json_t **held, struct hw_error *err)
{
	struct hw_infotype old;
	int o, moved = 0;

	if (hwp_audit_infotype_json(st, t->id, &old, before, err) < 0)
		return -1;
	if (*before == NULL)
		return 0;
	for (o = 0; o < HW_NOBJ; o++)
		moved |= old.prov.v[o] != t->prov.v[o];
	hw_infotype_release(&old);
	return moved ? hwp_audit_holders(st, t->id, held, err) : 0;
}

int hw_store_infotype_put(struct hw_store *st, const struct hw_infotype *t,
			  int replace, struct hw_error *err)
{
	json_t *before = NULL, *held = NULL;
	int ret = -1;

	if (hwp_audit_ready(st, "an information type's write", err) < 0)
		return -1;
	if (replace && !st->audit.mute &&
	    type_before(st, t, &before, &held, err) < 0)
		goto out;
	if (hwp_infotype_put(st, t, replace, err) == 0)
		ret = hwp_audit_infotype_put(st, t->id, before, held, err);
out:
	json_decref(before);
	json_decref(held);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Authorization                                                       */

int hw_store_asset_authorize(struct hw_store *st, const char *id,
			     struct hw_error *err)
{
	struct hw_asset before, after;
	struct hwp_stmt *s = NULL;
	json_t *b = NULL, *a = NULL;
	char object[300];
	hw_key n;
	int rc = -1;

	if (hwp_audit_ready(st, "an authorization", err) < 0 ||
	    hw_store_asset_get(st, id, &before, err) < 0)
		return -1;
	if (hwp_asset_n(st, id, &n, err) < 0)
		goto out;
	after = before;
	after.factors.known |= HW_F_BIT(HW_F_AUTHORIZED);
	after.factors.authorized = 1;
	after.authorized_by = (char *)hwp_actor(st);
	after.authorized_at = hw_time_now();
	s = hwp_prepare(st,
			"INSERT INTO asset_factor (asset, authorized, "
			"authorized_by, authorized_at) VALUES (?1, 1, ?2, ?3) "
			"ON CONFLICT (asset) DO UPDATE SET authorized = 1, "
			"authorized_by = ?2, authorized_at = ?3",
			"cannot authorize the asset", err);
	if (s == NULL)
		goto out;
	hwp_bind_int64(s, 1, n);
	hwp_bind_text(s, 2, after.authorized_by);
	hwp_bind_time(s, 3, after.authorized_at);
	rc = hwp_step(s);
	if (rc != HWP_DONE) {
		rc = hwp_step_error(st, rc, err, "cannot authorize the asset");
		goto out;
	}
	b = hwp_asset_json(&before);
	a = hwp_asset_json(&after);
	if (b == NULL || a == NULL) {
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	rc = hwp_audit(st, "authorize",
		       object_name(object, sizeof object, "asset", id, NULL), b,
		       a, err);
out:
	json_decref(a);
	json_decref(b);
	hwp_finalize(s);
	after.authorized_by = NULL; /* the actor's, not ours */
	hw_asset_release(&before);
	return rc;
}

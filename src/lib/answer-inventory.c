/*
 * answer-inventory.c: the JSON answers about the inventory itself, for
 * the CLI's --json and the service alike: the list of assets with its
 * filters and page, one asset as asset show shows it, the dependencies
 * and the information types.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answer.h"
#include "hw-private.h"

const char *const hw_asset_filter_names[] = {
    "type",   "owner",  "no_owner", "level", "uncategorized", "partial",
    "prefix", "search", "offset",   "limit", NULL};

/* "true" or "false" into *out. */
static int flag_of(const char *name, const char *value, int *out,
		   struct hw_error *err)
{
	if (strcmp(value, "true") == 0)
		*out = 1;
	else if (strcmp(value, "false") == 0)
		*out = 0;
	else
		return hw_error_set_at(err, HW_EINVAL, name, 0, 0,
				       "%s: \"%.40s\" (expected true or false)",
				       name, value);
	return 0;
}

/* A count up to a billion (hw_count_parse) into *out. */
static int count_of(const char *name, const char *value, long *out,
		    struct hw_error *err)
{
	struct hw_error e = {0};

	if (hw_count_parse(value, 1000000000L, out, &e) < 0)
		return hw_error_set_at(err, HW_EINVAL, name, 0, 0, "%s: %s",
				       name, e.text);
	return 0;
}

int hw_asset_filter_set(struct hw_asset_filter *f, const char *name,
			const char *value, struct hw_error *err)
{
	struct hw_error e = {0};

	if (strcmp(name, "type") == 0) {
		if (!hw_vocab_has(hw_asset_types, value))
			return hw_error_set_at(
			    err, HW_EINVAL, name, 0, 0,
			    "type: unknown asset type \"%.40s\" (expected %s)",
			    value, hw_vocab_text(hw_asset_types));
		f->type = value;
	} else if (strcmp(name, "owner") == 0) {
		f->owner = value;
	} else if (strcmp(name, "prefix") == 0) {
		f->prefix = value;
	} else if (strcmp(name, "search") == 0) {
		f->search = value;
	} else if (strcmp(name, "level") == 0) {
		if (hw_level_parse(value, 0, &f->level, &e) < 0)
			return hw_error_set_at(err, HW_EINVAL, name, 0, 0,
					       "level: %s", e.text);
	} else if (strcmp(name, "no_owner") == 0) {
		return flag_of(name, value, &f->no_owner, err);
	} else if (strcmp(name, "uncategorized") == 0) {
		return flag_of(name, value, &f->uncategorized, err);
	} else if (strcmp(name, "partial") == 0) {
		return flag_of(name, value, &f->partial, err);
	} else if (strcmp(name, "offset") == 0) {
		return count_of(name, value, &f->offset, err);
	} else if (strcmp(name, "limit") == 0) {
		return count_of(name, value, &f->limit, err);
	} else {
		return hw_error_set_at(err, HW_ENOTFOUND, name, 0, 0,
				       "unknown filter \"%.40s\"", name);
	}
	return 0;
}

int hw_asset_filter_keeps(const struct hw_asset_filter *f,
			  const struct hw_asset *a, struct hw_sc *own)
{
	enum hw_level overall;

	hw_asset_own_sc(a, own);
	overall = hw_sc_overall(own);
	return !(
	    (f->prefix && strncmp(a->id, f->prefix, strlen(f->prefix)) != 0) ||
	    (f->search && !hwp_contains_ci(a->id, f->search) &&
	     !hwp_contains_ci(a->name, f->search)) ||
	    (f->type && strcmp(a->type, f->type) != 0) ||
	    (f->owner && (!a->owner || strcmp(a->owner, f->owner) != 0)) ||
	    (f->no_owner && a->owner) ||
	    (f->level != HW_LEVEL_NONE && overall != f->level) ||
	    (f->uncategorized && overall != HW_LEVEL_NONE) ||
	    (f->partial && !hw_sc_partial(own)));
}

/* A filtered walk: the caller's function, the page. */
struct filter_walk {
	const struct hw_asset_filter *f;
	int (*fn)(const struct hw_asset *, void *);
	void *ctx;
	long seen, given;
	int full; /* the page is full: stopped here, not by fn */
};

static int filter_one(const struct hw_asset *a, void *ctx)
{
	struct filter_walk *w = ctx;
	struct hw_sc own;
	int rc;

	if (!hw_asset_filter_keeps(w->f, a, &own) || w->seen++ < w->f->offset)
		return 0;
	if ((rc = w->fn(a, w->ctx)) != 0)
		return rc;
	if (w->f->limit > 0 && ++w->given >= w->f->limit) {
		w->full = 1;
		return 1;
	}
	return 0;
}

int hw_asset_filter_each(struct hw_store *st, const struct hw_asset_filter *f,
			 int (*fn)(const struct hw_asset *, void *), void *ctx,
			 struct hw_error *err)
{
	struct filter_walk w = {f, fn, ctx, 0, 0, 0};
	/* The store narrows by prefix and search; the filters below
	 * decide. */
	int rc = f->prefix != NULL || f->search != NULL
		     ? hw_store_asset_match(st, f->prefix, f->search,
					    filter_one, &w, err)
		     : hw_store_asset_each(st, filter_one, &w, err);

	return w.full ? 0 : rc;
}

static int put_asset(const struct hw_asset *a, void *ctx)
{
	return hw_jstream_put(ctx, NULL, hw_json_asset(a));
}

/* After a walk of records written to js: its error, or the stream's. */
static int walk_end(struct hw_jstream *js, int rc, struct hw_error *err)
{
	if (rc == 0)
		return 0;
	if (js->err.code != HW_OK)
		return hw_error_set_at(err, js->err.code, js->err.source,
				       js->err.line, js->err.column, "%s",
				       js->err.text);
	if (err != NULL && err->code == HW_OK)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return -1;
}

int hw_answer_assets(struct hw_store *st, const struct hw_asset_filter *f,
		     struct hw_jstream *js, struct hw_error *err)
{
	int rc = hw_jstream_object(js, NULL) || hw_jstream_array(js, "assets");

	if (rc == 0)
		rc = hw_asset_filter_each(st, f, put_asset, js, err);
	if (rc == 0)
		rc = hw_jstream_close(js) || hw_jstream_close(js);
	return walk_end(js, rc, err);
}

/* ------------------------------------------------------------------ */
/* One asset                                                           */

static int view_dep(const struct hw_dep *d, void *ctx)
{
	struct hw_asset_view *v = ctx;
	int outgoing = strcmp(d->from, v->a.id) == 0;
	char buf[4];

	hw_carries_text(d->carries, buf);
	return json_array_append_new(
	    outgoing ? v->depends_on : v->dependents,
	    json_pack("{s:s, s:s, s:s}", "asset", outgoing ? d->to : d->from,
		      "type", d->type, "carries", buf));
}

int hw_asset_view_load(struct hw_store *st, const char *id, size_t limit,
		       struct hw_asset_view *view, struct hw_error *err)
{
	memset(view, 0, sizeof *view);
	view->v = -1;
	if (hw_store_asset_get(st, id, &view->a, err) < 0)
		return -1;
	view->depends_on = json_array();
	view->dependents = json_array();
	if (view->depends_on == NULL || view->dependents == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (hw_store_dep_each(st, view->a.id, view_dep, view, err) != 0)
		return err && err->code
			   ? -1
			   : hw_error_set(err, HW_ENOMEM, "out of memory");
	/* Effective levels need what depends on the asset, transitively. */
	view->g = hw_graph_load_up(st, (const char *const *)&view->a.id, 1,
				   limit, err);
	if (view->g == NULL || hw_graph_categorize(view->g, err) < 0)
		return -1;
	view->v = hw_graph_find(view->g, view->a.id);
	return hw_audit_last(st, view->a.id, &view->changed_by,
			     &view->changed_at, err);
}

void hw_asset_view_release(struct hw_asset_view *view)
{
	hw_graph_free(view->g);
	json_decref(view->depends_on);
	json_decref(view->dependents);
	hw_asset_release(&view->a);
	free(view->changed_by);
	free(view->changed_at);
	memset(view, 0, sizeof *view);
	view->v = -1;
}

/* Who authorized it and when, beside "authorized" in the asset's
 * "factors". */
static void authorized_put(json_t *asset, const struct hw_asset *a)
{
	json_t *o = json_object_get(asset, "factors");
	char at[HW_TIME_TEXT];

	if (o == NULL)
		o = asset;
	if (a->authorized_by)
		json_object_set_new(o, "authorized_by",
				    json_string(a->authorized_by));
	if (a->authorized_at)
		json_object_set_new(
		    o, "authorized_at",
		    json_string(hw_time_format(a->authorized_at, at)));
}

json_t *hw_json_asset_view(const struct hw_asset_view *view)
{
	json_t *o = hw_json_asset(&view->a);

	if (o == NULL)
		return NULL;
	authorized_put(o, &view->a);
	if (view->v >= 0)
		json_object_set_new(
		    o, "categorization",
		    hw_json_categorization(view->g, (uint32_t)view->v));
	json_object_set_new(o, "changed",
			    view->changed_by
				? json_pack("{s:s,s:s}", "by", view->changed_by,
					    "at", view->changed_at)
				: json_null());
	json_object_set_new(o, "depends_on", json_copy(view->depends_on));
	json_object_set_new(o, "dependents", json_copy(view->dependents));
	return o;
}

/* ------------------------------------------------------------------ */
/* Dependencies and information types                                  */

json_t *hw_json_dep(const struct hw_dep *d)
{
	char buf[4];

	hw_carries_text(d->carries, buf);
	return json_pack("{s:s, s:s, s:s, s:s}", "from", d->from, "to", d->to,
			 "type", d->type, "carries", buf);
}

static int put_dep(const struct hw_dep *d, void *ctx)
{
	return hw_jstream_put(ctx, NULL, hw_json_dep(d));
}

int hw_answer_deps(struct hw_store *st, const char *asset,
		   struct hw_jstream *js, struct hw_error *err)
{
	int rc =
	    hw_jstream_object(js, NULL) || hw_jstream_array(js, "dependencies");

	if (rc == 0)
		rc = hw_store_dep_each(st, asset, put_dep, js, err);
	if (rc == 0)
		rc = hw_jstream_close(js) || hw_jstream_close(js);
	return walk_end(js, rc, err);
}

json_t *hw_json_infotype(const struct hw_infotype *t)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_string(t->id));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "category",
			    t->category ? json_string(t->category)
					: json_null());
	json_object_set_new(o, "provisional", hw_json_sc(&t->prov));
	json_object_set_new(o, "catalogue", json_boolean(t->builtin));
	return o;
}

static int put_infotype(const struct hw_infotype *t, void *ctx)
{
	return hw_jstream_put(ctx, NULL, hw_json_infotype(t));
}

int hw_answer_infotypes(struct hw_store *st, const char *search, int builtin,
			struct hw_jstream *js, struct hw_error *err)
{
	int rc = hw_jstream_object(js, NULL) ||
		 hw_jstream_array(js, "information_types");

	if (rc == 0)
		rc = hw_store_infotype_each(st, search, builtin, put_infotype,
					    js, err);
	if (rc == 0)
		rc = hw_jstream_close(js) || hw_jstream_close(js);
	return walk_end(js, rc, err);
}

/*
 * route-deps.c: the dependencies between assets: the list (dep list),
 * adding one (an owner's from their own asset; onto another owner's
 * asset only as a proposed change, since it may raise that asset's
 * required baseline) and removing one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "change.h"
#include "query.h"
#include "serve.h"

static const char *const none[] = {NULL};

static int deps_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"asset", NULL};
	struct hw_error err = {0};
	struct hw_jstream js;

	if (hws_query_once(r, res, known) < 0 || hws_stream_begin(res, &js) < 0)
		return -1;
	if (hw_answer_deps(r->st, hws_query(r, "asset"), &js, &err) < 0)
		return hws_fail(res, &err);
	return hws_stream_end(res, &js);
}

/* The owner of the asset that end (member key of the body) names:
 * *owner NULL when none.  0, or -1 with res filled (422: the body names
 * no asset). */
static int end_owner(struct hws_req *r, struct hws_res *res, const char *id,
		     const char *key, char **owner)
{
	struct hw_error err = {0};
	struct hw_asset a;
	char path[16];

	if (hw_store_asset_get(r->st, id, &a, &err) < 0) {
		snprintf(path, sizeof path, "$.%s", key);
		if (err.code == HW_ENOTFOUND)
			return hws_error(res, 422, "invalid", path, "%s",
					 err.text);
		return hws_fail(res, &err);
	}
	*owner = a.owner;
	a.owner = NULL;
	hw_asset_release(&a);
	return 0;
}

/* Propose d as a change: state new, the asset depended on its target,
 * one add-dep edit; 202 with the change. */
static int propose(struct hws_req *r, struct hws_res *res,
		   const struct hw_dep *d)
{
	struct hw_change c = {0};
	struct hw_change_edit e = {0};
	struct hw_error err = {0};
	char title[160], id[HW_CHANGE_ID_TEXT];
	char *targets[1];
	json_t *o;
	int rc;

	snprintf(title, sizeof title, "Add dependency %s -> %s", d->from,
		 d->to);
	targets[0] = d->to;
	e.kind = HW_EDIT_ADD_DEP;
	e.dep = *d;
	c.title = title;
	c.targets = targets;
	c.ntargets = 1;
	c.edits = &e;
	c.nedits = 1;
	/* hw_change_new writes in its own transaction. */
	if (hw_change_new(r->st, &c, hw_time_now(), &err) < 0) {
		free(c.requester);
		return hws_fail_body(res, &err);
	}
	o = hw_change_json(&c);
	if (o != NULL)
		json_object_set_new(o, "change",
				    json_string(hw_change_id(c.n, id)));
	free(c.requester);
	rc = hws_json(res, 202, o);
	snprintf(res->location, sizeof res->location, "/api/v1/changes/%s", id);
	return rc;
}

static int deps_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_dep d = {0};
	char *from_owner = NULL, *to_owner = NULL;
	enum hw_verdict v;
	json_t *body;
	int rc = -1, ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_dep_from_json(body, &d, &err) < 0) {
		hws_fail_body(res, &err);
		goto out;
	}
	if (end_owner(r, res, d.from, "from", &from_owner) < 0 ||
	    end_owner(r, res, d.to, "to", &to_owner) < 0 ||
	    hws_may(r, res, HW_PERM_ASSET_WRITE, from_owner) == HW_DENY ||
	    (v = hws_may(r, res, HW_PERM_DEP_ONTO, to_owner)) == HW_DENY)
		goto out;
	if (v == HW_ALLOW_AS_CHANGE) {
		rc = propose(r, res, &d);
		goto out;
	}
	if (hws_begin(r, res) < 0)
		goto out;
	ok = hw_store_dep_add(r->st, &d, 0, &err) == 0;
	if (hws_finish(r, res, ok, &err) == 0)
		rc = hws_json(res, 201, hw_json_dep(&d));
out:
	free(from_owner);
	free(to_owner);
	hw_dep_release(&d);
	json_decref(body);
	return rc;
}

static int dep_delete(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_asset a;
	int ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_asset_writable(r, res, r->args[0], &a) < 0)
		return -1;
	hw_asset_release(&a);
	if (hws_begin(r, res) < 0)
		return -1;
	ok = hw_store_dep_delete(r->st, r->args[0], r->args[1], &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0)
		return -1;
	return hws_json(
	    res, 200,
	    json_pack("{s:[s,s]}", "removed", r->args[0], r->args[1]));
}

const struct hws_route hws_routes_deps[] = {
    {"GET", "/dependencies", HW_PERM_READ, deps_get},
    {"POST", "/dependencies", HW_PERM_ASSET_WRITE, deps_post},
    {"DELETE", "/dependencies/{}/{}", HW_PERM_ASSET_WRITE, dep_delete},
    {NULL, NULL, 0, NULL},
};

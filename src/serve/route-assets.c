/*
 * route-assets.c: the assets: the list with the filters and page of
 * asset list, one asset as asset show shows it, adding, changing and
 * removing one, and its information types.  An owner writes only the
 * assets owned by one of their owner values (hws_may).
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "posture.h"
#include "serve.h"

static const char *const none[] = {NULL};

/* ------------------------------------------------------------------ */
/* GET /assets                                                         */

static int assets_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_asset_filter f = {0};
	struct hw_error err = {0};
	struct hw_jstream *js;
	size_t i;

	if (hws_query_known(r, res, hw_asset_filter_names) < 0)
		return -1;
	/* Checked before the answer begins: a bad filter is the
	 * request's fault (400), named. */
	for (i = 0; i < r->nquery; i++)
		if (hw_asset_filter_set(&f, r->query[i].name, r->query[i].value,
					&err) < 0)
			return hws_error(res, 400, "bad_request",
					 r->query[i].name, "%s", err.text);
	if ((js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
		hw_answer_assets(r->st, &f, js, &err);
	return hws_stream_end(res, js, &err);
}

/* ------------------------------------------------------------------ */
/* One asset                                                           */

/* Answer status with the asset id as stored now (as asset list and
 * asset set --json show it). */
static int answer_asset(struct hws_req *r, struct hws_res *res, int status,
			const char *id)
{
	struct hw_error err = {0};
	struct hw_asset a;
	int rc;

	if (hw_store_asset_get(r->st, id, &a, &err) < 0)
		return hws_fail(res, &err);
	rc = hws_json(res, status, hw_json_asset(&a));
	hw_asset_release(&a);
	return rc;
}

/* A write to the asset of the path's first segment with a JSON body:
 * no query, the body, the asset the user may write.  0, or -1 with res
 * filled (nothing to release then). */
static int asset_and_body(struct hws_req *r, struct hws_res *res,
			  struct hw_asset *a, json_t **body)
{
	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, body) < 0)
		return -1;
	if (hws_asset_writable(r, res, r->args[0], a) < 0) {
		json_decref(*body);
		return -1;
	}
	return 0;
}

/* Write a (replacing the stored one when replace) in one transaction:
 * 0, or -1 with res filled. */
static int put_asset(struct hws_req *r, struct hws_res *res,
		     const struct hw_asset *a, int replace)
{
	struct hw_error err = {0};
	int ok;

	if (hws_begin(r, res) < 0)
		return -1;
	ok = hw_store_asset_put(r->st, a, replace, &err) == 0;
	/* A new asset's id taken: the body's member at fault. */
	if (!ok && !replace && err.code == HW_EEXIST && err.source[0] == '\0')
		snprintf(err.source, sizeof err.source, "$.id");
	return hws_finish(r, res, ok, &err);
}

static int assets_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	json_t *body;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_asset_from_json(r->st, body, &a, &err) < 0)
		hws_fail_body(res, &err);
	else if (hws_may(r, res, HW_PERM_ASSET_WRITE, a.owner) != HW_DENY &&
		 put_asset(r, res, &a, 0) == 0) {
		snprintf(res->location, sizeof res->location,
			 "/api/v1/assets/%s", a.id);
		rc = answer_asset(r, res, 201, a.id);
	}
	hw_asset_release(&a);
	json_decref(body);
	return rc;
}

static int asset_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_asset_view view;
	int rc;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_asset_view_load(r->st, r->args[0], HW_CLOSURE_LIMIT, &view,
			       &err) < 0)
		rc = hws_fail(res, &err);
	else
		rc = hws_json(res, 200, hw_json_asset_view(&view));
	hw_asset_view_release(&view);
	return rc;
}

static int asset_patch(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_asset a;
	json_t *body;
	int rc = -1;

	if (asset_and_body(r, res, &a, &body) < 0)
		return -1;
	if (hw_asset_patch_json(r->st, &a, body, &err) < 0)
		hws_fail_body(res, &err);
	/* Giving an asset away needs the new owner to be the user's too. */
	else if (json_object_get(body, "owner") != NULL &&
		 hws_may(r, res, HW_PERM_ASSET_WRITE, a.owner) == HW_DENY)
		;
	else if (put_asset(r, res, &a, 1) == 0)
		rc = answer_asset(r, res, 200, a.id);
	hw_asset_release(&a);
	json_decref(body);
	return rc;
}

static int asset_delete(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"force", NULL};
	struct hw_error err = {0};
	struct hw_asset a;
	int force = 0, ok;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_bool(r, res, "force", &force) < 0 ||
	    hws_asset_writable(r, res, r->args[0], &a) < 0)
		return -1;
	hw_asset_release(&a);
	if (hws_begin(r, res) < 0)
		return -1;
	ok = hw_store_asset_delete(r->st, r->args[0], force, &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0)
		return -1;
	return hws_json(res, 200, json_pack("{s:s}", "removed", r->args[0]));
}

/* ------------------------------------------------------------------ */
/* An asset's information types                                        */

static int infotypes_of_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_asset a;
	json_t *o;
	int rc;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_store_asset_get(r->st, r->args[0], &a, &err) < 0)
		return hws_fail(res, &err);
	o = hw_json_asset(&a);
	rc = hws_json(res, 200,
		      o ? json_pack("{s:O}", "information_types",
				    json_object_get(o, "information_types"))
			: NULL);
	json_decref(o);
	hw_asset_release(&a);
	return rc;
}

static int infotypes_of_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_assignment g = {0};
	struct hw_error err = {0};
	struct hw_asset a;
	json_t *body;
	int rc = -1;

	if (asset_and_body(r, res, &a, &body) < 0)
		return -1;
	if (hw_assignment_from_json(r->st, body, &g, &err) < 0)
		hws_fail_body(res, &err);
	else if (hw_asset_assign(&a, &g) < 0)
		hws_error(res, 500, "internal", NULL, "out of memory");
	else if (put_asset(r, res, &a, 1) == 0)
		rc = answer_asset(r, res, 200, a.id);
	hw_assignment_release(&g);
	hw_asset_release(&a);
	json_decref(body);
	return rc;
}

static int infotype_of_delete(struct hws_req *r, struct hws_res *res)
{
	struct hw_asset a;
	size_t i;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_asset_writable(r, res, r->args[0], &a) < 0)
		return -1;
	for (i = 0; i < a.ntypes; i++)
		if (strcmp(a.types[i].type_id, r->args[1]) == 0)
			break;
	if (i == a.ntypes) {
		hws_error(res, 404, "not_found", NULL,
			  "asset '%s' has no information type '%.64s'", a.id,
			  r->args[1]);
	} else {
		hw_assignment_release(&a.types[i]);
		memmove(&a.types[i], &a.types[i + 1],
			(a.ntypes - i - 1) * sizeof *a.types);
		a.ntypes--;
		if (put_asset(r, res, &a, 1) == 0)
			rc = answer_asset(r, res, 200, a.id);
	}
	hw_asset_release(&a);
	return rc;
}

const struct hws_route hws_routes_assets[] = {
    {"GET", "/assets", HW_PERM_READ, assets_get},
    {"POST", "/assets", HW_PERM_ASSET_WRITE, assets_post},
    {"GET", "/assets/{}", HW_PERM_READ, asset_get},
    {"PATCH", "/assets/{}", HW_PERM_ASSET_WRITE, asset_patch},
    {"DELETE", "/assets/{}", HW_PERM_ASSET_WRITE, asset_delete},
    {"GET", "/assets/{}/information-types", HW_PERM_READ, infotypes_of_get},
    {"POST", "/assets/{}/information-types", HW_PERM_ASSET_WRITE,
     infotypes_of_post},
    {"DELETE", "/assets/{}/information-types/{}", HW_PERM_ASSET_WRITE,
     infotype_of_delete},
    {NULL, NULL, 0, NULL},
};

/*
 * route-users.c: the service's users over the service (admin only): the
 * list, a new user and a new token for one (the only answers that ever
 * hold a token: shown once, only its hash kept), and a removal.
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "request.h"
#include "serve.h"

static const char *const none[] = {NULL};

static int users_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	json_t *doc;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_answer_users(r->st, &doc, &err) < 0)
		return hws_fail(res, &err);
	return hws_json(res, 200, doc);
}

static int users_post(struct hws_req *r, struct hws_res *res)
{
	char token[HW_TOKEN_TEXT];
	struct hw_error err = {0};
	struct hw_user u = {0};
	json_t *body;
	int rc = -1, ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_user(body, &u, &err) < 0) {
		hws_fail(res, &err);
		goto out;
	}
	if (hws_begin(r, res) < 0)
		goto out;
	ok = hw_user_add(r->st, &u, token, &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0)
		goto out;
	rc = hws_json(res, 201, hw_json_user_token(&u, token));
	snprintf(res->location, sizeof res->location, "/api/v1/users/%s",
		 u.name);
	memset(token, 0, sizeof token);
out:
	hw_user_release(&u);
	json_decref(body);
	return rc;
}

static int user_delete(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	int ok;

	if (hws_query_known(r, res, none) < 0 || hws_begin(r, res) < 0)
		return -1;
	ok = hw_user_remove(r->st, r->args[0], &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0)
		return -1;
	return hws_json(res, 200, json_pack("{ss}", "removed", r->args[0]));
}

static int user_token(struct hws_req *r, struct hws_res *res)
{
	char token[HW_TOKEN_TEXT];
	struct hw_error err = {0};
	struct hw_user u = {0};
	int rc, ok;

	if (hws_query_known(r, res, none) < 0 || hws_begin(r, res) < 0)
		return -1;
	ok = hw_user_rotate(r->st, r->args[0], token, &err) == 0 &&
	     hw_user_get(r->st, r->args[0], &u, &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0) {
		hw_user_release(&u);
		return -1;
	}
	rc = hws_json(res, 200, hw_json_user_token(&u, token));
	memset(token, 0, sizeof token);
	hw_user_release(&u);
	return rc;
}

const struct hws_route hws_routes_users[] = {
    {"GET", "/users", HW_PERM_ADMIN, users_get},
    {"POST", "/users", HW_PERM_ADMIN, users_post},
    {"DELETE", "/users/{}", HW_PERM_ADMIN, user_delete},
    {"POST", "/users/{}/token", HW_PERM_ADMIN, user_token},
    {NULL, NULL, 0, NULL},
};

/*
 * route-changes.c: the change records over the service: the list (as
 * change list filters it), one change (change show), a new one, an
 * amendment, and the steps of its life (assess, decide, implement,
 * close, cancel, revert).  Every write answers the change as change
 * show --json says it; each step is the library's own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "request.h"
#include "serve.h"

static const char *const none[] = {NULL};

/* The body, or NULL when none was sent (the steps' bodies are
 * optional): 0, or -1 with res filled. */
static int optional_body(struct hws_req *r, struct hws_res *res, json_t **out)
{
	*out = NULL;
	if (r->body == NULL || r->body_len == 0)
		return 0;
	return hws_body_json(r, res, out);
}

/* The change {} of the path: 0 with its number, or -1 with res 404. */
static int change_arg(struct hws_req *r, struct hws_res *res, long long *n)
{
	struct hw_error err = {0};

	if (hw_change_id_parse(r->args[0], n, &err) < 0)
		return hws_error(res, 404, "not_found", NULL, "%s", err.text);
	return 0;
}

/* Answer status with change n as change show --json gives it. */
static int answer_change(struct hws_req *r, struct hws_res *res, int status,
			 long long n)
{
	char id[HW_CHANGE_ID_TEXT];
	struct hw_error err = {0};
	json_t *doc;

	if (hw_answer_change(r->st, n, &doc, &err) < 0)
		return hws_fail(res, &err);
	if (status == 201)
		snprintf(res->location, sizeof res->location,
			 "/api/v1/changes/%s", hw_change_id(n, id));
	return hws_json(res, status, doc);
}

/* ------------------------------------------------------------------ */
/* The list, one change                                                */

static int write_changes(struct hws_req *r, void *f, struct hw_jstream *js,
			 struct hw_error *err)
{
	return hw_answer_changes(r->st, f, js, err);
}

static int changes_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"state", "asset", "open", NULL};
	struct hw_change_filter f = {NULL, 0, -1};
	enum hw_change_state s;
	const char *state;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_flag(r, res, "open", &f.open_only) < 0)
		return -1;
	state = hws_query(r, "state");
	if (state != NULL) {
		if (hw_change_state_parse(state, &s) < 0)
			return hws_error(res, 400, "bad_request", "state",
					 "unknown state \"%.40s\" (expected "
					 "new, assessed, approved, rejected, "
					 "implemented, closed or cancelled)",
					 state);
		f.state = (int)s;
	}
	f.asset = hws_query(r, "asset");
	return hws_stream(r, res, write_changes, &f);
}

static int change_get(struct hws_req *r, struct hws_res *res)
{
	long long n;

	if (hws_query_known(r, res, none) < 0 || change_arg(r, res, &n) < 0)
		return -1;
	return answer_change(r, res, 200, n);
}

/* ------------------------------------------------------------------ */
/* New, amended                                                        */

static int changes_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_change_draft d = {0};
	struct hw_error err = {0};
	json_t *body;
	long long n;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_change_draft(body, 0, &d, &err) < 0 ||
	    hw_change_draft_new(r->st, &d, hw_time_now(), &n, &err) < 0)
		hws_fail_body(res, &err); /* an unknown target: the body's */
	else
		rc = answer_change(r, res, 201, n);
	hw_change_draft_release(&d);
	json_decref(body);
	return rc;
}

static int change_patch(struct hws_req *r, struct hws_res *res)
{
	struct hw_change_draft d = {0};
	struct hw_error err = {0};
	struct hw_change c = {0};
	json_t *body = NULL;
	long long n;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 || change_arg(r, res, &n) < 0)
		return -1;
	/* an unknown change is 404; what the body names, 422 */
	if (hw_store_change_get(r->st, n, &c, &err) < 0)
		return hws_fail(res, &err);
	hw_change_release(&c);
	if (hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_change_draft(body, 1, &d, &err) < 0 ||
	    hw_change_draft_amend(r->st, n, &d, &err) < 0)
		hws_fail_body(res, &err);
	else
		rc = answer_change(r, res, 200, n);
	hw_change_draft_release(&d);
	json_decref(body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The steps                                                           */

static int step(struct hws_req *r, struct hws_res *res,
		enum hw_change_step_kind kind)
{
	struct hw_change_step s = {0};
	struct hw_error err = {0};
	json_t *body = NULL;
	long long n;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 || change_arg(r, res, &n) < 0 ||
	    optional_body(r, res, &body) < 0)
		return -1;
	if (hw_request_change_step(kind, body, &s, &err) < 0 ||
	    hw_change_step_run(r->st, n, &s, NULL, &err) < 0)
		hws_fail(res, &err);
	else
		rc = answer_change(r, res, 200, n);
	hw_change_step_release(&s);
	json_decref(body);
	return rc;
}

static int change_assess(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_ASSESS);
}

static int change_decide(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_DECIDE);
}

static int change_implement(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_IMPLEMENT);
}

static int change_close(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_CLOSE);
}

static int change_cancel(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_CANCEL);
}

static int change_revert(struct hws_req *r, struct hws_res *res)
{
	return step(r, res, HW_STEP_REVERT);
}

const struct hws_route hws_routes_changes[] = {
    {"GET", "/changes", HW_PERM_READ, changes_get},
    {"POST", "/changes", HW_PERM_CHANGE_EDIT, changes_post},
    {"GET", "/changes/{}", HW_PERM_READ, change_get},
    {"PATCH", "/changes/{}", HW_PERM_CHANGE_EDIT, change_patch},
    {"POST", "/changes/{}/assess", HW_PERM_CHANGE_EDIT, change_assess},
    {"POST", "/changes/{}/decide", HW_PERM_CHANGE_DECIDE, change_decide},
    {"POST", "/changes/{}/implement", HW_PERM_CHANGE_DECIDE, change_implement},
    {"POST", "/changes/{}/close", HW_PERM_CHANGE_DECIDE, change_close},
    {"POST", "/changes/{}/cancel", HW_PERM_CHANGE_EDIT, change_cancel},
    {"POST", "/changes/{}/revert", HW_PERM_CHANGE_DECIDE, change_revert},
    {NULL, NULL, 0, NULL},
};

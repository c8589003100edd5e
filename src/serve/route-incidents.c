/*
 * route-incidents.c: incidents over the service: the list (as incident
 * list filters it), recording one (answered with the changes behind it
 * for first response, as incident add --json) and its resolution.
 */
#include <stdio.h>
#include <stdlib.h>

#include "answer.h"
#include "request.h"
#include "serve.h"

static const char *const none[] = {NULL};

struct incidents_query {
	const char *asset;
	int open_only;
};

static int write_incidents(struct hws_req *r, void *ctx, struct hw_jstream *js,
			   struct hw_error *err)
{
	struct incidents_query *q = ctx;

	return hw_answer_incidents(r->st, q->asset, q->open_only, js, err);
}

static int incidents_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"asset", "open", NULL};
	struct incidents_query q = {NULL, 0};

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_flag(r, res, "open", &q.open_only) < 0)
		return -1;
	q.asset = hws_query(r, "asset");
	return hws_stream(r, res, write_incidents, &q);
}

static int incidents_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_recent_change *recent = NULL;
	struct hw_incident i = {0}, stored = {0};
	char id[HW_CHANGE_ID_TEXT];
	struct hw_error err = {0};
	size_t nrecent = 0;
	json_t *body;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_incident(body, &i, &err) < 0) {
		hws_fail(res, &err);
		goto out;
	}
	if (i.opened == 0)
		i.opened = hw_time_now();
	if (hws_begin(r, res) < 0)
		goto out;
	if (hw_store_incident_add(r->st, &i, &err) < 0) {
		/* an unknown asset or change is the body's fault */
		hw_store_rollback(r->st);
		hws_fail_body(res, &err);
		goto out;
	}
	if (hws_finish(r, res, 1, NULL) < 0)
		goto out;
	/* first response reads what was committed; "before" the opening
	 * includes its very second (as the CLI) */
	if (hw_store_incident_get(r->st, i.n, &stored, &err) < 0 ||
	    hw_incident_recent_changes(r->st, stored.asset, stored.opened + 1,
				       HW_INCIDENT_RECENT_DAYS, &recent,
				       &nrecent, &err) < 0) {
		hws_fail(res, &err);
		goto out;
	}
	rc = hws_json(res, 201,
		      hw_json_incident_recorded(&stored, recent, nrecent));
	snprintf(res->location, sizeof res->location, "/api/v1/incidents/%s",
		 hw_incident_id(i.n, id));
out:
	hw_recent_changes_free(recent, nrecent);
	hw_incident_release(&stored);
	json_decref(body);
	return rc;
}

static int incident_resolve(struct hws_req *r, struct hws_res *res)
{
	struct hw_incident i = {0};
	struct hw_error err = {0};
	json_t *body = NULL;
	long long n;
	hw_time at;
	int ok;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_incident_id_parse(r->args[0], &n, &err) < 0)
		return hws_error(res, 404, "not_found", NULL, "%s", err.text);
	if (r->body != NULL && r->body_len > 0 &&
	    hws_body_json(r, res, &body) < 0)
		return -1;
	ok = hw_request_at(body, &at, &err) == 0;
	json_decref(body);
	if (!ok)
		return hws_fail(res, &err);
	if (at == 0)
		at = hw_time_now();
	if (hws_begin(r, res) < 0)
		return -1;
	ok = hw_store_incident_resolve(r->st, n, at, &err) == 0;
	if (hws_finish(r, res, ok, &err) < 0)
		return -1;
	if (hw_store_incident_get(r->st, n, &i, &err) < 0)
		return hws_fail(res, &err);
	ok = hws_json(res, 200, hw_json_incident(&i));
	hw_incident_release(&i);
	return ok;
}

const struct hws_route hws_routes_incidents[] = {
    {"GET", "/incidents", HW_PERM_READ, incidents_get},
    {"POST", "/incidents", HW_PERM_CHANGE_EDIT, incidents_post},
    {"POST", "/incidents/{}/resolve", HW_PERM_CHANGE_EDIT, incident_resolve},
    {NULL, NULL, 0, NULL},
};

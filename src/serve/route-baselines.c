/*
 * route-baselines.c: configuration baselines over the service: the
 * list, saving one (the inventory as it stands, under a name) and the
 * drift since one (baseline diff, streamed).
 */
#include <stdio.h>

#include "answer.h"
#include "request.h"
#include "serve.h"

static const char *const none[] = {NULL};

static int baselines_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	json_t *doc;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_answer_baselines(r->st, &doc, &err) < 0)
		return hws_fail(res, &err);
	return hws_json(res, 200, doc);
}

static int baselines_post(struct hws_req *r, struct hws_res *res)
{
	struct hw_snapshot s = {0};
	struct hw_error err = {0};
	const char *name;
	json_t *body;
	hw_time at = 0;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	/* the save is its own transaction (drift.h) */
	if (hw_request_baseline(body, &name, &at, &err) < 0 ||
	    hw_store_snapshot_save(r->st, name, at, &s, &err) < 0) {
		if (err.code == HW_EINVAL && err.source[0] == '\0')
			snprintf(err.source, sizeof err.source, "$.name");
		hws_fail(res, &err);
	} else {
		rc = hws_json(res, 201, hw_json_snapshot(&s));
	}
	hw_snapshot_release(&s);
	json_decref(body);
	return rc;
}

struct drift_query {
	const char *from, *to;
};

static int write_drift(struct hws_req *r, void *ctx, struct hw_jstream *js,
		       struct hw_error *err)
{
	struct drift_query *q = ctx;

	return hw_answer_drift(r->st, q->from, q->to, js, err);
}

static int baseline_diff(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"to", NULL};
	struct drift_query q;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	q.from = r->args[0];
	q.to = hws_query(r, "to");
	return hws_stream(r, res, write_drift, &q);
}

const struct hws_route hws_routes_baselines[] = {
    {"GET", "/baselines", HW_PERM_READ, baselines_get},
    {"POST", "/baselines", HW_PERM_CHANGE_DECIDE, baselines_post},
    {"GET", "/baselines/{}/diff", HW_PERM_READ, baseline_diff},
    {NULL, NULL, 0, NULL},
};

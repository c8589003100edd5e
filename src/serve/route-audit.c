/*
 * route-audit.c: the audit trail over the service (audit log --json):
 * filtered by asset, actor and time as the CLI's options, at most limit
 * records, streamed with the trail's own precision for reals.
 */
#include "answer.h"
#include "serve.h"

/* The most records one answer may be asked for with limit. */
#define AUDIT_LIMIT_MAX 1000000000L

static int audit_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"asset", "actor", "since", "limit",
					    NULL};
	struct hw_audit_filter f = {NULL, 0, NULL};
	struct hw_error err = {0};
	struct hw_jstream *js;
	const char *since;
	long n = -1;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	f.asset = hws_query(r, "asset");
	f.actor = hws_query(r, "actor");
	since = hws_query(r, "since");
	if (since != NULL && hw_time_parse(since, &f.since, &err) < 0)
		return hws_error(res, 400, "bad_request", "since", "since: %s",
				 err.text);
	if (hws_query_count(r, res, "limit", AUDIT_LIMIT_MAX, &n) < 0)
		return -1;
	/* the trail's reals read back to what their hashes cover: its own
	 * flags */
	if ((js = hws_stream_begin(res, HW_AUDIT_JSON_FLAGS)) != NULL)
		hw_answer_audit(r->st, &f, n, js, &err);
	return hws_stream_end(res, js, &err);
}

const struct hws_route hws_routes_audit[] = {
    {"GET", "/audit", HW_PERM_READ, audit_get},
    {NULL, NULL, 0, NULL},
};

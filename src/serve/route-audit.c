/*
 * route-audit.c: the audit trail over the service (audit log --json):
 * filtered by asset, actor and time as the CLI's options, at most limit
 * records, streamed with the trail's own precision for reals.
 */
#include <stdlib.h>

#include "answer.h"
#include "serve.h"

/* The most records one answer may be asked for with limit. */
#define AUDIT_LIMIT_MAX 1000000000LL

struct audit_query {
	struct hws_res *res;
	struct hw_audit_filter f;
	long long limit;
};

static int write_audit(struct hws_req *r, void *ctx, struct hw_jstream *js,
		       struct hw_error *err)
{
	struct audit_query *q = ctx;

	/* the trail's reals read back to what their hashes cover: the
	 * stream hws_stream began, with the trail's flags */
	hw_jstream_init(js, q->res->file, HW_AUDIT_JSON_FLAGS);
	return hw_answer_audit(r->st, &q->f, q->limit, js, err);
}

/* "limit": a count from 0 up. */
static int parse_limit(struct hws_res *res, const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;

	for (; *p >= '0' && *p <= '9' && v <= AUDIT_LIMIT_MAX; p++)
		v = v * 10 + (*p - '0');
	if (*s == '\0' || *p != '\0' || v > AUDIT_LIMIT_MAX)
		return hws_error(res, 400, "bad_request", "limit",
				 "\"%.40s\" is not a count (expected 0 to "
				 "%lld)",
				 s, AUDIT_LIMIT_MAX);
	*out = v;
	return 0;
}

static int audit_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"asset", "actor", "since", "limit",
					    NULL};
	struct audit_query q = {res, {NULL, 0, NULL}, -1};
	struct hw_error err = {0};
	const char *since, *limit;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	q.f.asset = hws_query(r, "asset");
	q.f.actor = hws_query(r, "actor");
	since = hws_query(r, "since");
	if (since != NULL && hw_time_parse(since, &q.f.since, &err) < 0)
		return hws_error(res, 400, "bad_request", "since", "%s",
				 err.text);
	limit = hws_query(r, "limit");
	if (limit != NULL && parse_limit(res, limit, &q.limit) < 0)
		return -1;
	return hws_stream(r, res, write_audit, &q);
}

const struct hws_route hws_routes_audit[] = {
    {"GET", "/audit", HW_PERM_READ, audit_get},
    {NULL, NULL, 0, NULL},
};

/*
 * route-analysis.c: the analyses over HTTP: GET /categorize[/{id}],
 * /impact, /risk, /plan and /check, each the library's answer
 * (answer-analysis.c) streamed as the CLI's --json writes it, with the
 * CLI's options as query parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "serve.h"

/* An unknown asset that query parameter param named: the parameter is
 * the error's path. */
static void name_param(struct hw_error *err, const char *param)
{
	if (param != NULL && err->code == HW_ENOTFOUND && err->source[0] == '\0')
		snprintf(err->source, sizeof err->source, "%s", param);
}

/* The categorization of the n assets ids (none: all), which query
 * parameter param gave (NULL: the path). */
static int categorize(struct hws_req *r, struct hws_res *res,
		      const char *const *ids, size_t n, const char *param)
{
	struct hw_categorize_opts o = {ids, n, 0};
	struct hw_categorized c = {0};
	struct hw_graph *g;
	struct hw_jstream *js = NULL;
	struct hw_error err = {0};
	int rc;

	if (hws_query_bool(r, res, "summary", &o.summary) < 0)
		return -1;
	g = n > 0 ? hws_graph_up(r, ids, n, &err) : hws_graph(r, &err);
	if (g != NULL && hw_categorize_compute(r->st, g, &o, &c, &err) == 0 &&
	    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
		hw_answer_categorize(js, &c);
	name_param(&err, param);
	rc = hws_stream_end(res, js, &err);
	hw_categorized_release(&c);
	return rc;
}

/* GET /categorize[?asset=ID&asset=ID...]: all assets, or those. */
static int categorize_all(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"asset*", "summary", NULL};
	const char **ids;
	size_t n;
	int rc;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	if ((ids = hws_query_all(r, "asset", &n)) == NULL)
		return hws_error(res, 500, "internal", NULL, "out of memory");
	rc = categorize(r, res, ids, n, "asset");
	free(ids);
	return rc;
}

static int categorize_one(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"summary", NULL};
	const char *one = r->args[0];

	if (hws_query_known(r, res, known) < 0)
		return -1;
	return categorize(r, res, &one, 1, NULL);
}

/* The query of GET /impact: the targets (every "target", in order) and
 * the CLI's options.  0, or -1 with res filled; q->targets is new
 * (free). */
static int impact_query(struct hws_req *r, struct hws_res *res,
			struct hw_impact_query *q)
{
	static const char *const known[] = {"target*", "depth",   "types",
					    "direction", "summary", NULL};
	struct hw_error err = {0};
	const char **targets;
	const char *v;
	long depth = -1;

	memset(q, 0, sizeof *q);
	q->o.depth = -1;
	q->o.direction = HW_DIR_UP;
	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_count(r, res, "depth", HW_IMPACT_DEPTH_MAX, &depth) < 0 ||
	    hws_query_bool(r, res, "summary", &q->summary) < 0)
		return -1;
	q->o.depth = (int)depth;
	if ((v = hws_query(r, "direction")) != NULL &&
	    hw_direction_parse(v, &q->o.direction, &err) < 0)
		return hws_error(res, 400, "bad_request", "direction",
				 "direction: %s", err.text);
	if ((v = hws_query(r, "types")) != NULL) {
		if (hw_dep_types_parse(v, &q->o.types, &err) < 0)
			return hws_error(res, 400, "bad_request", "types",
					 "types: %s", err.text);
		if (q->o.types == 0)
			return hws_error(res, 400, "bad_request", "types",
					 "types: empty list (expected %s)",
					 hw_vocab_text(hw_dep_types));
	}
	targets = hws_query_all(r, "target", &q->ntargets);
	if (targets == NULL)
		return hws_error(res, 500, "internal", NULL, "out of memory");
	q->targets = targets;
	if (q->ntargets == 0)
		return hws_error(res, 400, "bad_request", "target",
				 "target: missing (expected at least one "
				 "asset id: ?target=ID)");
	if (hw_route_thresholds(r->st, &q->full_cab, &q->cab_review, &err) < 0)
		return hws_fail(res, &err);
	return 0;
}

static int impact(struct hws_req *r, struct hws_res *res)
{
	struct hw_impact_query q;
	struct hw_impacted m = {0};
	struct hw_graph *g;
	struct hw_jstream *js = NULL;
	struct hw_error err = {0};
	int rc = impact_query(r, res, &q);

	if (rc == 0) {
		/* Going up, a few targets need only their closure. */
		g = q.o.direction == HW_DIR_UP
			? hws_graph_up(r, q.targets, q.ntargets, &err)
			: hws_graph(r, &err);
		if (g != NULL &&
		    hw_impact_compute(r->st, g, &q, &m, &err) == 0 &&
		    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
			hw_answer_impact(js, &q, &m);
		name_param(&err, "target");
		rc = hws_stream_end(res, js, &err);
	}
	hw_impacted_release(&m);
	free((void *)q.targets);
	return rc;
}

static int risk(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"top", "type", "owner", "as_of",
					    NULL};
	struct hw_risk_query q = {NULL, NULL, -1, 0};
	struct hw_risk_view v = {0};
	struct hw_graph *g;
	struct hw_jstream *js = NULL;
	struct hw_error err = {0};
	int rc;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_count(r, res, "top", HW_TOP_MAX, &q.top) < 0 ||
	    hws_query_day(r, res, "as_of", &q.today, NULL) < 0)
		return -1;
	q.type = hws_query(r, "type");
	q.owner = hws_query(r, "owner");
	rc = (g = hws_graph(r, &err)) != NULL
		 ? hw_risk_view_compute(r->st, g, &q, &v, &err)
		 : -1;
	if (rc < 0 && err.code == HW_EINVAL && q.type != NULL &&
	    !hw_vocab_has(hw_asset_types, q.type))
		/* The query's own value refused: name the parameter. */
		rc = hws_error(res, 400, "bad_request", "type", "type: %s",
			       err.text);
	else {
		if (rc == 0 &&
		    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
			hw_answer_risk(js, &v);
		rc = hws_stream_end(res, js, &err);
	}
	hw_risk_view_release(&v);
	return rc;
}

static int plan(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"top", "as_of", NULL};
	struct hw_plan_query q = {-1, 0, NULL};
	struct hw_plan_view p = {0};
	struct hw_graph *g;
	struct hw_jstream *js = NULL;
	struct hw_error err = {0};
	int rc;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_count(r, res, "top", HW_TOP_MAX, &q.top) < 0 ||
	    hws_query_day(r, res, "as_of", &q.today, NULL) < 0)
		return -1;
	q.baselines_csv = r->opts->baselines_csv;
	if (q.baselines_csv == NULL)
		return hws_error(res, 500, "internal", NULL,
				 "the SP 800-53B baselines are not installed");
	if ((g = hws_graph(r, &err)) != NULL &&
	    hw_plan_view_compute(r->st, g, &q, &p, &err) == 0 &&
	    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
		hw_answer_plan(js, &p);
	rc = hws_stream_end(res, js, &err);
	hw_plan_view_release(&p);
	return rc;
}

static int check(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {NULL};
	struct hw_check_view c = {0};
	struct hw_graph *g;
	struct hw_jstream *js = NULL;
	struct hw_error err = {0};
	int rc;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	if ((g = hws_graph(r, &err)) != NULL &&
	    hw_check_view_compute(r->st, g, &c, &err) == 0 &&
	    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
		hw_answer_check(js, &c);
	rc = hws_stream_end(res, js, &err);
	hw_check_view_release(&c);
	return rc;
}

const struct hws_route hws_routes_analysis[] = {
    {"GET", "/categorize", HW_PERM_READ, categorize_all},
    {"GET", "/categorize/{}", HW_PERM_READ, categorize_one},
    {"GET", "/impact", HW_PERM_READ, impact},
    {"GET", "/risk", HW_PERM_READ, risk},
    {"GET", "/plan", HW_PERM_READ, plan},
    {"GET", "/check", HW_PERM_READ, check},
    {NULL, NULL, 0, NULL},
};

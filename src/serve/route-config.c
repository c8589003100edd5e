/*
 * route-config.c: the settings (config) and the risk model's weights
 * (risk --weights, --set) over the service: read by everyone, written
 * by an admin, several at once, all or nothing.
 */
#include <stdio.h>
#include <stdlib.h>

#include "answer.h"
#include "request.h"
#include "serve.h"

static const char *const none[] = {NULL};

static int settings_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	json_t *doc;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_answer_settings(r->st, &doc, &err) < 0)
		return hws_fail(res, &err);
	return hws_json(res, 200, doc);
}

static int settings_patch(struct hws_req *r, struct hws_res *res)
{
	const char **names = NULL, **values = NULL;
	struct hw_error err = {0};
	size_t n = 0, bad = 0;
	json_t *body;
	int ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_settings(body, &names, &values, &n, &err) < 0) {
		json_decref(body);
		return hws_fail(res, &err);
	}
	if (hws_begin(r, res) < 0) {
		ok = -1;
		goto out;
	}
	ok = hw_settings_write(r->st, names, values, n, &bad, &err) == 0;
	if (!ok && err.source[0] == '\0')
		snprintf(err.source, sizeof err.source, "$.%.64s", names[bad]);
	ok = hws_finish(r, res, ok, &err);
out:
	free(names);
	free(values);
	json_decref(body);
	return ok < 0 ? -1 : settings_get(r, res);
}

static int weights_get(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};
	struct hw_weights w;

	if (hws_query_known(r, res, none) < 0)
		return -1;
	if (hw_store_weights(r->st, &w, &err) < 0)
		return hws_fail(res, &err);
	return hws_json(res, 200, hw_json_weights(&w));
}

static int weights_patch(struct hws_req *r, struct hws_res *res)
{
	const char **names = NULL;
	char **values = NULL;
	struct hw_error err = {0};
	size_t n = 0, i;
	json_t *body;
	int ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_weights(body, &names, &values, &n, &err) < 0) {
		json_decref(body);
		return hws_fail(res, &err);
	}
	if (hws_begin(r, res) < 0) {
		ok = -1;
		goto out;
	}
	for (i = 0, ok = 1; i < n && ok; i++)
		ok = hw_store_weight_set(r->st, names[i], values[i], &err) == 0;
	if (ok) {
		ok = hws_finish(r, res, 1, NULL);
	} else {
		/* an unknown weight is the body's fault */
		hw_store_rollback(r->st);
		if (err.source[0] == '\0')
			snprintf(err.source, sizeof err.source, "$.%.64s",
				 names[i - 1]);
		ok = hws_fail_body(res, &err);
	}
out:
	free(names);
	hw_request_free_texts(values, n);
	json_decref(body);
	return ok < 0 ? -1 : weights_get(r, res);
}

const struct hws_route hws_routes_config[] = {
    {"GET", "/settings", HW_PERM_READ, settings_get},
    {"PATCH", "/settings", HW_PERM_ADMIN, settings_patch},
    {"GET", "/weights", HW_PERM_READ, weights_get},
    {"PATCH", "/weights", HW_PERM_ADMIN, weights_patch},
    {NULL, NULL, 0, NULL},
};

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

/* Write the weights of names[0..n) (risk --set), each checked by the
 * store; *bad the one at fault. */
static int weights_write(struct hw_store *st, const char *const *names,
			 const char *const *values, size_t n, size_t *bad,
			 struct hw_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hw_store_weight_set(st, names[i], values[i], err) < 0) {
			*bad = i;
			return -1;
		}
	return 0;
}

/* PATCH: the body's pairs (numbers or strings) written by write in one
 * transaction, all or nothing, then answered by get. */
static int patch(struct hws_req *r, struct hws_res *res, int numbers,
		 int (*write)(struct hw_store *, const char *const *,
			      const char *const *, size_t, size_t *,
			      struct hw_error *),
		 int (*get)(struct hws_req *, struct hws_res *))
{
	const char **names = NULL;
	char **values = NULL;
	struct hw_error err = {0};
	size_t n = 0, bad = 0;
	json_t *body;
	int rc = -1;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_request_pairs(body, numbers, &names, &values, &n, &err) < 0) {
		hws_fail(res, &err);
		goto out;
	}
	if (hws_begin(r, res) < 0)
		goto out;
	if (write(r->st, names, (const char *const *)values, n, &bad, &err) ==
	    0) {
		rc = hws_finish(r, res, 1, NULL);
	} else {
		/* an unknown name is the body's fault */
		hw_store_rollback(r->st);
		if (err.source[0] == '\0')
			snprintf(err.source, sizeof err.source, "$.%.64s",
				 names[bad]);
		hws_fail_body(res, &err);
	}
out:
	free(names);
	hw_request_free_texts(values, n);
	json_decref(body);
	return rc < 0 ? -1 : get(r, res);
}

static int settings_patch(struct hws_req *r, struct hws_res *res)
{
	return patch(r, res, 0, hw_settings_write, settings_get);
}

static int weights_patch(struct hws_req *r, struct hws_res *res)
{
	return patch(r, res, 1, weights_write, weights_get);
}

const struct hws_route hws_routes_config[] = {
    {"GET", "/settings", HW_PERM_READ, settings_get},
    {"PATCH", "/settings", HW_PERM_ADMIN, settings_patch},
    {"GET", "/weights", HW_PERM_READ, weights_get},
    {"PATCH", "/weights", HW_PERM_ADMIN, weights_patch},
    {NULL, NULL, 0, NULL},
};

/*
 * route-infotypes.c: the information types, SP 800-60's and the
 * organisation's own: the list (infotype list's search) and adding one
 * (a settings' matter: admin, per the role table).
 */
#include <string.h>

#include "answer.h"
#include "query.h"
#include "serve.h"

static int infotypes_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"search", "custom", NULL};
	struct hw_error err = {0};
	struct hw_jstream js;
	int custom = 0;

	if (hws_query_once(r, res, known) < 0 ||
	    hws_query_bool(r, res, "custom", &custom) < 0 ||
	    hws_stream_begin(res, &js) < 0)
		return -1;
	if (hw_answer_infotypes(r->st, hws_query(r, "search"), custom ? 0 : -1,
				&js, &err) < 0)
		return hws_fail(res, &err);
	return hws_stream_end(res, &js);
}

static int infotypes_post(struct hws_req *r, struct hws_res *res)
{
	static const char *const none[] = {NULL};
	struct hw_infotype t = {0};
	struct hw_error err = {0};
	json_t *body;
	int rc = -1, ok;

	if (hws_query_known(r, res, none) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (hw_infotype_from_json(body, &t, &err) < 0) {
		hws_fail_body(res, &err);
	} else if (hws_begin(r, res) == 0) {
		ok = hw_store_infotype_put(r->st, &t, 0, &err) == 0;
		if (hws_finish(r, res, ok, &err) == 0)
			rc = hws_json(res, 201, hw_json_infotype(&t));
	}
	hw_infotype_release(&t);
	json_decref(body);
	return rc;
}

const struct hws_route hws_routes_infotypes[] = {
    {"GET", "/information-types", HW_PERM_READ, infotypes_get},
    {"POST", "/information-types", HW_PERM_ADMIN, infotypes_post},
    {NULL, NULL, 0, NULL},
};

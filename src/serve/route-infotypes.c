/*
 * route-infotypes.c: the information types, SP 800-60's and the
 * organisation's own: the list (infotype list's search) and adding one
 * (a settings' matter: admin, per the role table).
 */
#include <string.h>

#include "answer.h"
#include "serve.h"

struct list_args {
	const char *search;
	int builtin;
};

static int write_infotypes(struct hws_req *r, void *ctx, struct hw_jstream *js,
			   struct hw_error *err)
{
	const struct list_args *l = ctx;

	return hw_answer_infotypes(r->st, l->search, l->builtin, js, err);
}

static int infotypes_get(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"search", "custom", NULL};
	struct list_args l = {NULL, -1};
	int custom;

	if (hws_query_once(r, res, known) < 0 ||
	    hws_query_flag(r, res, "custom", &custom) < 0)
		return -1;
	l.search = hws_query(r, "search");
	if (custom)
		l.builtin = 0;
	return hws_stream(r, res, write_infotypes, &l);
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

/*
 * route-meta.c: the routes about the API itself: its OpenAPI document
 * (served as installed, public) and the session of the web page
 * (session.c's handlers).
 */
#include <stdio.h>

#include "serve-private.h"

static int openapi_get(struct hws_req *r, struct hws_res *res)
{
	FILE *f = NULL;

	if (r->opts->openapi_json != NULL)
		f = fopen(r->opts->openapi_json, "rb");
	if (f == NULL)
		return hws_error(res, 404, "not_found", NULL,
				 "the API's description (openapi.json) is "
				 "not installed");
	hws_res_release(res);
	res->file = f;
	res->content_type = "application/json";
	res->status = 200;
	return 0;
}

const struct hws_route hws_routes_meta[] = {
    {"GET", "/openapi.json", HWS_PUBLIC, openapi_get},
    {"POST", "/session", HWS_PUBLIC, hws_session_post},
    {"GET", "/session", HW_PERM_READ, hws_session_get},
    {"DELETE", "/session", HW_PERM_READ, hws_session_delete},
    {NULL, NULL, 0, NULL},
};

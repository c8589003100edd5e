/*
 * answer-extra.c: answers the inventory's routes needed beyond
 * answer.c's (serve.h): a document streamed into the answer's file, a
 * flag in the query, a body's error.
 */
#include <stdlib.h>
#include <string.h>

#include "serve.h"

int hws_stream(struct hws_req *r, struct hws_res *res,
	       int (*write)(struct hws_req *r, void *ctx,
			    struct hw_jstream *js, struct hw_error *err),
	       void *ctx)
{
	struct hw_error err = {0};
	struct hw_jstream *js;
	FILE *f = hws_res_file(res);
	int rc;

	if (f == NULL)
		return -1;
	js = malloc(sizeof *js); /* 64 KiB: not on a worker's stack */
	if (js == NULL)
		return hws_error(res, 500, "internal", NULL, "out of memory");
	hw_jstream_init(js, f, HWS_JSON_FLAGS);
	rc = write(r, ctx, js, &err);
	if (rc == 0)
		rc = hw_jstream_end(js, 1, &err);
	free(js);
	if (rc < 0)
		return hws_fail(res, &err);
	res->status = 200;
	res->content_type = "application/json";
	return 0;
}

int hws_query_flag(const struct hws_req *r, struct hws_res *res,
		   const char *name, int *out)
{
	const char *v = hws_query(r, name);

	*out = 0;
	if (v == NULL || strcmp(v, "false") == 0)
		return 0;
	if (strcmp(v, "true") == 0) {
		*out = 1;
		return 0;
	}
	return hws_error(res, 400, "bad_request", name,
			 "\"%.40s\" is not true or false", v);
}

int hws_fail_body(struct hws_res *res, const struct hw_error *err)
{
	struct hw_error e = *err;

	if (e.code == HW_ENOTFOUND)
		e.code = HW_EINVAL;
	return hws_fail(res, &e);
}

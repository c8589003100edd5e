/*
 * query.c: the query parameters the analyses, bulk data and workbooks
 * take, read the one way (a boolean, a count, a day), and their JSON
 * answers streamed to a temporary file as the CLI streams them to
 * stdout.
 */
#include <string.h>

#include "answer.h"
#include "query.h"

int hws_query_bool(const struct hws_req *r, struct hws_res *res,
		   const char *name, int *out)
{
	const char *v = hws_query(r, name);

	if (v == NULL)
		return 0;
	if (strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0)
		*out = 0;
	else
		return hws_error(res, 400, "bad_request", name,
				 "%s: \"%.40s\" (expected true or false)", name,
				 v);
	return 0;
}

int hws_query_count(const struct hws_req *r, struct hws_res *res,
		    const char *name, long max, long *out)
{
	struct hw_error err = {0};
	const char *v = hws_query(r, name);

	if (v != NULL && hw_count_parse(v, max, out, &err) < 0)
		return hws_error(res, 400, "bad_request", name, "%s: %s", name,
				 err.text);
	return 0;
}

int hws_query_day(const struct hws_req *r, struct hws_res *res,
		  const char *name, int32_t *out, int *given)
{
	struct hw_error err = {0};
	const char *v = hws_query(r, name);

	if (given != NULL)
		*given = v != NULL;
	if (v == NULL) {
		*out = (int32_t)hw_time_day(hw_time_now());
		return 0;
	}
	if (hw_date_parse(v, out, &err) < 0)
		return hws_error(res, 400, "bad_request", name, "%s: %s", name,
				 err.text);
	return 0;
}

int hws_stream_begin(struct hws_res *res, struct hw_jstream *js)
{
	FILE *f = hws_res_file(res);

	if (f == NULL)
		return -1;
	hw_jstream_init(js, f, HWS_JSON_FLAGS);
	return 0;
}

int hws_stream_end(struct hws_res *res, struct hw_jstream *js)
{
	struct hw_error err = {0};

	if (hw_jstream_end(js, 1, &err) < 0)
		return hws_fail(res, &err);
	res->status = 200;
	res->content_type = "application/json";
	return 0;
}

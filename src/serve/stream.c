/*
 * stream.c: a JSON answer that grows with the inventory, written as the
 * CLI's --json writes it to stdout but into the answer's temporary file.
 */
#include <stdlib.h>

#include "serve.h"

struct hw_jstream *hws_stream_begin(struct hws_res *res, size_t flags)
{
	struct hw_jstream *js;
	FILE *f = hws_res_file(res);

	if (f == NULL)
		return NULL;
	js = malloc(sizeof *js); /* 64 KiB: not on a worker's stack */
	if (js == NULL) {
		hws_error(res, 500, "internal", NULL, "out of memory");
		return NULL;
	}
	hw_jstream_init(js, f, flags);
	return js;
}

int hws_stream_end(struct hws_res *res, struct hw_jstream *js,
		   const struct hw_error *err)
{
	struct hw_error e = {0};
	int rc;

	if (err->code != HW_OK) {
		free(js);
		return hws_fail(res, err);
	}
	if (js == NULL) /* hws_stream_begin's failure, answered; else a
			   failure that set no error: 500 */
		return res->body != NULL ? -1 : hws_fail(res, err);
	rc = hw_jstream_end(js, 1, &e);
	free(js);
	if (rc < 0)
		return hws_fail(res, &e);
	res->status = 200;
	res->content_type = "application/json";
	return 0;
}

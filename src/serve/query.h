/*
 * query.h: the query parameters the analyses, bulk data and workbooks
 * take (query.c), read the one way: a boolean, a count, a day; and a
 * JSON answer streamed to a temporary file.  Each reader leaves *out
 * alone when the parameter is absent and answers 400 naming it when
 * its value is bad.
 */
#ifndef HW_SERVE_QUERY_H
#define HW_SERVE_QUERY_H

#include "serve.h"

/* "true" or "false": 0, or -1 with res filled. */
int hws_query_bool(const struct hws_req *r, struct hws_res *res,
		   const char *name, int *out);

/* Digits only, 0 to max: 0, or -1 with res filled. */
int hws_query_count(const struct hws_req *r, struct hws_res *res,
		    const char *name, long max, long *out);

/* YYYY-MM-DD as days since 1970, today (UTC) when absent: 0, or -1
 * with res filled.  given (may be NULL) is set when it was asked. */
int hws_query_day(const struct hws_req *r, struct hws_res *res,
		  const char *name, int32_t *out, int *given);

/* A JSON answer written as the CLI's --json writes it, to the answer's
 * temporary file: begin (-1 with res filled), write with the hw_answer_*
 * call, end (200, or the stream's failure answered). */
int hws_stream_begin(struct hws_res *res, struct hw_jstream *js);
int hws_stream_end(struct hws_res *res, struct hw_jstream *js);

#endif /* HW_SERVE_QUERY_H */

/*
 * query.c: a request's query parameters, read the one way: a value by
 * name; the names a route knows, each given once unless it may repeat;
 * a boolean, a count, a day.  Each reader leaves *out alone when the
 * parameter is absent and answers 400 naming it when its value is bad.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "serve.h"

const char *hws_query(const struct hws_req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].name, name) == 0)
			return r->query[i].value;
	return NULL;
}

const char **hws_query_all(const struct hws_req *r, const char *name,
			   size_t *n)
{
	const char **all = malloc((r->nquery + 1) * sizeof *all);
	size_t i;

	*n = 0;
	if (all == NULL)
		return NULL;
	for (i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].name, name) == 0)
			all[(*n)++] = r->query[i].value;
	return all;
}

/* Is name among names (a trailing '*' marks one that may repeat)?  The
 * entry, or NULL. */
static const char *known_name(const char *const *names, const char *name)
{
	size_t j, n;

	for (j = 0; names[j] != NULL; j++) {
		n = strcspn(names[j], "*");
		if (strncmp(name, names[j], n) == 0 && name[n] == '\0')
			return names[j];
	}
	return NULL;
}

static int unknown(const struct hws_param *q, struct hws_res *res,
		   const char *const *names)
{
	char expected[512];
	size_t j, n = 0;

	expected[0] = '\0';
	for (j = 0; names[j] != NULL && n < sizeof expected; j++)
		n += (size_t)snprintf(expected + n, sizeof expected - n,
				      "%s%.*s", j ? ", " : "",
				      (int)strcspn(names[j], "*"), names[j]);
	return hws_error(res, 400, "bad_request", q->name,
			 "unknown query parameter '%.64s' (expected %s)",
			 q->name, names[0] != NULL ? expected : "none");
}

int hws_query_known(const struct hws_req *r, struct hws_res *res,
		    const char *const *names)
{
	const char *k;
	size_t i, j;

	for (i = 0; i < r->nquery; i++) {
		k = known_name(names, r->query[i].name);
		if (k == NULL)
			return unknown(&r->query[i], res, names);
		if (strchr(k, '*') != NULL)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(r->query[i].name, r->query[j].name) == 0)
				return hws_error(res, 400, "bad_request",
						 r->query[i].name,
						 "query parameter '%.64s' "
						 "given twice",
						 r->query[i].name);
	}
	return 0;
}

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

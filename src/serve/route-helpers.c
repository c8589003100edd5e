/*
 * route-helpers.c: what the inventory's routes need beyond
 * answer.c's (serve.h): a query whose names are known and given once,
 * an asset the user may write.
 */
#include <string.h>

#include "serve.h"

int hws_asset_writable(struct hws_req *r, struct hws_res *res, const char *id,
		       struct hw_asset *a)
{
	struct hw_error err = {0};

	if (hw_store_asset_get(r->st, id, a, &err) < 0)
		return hws_fail(res, &err);
	if (hws_may(r, res, HW_PERM_ASSET_WRITE, a->owner) == HW_DENY) {
		hw_asset_release(a);
		return -1;
	}
	return 0;
}

int hws_query_once(const struct hws_req *r, struct hws_res *res,
		   const char *const *names)
{
	size_t i, j;

	if (hws_query_known(r, res, names) < 0)
		return -1;
	for (i = 0; i < r->nquery; i++)
		for (j = 0; j < i; j++)
			if (strcmp(r->query[i].name, r->query[j].name) == 0)
				return hws_error(res, 400, "bad_request",
						 r->query[i].name,
						 "query parameter '%.64s' "
						 "given twice",
						 r->query[i].name);
	return 0;
}

/*
 * router.c: from a request's method and path to its route: the route
 * tables of routes.c matched segment by segment ({} takes one
 * percent-decoded segment), 404 for a path no route has, 405 with the
 * methods it has; the query parameters decoded in their order; and
 * whether the user may call the route at all.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "serve-private.h"

#define MAX_SEGMENTS 16 /* more than any route has */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decode the n bytes of s into a new string: NULL for a bad
 * escape or a NUL byte decoded (*bad 1), a result that is not UTF-8
 * (*bad 2), or out of memory (*bad 0). */
static char *decode(const char *s, size_t n, int *bad)
{
	char *out = malloc(n + 1);
	size_t i, j = 0;
	int hi, lo;

	*bad = 0;
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[j++] = s[i];
			continue;
		}
		if (i + 2 >= n)
			goto bad;
		hi = hexval(s[i + 1]);
		lo = hexval(s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		out[j++] = (char)(hi * 16 + lo);
		i += 2;
	}
	out[j] = '\0';
	if (hws_utf8_valid(out))
		return out;
	free(out);
	*bad = 2;
	return NULL;
bad:
	free(out);
	*bad = 1;
	return NULL;
}

/* The segments of a route's pattern as a path has them, into seg:
 * their count, or -1 for too many.  The pattern's text is borrowed. */
static int pattern_segments(const char *pattern, const char *seg[],
			    size_t len[], char full[512])
{
	const char *p, *slash;
	int n = 0;

	if (strncmp(pattern, "//", 2) == 0)
		snprintf(full, 512, "%s", pattern + 1);
	else
		snprintf(full, 512, "/api/v1%s", pattern);
	p = full + 1;
	for (;;) {
		if (n == MAX_SEGMENTS)
			return -1;
		slash = strchr(p, '/');
		seg[n] = p;
		len[n] = slash ? (size_t)(slash - p) : strlen(p);
		n++;
		if (slash == NULL)
			return n;
		p = slash + 1;
	}
}

/* Does the route's pattern match the path's decoded segments? */
static int matches(const struct hws_route *rt, char *const dec[], int n)
{
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS];
	char full[512];
	int i, m;

	m = pattern_segments(rt->pattern, seg, len, full);
	if (m != n)
		return 0;
	for (i = 0; i < n; i++) {
		if (len[i] == 2 && strncmp(seg[i], "{}", 2) == 0) {
			if (dec[i][0] == '\0')
				return 0;
			continue;
		}
		if (strlen(dec[i]) != len[i] ||
		    strncmp(seg[i], dec[i], len[i]) != 0)
			return 0;
	}
	return 1;
}

/* Fill c->req.args from the {} segments of c->route. */
static int take_args(struct hws_conn *c, char *dec[], int n)
{
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS];
	char full[512];
	int i;

	pattern_segments(c->route->pattern, seg, len, full);
	for (i = 0; i < n; i++) {
		if (len[i] != 2 || strncmp(seg[i], "{}", 2) != 0)
			continue;
		if (c->req.nargs == HWS_MAX_ARGS)
			return -1;
		c->req.args[c->req.nargs++] = dec[i];
		dec[i] = NULL;
	}
	return 0;
}

static void add_allow(char allow[64], const char *method)
{
	size_t n = strlen(allow);

	/* Each method once, in the table's order. */
	{
		const char *p = allow;
		size_t m = strlen(method);

		while ((p = strstr(p, method)) != NULL) {
			if ((p == allow || p[-1] == ' ') &&
			    (p[m] == '\0' || p[m] == ','))
				return;
			p += m;
		}
	}
	snprintf(allow + n, 64 - n, "%s%s", n ? ", " : "", method);
}

int hws_route_find(struct hws_conn *c, const char *method, const char *url)
{
	char *dec[MAX_SEGMENTS] = {0};
	const char *p, *slash;
	const struct hws_route *const *t;
	const struct hws_route *rt;
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	size_t total = 0, k;
	int n = 0, i, bad, rc = -1, known = 0;

	if (url[0] != '/')
		return hws_error(&c->res, 404, "not_found", NULL,
				 "no such path");
	for (p = url + 1;; p = slash + 1) {
		slash = strchr(p, '/');
		k = slash ? (size_t)(slash - p) : strlen(p);
		if (n == MAX_SEGMENTS) {
			hws_error(&c->res, 404, "not_found", NULL,
				  "no such path");
			goto done;
		}
		dec[n] = decode(p, k, &bad);
		if (dec[n] == NULL) {
			if (bad)
				hws_error(&c->res, 400, "bad_request", NULL,
					  bad == 2 ? "a path segment is not "
						     "valid UTF-8"
						   : "a path segment has a bad "
						     "percent escape");
			else
				hws_error(&c->res, 500, "internal", NULL,
					  "out of memory");
			goto done;
		}
		if (strchr(dec[n], '/') != NULL) {
			hws_error(&c->res, 400, "bad_request", NULL,
				  "a path segment holds an encoded '/'");
			n++;
			goto done;
		}
		if (strlen(dec[n]) > HWS_SEGMENT_MAX) {
			hws_error(&c->res, 400, "bad_request", NULL,
				  "a path segment is over %d bytes",
				  HWS_SEGMENT_MAX);
			n++;
			goto done;
		}
		total += strlen(dec[n]) + 1;
		n++;
		if (slash == NULL)
			break;
	}
	c->path = malloc(total + 1);
	if (c->path == NULL) {
		hws_error(&c->res, 500, "internal", NULL, "out of memory");
		goto done;
	}
	c->path[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(c->path, "/");
		strcat(c->path, dec[i]);
	}
	c->req.path = c->path;
	for (t = hws_route_tables; *t != NULL && c->route == NULL; t++)
		for (rt = *t; rt->method != NULL; rt++) {
			if (!matches(rt, dec, n))
				continue;
			known = 1;
			add_allow(c->allow, rt->method);
			if (strcmp(rt->method, want) == 0) {
				c->route = rt;
				break;
			}
		}
	if (c->route == NULL) {
		if (known)
			hws_error(&c->res, 405, "method_not_allowed", NULL,
				  "%.16s is not allowed here (allowed: %s)",
				  method, c->allow);
		else {
			c->allow[0] = '\0';
			hws_error(&c->res, 404, "not_found", NULL,
				  "no such path");
		}
		goto done;
	}
	c->allow[0] = '\0';
	if (take_args(c, dec, n) < 0) {
		hws_error(&c->res, 500, "internal", NULL,
			  "a route has too many {} segments");
		goto done;
	}
	rc = 0;
done:
	for (i = 0; i < n; i++)
		free(dec[i]);
	return rc;
}

struct query_ctx {
	struct hws_conn *c;
	size_t cap;
	int failed;
};

static enum MHD_Result one_param(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct query_ctx *q = cls;
	struct hws_req *r = &q->c->req;
	struct hws_param *np;
	char *name, *val;
	int bad = 0, bad2 = 0;

	(void)kind;
	if (r->nquery == HWS_QUERY_MAX) {
		q->failed =
		    hws_error(&q->c->res, 400, "bad_request", NULL,
			      "more than %d query parameters", HWS_QUERY_MAX);
		return MHD_NO;
	}
	if (value == NULL)
		value = "";
	name = decode(key, strlen(key), &bad);
	val = decode(value, strlen(value), &bad2);
	if (name == NULL || val == NULL) {
		free(name);
		free(val);
		if (bad == 1 || bad2 == 1)
			q->failed =
			    hws_error(&q->c->res, 400, "bad_request", NULL,
				      "a query parameter has a bad "
				      "percent escape");
		else if (bad || bad2)
			q->failed =
			    hws_error(&q->c->res, 400, "bad_request", NULL,
				      "a query parameter is not valid UTF-8");
		else
			q->failed = hws_error(&q->c->res, 500, "internal", NULL,
					      "out of memory");
		return MHD_NO;
	}
	if (r->nquery == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;

		np = realloc(r->query, cap * sizeof *np);
		if (np == NULL) {
			free(name);
			free(val);
			q->failed = hws_error(&q->c->res, 500, "internal", NULL,
					      "out of memory");
			return MHD_NO;
		}
		r->query = np;
		q->cap = cap;
	}
	r->query[r->nquery].name = name;
	r->query[r->nquery].value = val;
	r->nquery++;
	return MHD_YES;
}

int hws_route_query(struct hws_conn *c)
{
	struct query_ctx q = {c, 0, 0};

	MHD_get_connection_values(c->mc, MHD_GET_ARGUMENT_KIND, one_param, &q);
	return q.failed;
}

int hws_route_allowed(struct hws_conn *c)
{
	const struct hw_user *u = c->req.user;
	int act = c->route->access;

	if (act == HWS_PUBLIC)
		return 0;
	if (u == NULL)
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "this needs a token");
	if (act == HW_PERM_ASSET_WRITE || act == HW_PERM_DEP_ONTO) {
		if (u->roles & (HW_ROLE_OWNER | HW_ROLE_ADMIN))
			return 0;
	} else if (hw_user_may(u, (enum hw_perm)act, NULL) != HW_DENY)
		return 0;
	return hws_may(&c->req, &c->res, (enum hw_perm)act, NULL) == HW_DENY
		   ? -1
		   : 0;
}

void hws_route_release(struct hws_conn *c)
{
	size_t i;

	free(c->path);
	c->path = NULL;
	for (i = 0; i < c->req.nargs; i++)
		free(c->req.args[i]);
	c->req.nargs = 0;
	for (i = 0; i < c->req.nquery; i++) {
		free(c->req.query[i].name);
		free(c->req.query[i].value);
	}
	free(c->req.query);
	c->req.query = NULL;
	c->req.nquery = 0;
}

/*
 * answer.c: the answers of the service: the helpers serve.h gives every
 * handler (the JSON body, JSON and error answers, the library's errors
 * as statuses, access to an asset, transactions) and the answer queued on
 * the connection with the headers every answer carries.
 */
#include <ctype.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve-private.h"

void hws_logf(const struct hws_server *srv, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (srv->o->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(srv->o->log, "highwater: serve: %s\n", line);
	fflush(srv->o->log);
}

int hws_content_is(const struct hws_req *r, const char *type)
{
	const char *ct = r->content_type;
	size_t n = strlen(type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

int hws_body_json(const struct hws_req *r, struct hws_res *res, json_t **out)
{
	json_error_t jerr;
	json_t *v;

	if (r->body == NULL || r->body_len == 0)
		return hws_error(res, 400, "bad_request", NULL,
				 "a JSON body is required (application/json)");
	if (!hws_content_is(r, "application/json"))
		return hws_error(res, 415, "unsupported_media_type", NULL,
				 "the body must be application/json, not "
				 "'%.64s'",
				 r->content_type ? r->content_type : "(none)");
	v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL)
		return hws_error(res, 400, "bad_request", NULL,
				 "malformed JSON at line %d column %d: %s",
				 jerr.line, jerr.column, jerr.text);
	*out = v;
	return 0;
}

void hws_res_release(struct hws_res *res)
{
	free(res->body);
	res->body = NULL;
	res->len = 0;
	if (res->file != NULL)
		fclose(res->file);
	res->file = NULL;
}

int hws_json(struct hws_res *res, int status, json_t *v)
{
	static const char oom[] = "{\n  \"error\": {\n    \"code\": "
				  "\"internal\",\n    \"message\": \"out of "
				  "memory\",\n    \"path\": null\n  }\n}\n";
	char *text = NULL, *body = NULL;
	size_t n;

	hws_res_release(res);
	res->content_type = "application/json";
	if (v != NULL)
		text = json_dumps(v, HWS_JSON_FLAGS | JSON_ENCODE_ANY);
	json_decref(v);
	if (text != NULL) {
		n = strlen(text);
		body = malloc(n + 2);
	}
	if (body == NULL) {
		free(text);
		res->status = 500;
		res->body = strdup(oom);
		res->len = res->body ? sizeof oom - 1 : 0;
		return 0;
	}
	memcpy(body, text, n);
	body[n] = '\n';
	body[n + 1] = '\0';
	free(text);
	res->status = status;
	res->body = body;
	res->len = n + 1;
	return 0;
}

FILE *hws_res_file(struct hws_res *res)
{
	FILE *f;

	hws_res_release(res);
	f = tmpfile();
	if (f == NULL) {
		hws_error(res, 500, "internal", NULL,
			  "cannot make a temporary file");
		return NULL;
	}
	res->file = f;
	return f;
}

int hws_error(struct hws_res *res, int status, const char *code,
	      const char *path, const char *fmt, ...)
{
	char msg[512], where[512];
	va_list ap;
	json_t *e;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message that repeats what a client sent, cut by a bound inside
	 * a character or not UTF-8 at all, is still said (JSON holds only
	 * UTF-8). */
	hws_utf8_mend(msg);
	if (path != NULL && !hws_utf8_valid(path)) {
		snprintf(where, sizeof where, "%s", path);
		hws_utf8_mend(where);
		path = where;
	}
	e = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message",
		      msg, "path", path);
	res->filename[0] = '\0';
	res->location[0] = '\0';
	hws_json(res, status, e);
	return -1;
}

#define RETRY_AFTER 5 /* seconds, with a 503 busy */

int hws_busy(struct hws_conn *c)
{
	c->retry_after = RETRY_AFTER;
	return hws_error(&c->res, 503, "busy", NULL,
			 "the database has been busy for %u s (other "
			 "writes, an import?): try again shortly",
			 hws_write_wait(c->srv));
}

int hws_fail(struct hws_res *res, const struct hw_error *err)
{
	struct hws_conn *c = hws_conn_of_res(res);
	char path[192];
	const char *p = NULL;

	if (err != NULL && err->code == HW_EBUSY)
		return hws_busy(c);
	switch (err ? err->code : HW_OK) {
	case HW_EINVAL:
	case HW_EFORMAT:
	case HW_ENOTFOUND:
	case HW_EEXIST:
	case HW_EREFUSED:
		break;
	default:
		hws_logf(c->srv, "%s %s: %s: %s", c->req.method,
			 c->req.path ? c->req.path : "-",
			 hw_strerror(err ? err->code : HW_OK),
			 err ? err->text : "no error given");
		return hws_error(res, 500, "internal", NULL,
				 "internal error (the service's log says "
				 "more)");
	}
	if (err->source[0] != '\0' && err->line > 0)
		snprintf(path, sizeof path, "%s line %d column %d", err->source,
			 err->line, err->column);
	else if (err->line > 0)
		snprintf(path, sizeof path, "line %d column %d", err->line,
			 err->column);
	else
		snprintf(path, sizeof path, "%s", err->source);
	if (path[0] != '\0')
		p = path;
	switch (err->code) {
	case HW_ENOTFOUND:
		return hws_error(res, 404, "not_found", p, "%s", err->text);
	case HW_EEXIST:
		return hws_error(res, 409, "exists", p, "%s", err->text);
	case HW_EREFUSED:
		return hws_error(res, 409, "refused", p, "%s", err->text);
	default:
		return hws_error(res, 422, "invalid", p, "%s", err->text);
	}
}

static const char *perm_text(enum hw_perm act)
{
	switch (act) {
	case HW_PERM_READ:
		return "read";
	case HW_PERM_ASSET_WRITE:
		return "write assets";
	case HW_PERM_DEP_ONTO:
		return "add dependencies onto others' assets";
	case HW_PERM_CHANGE_EDIT:
		return "edit changes and incidents";
	case HW_PERM_CHANGE_DECIDE:
		return "decide changes";
	case HW_PERM_ADMIN:
		return "administer";
	}
	return "do this";
}

int hws_fail_body(struct hws_res *res, const struct hw_error *err)
{
	struct hw_error e = *err;

	if (e.code == HW_ENOTFOUND)
		e.code = HW_EINVAL;
	return hws_fail(res, &e);
}

enum hw_verdict hws_may(const struct hws_req *r, struct hws_res *res,
			enum hw_perm act, const char *owner)
{
	enum hw_verdict v = HW_DENY;

	if (r->user != NULL)
		v = hw_user_may(r->user, act, owner);
	if (v != HW_DENY)
		return v;
	if (r->user == NULL)
		hws_error(res, 401, "unauthorized", NULL,
			  "this needs a signed-in user");
	else if (owner != NULL)
		hws_error(res, 403, "forbidden", NULL,
			  "user '%s' may not %s owned by '%.128s'",
			  r->user->name, perm_text(act), owner);
	else
		hws_error(res, 403, "forbidden", NULL, "user '%s' may not %s",
			  r->user->name, perm_text(act));
	return HW_DENY;
}

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

int hws_begin(struct hws_req *r, struct hws_res *res)
{
	struct hw_error err = {0};

	if (hw_store_begin(r->st, &err) < 0)
		return hws_fail(res, &err);
	return 0;
}

int hws_finish(struct hws_req *r, struct hws_res *res, int ok,
	       const struct hw_error *err)
{
	struct hw_error cerr = {0};

	if (ok) {
		if (hw_store_commit(r->st, &cerr) == 0)
			return 0;
		hw_store_rollback(r->st);
		return hws_fail(res, &cerr);
	}
	hw_store_rollback(r->st);
	if (err != NULL && err->code != HW_OK)
		return hws_fail(res, err);
	if (res->status < 400)
		return hws_error(res, 500, "internal", NULL,
				 "internal error (a write failed without "
				 "saying why)");
	return -1;
}

/* A file name safe inside the quotes of Content-Disposition. */
static void safe_filename(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < size; i++)
		out[i] = (isalnum((unsigned char)in[i]) ||
			  strchr("._-+", in[i]) != NULL)
			     ? in[i]
			     : '_';
	out[i] = '\0';
}

/* The answer's body: its file (sent from its start) or its buffer. */
static struct MHD_Response *make_response(struct hws_res *res)
{
	struct MHD_Response *mr;
	struct stat sb;
	int fd;

	if (res->file != NULL) {
		if (fflush(res->file) != 0 ||
		    fstat(fileno(res->file), &sb) != 0 ||
		    (fd = dup(fileno(res->file))) < 0)
			return NULL;
		fclose(res->file);
		res->file = NULL;
		mr = MHD_create_response_from_fd64((uint64_t)sb.st_size, fd);
		if (mr == NULL)
			close(fd);
		return mr;
	}
	if (res->body == NULL)
		return MHD_create_response_from_buffer(0, (void *)"",
						       MHD_RESPMEM_PERSISTENT);
	mr = MHD_create_response_from_buffer(res->len, res->body,
					     MHD_RESPMEM_MUST_FREE);
	if (mr != NULL) {
		res->body = NULL;
		res->len = 0;
	}
	return mr;
}

int hws_send(struct hws_conn *c)
{
	struct hws_res *res = &c->res;
	struct MHD_Response *mr;
	char buf[300];
	enum MHD_Result rc;

	if (res->status == 0)
		res->status = 200;
	mr = make_response(res);
	if (mr == NULL) {
		hws_error(res, 500, "internal", NULL, "cannot send the answer");
		mr = make_response(res);
		if (mr == NULL)
			return MHD_NO;
	}
	if (res->status != 204 && res->status != 304)
		MHD_add_response_header(mr, "Content-Type",
					res->content_type ? res->content_type
							  : "application/json");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'");
	if (c->route == NULL || strncmp(c->route->pattern, "//", 2) != 0)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	if (res->filename[0] != '\0') {
		char name[sizeof res->filename];

		safe_filename(res->filename, name, sizeof name);
		snprintf(buf, sizeof buf, "attachment; filename=\"%s\"", name);
		MHD_add_response_header(mr, "Content-Disposition", buf);
	}
	if (res->location[0] != '\0')
		MHD_add_response_header(mr, "Location", res->location);
	if (c->allow[0] != '\0')
		MHD_add_response_header(mr, "Allow", c->allow);
	if (c->www_authenticate == 1)
		MHD_add_response_header(mr, "WWW-Authenticate", "Bearer");
	else if (c->www_authenticate == 2)
		MHD_add_response_header(mr, "WWW-Authenticate",
					"Bearer error=\"invalid_token\"");
	if (c->retry_after > 0) {
		snprintf(buf, sizeof buf, "%d", c->retry_after);
		MHD_add_response_header(mr, "Retry-After", buf);
	}
	if (c->set_cookie[0] != '\0')
		MHD_add_response_header(mr, "Set-Cookie", c->set_cookie);
	/* Stopping: no next request on this connection (it would find the
	 * service gone). */
	if (c->srv->stopping)
		MHD_add_response_header(mr, "Connection", "close");
	c->status = res->status;
	rc = MHD_queue_response(c->mc, (unsigned)res->status, mr);
	MHD_destroy_response(mr);
	c->queued = 1;
	return rc;
}

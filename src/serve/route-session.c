/*
 * route-session.c: the session routes of the web page: POST
 * /api/v1/session trades a token for a session (its cookie, and the
 * CSRF token its writes need), GET says who asks, DELETE signs out.
 */
#include <microhttpd.h>
#include <string.h>

#include "serve-private.h"

/* {"user", "roles", "owns"} of u, and "csrf", "expires" of a session. */
static json_t *who(const struct hw_user *u, const struct hws_session_info *info)
{
	char roles[HW_ROLE_TEXT], tbuf[HW_TIME_TEXT], *p, *comma;
	json_t *o = json_object(), *ra = json_array(), *oa = json_array();
	size_t i;

	hw_role_text(u->roles, roles);
	for (p = roles; *p != '\0'; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		json_array_append_new(ra, json_string(p));
		if (comma == NULL)
			break;
	}
	for (i = 0; i < u->nowns; i++)
		json_array_append_new(oa, json_string(u->owns[i]));
	json_object_set_new(o, "user", json_string(u->name));
	json_object_set_new(o, "roles", ra);
	json_object_set_new(o, "owns", oa);
	if (info != NULL) {
		json_object_set_new(o, "csrf", json_string(info->csrf));
		json_object_set_new(
		    o, "expires",
		    json_string(hw_time_format(info->expires, tbuf)));
	}
	return o;
}

static const char *const no_params[] = {NULL};

int hws_session_post(struct hws_req *r, struct hws_res *res)
{
	struct hws_conn *c = hws_conn_of(r);
	struct hws_session_info info;
	struct hw_error err = {0};
	struct hw_user u;
	const char *key, *old;
	json_t *body, *tok, *v;
	int rc;

	if (hws_query_known(r, res, no_params) < 0 ||
	    hws_body_json(r, res, &body) < 0)
		return -1;
	if (!json_is_object(body)) {
		json_decref(body);
		return hws_error(res, 422, "invalid", NULL,
				 "the body must be an object {\"token\": "
				 "\"...\"}");
	}
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "token") != 0) {
			hws_error(res, 422, "invalid", key,
				  "unknown member '%.64s' (expected token)",
				  key);
			json_decref(body);
			return -1;
		}
	}
	tok = json_object_get(body, "token");
	if (!json_is_string(tok)) {
		json_decref(body);
		return hws_error(res, 422, "invalid", "token",
				 "token must be a string");
	}
	rc = hw_user_auth(r->st, json_string_value(tok), &u, &err);
	if (rc < 0) {
		json_decref(body);
		if (err.code != HW_ENOTFOUND)
			return hws_fail(res, &err);
		hws_auth_failed(c);
		return hws_error(res, 401, "unauthorized", "token",
				 "unknown token");
	}
	snprintf(c->log_user, sizeof c->log_user, "%s", u.name);
	old = MHD_lookup_connection_value(c->mc, MHD_COOKIE_KIND, "hw_session");
	if (old != NULL)
		hws_session_end(c->srv->sessions, old);
	rc = hws_session_begin(c, &u, json_string_value(tok), &info);
	json_decref(body);
	if (rc < 0) {
		hw_user_release(&u);
		return hws_error(res, 500, "internal", NULL,
				 "cannot make a session");
	}
	hws_json(res, 201, who(&u, &info));
	hw_user_release(&u);
	return 0;
}

int hws_session_get(struct hws_req *r, struct hws_res *res)
{
	struct hws_conn *c = hws_conn_of(r);

	if (hws_query_known(r, res, no_params) < 0)
		return -1;
	return hws_json(res, 200,
			who(r->user, c->by_session ? &c->sess : NULL));
}

int hws_session_delete(struct hws_req *r, struct hws_res *res)
{
	struct hws_conn *c = hws_conn_of(r);
	const char *sid;

	if (hws_query_known(r, res, no_params) < 0)
		return -1;
	sid = MHD_lookup_connection_value(c->mc, MHD_COOKIE_KIND, "hw_session");
	if (!c->by_session || sid == NULL)
		return hws_error(res, 404, "not_found", NULL,
				 "no session to end (this request was "
				 "signed in by a token)");
	hws_session_end(c->srv->sessions, sid);
	hws_session_forget(c);
	res->status = 204;
	return 0;
}

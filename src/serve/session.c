/*
 * session.c: sessions for the web page: POST /api/v1/session trades a
 * token for a cookie holding a random id (32 bytes, base64url); the
 * service keeps, in memory only, the id's SHA-256, its user, the user's
 * token time then, a CSRF token and its times.  A session ends after
 * IDLE seconds unused or LIFE seconds in all, when its user is removed
 * or their token rotated (auth.c), or on DELETE /api/v1/session.
 */
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve-private.h"

#define IDLE (30 * 60)	  /* seconds unused */
#define LIFE (8 * 3600)	  /* seconds in all */
#define MAX_SESSIONS 4096 /* past it the one closest to its end goes */

struct session {
	unsigned char hash[32]; /* SHA-256 of the id's text */
	struct hws_session_info info;
	time_t begun, used; /* monotonic seconds */
};

struct hws_sessions {
	pthread_mutex_t lock;
	struct session *v;
	size_t n;
};

static time_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

struct hws_sessions *hws_sessions_new(void)
{
	struct hws_sessions *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->v = calloc(MAX_SESSIONS, sizeof *s->v);
	if (s->v == NULL || pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s->v);
		free(s);
		return NULL;
	}
	return s;
}

void hws_sessions_free(struct hws_sessions *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s->v, MAX_SESSIONS * sizeof *s->v);
	free(s->v);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static int sha256(const char *text, unsigned char out[32])
{
	unsigned int n = 0;

	return EVP_Digest(text, strlen(text), out, &n, EVP_sha256(), NULL) ==
			   1 &&
		       n == 32
		   ? 0
		   : -1;
}

/* n random bytes as base64url without padding into out (4n/3+2). */
static int random_text(char *out, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789-_";
	unsigned char raw[48];
	size_t i, j = 0;
	unsigned v;

	if (n > sizeof raw || RAND_bytes(raw, (int)n) != 1)
		return -1;
	for (i = 0; i < n; i += 3) {
		v = (unsigned)raw[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)raw[i + 1] << 8;
		if (i + 2 < n)
			v |= raw[i + 2];
		out[j++] = b64[(v >> 18) & 63];
		out[j++] = b64[(v >> 12) & 63];
		if (i + 1 < n)
			out[j++] = b64[(v >> 6) & 63];
		if (i + 2 < n)
			out[j++] = b64[v & 63];
	}
	out[j] = '\0';
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

static int expired(const struct session *se, time_t now)
{
	return now - se->used >= IDLE || now - se->begun >= LIFE;
}

static void drop(struct hws_sessions *s, size_t i)
{
	s->v[i] = s->v[--s->n];
	OPENSSL_cleanse(&s->v[s->n], sizeof s->v[s->n]);
}

/* The session of hash, or -1; the caller holds the lock. */
static long lookup(struct hws_sessions *s, const unsigned char hash[32])
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (CRYPTO_memcmp(s->v[i].hash, hash, 32) == 0)
			return (long)i;
	return -1;
}

int hws_session_find(struct hws_sessions *s, const char *sid,
		     struct hws_session_info *out)
{
	unsigned char hash[32];
	time_t now = mono_now();
	long i;
	int rc = -1;

	if (strlen(sid) > 128 || sha256(sid, hash) < 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	i = lookup(s, hash);
	if (i >= 0 && expired(&s->v[i], now))
		drop(s, (size_t)i);
	else if (i >= 0) {
		s->v[i].used = now;
		*out = s->v[i].info;
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void hws_session_end(struct hws_sessions *s, const char *sid)
{
	unsigned char hash[32];
	long i;

	if (strlen(sid) > 128 || sha256(sid, hash) < 0)
		return;
	pthread_mutex_lock(&s->lock);
	i = lookup(s, hash);
	if (i >= 0)
		drop(s, (size_t)i);
	pthread_mutex_unlock(&s->lock);
}

void hws_session_forget(struct hws_conn *c)
{
	snprintf(c->set_cookie, sizeof c->set_cookie,
		 "hw_session=; HttpOnly; SameSite=Strict; Path=/; "
		 "Max-Age=0%s",
		 c->srv->tls ? "; Secure" : "");
}

/* A new session for u: its id into sid, its record into *out. */
static int begin(struct hws_sessions *s, const struct hw_user *u, char sid[64],
		 struct hws_session_info *out)
{
	struct session se = {0};
	time_t now = mono_now();
	size_t i, victim;

	if (random_text(sid, HWS_SID_BYTES) < 0 || sha256(sid, se.hash) < 0 ||
	    random_text(se.info.csrf, 32) < 0)
		return -1;
	snprintf(se.info.name, sizeof se.info.name, "%s", u->name);
	se.info.token_at = u->token_at;
	se.info.expires = hw_time_now() + LIFE;
	se.begun = se.used = now;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n;)
		if (expired(&s->v[i], now))
			drop(s, i);
		else
			i++;
	if (s->n == MAX_SESSIONS) {
		victim = 0;
		for (i = 1; i < s->n; i++)
			if (s->v[i].used < s->v[victim].used)
				victim = i;
		drop(s, victim);
	}
	s->v[s->n++] = se;
	pthread_mutex_unlock(&s->lock);
	*out = se.info;
	OPENSSL_cleanse(&se, sizeof se);
	return 0;
}

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
	char sid[64];
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
	json_decref(body);
	if (rc < 0) {
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
	if (begin(c->srv->sessions, &u, sid, &info) < 0) {
		hw_user_release(&u);
		return hws_error(res, 500, "internal", NULL,
				 "cannot make a session");
	}
	snprintf(c->set_cookie, sizeof c->set_cookie,
		 "hw_session=%s; HttpOnly; SameSite=Strict; Path=/; "
		 "Max-Age=%d%s",
		 sid, LIFE, c->srv->tls ? "; Secure" : "");
	OPENSSL_cleanse(sid, sizeof sid);
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

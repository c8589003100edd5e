/*
 * auth.c: who asks: an Authorization: Bearer token (hw_user_auth), or
 * the session cookie (session.c) with its user read again from the
 * store by the token it began with and, for a write, the session's CSRF token;
 * and the slow-down of failed sign-ins, per client address (after FAIL_MAX
 * failures in FAIL_WINDOW seconds, 429 until the oldest of them is that old).
 */
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "serve-private.h"

#define FAIL_MAX 5
#define FAIL_WINDOW 60	    /* seconds */
#define FAIL_ADDRESSES 1024 /* addresses remembered; the stalest goes */

struct fail_entry {
	char addr[64];
	time_t at[FAIL_MAX]; /* the last failures (monotonic seconds) */
	size_t next;	     /* where the next one goes */
	time_t last;
};

struct hws_failures {
	pthread_mutex_t lock;
	struct fail_entry e[FAIL_ADDRESSES];
	size_t n;
};

struct hws_failures *hws_failures_new(void)
{
	struct hws_failures *f = calloc(1, sizeof *f);

	if (f == NULL)
		return NULL;
	if (pthread_mutex_init(&f->lock, NULL) != 0) {
		free(f);
		return NULL;
	}
	return f;
}

void hws_failures_free(struct hws_failures *f)
{
	if (f == NULL)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f);
}

/* The address's entry, or NULL; the caller holds the lock. */
static struct fail_entry *find(struct hws_failures *f, const char *addr)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->e[i].addr, addr) == 0)
			return &f->e[i];
	return NULL;
}

int hws_auth_throttled(struct hws_conn *c)
{
	struct hws_failures *f = c->srv->failures;
	struct fail_entry *e;
	time_t now = hws_mono_now(), oldest;
	size_t i;
	int recent = 0;

	pthread_mutex_lock(&f->lock);
	e = find(f, c->client);
	oldest = now;
	if (e != NULL)
		for (i = 0; i < FAIL_MAX; i++)
			if (e->at[i] != 0 && now - e->at[i] < FAIL_WINDOW) {
				recent++;
				if (e->at[i] < oldest)
					oldest = e->at[i];
			}
	pthread_mutex_unlock(&f->lock);
	if (recent < FAIL_MAX)
		return 0;
	c->retry_after = (int)(oldest + FAIL_WINDOW - now);
	if (c->retry_after < 1)
		c->retry_after = 1;
	return hws_error(&c->res, 429, "too_many_requests", NULL,
			 "too many failed sign-ins from this address: try "
			 "again in %d seconds",
			 c->retry_after);
}

void hws_auth_failed(struct hws_conn *c)
{
	struct hws_failures *f = c->srv->failures;
	struct fail_entry *e;
	time_t now = hws_mono_now();
	size_t i, stalest = 0;

	pthread_mutex_lock(&f->lock);
	e = find(f, c->client);
	if (e == NULL) {
		if (f->n < FAIL_ADDRESSES)
			e = &f->e[f->n++];
		else {
			for (i = 1; i < f->n; i++)
				if (f->e[i].last < f->e[stalest].last)
					stalest = i;
			e = &f->e[stalest];
		}
		memset(e, 0, sizeof *e);
		snprintf(e->addr, sizeof e->addr, "%s", c->client);
	}
	e->at[e->next] = now > 0 ? now : 1;
	e->next = (e->next + 1) % FAIL_MAX;
	e->last = now;
	pthread_mutex_unlock(&f->lock);
}

/* The token of "Bearer TOKEN", or NULL for another scheme. */
static const char *bearer(const char *h)
{
	while (*h == ' ')
		h++;
	if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
		return NULL;
	h += 6;
	while (*h == ' ' || *h == '\t')
		h++;
	return h;
}

static int by_token(struct hws_conn *c, const char *header)
{
	struct hw_store *st;
	struct hw_error err = {0};
	const char *tok = bearer(header);
	int rc;

	if (hws_auth_throttled(c) < 0)
		return -1;
	if (tok == NULL) {
		c->www_authenticate = 1;
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "the Authorization header must be 'Bearer "
				 "TOKEN'");
	}
	if ((st = hws_reader_take(c)) == NULL)
		return -1;
	rc = hw_user_auth(st, tok, &c->user, &err);
	hws_reader_give(c->srv, st);
	if (rc < 0) {
		if (err.code != HW_ENOTFOUND)
			return hws_fail(&c->res, &err);
		hws_auth_failed(c);
		c->www_authenticate = 2;
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "unknown token");
	}
	c->has_user = 1;
	return 0;
}

static int by_session(struct hws_conn *c, const char *sid)
{
	struct hw_store *st;
	struct hw_error err = {0};
	const char *csrf;
	int rc;

	if (hws_session_find(c->srv->sessions, sid, &c->sess) < 0) {
		hws_session_forget(c);
		c->www_authenticate = 1;
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "the session has ended: sign in again");
	}
	if ((st = hws_reader_take(c)) == NULL)
		return -1;
	rc = hw_user_auth_hash(st, c->sess.token_hash, &c->user, &err);
	hws_reader_give(c->srv, st);
	if (rc < 0 && err.code != HW_ENOTFOUND)
		return hws_fail(&c->res, &err);
	if (rc == 0)
		c->has_user = 1;
	/* A removed user, or the token it began with rotated since (even
	 * within the same second): the session ends. */
	if (rc < 0 || strcmp(c->user.name, c->sess.name) != 0) {
		hws_session_end(c->srv->sessions, sid);
		hws_session_forget(c);
		c->www_authenticate = 1;
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "the session has ended: sign in again");
	}
	c->by_session = 1;
	if (hws_is_write(c->req.method)) {
		csrf = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND,
						   "X-CSRF-Token");
		if (csrf == NULL || strlen(csrf) != strlen(c->sess.csrf) ||
		    CRYPTO_memcmp(csrf, c->sess.csrf, strlen(csrf)) != 0)
			return hws_error(&c->res, 403, "forbidden", NULL,
					 "a write in a session needs the "
					 "session's X-CSRF-Token header");
	}
	return 0;
}

int hws_authenticate(struct hws_conn *c)
{
	const char *h, *sid;
	int rc;

	h = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND,
					"Authorization");
	sid = MHD_lookup_connection_value(c->mc, MHD_COOKIE_KIND, "hw_session");
	if (h != NULL)
		rc = by_token(c, h);
	else if (sid != NULL)
		rc = by_session(c, sid);
	else {
		c->www_authenticate = 1;
		return hws_error(&c->res, 401, "unauthorized", NULL,
				 "this needs a token (Authorization: Bearer "
				 "TOKEN) or a session");
	}
	if (c->has_user)
		snprintf(c->log_user, sizeof c->log_user, "%s", c->user.name);
	if (rc < 0)
		return -1;
	c->req.user = &c->user;
	return 0;
}

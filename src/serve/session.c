/*
 * session.c: the sessions of the web page, in memory: a session's
 * cookie holds a random id (32 bytes, base64url); the service keeps
 * only the id's SHA-256, its user, the SHA-256 of the token it was made
 * with, a CSRF token and its times.  A session ends after so many
 * seconds unused or in all (--session-idle, --session-life), when its
 * user is removed or their token rotated (auth.c), when signed out
 * (route-session.c), or when its user has too many.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve-private.h"

#define MAX_SESSIONS 4096 /* past it the one closest to its end goes */

struct session {
	unsigned char hash[32]; /* SHA-256 of the id's text */
	struct hws_session_info info;
	time_t begun, used; /* monotonic seconds */
};

struct hws_sessions {
	long idle, life; /* seconds unused, in all */
	pthread_mutex_t lock;
	struct session *v;
	size_t n;
};

struct hws_sessions *hws_sessions_new(long idle, long life)
{
	struct hws_sessions *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->idle = idle;
	s->life = life;
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

static int expired(const struct hws_sessions *s, const struct session *se,
		   time_t now)
{
	return now - se->used >= s->idle || now - se->begun >= s->life;
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
	time_t now = hws_mono_now();
	long i;
	int rc = -1;

	if (strlen(sid) > 128 || sha256(sid, hash) < 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	i = lookup(s, hash);
	if (i >= 0 && expired(s, &s->v[i], now))
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

/* The least used session of user name (of anybody when NULL), or -1
 * when none; the caller holds the lock. */
static long least_used(const struct hws_sessions *s, const char *name)
{
	long victim = -1;
	size_t i;

	for (i = 0; i < s->n; i++)
		if ((name == NULL || strcmp(s->v[i].info.name, name) == 0) &&
		    (victim < 0 || s->v[i].used < s->v[victim].used))
			victim = (long)i;
	return victim;
}

int hws_session_begin(struct hws_conn *c, const struct hw_user *u,
		      const char *token, struct hws_session_info *out)
{
	struct hws_sessions *s = c->srv->sessions;
	struct session se = {0};
	char sid[64];
	time_t now = hws_mono_now();
	size_t i, mine = 0;

	if (random_text(sid, HWS_SID_BYTES) < 0 || sha256(sid, se.hash) < 0 ||
	    sha256(token, se.info.token_hash) < 0 ||
	    random_text(se.info.csrf, 32) < 0)
		return -1;
	snprintf(se.info.name, sizeof se.info.name, "%s", u->name);
	se.info.expires = hw_time_now() + s->life;
	se.begun = se.used = now;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->n;)
		if (expired(s, &s->v[i], now))
			drop(s, i);
		else
			i++;
	for (i = 0; i < s->n; i++)
		mine += strcmp(s->v[i].info.name, se.info.name) == 0;
	if (mine >= HWS_SESSIONS_PER_USER)
		drop(s, (size_t)least_used(s, se.info.name));
	else if (s->n == MAX_SESSIONS)
		drop(s, (size_t)least_used(s, NULL));
	s->v[s->n++] = se;
	pthread_mutex_unlock(&s->lock);
	snprintf(c->set_cookie, sizeof c->set_cookie,
		 "hw_session=%s; HttpOnly; SameSite=Strict; Path=/; "
		 "Max-Age=%ld%s",
		 sid, s->life, c->srv->tls ? "; Secure" : "");
	*out = se.info;
	OPENSSL_cleanse(&se, sizeof se);
	OPENSSL_cleanse(sid, sizeof sid);
	return 0;
}

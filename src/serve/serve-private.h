/*
 * serve-private.h: what the core's files (serve.c, router.c, auth.c,
 * session.c, answer.c, utf8.c, warm.c, route-meta.c, route-session.c)
 * share and route files never see: the server, one request's whole state
 * around the hws_req a handler gets, and the functions between the core's
 * files.
 */
#ifndef HW_SERVE_PRIVATE_H
#define HW_SERVE_PRIVATE_H

#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "serve.h"

struct MHD_Connection;
struct hws_sessions;
struct hws_failures;

/* Read-only connections for the requests that read (pool.c): reads
 * run side by side, and on the write-ahead log never wait for a write. */
#define HWS_READERS 4

/* The running service. */
struct hws_server {
	const struct hws_options *o;
	struct hw_store *st;	    /* the writer, opened read-write once: */
	pthread_mutex_t write_lock; /*   one write at a time uses it */
	struct hw_store *readers[HWS_READERS]; /* free ones: the first */
	size_t nfree;			       /*   nfree (pool.c) */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_freed;
	struct hw_graph *warm;	      /* the whole graph, categorized, */
	long long warm_gen;	      /*   at this generation (warm.c), */
	int warm_loading;	      /*   one load at a time, */
	pthread_mutex_t warm_lock;    /*   under this lock */
	pthread_cond_t warm_loaded;
	int tls;		       /* serving HTTPS */
	struct hws_sessions *sessions; /* session.c */
	struct hws_failures *failures; /* failed sign-ins (auth.c) */
	pthread_mutex_t inflight_lock; /* requests begun, not finished, */
	pthread_cond_t inflight_idle;  /*   for a stop that waits */
	long inflight;
	size_t buffered;      /* bytes the bodies hold (same lock) */
	_Atomic int started;  /* MHD's complaints go to the log */
	_Atomic int stopping; /* SIGTERM: answers close their connection */
	char mhd_error[256];  /* else the last is kept here */
};

/* Where hws_req's strings live: the largest request line MHD reads is
 * its connection memory (32 KiB), so a path and a segment have bounds. */
#define HWS_SEGMENT_MAX 256 /* bytes of a decoded {} segment */
#define HWS_QUERY_MAX 256   /* query parameters a request may have */
#define HWS_SID_BYTES 32    /* random bytes of a session id */
/* Bytes of a body sent to a public route (the sign-in): one who has not
 * signed in cannot fill what all bodies may hold at once. */
#define HWS_PUBLIC_BODY_MAX 65536

/* What a session holds for its requests. */
#define HWS_NAME_MAX 64
#define HWS_CSRF_TEXT 48
struct hws_session_info {
	char name[HWS_NAME_MAX + 1];  /* its user */
	unsigned char token_hash[32]; /* SHA-256 of the token it began
					 with (hw_user_auth_hash) */
	char csrf[HWS_CSRF_TEXT];     /* X-CSRF-Token its writes need */
	hw_time expires;	      /* when it ends at the latest */
};

/* One request from its headers to its answer's last byte. */
struct hws_conn {
	struct hws_req req; /* first: a handler's r is this */
	struct hws_res res;
	struct hws_server *srv;
	struct MHD_Connection *mc;
	struct timespec start;	       /* CLOCK_MONOTONIC, for the log */
	const struct hws_route *route; /* the route matched */
	char *path;		       /* req.path, decoded (malloc'd) */
	struct hw_user user;	       /* req.user when signed in */
	int has_user;
	int by_session;		      /* signed in by the session cookie: */
	struct hws_session_info sess; /* its session */
	char client[64]; /* the peer's address, for the slow-down */
	char *body;	 /* the body gathered so far */
	size_t len, cap;
	size_t limit; /* its limit: the --body-limit, or less for a route
			 anybody may call (HWS_PUBLIC_BODY_MAX) */
	int dropping; /* the body refused: res says why (413, 503) */
	int queued;   /* an answer is queued */
	int status;   /* the status answered, for the log */
	/* Headers of the answer besides the usual ones: */
	char allow[64];	      /* 405: Allow */
	int www_authenticate; /* 401: WWW-Authenticate: Bearer */
	int retry_after;      /* 429: Retry-After seconds, or 0 */
	char set_cookie[256]; /* Set-Cookie, or "" */
	char log_user[72];    /* who asked, for the log ("-") */
	char *logged_path;    /* the path as sent, for the log */
	char method[32];      /* req.method (a longer one matches none) */
	struct hw_graph *graph; /* the warm graph it holds (hws_graph) */
};

/* The request a handler was given, back to its whole state (the core's
 * own handlers: the session's routes). */
static inline struct hws_conn *hws_conn_of(struct hws_req *r)
{
	return (struct hws_conn *)(void *)r;
}

/* The answer a handler fills, back to its request's whole state. */
static inline struct hws_conn *hws_conn_of_res(struct hws_res *res)
{
	return (struct hws_conn *)(void *)((char *)res -
					   offsetof(struct hws_conn, res));
}

/* Seconds on the monotonic clock (sessions, the slow-down). */
static inline time_t hws_mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Does the method write?  (A read never takes the writer.) */
static inline int hws_is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* pool.c: the service's connections to the database.  Open the writer
 * and the readers (0, or -1 with err set); close them all. */
int hws_pool_open(struct hws_server *srv, struct hw_error *err);
void hws_pool_close(struct hws_server *srv);
/* A reader for c's request, waited for up to --write-wait: NULL with
 * c->res 503 "busy" when none came free.  Give it back. */
struct hw_store *hws_reader_take(struct hws_conn *c);
void hws_reader_give(struct hws_server *srv, struct hw_store *st);
/* The writer for c's request, waited for until --write-wait has passed
 * (behind the service's other writes, then behind another process's
 * write lock): 0, or -1 with c->res 503 and Retry-After.  Give it back
 * with hws_writer_give. */
int hws_writer_take(struct hws_conn *c);
void hws_writer_give(struct hws_server *srv);

/* Seconds a write may wait for the database: --write-wait, else 30. */
#define HWS_WRITE_WAIT_DEFAULT 30
static inline unsigned hws_write_wait(const struct hws_server *srv)
{
	return srv->o->write_wait ? srv->o->write_wait : HWS_WRITE_WAIT_DEFAULT;
}

/* warm.c: the request's hold on the warm graph, let go at its end. */
void hws_graph_release(struct hws_conn *c);
/* The warm graph's end with the service. */
void hws_warm_close(struct hws_server *srv);

/* Milliseconds on the monotonic clock since *t. */
static inline long hws_ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 +
	       (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* router.c: find the route of method and the raw path url (not yet
 * percent-decoded): 0 with c->route, c->path and the {} arguments set;
 * -1 with c->res filled (404, 405 with c->allow, 400 for a bad
 * segment). */
int hws_route_find(struct hws_conn *c, const char *method, const char *url);
/* The query parameters (decoded, in order): 0, or -1 with c->res 400. */
int hws_route_query(struct hws_conn *c);
/* May c->user call c->route at all (serve.h's rules)?  0, or -1 with
 * c->res 403. */
int hws_route_allowed(struct hws_conn *c);
/* Free what hws_route_find and hws_route_query allocated. */
void hws_route_release(struct hws_conn *c);

/* auth.c: who asks, for a route that is not public: 0 with c->user
 * set, or -1 with c->res filled (401, 403 for a missing CSRF token,
 * 429 after repeated failures).  Takes a reader itself. */
int hws_authenticate(struct hws_conn *c);
/* Too many failed sign-ins from c's address lately?  -1 with c->res
 * 429 (and c->retry_after), else 0. */
int hws_auth_throttled(struct hws_conn *c);
/* Count a failed sign-in from c's address. */
void hws_auth_failed(struct hws_conn *c);
struct hws_failures *hws_failures_new(void);
void hws_failures_free(struct hws_failures *f);

/* session.c: the sessions, in memory. */
/* Sessions that end after idle seconds unused or life seconds in all. */
struct hws_sessions *hws_sessions_new(long idle, long life);
void hws_sessions_free(struct hws_sessions *s);
/* The session whose id is sid (the cookie's text): 0 with *out filled;
 * -1 when none or expired.  A use: its idle time starts again. */
int hws_session_find(struct hws_sessions *s, const char *sid,
		     struct hws_session_info *out);
/* End the session whose id is sid, if any. */
void hws_session_end(struct hws_sessions *s, const char *sid);
/* A new session for u, signed in with token: the answer's Set-Cookie
 * set, its record into *out.  A user's sessions past
 * HWS_SESSIONS_PER_USER: their least used one ends (one user cannot
 * push out everybody's).  0, or -1 when no random bytes could be had. */
#define HWS_SESSIONS_PER_USER 32
int hws_session_begin(struct hws_conn *c, const struct hw_user *u,
		      const char *token, struct hws_session_info *out);
/* The answer's Set-Cookie: the browser forgets its session cookie. */
void hws_session_forget(struct hws_conn *c);

/* route-session.c: the session routes' handlers (route-meta.c lists
 * them). */
int hws_session_post(struct hws_req *r, struct hws_res *res);
int hws_session_get(struct hws_req *r, struct hws_res *res);
int hws_session_delete(struct hws_req *r, struct hws_res *res);

/* answer.c: queue c->res with the headers every answer carries: MHD's
 * verdict (MHD_YES or MHD_NO). */
int hws_send(struct hws_conn *c);
/* c->res 503 "busy" with Retry-After: a write waited for the database
 * past hws_write_wait (behind other writes, or another process's
 * write lock: HW_EBUSY).  -1. */
int hws_busy(struct hws_conn *c);
/* Forget c->res's body or file. */
void hws_res_release(struct hws_res *res);

/* answer.c: a line in the log (the core's own errors). */
void hws_logf(const struct hws_server *srv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* utf8.c: is s all UTF-8 (no overlong form, surrogate, or code point
 * past U+10FFFF)? */
int hws_utf8_valid(const char *s);
/* Each byte of s that starts no UTF-8 character made '?', in place. */
void hws_utf8_mend(char *s);

/* routes.c: every route table, NULL-terminated. */
extern const struct hws_route *const hws_route_tables[];

#endif /* HW_SERVE_PRIVATE_H */

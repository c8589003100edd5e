/*
 * serve.c: the daemon of highwater serve, on libmicrohttpd: the listen
 * address (loopback unless TLS or --insecure), TLS from PEM files, one
 * thread a connection, a request's life (route, sign-in, body up to the
 * limit, the handler on a connection of its own (pool.c), the answer), one log line
 * a request, and a clean stop on SIGTERM or SIGINT that finishes the
 * requests in flight (for 10 seconds at most).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "serve-private.h"

#define PEM_MAX (1 << 20) /* bytes of a certificate or key file */
#define CONNECTIONS 256	  /* connections at once, */
#define PER_ADDRESS 64	  /* of them from one client address */
#define IDLE_TIMEOUT 60	  /* seconds a connection may stay silent */
/* Seconds the requests in flight get to finish after SIGTERM (a body
 * trickled in must not hold the stop back). */
#define DRAIN_TIMEOUT 10
#define DEFAULT_LISTEN "127.0.0.1:8199"
/* GnuTLS's defaults but TLS 1.2 and 1.3 only (its NORMAL still offers
 * 1.0 and 1.1). */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define SESSION_IDLE (30 * 60)	/* seconds a session may stay unused */
#define SESSION_LIFE (8 * 3600) /* seconds a session lasts at most */

/* MHD's own complaints: kept for the start's error, then logged. */
static void mhd_logger(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	struct hws_server *srv = cls;
	char line[256];
	size_t n;

	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '.'))
		line[--n] = '\0';
	if (srv->started)
		hws_logf(srv, "%s", line);
	else
		memcpy(srv->mhd_error, line, n + 1);
}

/* The path is decoded by the router, segment by segment (an encoded
 * '/' stays inside its segment), and the query by router.c too: MHD
 * leaves them as sent. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* "ADDR:PORT" (IPv4) or "[ADDR]:PORT" (IPv6) into ss. */
static int parse_listen(const char *s, struct sockaddr_storage *ss,
			socklen_t *len, int *loopback, struct hw_error *err)
{
	char host[64];
	const char *port, *end;
	char *stop;
	unsigned long p;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (s[0] == '[') {
		end = strchr(s, ']');
		if (end == NULL || end[1] != ':' ||
		    (size_t)(end - s - 1) >= sizeof host)
			goto bad;
		memcpy(host, s + 1, (size_t)(end - s - 1));
		host[end - s - 1] = '\0';
		port = end + 2;
	} else {
		end = strrchr(s, ':');
		if (end == NULL || (size_t)(end - s) >= sizeof host)
			goto bad;
		memcpy(host, s, (size_t)(end - s));
		host[end - s] = '\0';
		port = end + 1;
	}
	if (port[0] < '0' || port[0] > '9')
		goto bad;
	errno = 0;
	p = strtoul(port, &stop, 10);
	if (*stop != '\0' || errno != 0 || p == 0 || p > 65535)
		goto bad;
	if (s[0] != '[' && inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)p);
		*len = sizeof *a4;
		*loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
		return 0;
	}
	if (s[0] == '[' && inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)p);
		*len = sizeof *a6;
		*loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
		return 0;
	}
bad:
	return hw_error_set(err, HW_EINVAL,
			    "bad listen address '%.64s' (expected "
			    "IPV4:PORT or [IPV6]:PORT, a port from 1 to "
			    "65535)",
			    s);
}

/* A PEM file's text (malloc'd), at most PEM_MAX bytes, holding what
 * ("CERTIFICATE", "PRIVATE KEY"); its permissions into *mode. */
static char *read_pem(const char *path, const char *what, mode_t *mode,
		      struct hw_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	struct stat sb;
	size_t n;

	if (f == NULL) {
		hw_error_set(err, HW_EIO, "cannot open '%.128s': %s", path,
			     strerror(errno));
		return NULL;
	}
	*mode = fstat(fileno(f), &sb) == 0 ? sb.st_mode & 07777 : 0;
	buf = malloc(PEM_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, PEM_MAX + 1, f);
	if (ferror(f) || n > PEM_MAX || n == 0) {
		hw_error_set(err, HW_EINVAL, "'%.128s': %s", path,
			     ferror(f) ? "cannot read it"
			     : n == 0  ? "empty (expected a PEM file)"
				       : "over 1 MiB (expected a PEM file)");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (strstr(buf, "-----BEGIN ") == NULL || strstr(buf, what) == NULL) {
		hw_error_set(err, HW_EINVAL,
			     "'%.128s' holds no %s (expected a PEM file)", path,
			     what);
		free(buf);
		return NULL;
	}
	return buf;
}

/* A bound, listening socket on ss. */
static int listen_on(const struct hws_options *o,
		     const struct sockaddr_storage *ss, socklen_t len,
		     struct hw_error *err)
{
	int fd, one = 1;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hw_error_set(err, HW_EIO, "cannot listen on %s: %s",
				    o->listen, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)ss, len) != 0 ||
	    listen(fd, 64) != 0) {
		hw_error_set(err, HW_EIO, "cannot listen on %s: %s", o->listen,
			     strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The first n bytes of s for the log into out (3n+1 bytes): bytes
 * outside printable ASCII escaped as %XX (a log line stays one line of
 * plain text). */
static void log_escape(const char *s, size_t n, char *out)
{
	size_t i, j = 0;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch > 0x20 && ch < 0x7f)
			out[j++] = (char)ch;
		else
			j += (size_t)sprintf(out + j, "%%%02X", ch);
	}
	out[j] = '\0';
}

/* The raw path for the log (malloc'd): as sent, escaped. */
static char *log_path(const char *url)
{
	size_t n = strlen(url);
	char *out;

	if (n > 2048)
		n = 2048;
	out = malloc(3 * n + 1);
	if (out != NULL)
		log_escape(url, n, out);
	return out;
}

/* Count the Content-Length headers into *cls (an int). */
static enum MHD_Result count_lengths(void *cls, enum MHD_ValueKind kind,
				     const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, "Content-Length") == 0)
		++*(int *)cls;
	return MHD_YES;
}

/* The route, the sign-in, the access check, the query and the body's
 * declared size: an answer queued at once when one of them refuses
 * (nothing but the route is told to one who has not signed in). */
static enum MHD_Result first_stage(struct hws_conn *c, const char *url)
{
	const struct hws_options *o = c->srv->o;
	const char *cl;
	unsigned long long declared;
	char *end;

	int lengths = 0;

	/* MHD reads the body by the first Content-Length: a proxy before
	 * it that took another would read the next request elsewhere. */
	MHD_get_connection_values(c->mc, MHD_HEADER_KIND, count_lengths,
				  &lengths);
	if (lengths > 1) {
		hws_error(&c->res, 400, "bad_request", NULL,
			  "more than one Content-Length header");
		return hws_send(c);
	}
	c->req.content_type =
	    MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND, "Content-Type");
	if (hws_route_find(c, c->req.method, url) < 0)
		return hws_send(c);
	c->limit = o->body_limit;
	if (c->route->access == HWS_PUBLIC && c->limit > HWS_PUBLIC_BODY_MAX)
		c->limit = HWS_PUBLIC_BODY_MAX;
	if (c->route->access == HWS_PUBLIC) {
		if (c->route->fn == hws_session_post &&
		    hws_auth_throttled(c) < 0)
			return hws_send(c);
	} else if (hws_authenticate(c) < 0 || hws_route_allowed(c) < 0)
		return hws_send(c);
	if (hws_route_query(c) < 0)
		return hws_send(c);
	cl = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND,
					 "Content-Length");
	if (cl != NULL) {
		errno = 0;
		declared = strtoull(cl, &end, 10);
		if (errno == 0 && *end == '\0' && declared > c->limit) {
			hws_error(&c->res, 413, "too_large", NULL,
				  "the body is over the limit of %zu bytes",
				  c->limit);
			return hws_send(c);
		}
	}
	return MHD_YES;
}

/* A body's buffer grows from had to want bytes (or shrinks): within
 * the bytes all bodies may hold at once (four at the limit), else -1. */
static int reserve(struct hws_server *srv, size_t had, size_t want)
{
	size_t limit = srv->o->body_limit;
	size_t budget = limit >= SIZE_MAX / 4 ? SIZE_MAX : 4 * (limit + 1);
	int rc = 0;

	pthread_mutex_lock(&srv->inflight_lock);
	if (want > had && want - had > budget - srv->buffered)
		rc = -1;
	else
		srv->buffered = srv->buffered - had + want;
	pthread_mutex_unlock(&srv->inflight_lock);
	return rc;
}

/* The body refused (c->res says why): what is had is freed, the rest
 * read and dropped (MHD answers only once the body is in), nothing
 * done. */
static enum MHD_Result drop(struct hws_conn *c, size_t *size)
{
	reserve(c->srv, c->cap, 0);
	free(c->body);
	c->body = NULL;
	c->len = c->cap = 0;
	c->dropping = 1;
	*size = 0;
	return MHD_YES;
}

/* More of the body: kept up to the limit, past it 413; past what all
 * bodies may hold at once, 503. */
static enum MHD_Result gather(struct hws_conn *c, const char *data,
			      size_t *size)
{
	size_t limit = c->limit, cap;
	char *nb;

	if (c->dropping || c->queued) {
		*size = 0;
		return MHD_YES;
	}
	if (*size > limit - c->len) {
		hws_error(&c->res, 413, "too_large", NULL,
			  "the body is over the limit of %zu bytes", limit);
		return drop(c, size);
	}
	if (c->len + *size + 1 > c->cap) {
		cap = c->cap ? c->cap : 4096;
		while (cap < c->len + *size + 1)
			cap *= 2;
		if (cap > limit + 1)
			cap = limit + 1;
		if (reserve(c->srv, c->cap, cap) < 0) {
			c->retry_after = 1;
			hws_error(&c->res, 503, "busy", NULL,
				  "too many large request bodies at once: try "
				  "again shortly");
			return drop(c, size);
		}
		nb = realloc(c->body, cap);
		if (nb == NULL) {
			reserve(c->srv, cap, c->cap);
			hws_error(&c->res, 500, "internal", NULL,
				  "out of memory");
			return drop(c, size);
		}
		c->body = nb;
		c->cap = cap;
	}
	memcpy(c->body + c->len, data, *size);
	c->len += *size;
	c->body[c->len] = '\0';
	*size = 0;
	return MHD_YES;
}

/* The session's routes read the users only: a sign-in never waits
 * for a write. */
static int writes(const struct hws_conn *c)
{
	return hws_is_write(c->req.method) &&
	       c->route->fn != hws_session_post &&
	       c->route->fn != hws_session_delete;
}

/* The handler, on a connection of its own: a reader, or the writer as
 * its user once the writes before it are done. */
static void run_handler(struct hws_conn *c)
{
	struct hws_server *srv = c->srv;
	struct hw_error err = {0};
	int rc, w = writes(c);

	c->req.body = c->body;
	c->req.body_len = c->len;
	if (w) {
		if (hws_writer_take(c) < 0)
			return;
		c->req.st = srv->st;
	} else if ((c->req.st = hws_reader_take(c)) == NULL)
		return;
	if (w && hw_store_set_actor(srv->st,
				    c->req.user ? c->req.user->name : NULL,
				    &err) < 0)
		rc = hws_fail(&c->res, &err);
	else
		rc = c->route->fn(&c->req, &c->res);
	/* A transaction the handler left open is undone. */
	hw_store_rollback(c->req.st);
	hws_graph_release(c);
	if (w) {
		hw_store_set_actor(srv->st, NULL, NULL);
		hws_writer_give(srv);
	} else
		hws_reader_give(srv, c->req.st);
	c->req.st = NULL;
	if (rc < 0 && c->res.status < 400)
		hws_error(&c->res, 500, "internal", NULL,
			  "internal error (a handler failed without saying "
			  "why)");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct hws_server *srv = cls;
	struct hws_conn *c = *con_cls;
	const union MHD_ConnectionInfo *ci;

	(void)version;
	if (c == NULL) {
		c = calloc(1, sizeof *c);
		if (c == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		c->srv = srv;
		c->mc = mc;
		snprintf(c->method, sizeof c->method, "%s", method);
		c->req.method = c->method;
		c->req.opts = srv->o;
		snprintf(c->log_user, sizeof c->log_user, "-");
		ci = MHD_get_connection_info(
		    mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci != NULL && ci->client_addr != NULL) {
			const struct sockaddr *sa = ci->client_addr;

			if (sa->sa_family == AF_INET)
				inet_ntop(
				    AF_INET,
				    &((const struct sockaddr_in *)(const void *)
					  sa)
					 ->sin_addr,
				    c->client, sizeof c->client);
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6,
					  &((const struct sockaddr_in6
						 *)(const void *)sa)
					       ->sin6_addr,
					  c->client, sizeof c->client);
		}
		c->logged_path = log_path(url);
		*con_cls = c;
		pthread_mutex_lock(&srv->inflight_lock);
		srv->inflight++;
		pthread_mutex_unlock(&srv->inflight_lock);
		return first_stage(c, url);
	}
	if (*upload_size > 0)
		return gather(c, upload, upload_size);
	if (c->queued)
		return MHD_YES;
	if (!c->dropping)
		run_handler(c);
	return hws_send(c);
}

static void on_done(void *cls, struct MHD_Connection *mc, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct hws_server *srv = cls;
	struct hws_conn *c = *con_cls;
	char tbuf[HW_TIME_TEXT], method[3 * sizeof c->method];
	long ms;

	(void)mc;
	if (c == NULL)
		return;
	log_escape(c->method, sizeof c->method, method);
	ms = hws_ms_since(&c->start);
	if (srv->o->log != NULL) {
		fprintf(srv->o->log, "%s %s %s %s %d %ldms%s\n",
			hw_time_format(hw_time_now(), tbuf), c->log_user,
			method, c->logged_path ? c->logged_path : "-",
			c->status, ms,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
			    ? ""
			    : " (connection lost)");
		fflush(srv->o->log);
	}
	hws_route_release(c);
	hws_res_release(&c->res);
	reserve(srv, c->cap, 0);
	free(c->body);
	free(c->logged_path);
	if (c->has_user)
		hw_user_release(&c->user);
	OPENSSL_cleanse(&c->sess, sizeof c->sess);
	free(c);
	*con_cls = NULL;
	pthread_mutex_lock(&srv->inflight_lock);
	if (--srv->inflight == 0)
		pthread_cond_broadcast(&srv->inflight_idle);
	pthread_mutex_unlock(&srv->inflight_lock);
}

/* Until SIGTERM or SIGINT. */
static void wait_for_signal(const sigset_t *set)
{
	int sig;

	while (sigwait(set, &sig) != 0)
		;
}

int hws_run(const struct hws_options *o, struct hw_error *err)
{
	struct hws_server srv = {0};
	struct hws_options opts = *o;
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	struct MHD_Daemon *d = NULL;
	struct MHD_OptionItem items[16];
	sigset_t set, old;
	pthread_condattr_t cattr;
	struct timespec until;
	long unfinished;
	char *cert = NULL, *key = NULL;
	mode_t cert_mode = 0, key_mode = 0;
	unsigned flags;
	int loopback = 0, fd = -1, rc = -1, nitems = 0, masked = 0;

	if (opts.listen == NULL)
		opts.listen = DEFAULT_LISTEN;
	if (opts.body_limit == 0)
		opts.body_limit = (size_t)64 << 20;
	srv.o = &opts;
	/* The timed waits (a free reader, the drain) count on the
	 * monotonic clock. */
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_mutex_init(&srv.write_lock, NULL);
	pthread_mutex_init(&srv.pool_lock, NULL);
	pthread_cond_init(&srv.pool_freed, &cattr);
	pthread_mutex_init(&srv.warm_lock, NULL);
	pthread_cond_init(&srv.warm_loaded, NULL);
	pthread_mutex_init(&srv.inflight_lock, NULL);
	pthread_cond_init(&srv.inflight_idle, &cattr);
	pthread_condattr_destroy(&cattr);
	if ((o->cert == NULL) != (o->key == NULL)) {
		hw_error_set(err, HW_EINVAL, "--cert and --key go together");
		goto done;
	}
	srv.tls = o->cert != NULL;
	if (parse_listen(opts.listen, &ss, &sslen, &loopback, err) < 0)
		goto done;
	if (!loopback && !srv.tls && !o->insecure) {
		hw_error_set(err, HW_EINVAL,
			     "refusing to listen on %s without TLS: "
			     "tokens and session cookies would travel "
			     "in clear (give --cert and --key, or "
			     "--insecure)",
			     opts.listen);
		goto done;
	}
	if (srv.tls &&
	    ((cert = read_pem(o->cert, "CERTIFICATE", &cert_mode, err)) ==
		 NULL ||
	     (key = read_pem(o->key, "PRIVATE KEY", &key_mode, err)) == NULL))
		goto done;
	if (hws_pool_open(&srv, err) < 0)
		goto done;
	srv.sessions = hws_sessions_new(
	    opts.session_idle ? (long)opts.session_idle : SESSION_IDLE,
	    opts.session_life ? (long)opts.session_life : SESSION_LIFE);
	srv.failures = hws_failures_new();
	if (srv.sessions == NULL || srv.failures == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto done;
	}
	fd = listen_on(&opts, &ss, sslen, err);
	if (fd < 0)
		goto done;
	/* The signals are taken by this thread alone (sigwait): every
	 * thread MHD starts inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	masked = 1;
	signal(SIGPIPE, SIG_IGN);

	items[nitems++] =
	    (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED,
						  (intptr_t)on_done, &srv};
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK,
						  (intptr_t)no_unescape, NULL};
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER,
						  (intptr_t)mhd_logger, &srv};
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT,
						  CONNECTIONS, NULL};
	items[nitems++] = (struct MHD_OptionItem){
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, PER_ADDRESS, NULL};
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
						  IDLE_TIMEOUT, NULL};
	if (srv.tls) {
		items[nitems++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cert};
		items[nitems++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, key};
		items[nitems++] = (struct MHD_OptionItem){
		    MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES};
	}
	items[nitems++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	flags = MHD_USE_INTERNAL_POLLING_THREAD |
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL | MHD_USE_ITC |
		MHD_USE_ERROR_LOG;
	if (srv.tls)
		flags |= MHD_USE_TLS;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv,
			     MHD_OPTION_ARRAY, items, MHD_OPTION_END);
	if (d == NULL) {
		hw_error_set(err, HW_EIO, "cannot serve on %s%s%s", opts.listen,
			     srv.mhd_error[0] ? ": " : "", srv.mhd_error);
		goto done;
	}
	fd = -1; /* MHD's now */
	srv.started = 1;
	if (key_mode & (S_IROTH | S_IWOTH | S_IWGRP))
		hws_logf(&srv,
			 "warning: the key file '%.128s' can be %s by other "
			 "users (chmod 600 it)",
			 o->key, key_mode & S_IROTH ? "read" : "written");
	if (!o->quiet) {
		fprintf(stderr, "highwater: serving %s on %s://%s\n",
			o->db_path, srv.tls ? "https" : "http", opts.listen);
		fflush(stderr);
	}
	wait_for_signal(&set);
	/* Stop taking connections, let the requests in flight finish
	 * (for DRAIN_TIMEOUT seconds at most), then stop. */
	srv.stopping = 1;
	fd = MHD_quiesce_daemon(d);
	if (fd >= 0)
		close(fd);
	fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += DRAIN_TIMEOUT;
	pthread_mutex_lock(&srv.inflight_lock);
	while (srv.inflight > 0 &&
	       pthread_cond_timedwait(&srv.inflight_idle, &srv.inflight_lock,
				      &until) != ETIMEDOUT)
		;
	unfinished = srv.inflight;
	pthread_mutex_unlock(&srv.inflight_lock);
	if (unfinished > 0)
		hws_logf(&srv,
			 "stopping with %ld request(s) unfinished after %d "
			 "seconds",
			 unfinished, DRAIN_TIMEOUT);
	rc = 0;
done:
	if (d != NULL)
		MHD_stop_daemon(d);
	if (fd >= 0)
		close(fd);
	if (masked)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	hws_warm_close(&srv);
	hws_pool_close(&srv);
	if (srv.st != NULL && hw_store_close(srv.st) < 0 && rc == 0) {
		hw_error_set(err, HW_EDB, "cannot close '%.128s'", o->db_path);
		rc = -1;
	}
	pthread_cond_destroy(&srv.inflight_idle);
	pthread_mutex_destroy(&srv.inflight_lock);
	pthread_mutex_destroy(&srv.write_lock);
	pthread_mutex_destroy(&srv.pool_lock);
	pthread_cond_destroy(&srv.pool_freed);
	pthread_mutex_destroy(&srv.warm_lock);
	pthread_cond_destroy(&srv.warm_loaded);
	hws_sessions_free(srv.sessions);
	hws_failures_free(srv.failures);
	if (key != NULL)
		OPENSSL_cleanse(key, strlen(key));
	free(cert);
	free(key);
	return rc;
}

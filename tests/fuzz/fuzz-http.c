/*
 * fuzz-http.c: libFuzzer target: the request handling of highwater
 * serve.  The input is a request as sent (request line, headers, body):
 * it goes through libmicrohttpd's parser into the service's own
 * callbacks (serve.c, included here: they are static), so the router,
 * the query and cookie readers, the sign-in, the body's limits, the JSON
 * bodies and every route's handler, against a database made once per
 * process.  No socket: each request is handed to MHD on one end of a
 * socketpair (MHD_add_connection) and MHD is run from this thread.
 * "TOKEN" in the input stands for an admin's token.  An answer 500
 * (internal error: a handler failed without saying why, or a library
 * error the service does not map) is a failure too.  The database is
 * made again when writes have grown it past a bound.
 */
#include <fcntl.h>
#include <poll.h>

#include "../../src/serve/serve.c"
#include "posture.h"
#include "fuzz.h"

#define DB_BOUND (8L << 20) /* bytes of database and log, then reset */

static struct hws_options opts;
static struct hws_server server;
static struct MHD_Daemon *daemon_;
static char token[HW_TOKEN_TEXT];
static char pristine[600];

static void fail(const char *what, const struct hw_error *err)
{
	fprintf(stderr, "fuzz-http: %s: %s\n", what, err ? err->text : "");
	abort();
}

static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1, "
    "\"assets\": ["
    "{\"id\": \"site\", \"name\": \"Site\", \"type\": \"application\", "
    "\"owner\": \"web@example.org\", \"internet_facing\": true, "
    "\"information_types\": [{\"id\": \"C.2.4.1\"}]}, "
    "{\"id\": \"db-01\", \"name\": \"DB\", \"type\": \"database\", "
    "\"confidentiality\": \"moderate\", \"integrity\": \"high\", "
    "\"availability\": \"low\"}, "
    "{\"id\": \"vm-01\", \"name\": \"VM\", \"type\": \"virtual_machine\"}], "
    "\"dependencies\": ["
    "{\"from\": \"site\", \"to\": \"db-01\", \"type\": \"stores_data_in\"}, "
    "{\"from\": \"db-01\", \"to\": \"vm-01\", \"type\": \"runs_on\"}]}";

/* The database: an inventory of three assets and an admin, copied to
 * pristine for the resets. */
static void make_db(void)
{
	struct hw_store *st = fz_store();
	struct hw_import_opts o = {0};
	struct hw_user u = {0};
	struct hw_error err = {0};
	const char *paths[1];

	paths[0] = fz_write("inv.json", (const uint8_t *)inventory,
			    sizeof inventory - 1);
	if (hw_import_files(st, paths, 1, &o, NULL, &err) < 0)
		fail("import", &err);
	u.name = (char *)"admin";
	u.roles = HW_ROLE_ADMIN;
	if (hw_store_begin(st, &err) < 0 ||
	    hw_user_add(st, &u, token, &err) < 0 ||
	    hw_store_commit(st, &err) < 0)
		fail("user add", &err);
	if (hw_store_backup(st, fz_path("pristine.db"), 1, NULL, NULL,
			    &err) < 0)
		fail("backup", &err);
	snprintf(pristine, sizeof pristine, "%s", fz_path("pristine.db"));
}

static void open_pool(void)
{
	struct hw_error err = {0};

	if (hws_pool_open(&server, &err) < 0)
		fail("pool", &err);
}

static void close_pool(void)
{
	size_t i;

	hws_warm_close(&server);
	hws_pool_close(&server);
	hw_store_close(server.st);
	server.st = NULL;
	for (i = 0; i < HWS_READERS; i++)
		server.readers[i] = NULL;
	server.nfree = 0;
}

/* The database back as it was made, when writes grew it past the
 * bound. */
static void bound_db(void)
{
	struct stat a, b;
	char wal[600], cmd[1400];
	long size;

	snprintf(wal, sizeof wal, "%s-wal", opts.db_path);
	size = stat(opts.db_path, &a) == 0 ? (long)a.st_size : 0;
	size += stat(wal, &b) == 0 ? (long)b.st_size : 0;
	if (size < DB_BOUND)
		return;
	close_pool();
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && rm -f '%s' '%s-shm'",
		 pristine, opts.db_path, wal, opts.db_path);
	if (system(cmd) != 0)
		fail("reset", NULL);
	open_pool();
}

static void start(void)
{
	pthread_condattr_t cattr;

	make_db();
	opts.db_path = fz_path("fuzz.db");
	hw_store_close(fz_store());
	opts.listen = "127.0.0.1:0";
	opts.body_limit = (size_t)1 << 20;
	opts.write_wait = 1;
	opts.catalogue_csv = HW_FUZZ_SRCDIR "/data/sp800-60-info-types.csv";
	opts.baselines_csv = HW_FUZZ_SRCDIR "/data/sp800-53b-baselines.csv";
	opts.openapi_json = HW_FUZZ_SRCDIR "/data/openapi.json";
	opts.web_dir = HW_FUZZ_SRCDIR "/data/web";
	opts.log = NULL;
	opts.quiet = 1;
	hw_posture_set_catalogue(opts.baselines_csv);
	server.o = &opts;
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_mutex_init(&server.write_lock, NULL);
	pthread_mutex_init(&server.pool_lock, NULL);
	pthread_cond_init(&server.pool_freed, &cattr);
	pthread_mutex_init(&server.warm_lock, NULL);
	pthread_cond_init(&server.warm_loaded, NULL);
	pthread_mutex_init(&server.inflight_lock, NULL);
	pthread_cond_init(&server.inflight_idle, &cattr);
	pthread_condattr_destroy(&cattr);
	open_pool();
	server.sessions = hws_sessions_new(SESSION_IDLE, SESSION_LIFE);
	if (server.sessions == NULL)
		fail("sessions", NULL);
	signal(SIGPIPE, SIG_IGN);
	daemon_ = MHD_start_daemon(
	    MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    on_request, &server, MHD_OPTION_NOTIFY_COMPLETED, on_done,
	    &server, MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, &server,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT,
	    MHD_OPTION_END);
	if (daemon_ == NULL)
		fail("MHD_start_daemon", NULL);
	server.started = 1;
}

/* The input with TOKEN replaced by the admin's token. */
static char *request_of(const uint8_t *data, size_t size, size_t *len)
{
	static const char mark[] = "TOKEN";
	size_t tl = strlen(token), i, n = 0;
	char *out = malloc(size * (tl / 5 + 1) + 1);

	if (out == NULL)
		abort();
	for (i = 0; i < size;) {
		if (size - i >= 5 && memcmp(data + i, mark, 5) == 0) {
			memcpy(out + n, token, tl);
			n += tl;
			i += 5;
		} else
			out[n++] = (char)data[i++];
	}
	*len = n;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	char buf[65536], head[16], *req;
	size_t len, sent = 0, got = 0;
	ssize_t k;
	int sv[2], rounds = 0, shut = 0;
	static int show = -1;

	if (daemon_ == NULL)
		start();
	if (show < 0) /* HW_FUZZ_SHOW=1: the answers on stderr */
		show = getenv("HW_FUZZ_SHOW") != NULL;
	/* Every input its own client: failed sign-ins are not carried
	 * over (after five the service answers 429 for a minute). */
	hws_failures_free(server.failures);
	if ((server.failures = hws_failures_new()) == NULL)
		abort();
	req = request_of(data, size, &len);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&sin,
			       sizeof sin) != MHD_YES) {
		close(sv[0]);
		close(sv[1]);
		free(req);
		return 0;
	}
	for (;;) {
		if (sent < len) {
			k = write(sv[0], req + sent, len - sent);
			if (k > 0)
				sent += (size_t)k;
		}
		if (sent == len && !shut) {
			shutdown(sv[0], SHUT_WR);
			shut = 1;
		}
		MHD_run(daemon_);
		k = read(sv[0], buf, sizeof buf);
		if (k > 0 && show)
			fwrite(buf, 1, (size_t)k, stderr);
		if (k > 0 && got < sizeof head) {
			memcpy(head + got, buf,
			       (size_t)k < sizeof head - got ? (size_t)k
							      : sizeof head - got);
			got += (size_t)k < sizeof head - got ? (size_t)k
							     : sizeof head - got;
		}
		if (k == 0)
			break; /* MHD closed the connection */
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = sv[0];
			pfd.events = POLLIN;
			poll(&pfd, 1, 1);
		} else if (k < 0)
			break;
		if (++rounds > 20000) {
			fprintf(stderr, "fuzz-http: the request never ended\n");
			abort();
		}
	}
	close(sv[0]);
	free(req);
	if (got >= 12 && memcmp(head, "HTTP/1.", 7) == 0 &&
	    memcmp(head + 8, " 500", 4) == 0) {
		fprintf(stderr, "fuzz-http: answered 500 (run with "
				"HW_FUZZ_SHOW=1 to see why)\n");
		abort();
	}
	bound_db();
	return 0;
}

/*
 * serve.h: the HTTP service (highwater serve) as its parts see it: the
 * options the command gives it, a request as a route's handler gets it,
 * the answer the handler fills, and the helpers every route file uses.
 * The core (serve.c: daemon, TLS, limits, logging, shutdown; router.c:
 * the route table and its access checks; auth.c: tokens and sessions)
 * does everything around a handler; a route file (route-<resource>.c)
 * holds the handlers of one resource and exports its routes, collected
 * in routes.c.  Like the CLI, the service uses only highwater.h.
 */
#ifndef HW_SERVE_H
#define HW_SERVE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "highwater.h"

/* What highwater serve was told (cmd-serve.c fills it). */
struct hws_options {
	const char *db_path;	    /* the database (--db) */
	const char *listen;	    /* "ADDR:PORT", default 127.0.0.1:8199 */
	const char *cert, *key;	    /* PEM files: TLS when both are set */
	int insecure;		    /* allow a non-loopback address without
				       TLS */
	size_t body_limit;	    /* request bodies past it: 413 */
	unsigned write_wait;	    /* seconds a write may wait for the
				       database (0: 30), then 503 */
	unsigned session_idle;	    /* seconds a session may stay unused
				       (0: 30 minutes) */
	unsigned session_life;	    /* seconds a session lasts (0: 8 hours) */
	const char *catalogue_csv;  /* shipped data files, as the CLI finds */
	const char *baselines_csv;  /*   them (common.c) */
	const char *openapi_json;   /* the API's description, served as is */
	const char *web_dir;	    /* the page's files (issue 15), or NULL */
	FILE *log;		    /* one line a request (stderr) */
	int quiet;
	int allow_shared;	    /* --allow-shared: HW_OPEN_SHARED */
};

/* Run the service until SIGTERM or SIGINT (requests in flight are
 * finished first, for 10 seconds at most): 0, or -1 with err set when
 * it cannot start (a bad listen address, a port in use, unreadable
 * certificate, ...). */
int hws_run(const struct hws_options *o, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* A request as a handler sees it                                      */

struct hws_param {
	char *name, *value; /* percent-decoded */
};

#define HWS_MAX_ARGS 4

struct hws_req {
	const char *method;	  /* "GET", "POST", "PATCH", "DELETE" */
	const char *path;	  /* "/api/v1/assets/web-01", decoded */
	char *args[HWS_MAX_ARGS]; /* the {} segments of the route, decoded */
	size_t nargs;
	struct hws_param *query;  /* in the order given; names repeat */
	size_t nquery;
	const char *body;	  /* NUL-terminated; NULL when none */
	size_t body_len;
	const char *content_type; /* the header as sent, or NULL */
	const struct hw_user *user; /* who asks (NULL on a public route) */
	struct hw_store *st;	  /* a connection held by this request
				     alone for its duration: a read-only
				     one for GET, else the service's one
				     writer, its actor set to user->name */
	const struct hws_options *opts;
};

/* The whole graph, loaded, categorized and current: the service's warm
 * graph (warm.c), shared by the requests, loaded again first when the
 * inventory's generation moved past it (it then reflects every write
 * committed before this call).  Held for the request until it ends:
 * hand it to the hw_*_compute functions as their warm graph.  NULL
 * with err set when it cannot be read. */
struct hw_graph *hws_graph(struct hws_req *r, struct hw_error *err);

/* For the upward questions about ids (their impact going up, their
 * effective levels): the warm graph when current, else, not to wait for
 * its load, what depends on ids read now (as the command line's
 * closure load), unless that is most of the graph.  The hw_*_compute
 * functions take either as their warm graph, with the same answers.
 * Held for the request; NULL with err set. */
struct hw_graph *hws_graph_up(struct hws_req *r, const char *const *ids,
			      size_t nids, struct hw_error *err);

/* The first value of query parameter name, or NULL. */
const char *hws_query(const struct hws_req *r, const char *name);

/* Every value of query parameter name, in the order given (borrowed
 * from r), into a new array (free) of *n: NULL only when out of
 * memory. */
const char **hws_query_all(const struct hws_req *r, const char *name,
			   size_t *n);

/* Any query parameter not among names (a NULL-terminated list; a name
 * ending in '*', "target*", may be given more than once), or one given
 * twice?  Fills res with 400 naming it and returns -1; 0 when all are
 * known and given once. */
struct hws_res;
int hws_query_known(const struct hws_req *r, struct hws_res *res,
		    const char *const *names);

/* Readers of one query parameter (query.c): each leaves *out alone
 * when it is absent, and answers 400 naming it (-1) when its value is
 * bad.  A boolean: "true" or "false". */
int hws_query_bool(const struct hws_req *r, struct hws_res *res,
		   const char *name, int *out);

/* A count: digits only, 0 to max. */
int hws_query_count(const struct hws_req *r, struct hws_res *res,
		    const char *name, long max, long *out);

/* A day, YYYY-MM-DD, as days since 1970; today (UTC) when absent.
 * given (may be NULL) is set when it was asked. */
int hws_query_day(const struct hws_req *r, struct hws_res *res,
		  const char *name, int32_t *out, int *given);

/* Is the body's content type type ("application/json"), parameters
 * such as charset allowed? */
int hws_content_is(const struct hws_req *r, const char *type);

/* The body as a JSON value (new reference): -1 with res filled when it
 * is not one: 415 unless the content type is application/json, 400 for
 * malformed JSON naming line and column, 400 for no body. */
int hws_body_json(const struct hws_req *r, struct hws_res *res, json_t **out);

/* ------------------------------------------------------------------ */
/* The answer a handler fills                                          */

struct hws_res {
	int status;		  /* 200 unless set */
	const char *content_type; /* static; application/json by default */
	char *body;		  /* malloc'd, freed by the core */
	size_t len;
	FILE *file;		  /* or a temporary file to send from its
				     start (hws_res_file), closed by the
				     core */
	char filename[128];	  /* set: Content-Disposition: attachment */
	char location[256];	  /* set: a Location header (201) */
};

/* How every JSON answer is written: as the CLI's --json (sorted keys,
 * two-space indent, reals to 12 digits), so that the two compare equal
 * byte for byte. */
#define HWS_JSON_FLAGS \
	(JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12))

/* Answer status with the JSON value v (stolen; NULL is out of memory:
 * 500).  Returns 0. */
int hws_json(struct hws_res *res, int status, json_t *v);

/* An anonymous temporary file the answer will be sent from, for an
 * answer that grows with the inventory (write it with a hw_jstream, or
 * a workbook's bytes): NULL with res filled (500) on failure. */
FILE *hws_res_file(struct hws_res *res);

/* Answer an error, {"error": {"code", "message", "path"}}: code a
 * short word ("not_found", "invalid", "forbidden", ...), path the
 * JSON path or parameter at fault, or NULL.  Returns -1. */
int hws_error(struct hws_res *res, int status, const char *code,
	      const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A JSON answer that grows with the inventory, written as the CLI's
 * --json writes it (stream.c) into the answer's temporary file.
 * hws_stream_begin gives the stream (flags: HWS_JSON_FLAGS, or a
 * document's own), NULL with res filled; the hw_answer_* call writes
 * it; hws_stream_end answers err when it is set (what was computed or
 * written failed), begin's failure when js is NULL (500 if nothing
 * answered it), else ends the document and answers 200.  It releases
 * js; 0, or -1 with res filled.  Every use takes the same three steps:
 *	if (compute(..., &err) == 0 &&
 *	    (js = hws_stream_begin(res, HWS_JSON_FLAGS)) != NULL)
 *		hw_answer_x(js, ..., &err);
 *	return hws_stream_end(res, js, &err); */
struct hw_jstream *hws_stream_begin(struct hws_res *res, size_t flags);
int hws_stream_end(struct hws_res *res, struct hw_jstream *js,
		   const struct hw_error *err);

/* hws_fail for an error about what a body says: an id it names that
 * does not exist is the body's fault (422), not a missing resource. */
int hws_fail_body(struct hws_res *res, const struct hw_error *err);

/* Asset id into *a (release it) when the user may write it: 0, or -1
 * with res filled (404 for no such asset, 403, 401). */
int hws_asset_writable(struct hws_req *r, struct hws_res *res, const char *id,
		       struct hw_asset *a);

/* Answer a library error with its status: HW_EINVAL and HW_EFORMAT
 * 422 (400 when the body is not the JSON asked for is hws_body_json's),
 * HW_ENOTFOUND 404, HW_EEXIST and HW_EREFUSED 409, anything else 500
 * (its text logged, not shown).  path: err->source with line and
 * column when set.  Returns -1. */
int hws_fail(struct hws_res *res, const struct hw_error *err);

/* May the requester do act on an asset whose owner is owner (NULL when
 * none)?  The verdict; on HW_DENY res is filled with 403. */
enum hw_verdict hws_may(const struct hws_req *r, struct hws_res *res,
			enum hw_perm act, const char *owner);

/* A write: begin the store's transaction (-1 with res filled when it
 * cannot), then finish it: commit when ok, else roll back and answer
 * err (hws_fail).  0 after a commit, else -1 with res filled. */
int hws_begin(struct hws_req *r, struct hws_res *res);
int hws_finish(struct hws_req *r, struct hws_res *res, int ok,
	       const struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Routes                                                              */

/* Who may call a route at all, checked before the handler runs:
 * HWS_PUBLIC needs no token; otherwise an authenticated user for whom
 * hw_user_may(user, act, NULL) is not HW_DENY, except HW_PERM_ASSET_WRITE
 * and HW_PERM_DEP_ONTO, which need the owner or admin role and leave the
 * asset's owner to the handler (hws_may). */
#define HWS_PUBLIC (-1)

struct hws_route {
	const char *method;  /* "GET", ... */
	const char *pattern; /* "/assets/{}/information-types/{}", under
				/api/v1 unless it starts with "//" (the
				page's own paths, issue 15) */
	int access;	     /* HWS_PUBLIC or an enum hw_perm */
	int (*fn)(struct hws_req *, struct hws_res *); /* 0, or -1 with
							  res filled */
};

/* Each route file exports its routes, ended by a {NULL} entry;
 * routes.c lists them all. */
extern const struct hws_route hws_routes_meta[]; /* openapi.json,
						    session (serve core) */
/* assets, their information types, dependencies, the catalogue; the
 * analyses; bulk data and workbooks */
extern const struct hws_route hws_routes_assets[], hws_routes_infotypes[],
    hws_routes_deps[], hws_routes_analysis[], hws_routes_data[],
    hws_routes_reports[];
/* changes, incidents, baselines, the audit trail, users, settings */
extern const struct hws_route hws_routes_changes[], hws_routes_incidents[],
    hws_routes_baselines[], hws_routes_audit[], hws_routes_users[],
    hws_routes_config[];
/* the web page's files, outside /api/v1 */
extern const struct hws_route hws_routes_web[];

#endif /* HW_SERVE_H */

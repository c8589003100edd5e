/*
 * route-data.c: bulk data over HTTP, for administrators: POST /import
 * (an inventory document, JSON or JSON Lines, all or nothing, or a dry
 * run answering the differences) and GET /export (the inventory as
 * JSON, or one system as an OSCAL SSP), each a file on the way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "query.h"

/* What an import's answer, messages and audit record call its source,
 * as the CLI names its files. */
#define BODY_NAME "body"

/* The body into an owner-only temporary file in TMPDIR named for its
 * format (the import tells JSON Lines by name): its path in path, or
 * -1 with res filled. */
static int body_file(const struct hws_req *r, struct hws_res *res, int lines,
		     char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	const char *ext = lines ? ".jsonl" : ".json";
	size_t done = 0;
	ssize_t n;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, size, "%s/highwater-import-XXXXXX%s", dir,
			     ext) >= size ||
	    (fd = mkstemps(path, (int)strlen(ext))) < 0)
		return hws_error(res, 500, "internal", NULL,
				 "cannot make a temporary file");
	while (done < r->body_len) {
		n = write(fd, r->body + done, r->body_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) != 0 || done < r->body_len) {
		unlink(path);
		return hws_error(res, 500, "internal", NULL,
				 "cannot write a temporary file");
	}
	return 0;
}

/* An import's error: the JSON path it names (its text's "PATH: ..."),
 * the line of JSON Lines or of a syntax error.  Malformed JSON is 400, a record refused as hws_fail
 * says (422, 404, 409). */
static int import_fail(struct hws_res *res, const struct hw_error *err)
{
	struct hw_error e = *err;
	char where[48] = "";
	size_t n = strspn(err->text, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789_.[]");

	if (err->line > 0 && err->column > 0)
		snprintf(where, sizeof where, "line %d column %d: ", err->line,
			 err->column);
	else if (err->line > 0)
		snprintf(where, sizeof where, "line %d: ", err->line);
	e.line = e.column = 0;
	e.source[0] = '\0';
	snprintf(e.text, sizeof e.text, "%s%s", where, err->text);
	if (n > 0 && n < sizeof e.source &&
	    strncmp(err->text + n, ": ", 2) == 0)
		snprintf(e.source, sizeof e.source, "%.*s", (int)n, err->text);
	else if (where[0] != '\0')
		snprintf(e.source, sizeof e.source, "%.*s",
			 (int)strlen(where) - 2, where);
	if (err->code == HW_EFORMAT && n == 0 && err->line > 0)
		return hws_error(res, 400, "bad_request",
				 e.source[0] ? e.source : NULL, "%s", e.text);
	if (err->code == HW_EFORMAT &&
	    strncmp(err->text, "malformed JSON", 14) == 0)
		return hws_error(res, 400, "bad_request",
				 e.source[0] ? e.source : NULL, "%s", e.text);
	return hws_fail(res, &e);
}

static int import(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"replace", "dry_run", NULL};
	static const char *const files[] = {BODY_NAME};
	struct hw_import_opts o = {0};
	struct hw_import_stats s = {0};
	struct hw_import_diffs ds = {NULL, 0};
	struct hw_error err = {0};
	struct hw_jstream js;
	const char *paths[1];
	char path[4096];
	int lines, rc;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_bool(r, res, "replace", &o.replace) < 0 ||
	    hws_query_bool(r, res, "dry_run", &o.dry_run) < 0)
		return -1;
	lines = hws_content_is(r, "application/x-ndjson");
	if (!lines && !hws_content_is(r, "application/json"))
		return hws_error(res, 415, "unsupported_media_type", NULL,
				 "the body must be an inventory document, "
				 "application/json or application/x-ndjson "
				 "(JSON Lines), not '%.64s'",
				 r->content_type ? r->content_type : "(none)");
	if (r->body == NULL || r->body_len == 0)
		return hws_error(res, 400, "bad_request", NULL,
				 "an inventory document is required (the "
				 "body is empty)");
	if (o.dry_run) {
		if (hw_import_diffs_open(&ds, &err) < 0)
			return hws_fail(res, &err);
		o.diff = hw_import_diff_keep;
		o.dctx = &ds;
	}
	if (body_file(r, res, lines, path, sizeof path) < 0) {
		hw_import_diffs_close(&ds);
		return -1;
	}
	paths[0] = path;
	o.names = files;
	rc = hw_import_files(r->st, paths, 1, &o, &s, &err);
	unlink(path);
	if (rc < 0)
		rc = import_fail(res, &err);
	else if (ds.fp != NULL && hw_import_diffs_rewind(&ds, &err) < 0)
		rc = hws_fail(res, &err);
	else if ((rc = hws_stream_begin(res, &js)) == 0) {
		hw_answer_import(&js, files, 1, o.dry_run, o.replace, &s, &ds);
		rc = hws_stream_end(res, &js);
	}
	hw_import_diffs_close(&ds);
	return rc;
}

static int export(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"format", "system", "depth",
					    "include_components", NULL};
	struct hw_oscal_opts oo = {NULL, -1, 0, NULL, 0};
	const char *format = hws_query(r, "format");
	struct hw_error err = {0};
	long depth = -1;
	int oscal;
	FILE *f;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_count(r, res, "depth", HW_IMPACT_DEPTH_MAX, &depth) < 0 ||
	    hws_query_bool(r, res, "include_components",
			   &oo.include_components) < 0)
		return -1;
	if (format == NULL)
		format = "json";
	oscal = strcmp(format, "oscal") == 0;
	if (!oscal && strcmp(format, "json") != 0)
		return hws_error(res, 400, "bad_request", "format",
				 "format: \"%.40s\" (expected json or oscal; "
				 "the CSV tables are the CLI's)",
				 format);
	oo.system = hws_query(r, "system");
	oo.depth = (int)depth;
	if (oscal && oo.system == NULL)
		return hws_error(res, 400, "bad_request", "system",
				 "format=oscal needs system=ASSET");
	if (!oscal && (oo.system != NULL || hws_query(r, "depth") != NULL ||
		       hws_query(r, "include_components") != NULL))
		return hws_error(res, 400, "bad_request",
				 oo.system		 ? "system"
				 : hws_query(r, "depth") ? "depth"
							 : "include_components",
				 "system, depth and include_components go "
				 "with format=oscal");
	if (oscal) {
		oo.baselines_csv = r->opts->baselines_csv;
		oo.now = hw_time_now();
		if (oo.baselines_csv == NULL)
			return hws_error(res, 500, "internal", NULL,
					 "the SP 800-53B baselines are not "
					 "installed");
	}
	if ((f = hws_res_file(res)) == NULL)
		return -1;
	if ((oscal ? hw_export_oscal(r->st, &oo, f, &err)
		   : hw_export_json(r->st, f, NULL, NULL, &err)) < 0)
		return hws_fail(res, &err);
	if (fflush(f) != 0)
		return hws_error(res, 500, "internal", NULL,
				 "cannot write the export");
	res->status = 200;
	res->content_type = "application/json";
	return 0;
}

const struct hws_route hws_routes_data[] = {
    {"POST", "/import", HW_PERM_ADMIN, import},
    {"GET", "/export", HW_PERM_ADMIN, export},
    {NULL, NULL, 0, NULL},
};

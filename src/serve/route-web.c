/*
 * route-web.c: the web page's files, public and served as installed:
 * GET / is its index.html, GET /web/NAME one file of the folder
 * (--web's, or the installed data's "web"), by a name of letters,
 * digits, '-', '_' and one '.' before a known extension; nothing else
 * of the disk is reachable from here.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve-private.h"

static const struct {
	const char *ext, *type;
} kinds[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {NULL, NULL},
};

/* The content type of a file name the page may have, or NULL. */
static const char *kind_of(const char *name)
{
	const char *dot = NULL, *p;
	size_t i;

	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 64)
		return NULL;
	for (p = name; *p != '\0'; p++) {
		if (*p == '.') {
			if (dot != NULL)
				return NULL;
			dot = p;
		} else if (!((*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || *p == '-' ||
			     *p == '_'))
			return NULL;
	}
	if (dot == NULL)
		return NULL;
	for (i = 0; kinds[i].ext != NULL; i++)
		if (strcmp(dot, kinds[i].ext) == 0)
			return kinds[i].type;
	return NULL;
}

/* Answer with the page's file name (checked by kind_of): a regular file
 * of the web folder, opened without following a link.  A query string
 * is the page's business (a link may carry one), not the service's. */
static int send_file(struct hws_req *r, struct hws_res *res,
		     const char *name)
{
	const char *type = kind_of(name);
	char path[4096];
	struct stat sb;
	FILE *f;
	int fd;

	if (type == NULL)
		return hws_error(res, 404, "not_found", NULL, "no such path");
	if (r->opts->web_dir == NULL)
		return hws_error(res, 404, "not_found", NULL,
				 "the web page is not installed");
	if ((size_t)snprintf(path, sizeof path, "%s/%s", r->opts->web_dir,
			     name) >= sizeof path)
		return hws_error(res, 404, "not_found", NULL, "no such path");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hws_error(res, 404, "not_found", NULL, "no such path");
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return hws_error(res, 404, "not_found", NULL, "no such path");
	}
	hws_res_release(res);
	res->file = f;
	res->content_type = type;
	res->status = 200;
	return 0;
}

static int index_get(struct hws_req *r, struct hws_res *res)
{
	return send_file(r, res, "index.html");
}

static int file_get(struct hws_req *r, struct hws_res *res)
{
	return send_file(r, res, r->args[0]);
}

const struct hws_route hws_routes_web[] = {
    {"GET", "//", HWS_PUBLIC, index_get},
    {"GET", "//web/{}", HWS_PUBLIC, file_get},
    {NULL, NULL, 0, NULL},
};

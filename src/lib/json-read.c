/*
 * json-read.c: the whole-document JSON reader, and hw_import_json, which
 * tells a document from JSON Lines by its first line and runs the
 * import engine with the reader that fits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json-lines.h"

typedef int (*parse_fn)(struct hwp_json_parser *, const char *, json_t *, long,
			struct hwp_rec **);

/* Parse and apply one top-level array of a document. */
static int import_array(struct hwp_import *im, struct hwp_json_parser *ps,
			json_t *doc, const char *key, parse_fn parse)
{
	json_t *arr = json_object_get(doc, key), *v;
	struct hwp_rec *r;
	char path[96];
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr))
		return hwp_where_fail(hwp_import_where(im), key, HW_EFORMAT,
				      "expected an array, not %s",
				      hwp_json_kind(arr));
	json_array_foreach(arr, i, v)
	{
		snprintf(path, sizeof path, "%s[%zu]", key, i);
		hwp_pool_reset(ps->pool);
		if (parse(ps, path, v, (long)i, &r) < 0 ||
		    hwp_import_apply(im, r) < 0)
			return -1;
	}
	return 0;
}

static int import_document(struct hwp_import *im, FILE *fp)
{
	static const char *const keys[] = {
	    "format", "version",      "information_types",
	    "assets", "dependencies", NULL};
	struct hwp_where *w = hwp_import_where(im);
	struct hwp_pool pool = {0};
	struct hwp_json_parser ps = {*w, &pool};
	json_error_t jerr;
	json_t *doc;
	int ret = -1;

	doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return hw_error_set_at(w->err, HW_EFORMAT, w->file, jerr.line,
				       jerr.column, "malformed JSON: %s",
				       jerr.text);
	if (!json_is_object(doc)) {
		hwp_where_fail(w, "(document)", HW_EFORMAT,
			       "expected an object, not %s",
			       hwp_json_kind(doc));
		goto out;
	}
	if (hwp_json_check_header(&ps, doc, "(document)", keys) < 0 ||
	    import_array(im, &ps, doc, "information_types", hwp_json_infotype) <
		0 ||
	    import_array(im, &ps, doc, "assets", hwp_json_asset) < 0 ||
	    import_array(im, &ps, doc, "dependencies", hwp_json_dep) < 0)
		goto out;
	ret = 0;
out:
	hwp_pool_free(&pool);
	json_decref(doc);
	return ret;
}

/* JSON Lines when the first line is a short, complete object holding the
 * format and none of the document's arrays; a whole document otherwise. */
static int sniff_lines(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	json_t *v;
	int lines = 0;

	/* A header line is short; a long first line is a whole document on
	 * one line, which is not worth parsing twice to find out. */
	len = getline(&line, &cap, fp);
	if (len > 0 && len < 4096) {
		v = json_loadb(line, (size_t)len, 0, NULL);
		lines = json_is_object(v) && json_object_get(v, "format") &&
			json_object_get(v, "assets") == NULL &&
			json_object_get(v, "dependencies") == NULL &&
			json_object_get(v, "information_types") == NULL;
		json_decref(v);
	}
	free(line);
	rewind(fp);
	return lines;
}

struct source {
	FILE *fp;
	long long size;
	void (*progress)(long long, long long, void *);
	void *pctx;
};

static int read_lines(struct hwp_import *im, void *ctx)
{
	struct source *s = ctx;

	return hwp_json_lines_read(im, s->fp, s->size, s->progress, s->pctx);
}

static int read_document(struct hwp_import *im, void *ctx)
{
	struct source *s = ctx;

	return import_document(im, s->fp);
}

int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err)
{
	struct source src = {0};
	struct hwp_reader rd = {0};
	struct stat sb;
	int rc;

	src.fp = fopen(path, "r");
	if (src.fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	src.size = fstat(fileno(src.fp), &sb) == 0 ? sb.st_size : 0;
	src.progress = progress;
	src.pctx = pctx;
	rd.file = path;
	rd.lines = sniff_lines(src.fp);
	rd.read = rd.lines ? read_lines : read_document;
	rd.ctx = &src;
	rc = hwp_import_run(st, &rd, replace, dry_run, stats, err);
	fclose(src.fp);
	return rc;
}

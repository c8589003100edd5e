/*
 * import-files.c: many inventory files in one import (one transaction),
 * each read by the reader its format needs, in the order the engine
 * wants them whatever the order given: information types, then the
 * assignments (held until their assets come), assets and whole
 * inventories, then dependencies (a workbook's sheets each in their
 * turn).  The format of each file is told by its name or its first
 * bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv-read.h"
#include "import-engine.h"
#include "json-lines.h"
#include "xlsx-import.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int hw_import_kind_valid(const char *kind)
{
	return hwp_inv_table_find(kind) >= 0;
}

int hw_import_columns_check(const char *spec, struct hw_error *err)
{
	struct hwp_colmap m;

	if (hwp_colmap_parse(&m, spec, err) < 0)
		return -1;
	hwp_colmap_release(&m);
	return 0;
}

int hw_file_format_of(const char *path, struct hw_error *err)
{
	unsigned char buf[512];
	size_t got, i;
	FILE *fp;

	/* Whatever its name, a file that is not a regular one is refused
	 * here, before any reader waits on it or reads it without end. */
	fp = hwp_fopen_input(path, err);
	if (fp == NULL)
		return -1;
	got = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	if (ends_with(path, ".csv"))
		return HW_FILE_CSV;
	if (ends_with(path, ".xlsx"))
		return HW_FILE_XLSX;
	if (ends_with(path, ".json") || ends_with(path, ".jsonl"))
		return HW_FILE_JSON;
	if (got >= 4 && memcmp(buf, "PK\3\4", 4) == 0)
		return HW_FILE_XLSX;
	i = got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < got && isspace(buf[i]))
		i++;
	/* Not JSON: a first line with a comma is a table; anything else
	 * is reported as the JSON it is not. */
	if (i < got && buf[i] != '{' && buf[i] != '[') {
		for (; i < got && buf[i] != '\n'; i++)
			if (buf[i] == ',')
				return HW_FILE_CSV;
	}
	return HW_FILE_JSON;
}

/* One file of the import. */
struct file_in {
	const char *path;
	const char *name; /* what messages call it: the path, or the
			     caller's name for it */
	int format;
	int order;  /* when it is read: its table, JSON as assets */
	size_t arg; /* its place among the arguments */
	struct hwp_csv_source csv;
	/* A workbook is one entry a table it holds, each reading its
	 * sheets; the first owns the source. */
	struct hwp_xlsx_source *xlsx;
	int kind, owner;
};

struct files {
	struct file_in *f;
	size_t n;
	void (*progress)(long long, long long, void *);
	void *pctx;
	long long before, total; /* bytes in the files read before */
};

/* When a file of table kind is read: the assignments before the
 * assets. */
static int order_of(int kind)
{
	static const int order[HWP_INV_COUNT] = {[HWP_INV_INFOTYPES] = 0,
						 [HWP_INV_ASSIGNMENTS] = 1,
						 [HWP_INV_ASSETS] = 2,
						 [HWP_INV_DEPS] = 3};

	return order[kind];
}

static int by_order(const void *a, const void *b)
{
	const struct file_in *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->arg < y->arg ? -1 : x->arg > y->arg;
}

/* Progress over all the files: the one being read adds to those
 * before it. */
static void tick(long long done, long long total, void *ctx)
{
	struct files *fs = ctx;

	(void)total;
	if (fs->progress != NULL)
		fs->progress(fs->before + done, fs->total, fs->pctx);
}

static long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static int read_files(struct hwp_import *im, void *ctx)
{
	struct files *fs = ctx;
	struct hwp_where *w = hwp_import_where(im);
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct file_in *f = &fs->f[i];
		long long size = file_size(f->path);
		int rc;

		/* The assets are in: an asset the assignments name and no
		 * file held gets them now, before any dependency. */
		if (f->order == order_of(HWP_INV_DEPS) &&
		    hwp_import_assignments_done(im) < 0)
			return -1;
		w->file = f->name;
		w->line = 0;
		w->syntax = 0;
		if (f->format == HW_FILE_CSV) {
			w->lines = 1;
			rc = hwp_csv_table_read(im, &f->csv, tick, fs);
		} else if (f->format == HW_FILE_XLSX) {
			w->lines = 1;
			rc = hwp_xlsx_source_read_kind(im, f->xlsx, f->kind,
						       tick, fs);
		} else {
			FILE *fp = hwp_fopen_input(f->path, w->err);

			if (fp == NULL)
				return -1;
			rc = hwp_json_read(im, fp, size, tick, fs);
			fclose(fp);
		}
		if (rc < 0)
			return -1;
		/* A workbook's ticks run over the whole file, whichever of
		 * its tables is read. */
		if (f->format != HW_FILE_XLSX)
			fs->before += size;
	}
	return 0;
}

/* "a.csv, b.csv" (what the audit's summary names), or NULL. */
static char *names(const char *const *paths, size_t n)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(paths[i]) + 2;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, paths[i]);
	}
	return s;
}

int hw_import_files(struct hw_store *st, const char *const *paths, size_t n,
		    const struct hw_import_opts *o,
		    struct hw_import_stats *stats, struct hw_error *err)
{
	struct hwp_colmap m = {0};
	struct files fs = {0};
	struct hwp_reader rd = {0};
	char *name = NULL;
	size_t i;
	int kind = -1, rc = -1;

	if (n == 0)
		return hw_error_set(err, HW_EINVAL, "no file to import");
	if (o->kind != NULL && (kind = hwp_inv_table_find(o->kind)) < 0)
		return hw_error_set(err, HW_EINVAL,
				    "unknown kind \"%.40s\" (expected "
				    "information-types, assets, assignments "
				    "or dependencies)",
				    o->kind);
	if (hwp_colmap_parse(&m, o->columns, err) < 0)
		return -1;
	/* A workbook may take an entry for each of the tables. */
	fs.f = calloc(n * HWP_INV_COUNT, sizeof *fs.f);
	name = names(o->names ? o->names : paths, n);
	if (fs.f == NULL || name == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	fs.progress = o->progress;
	fs.pctx = o->pctx;
	for (i = 0; i < n; i++) {
		struct file_in *f = &fs.f[fs.n];
		int format = hw_file_format_of(paths[i], err);

		if (format < 0)
			goto out;
		f->path = paths[i];
		f->name = o->names ? o->names[i] : paths[i];
		f->format = format;
		f->arg = i;
		f->order = order_of(HWP_INV_ASSETS);
		if (format == HW_FILE_XLSX) {
			struct hwp_xlsx_source *src =
			    hwp_xlsx_source_open(paths[i], &m, err);
			int k, first = 1;

			if (src == NULL)
				goto out;
			for (k = 0; k < HWP_INV_COUNT; k++) {
				if (!hwp_xlsx_source_has(src, k))
					continue;
				f = &fs.f[fs.n++];
				f->path = paths[i];
				f->name = o->names ? o->names[i] : paths[i];
				f->format = format;
				f->order = order_of(k);
				f->arg = i;
				f->xlsx = src;
				f->kind = k;
				f->owner = first;
				first = 0;
			}
			fs.total += file_size(paths[i]);
			continue;
		}
		if (format == HW_FILE_CSV) {
			if (hwp_csv_table_open(&f->csv, paths[i], kind, &m,
					       err) < 0)
				goto out;
			f->order = order_of((int)f->csv.head.t->kind);
		}
		fs.n++;
		fs.total += file_size(paths[i]);
	}
	/* Types before the assets that hold them, the assignments held
	 * before the assets (each asset is written once), dependencies
	 * last; in the order given within each. */
	qsort(fs.f, fs.n, sizeof *fs.f, by_order);
	rd.file = name;
	rd.lines = fs.f[0].format == HW_FILE_CSV;
	rd.read = read_files;
	rd.ctx = &fs;
	rd.diff = o->diff;
	rd.dctx = o->dctx;
	rc = hwp_import_run(st, &rd, o->replace, o->dry_run, stats, err);
	for (i = 0; rc < 0 && i < fs.n; i++)
		if (fs.f[i].owner)
			hwp_xlsx_source_place(fs.f[i].xlsx, err);
out:
	for (i = 0; i < fs.n; i++) {
		hwp_csv_table_close(&fs.f[i].csv);
		if (fs.f[i].owner)
			hwp_xlsx_source_free(fs.f[i].xlsx);
	}
	free(fs.f);
	free(name);
	hwp_colmap_release(&m);
	return rc;
}

/*
 * csv-write.c: the inventory exported as the four CSV tables (table.h)
 * into a folder: RFC 4180 (CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line end), UTF-8 without a byte-order mark,
 * records in the JSON export's order, text that a spreadsheet would take
 * for a formula written with one leading "'".  Each file is written
 * beside its place and all four put in place (hw_out_place) once all
 * are whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "table.h"

/* The files, in the order of the tables (enum hwp_inv_kind). */
struct out {
	char path[4096], tmp[4096];
	FILE *fp;
};

struct csv_export {
	struct out f[HWP_INV_COUNT];
	struct hwp_export_progress prog;
	int failed; /* a write failed (errno kept in err) */
	int errnum;
};

/* One field: quoted when it must be, "'" first when text looks like a
 * formula. */
static void put_field(FILE *fp, const char *s, int text)
{
	int quote = text && hwp_inv_needs_quote(s);

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (quote)
			fputc('\'', fp);
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (quote)
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static int put_row(struct csv_export *x, enum hwp_inv_kind k,
		   const char *const *vals, unsigned text)
{
	const struct hwp_inv_table *t = hwp_inv_table_get(k);
	FILE *fp = x->f[k].fp;
	size_t i;

	for (i = 0; i < t->ncolumns; i++) {
		if (i > 0)
			fputc(',', fp);
		put_field(fp, vals[i], (text >> i) & 1);
	}
	fputs("\r\n", fp);
	if (ferror(fp)) {
		x->failed = 1;
		x->errnum = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static int put_infotype(const struct hw_infotype *t, void *ctx)
{
	const char *vals[HWP_INV_MAXCOLS];
	unsigned text;

	hwp_inv_infotype_cells(t, vals, &text, NULL, 0);
	return put_row(ctx, HWP_INV_INFOTYPES, vals, text);
}

static int put_asset(const struct hw_asset *a, void *ctx)
{
	struct csv_export *x = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	char buf[1024];
	unsigned text;
	size_t i;

	hwp_export_progress_tick(&x->prog);
	hwp_inv_asset_cells(a, vals, &text, buf, sizeof buf);
	if (put_row(x, HWP_INV_ASSETS, vals, text) < 0)
		return -1;
	for (i = 0; i < a->ntypes; i++) {
		hwp_inv_assignment_cells(a, &a->types[i], vals, &text, buf,
					 sizeof buf);
		if (put_row(x, HWP_INV_ASSIGNMENTS, vals, text) < 0)
			return -1;
	}
	return 0;
}

static int put_dep(const struct hw_dep *d, void *ctx)
{
	struct csv_export *x = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	char buf[64];
	unsigned text;

	hwp_export_progress_tick(&x->prog);
	hwp_inv_dep_cells(d, vals, &text, buf, sizeof buf);
	return put_row(x, HWP_INV_DEPS, vals, text);
}

/* Open the files beside their places, header rows written. */
static int open_all(struct csv_export *x, const char *dir, int force,
		    struct hw_error *err)
{
	int k, fd;

	for (k = 0; k < HWP_INV_COUNT; k++) {
		struct out *o = &x->f[k];

		if ((size_t)snprintf(o->path, sizeof o->path, "%s/%s.csv", dir,
				     hwp_inv_table_get(k)->name) +
			12 >=
		    sizeof o->path)
			return hw_error_set(err, HW_EINVAL,
					    "'%s': path too long", dir);
		if (hw_out_check(o->path, force, err) < 0)
			return -1;
	}
	for (k = 0; k < HWP_INV_COUNT; k++) {
		struct out *o = &x->f[k];
		const struct hwp_inv_table *t = hwp_inv_table_get(k);
		size_t i;

		fd = hw_out_temp(o->path, o->tmp, sizeof o->tmp, err);
		if (fd < 0)
			return -1;
		o->fp = fdopen(fd, "w");
		if (o->fp == NULL) {
			close(fd);
			return hw_error_set(err, HW_EIO,
					    "cannot write '%s': %s", o->path,
					    strerror(errno));
		}
		for (i = 0; i < t->ncolumns; i++)
			fprintf(o->fp, "%s%s", i ? "," : "", t->columns[i]);
		fputs("\r\n", o->fp);
	}
	return 0;
}

/* Close every file; put them in place (hw_out_place) when ok.  0, or
 * -1 with err (what is left behind is removed). */
static int close_all(struct csv_export *x, int ok, int force,
		     struct hw_error *err)
{
	int k;

	for (k = 0; k < HWP_INV_COUNT; k++) {
		struct out *o = &x->f[k];

		if (o->fp == NULL)
			continue;
		if (ok && (fflush(o->fp) != 0 || fsync(fileno(o->fp)) != 0)) {
			hw_error_set(err, HW_EIO, "cannot write '%s': %s",
				     o->path, strerror(errno));
			ok = 0;
		}
		if (fclose(o->fp) != 0 && ok) {
			hw_error_set(err, HW_EIO, "cannot write '%s': %s",
				     o->path, strerror(errno));
			ok = 0;
		}
		o->fp = NULL;
	}
	for (k = 0; k < HWP_INV_COUNT; k++) {
		struct out *o = &x->f[k];

		if (o->tmp[0] == '\0')
			continue;
		if (ok && hw_out_place(o->tmp, o->path, force, err) < 0)
			ok = 0;
		if (!ok)
			unlink(o->tmp);
	}
	return ok ? 0 : -1;
}

int hw_export_csv(struct hw_store *st, const char *dir, int force,
		  void (*progress)(long long done, long long total, void *),
		  void *pctx, struct hw_error *err)
{
	struct csv_export x = {0};
	struct hw_error e = {0};
	struct stat sb;
	int ok;

	if (mkdir(dir, 0700) != 0 &&
	    (errno != EEXIST || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		return hw_error_set(
		    err, HW_EIO, "cannot make the folder '%s': %s", dir,
		    errno == EEXIST ? "not a folder" : strerror(errno));
	if (hwp_export_progress_start(&x.prog, st, progress, pctx, err) < 0)
		return -1;
	ok = open_all(&x, dir, force, &e) == 0 &&
	     hw_store_infotype_each(st, NULL, 0, put_infotype, &x, &e) == 0 &&
	     hw_store_asset_each(st, put_asset, &x, &e) == 0 &&
	     hw_store_dep_each(st, NULL, put_dep, &x, &e) == 0;
	if (!ok && x.failed && e.code == HW_OK)
		hw_error_set(&e, HW_EIO,
			     "cannot write the CSV files in '%s': %s", dir,
			     strerror(x.errnum));
	if (!ok && e.code == HW_OK)
		hw_error_set(&e, HW_EIO, "cannot write the CSV files in '%s'",
			     dir);
	if (close_all(&x, ok, force, &e) < 0) {
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	hwp_export_progress_end(&x.prog);
	return 0;
}

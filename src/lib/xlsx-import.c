/*
 * xlsx-import.c: an inventory workbook into the import engine: each
 * table's sheets found by name, their rows (xlsx-read.c) turned into
 * records by the table layer (table.c), and every error placed at its
 * sheet and cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xlsx-import.h"
#include "xlsx-read.h"

struct hwp_xlsx_source {
	struct hwp_xlsx *x;
	const struct hwp_colmap *m;
	char path[128];
	long long size; /* of the file */
};

/* One sheet being read. */
struct sheet_read {
	struct hwp_import *im;
	const struct hwp_xlsx_source *src;
	enum hwp_inv_kind kind;
	const char *name;
	struct hwp_inv_head head;
	int have_head;
	struct hwp_pool pool;
	void (*tick)(long long, long long, void *);
	void *tctx;
	long rows; /* read, for the ticks */
};

/* Whether name is title or one of its continuations, "title (N)"
 * with N from 2 (xlsx.c's part names). */
static int sheet_of(const char *name, const char *title)
{
	size_t n = strlen(title);
	const char *p;

	if (strncmp(name, title, n) != 0)
		return 0;
	if (name[n] == '\0')
		return 1;
	p = name + n;
	if (p[0] != ' ' || p[1] != '(' || p[2] < '1' || p[2] > '9')
		return 0;
	for (p += 2; *p >= '0' && *p <= '9'; p++)
		;
	return p[0] == ')' && p[1] == '\0';
}

struct hwp_xlsx_source *hwp_xlsx_source_open(const char *path,
					     const struct hwp_colmap *m,
					     struct hw_error *err)
{
	struct hwp_xlsx_source *src = calloc(1, sizeof *src);
	struct stat sb;
	int k;

	if (src == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(src->path, sizeof src->path, "%s", path);
	src->m = m;
	src->size = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
	src->x = hwp_xlsx_open(path, err);
	if (src->x == NULL) {
		free(src);
		return NULL;
	}
	for (k = 0; k < HWP_INV_COUNT; k++)
		if (hwp_xlsx_source_has(src, (enum hwp_inv_kind)k))
			return src;
	hw_error_set_at(err, HW_EFORMAT, src->path, 0, 0,
			"no sheet of the inventory (expected Assets, "
			"Assignments, Dependencies or Information types, as "
			"report inventory writes them)");
	hwp_xlsx_source_free(src);
	return NULL;
}

void hwp_xlsx_source_free(struct hwp_xlsx_source *src)
{
	if (src == NULL)
		return;
	hwp_xlsx_close(src->x);
	free(src);
}

int hwp_xlsx_source_has(const struct hwp_xlsx_source *src,
			enum hwp_inv_kind kind)
{
	const char *title = hwp_inv_table_get(kind)->title;
	size_t i;

	for (i = 0; i < hwp_xlsx_nsheets(src->x); i++)
		if (sheet_of(hwp_xlsx_sheet_name(src->x, i), title))
			return 1;
	return 0;
}

/* Place the table layer's error e (at source cell bad of row) in the
 * sheet: the engine's error, with the workbook as its source. */
static int cell_fail(struct sheet_read *s, long row, size_t bad,
		     const struct hw_error *e)
{
	struct hwp_where *w = hwp_import_where(s->im);
	const char *column = NULL;
	char ref[16];

	if (bad == HWP_INV_ROW)
		return hw_error_set_at(w->err, e->code, w->file, 0, 0,
				       "sheet '%s', row %ld: %s", s->name, row,
				       e->text);
	if (s->have_head)
		column = hwp_inv_head_column(&s->head, bad);
	hwp_xlsx_cell_name((int)bad, row, ref);
	if (column != NULL)
		return hw_error_set_at(w->err, e->code, w->file, 0, 0,
				       "sheet '%s', cell %s (%s): %s", s->name,
				       ref, column, e->text);
	return hw_error_set_at(w->err, e->code, w->file, 0, 0,
			       "sheet '%s', cell %s: %s", s->name, ref,
			       e->text);
}

/* The engine's error for a record of row, said of the row: its text
 * without the record's own name ("asset: "), line dropped. */
static void engine_fail(struct sheet_read *s, long row)
{
	struct hw_error *e = hwp_import_where(s->im)->err, placed = {0};
	const char *t, *colon;

	if (e == NULL || e->code == HW_OK || e->code == HW_ENOMEM)
		return;
	t = e->text;
	colon = strstr(t, ": ");
	if (colon != NULL && strcspn(t, " '") > (size_t)(colon - t))
		t = colon + 2;
	hw_error_set_at(&placed, e->code, e->source, 0, 0,
			"sheet '%s', row %ld: %s", s->name, row, t);
	*e = placed;
}

static int take_row(void *ctx, long row, const char *const *cells,
		    size_t ncells, struct hw_error *err)
{
	struct sheet_read *s = ctx;
	struct hw_error e = {0};
	struct hwp_rec *rec;
	size_t bad = HWP_INV_ROW;
	int rc;

	(void)err; /* the engine's error is the one that counts */
	if (!s->have_head) {
		if (hwp_inv_head_read(&s->head, (int)s->kind, s->src->m,
				      cells, ncells, &bad, &e) < 0)
			return cell_fail(s, row, bad, &e);
		s->have_head = 1;
		return 0;
	}
	if (s->tick != NULL && ++s->rows % 4096 == 0) {
		long long done, total;

		hwp_xlsx_progress(s->src->x, &done, &total);
		s->tick(total > 0 ? s->src->size * done / total : 0,
			s->src->size, s->tctx);
	}
	hwp_pool_reset(&s->pool);
	if (hwp_inv_row(&s->head, cells, ncells, row, &s->pool, &rec, &bad,
			&e) < 0)
		return cell_fail(s, row, bad, &e);
	rc = hwp_import_apply(s->im, rec);
	if (rc < 0)
		engine_fail(s, row);
	return rc;
}

int hwp_xlsx_source_read_kind(struct hwp_import *im,
			      struct hwp_xlsx_source *src,
			      enum hwp_inv_kind kind,
			      void (*tick)(long long done, long long total,
					   void *),
			      void *tctx)
{
	const char *title = hwp_inv_table_get(kind)->title;
	struct hwp_where *w = hwp_import_where(im);
	struct sheet_read s;
	struct hw_error e = {0};
	size_t i;
	int rc = 0;

	for (i = 0; i < hwp_xlsx_nsheets(src->x) && rc == 0; i++) {
		if (!sheet_of(hwp_xlsx_sheet_name(src->x, i), title))
			continue;
		memset(&s, 0, sizeof s);
		s.im = im;
		s.src = src;
		s.kind = kind;
		s.tick = tick;
		s.tctx = tctx;
		s.name = hwp_xlsx_sheet_name(src->x, i);
		hwp_inv_head_init(&s.head);
		rc = hwp_xlsx_read_sheet(src->x, i, take_row, &s, &e);
		hwp_inv_head_release(&s.head);
		hwp_pool_free(&s.pool);
	}
	/* The workbook's own errors (zip, XML, a cell's value) come
	 * through e; those of the rows are set already. */
	if (rc < 0 && e.code != HW_OK) {
		w->syntax = 1;
		return hwp_import_fail(im, &e);
	}
	return rc < 0 ? -1 : 0;
}

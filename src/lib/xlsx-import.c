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
	/* Each table's first sheet, and where its columns are: for the
	 * errors the engine finds after the rows (dependencies, held
	 * assignments), which name a row and a field. */
	const char *first[HWP_INV_COUNT];
	int at[HWP_INV_COUNT][HWP_INV_MAXCOLS];
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

/* Whether name is title or one of its continuations, "title (N)":
 * hwp_xlsx_part_name writes N from 2; any N without a leading zero is
 * taken. */
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

/* Set err, the engine's, to e's code and "sheet 'NAME', cell B7
 * (column): text" (or "row 7" when the cell is not known), with the
 * workbook as its source and no line. */
static int place(struct hw_error *err, const struct hw_error *e,
		 const char *sheet, long row, int cell, const char *column,
		 const char *text)
{
	struct hw_error placed = {0};
	char ref[16];

	if (cell < 0)
		hw_error_set_at(&placed, e->code, e->source, 0, 0,
				"sheet '%s', row %ld: %s", sheet, row, text);
	else if (column != NULL)
		hw_error_set_at(&placed, e->code, e->source, 0, 0,
				"sheet '%s', cell %s (%s): %s", sheet,
				hwp_xlsx_cell_name(cell, row, ref), column,
				text);
	else
		hw_error_set_at(&placed, e->code, e->source, 0, 0,
				"sheet '%s', cell %s: %s", sheet,
				hwp_xlsx_cell_name(cell, row, ref), text);
	if (err != NULL)
		*err = placed;
	return -1;
}

/* The table layer's error e, at source cell bad of row. */
static int cell_fail(struct sheet_read *s, long row, size_t bad,
		     const struct hw_error *e)
{
	struct hw_error *err = hwp_import_where(s->im)->err;
	struct hw_error with = *e;

	if (err == NULL || err->code != HW_OK)
		return -1;
	snprintf(with.source, sizeof with.source, "%s", s->src->path);
	return place(err, &with, s->name, row,
		     bad == HWP_INV_ROW ? -1 : (int)bad,
		     s->have_head && bad != HWP_INV_ROW
			 ? hwp_inv_head_column(&s->head, bad)
			 : NULL,
		     e->text);
}

/* The engine names a record's field before its message: "asset: ",
 * "dependency.to: "; a field of the table is a cell of the row. */
static const struct {
	const char *prefix;
	const char *column; /* NULL: the record as a whole */
} fields[] = {
    {"dependency.from: ", "from"}, {"dependency.to: ", "to"},
    {"dependency: ", NULL},	   {"information_type: ", "information_type"},
    {"assignment: ", NULL},	   {"asset: ", "asset"},
};

/* The engine's error e, at row of sheet (kind's, its columns at[]):
 * the record's name taken off, its field made a cell. */
static void engine_place(struct hw_error *e, enum hwp_inv_kind kind,
			 const char *sheet, const int *at, long row)
{
	const struct hwp_inv_table *t = hwp_inv_table_get(kind);
	const char *text = e->text, *column = NULL;
	char copy[sizeof e->text];
	const char *first;
	size_t k;
	int c = -1, i;

	for (k = 0; k < sizeof fields / sizeof fields[0]; k++) {
		size_t n = strlen(fields[k].prefix);

		if (strncmp(text, fields[k].prefix, n) != 0)
			continue;
		text += n;
		i = fields[k].column != NULL
			? hwp_inv_column_index(t, fields[k].column)
			: -1;
		if (i >= 0 && at[i] >= 0) {
			c = at[i];
			column = fields[k].column;
		}
		break;
	}
	/* The engine counts a sheet's rows as lines: say rows. */
	first = strstr(text, "(first at line ");
	if (first != NULL)
		snprintf(copy, sizeof copy, "%.*s(first at row %s",
			 (int)(first - text), text, first + 15);
	else
		snprintf(copy, sizeof copy, "%s", text);
	place(e, e, sheet, row, c, column, copy);
}

/* The engine's error for the record of row. */
static void engine_fail(struct sheet_read *s, long row)
{
	struct hw_error *e = hwp_import_where(s->im)->err;

	if (e == NULL || e->code == HW_OK || e->code == HW_ENOMEM)
		return;
	/* An assignment held from its own sheet names its own row: placed
	 * there (hwp_xlsx_source_place). */
	if (e->column > 0 && s->kind != HWP_INV_ASSIGNMENTS)
		return;
	engine_place(e, s->kind, s->name, s->head.at, row);
}

void hwp_xlsx_source_place(const struct hwp_xlsx_source *src,
			   struct hw_error *err)
{
	enum hwp_inv_kind kind;

	if (err == NULL || err->line <= 0 ||
	    strcmp(err->source, src->path) != 0)
		return;
	kind = strncmp(err->text, "dependency", 10) == 0 ? HWP_INV_DEPS
							 : HWP_INV_ASSIGNMENTS;
	if (src->first[kind] == NULL)
		return;
	engine_place(err, kind, src->first[kind], src->at[kind], err->line);
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
		if (hwp_inv_head_read(&s->head, (int)s->kind, s->src->m, cells,
				      ncells, &bad, &e) < 0)
			return cell_fail(s, row, bad, &e);
		s->have_head = 1;
		return 0;
	}
	if (s->tick != NULL && ++s->rows % 4096 == 0) {
		long long done, total;

		hwp_xlsx_progress(s->src->x, &done, &total);
		/* In double: size times bytes unpacked passes LLONG_MAX
		 * for a file of a few GiB. */
		s->tick(total > 0 ? (long long)((double)s->src->size *
						((double)done / (double)total))
				  : 0,
			s->src->size, s->tctx);
	}
	hwp_pool_reset(&s->pool);
	if (hwp_inv_row(&s->head, cells, ncells, row, &s->pool, &rec, &bad,
			&e) < 0)
		return cell_fail(s, row, bad, &e);
	/* The engine checks an assignment later: where its cells are. */
	if (rec->kind == HWP_REC_ASSIGNMENT) {
		struct hwp_rec_assignment *g = (struct hwp_rec_assignment *)rec;

		g->col_asset = s->head.at[0] + 1;
		g->col_type = s->head.at[1] + 1;
	}
	rc = hwp_import_apply(s->im, rec);
	if (rc < 0)
		engine_fail(s, row);
	return rc;
}

int hwp_xlsx_source_read_kind(
    struct hwp_import *im, struct hwp_xlsx_source *src, enum hwp_inv_kind kind,
    void (*tick)(long long done, long long total, void *), void *tctx)
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
		if (src->first[kind] == NULL && s.have_head) {
			src->first[kind] = s.name;
			memcpy(src->at[kind], s.head.at, sizeof s.head.at);
		}
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

/*
 * report-inventory.c: the inventory as a workbook: the four tables of
 * DESIGN.md section 3 (table.h) as sheets, Assets, Assignments,
 * Dependencies and Information types, each a header row of the table's
 * columns and one record a row, so that the workbook imports back
 * (xlsx-import.c) and a sheet saved as CSV is that table's CSV file.
 * Text that looks like a formula gets the one leading "'" of the CSV
 * rule (the table layer takes it off again).  Records stream from the
 * store straight into constant_memory worksheets.
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "hw-xlsx.h"
#include "table.h"

/* How a column looks in the workbook (its name is the table's). */
struct look {
	enum hwp_inv_kind kind;
	const char *column;
	unsigned flags;
};

/* Printed: an asset, its owner, description and levels; the rest stay
 * in the sheet. */
static const struct look looks[] = {
    {HWP_INV_ASSETS, "id", HWP_COL_KEY | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "name", HWP_COL_KEY | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "type", HWP_COL_PRINT},
    {HWP_INV_ASSETS, "owner", HWP_COL_PRINT},
    {HWP_INV_ASSETS, "description", HWP_COL_WIDE | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "confidentiality", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "integrity", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "availability", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {HWP_INV_ASSETS, "vulnerabilities", HWP_COL_NUMBER},
    {HWP_INV_ASSETS, "worst_cvss", HWP_COL_DEC1},
    {HWP_INV_ASSETS, "downtime_cost", HWP_COL_NUMBER},
    {HWP_INV_ASSIGNMENTS, "asset", HWP_COL_KEY},
    {HWP_INV_ASSIGNMENTS, "information_type", HWP_COL_KEY},
    {HWP_INV_ASSIGNMENTS, "justification", HWP_COL_WIDE},
    {HWP_INV_DEPS, "from", HWP_COL_KEY},
    {HWP_INV_DEPS, "to", HWP_COL_KEY},
    {HWP_INV_INFOTYPES, "id", HWP_COL_KEY},
    {HWP_INV_INFOTYPES, "name", HWP_COL_WIDE},
};

/* A table being written: its columns as the workbook shows them. */
struct sheet {
	struct hwp_table t;
	const struct hwp_inv_table *inv;
	struct hwp_col cols[HWP_INV_MAXCOLS];
	char buf[1024]; /* the row's number texts */
};

static void sheet_begin(struct sheet *s, struct hwp_book *b,
			enum hwp_inv_kind kind)
{
	size_t i, k;

	s->inv = hwp_inv_table_get(kind);
	for (i = 0; i < s->inv->ncolumns; i++) {
		const char *c = s->inv->columns[i];

		s->cols[i].name = c;
		s->cols[i].flags = 0;
		for (k = 0; k < sizeof looks / sizeof looks[0]; k++)
			if (looks[k].kind == kind &&
			    strcmp(looks[k].column, c) == 0)
				s->cols[i].flags = looks[k].flags;
		if (kind != HWP_INV_ASSETS &&
		    (strcmp(c, "confidentiality") == 0 ||
		     strcmp(c, "integrity") == 0 ||
		     strcmp(c, "availability") == 0))
			s->cols[i].flags = HWP_COL_LEVEL_LOWER;
	}
	hwp_table_begin(&s->t, b, s->inv->title, s->cols,
			(int)s->inv->ncolumns);
}

/* One record's cells (hwp_inv_*_cells): text as text (the formula rule
 * applied), numbers as numbers, true/false as yes/no, levels as their
 * names (coloured by the column). */
static void sheet_row(struct sheet *s, const char *const *vals, unsigned text)
{
	size_t i;

	hwp_table_row(&s->t);
	for (i = 0; i < s->inv->ncolumns; i++) {
		const char *v = vals[i];
		unsigned flags = s->cols[i].flags;

		if (v == NULL || v[0] == '\0')
			continue;
		if (text & (1u << i)) {
			if (hwp_inv_needs_quote(v)) {
				struct hwp_text q = {0};

				hwp_text_add(&q, s->t.book, "'");
				hwp_text_add(&q, s->t.book, v);
				hwp_table_str(&s->t, (int)i, q.s);
				free(q.s);
			} else {
				hwp_table_str(&s->t, (int)i, v);
			}
		} else if (flags & (HWP_COL_NUMBER | HWP_COL_DEC1)) {
			hwp_table_num(&s->t, (int)i, strtod(v, NULL));
		} else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			hwp_table_bool(&s->t, (int)i, v[0] == 't');
		} else {
			hwp_table_str(&s->t, (int)i, v);
		}
	}
}

static int put_asset(const struct hw_asset *a, void *ctx)
{
	struct sheet *s = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	unsigned text;

	if (!hwp_book_ok(s->t.book))
		return 1;
	hwp_inv_asset_cells(a, vals, &text, s->buf, sizeof s->buf);
	sheet_row(s, vals, text);
	return 0;
}

static int put_assignments(const struct hw_asset *a, void *ctx)
{
	struct sheet *s = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	unsigned text;
	size_t i;

	if (!hwp_book_ok(s->t.book))
		return 1;
	for (i = 0; i < a->ntypes; i++) {
		hwp_inv_assignment_cells(a, &a->types[i], vals, &text, s->buf,
					 sizeof s->buf);
		sheet_row(s, vals, text);
	}
	return 0;
}

static int put_dep(const struct hw_dep *d, void *ctx)
{
	struct sheet *s = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	unsigned text;

	if (!hwp_book_ok(s->t.book))
		return 1;
	hwp_inv_dep_cells(d, vals, &text, s->buf, sizeof s->buf);
	sheet_row(s, vals, text);
	return 0;
}

static int put_infotype(const struct hw_infotype *it, void *ctx)
{
	struct sheet *s = ctx;
	const char *vals[HWP_INV_MAXCOLS];
	unsigned text;

	if (!hwp_book_ok(s->t.book))
		return 1;
	hwp_inv_infotype_cells(it, vals, &text, s->buf, sizeof s->buf);
	sheet_row(s, vals, text);
	return 0;
}

int hw_report_inventory(struct hw_store *st, const struct hw_report_opts *o,
			const char *path, struct hw_report_info *info,
			struct hw_error *err)
{
	struct hw_error serr = {0};
	struct sheet *s = calloc(1, sizeof *s);
	struct hwp_book *b;
	size_t rows = 0;
	long nassets = 0, ndeps = 0;
	int ok = 0;

	if (s == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	b = hwp_book_open(path, o->force, o->mode, o->row_limit, "Inventory",
			  "Assets, assignments, dependencies and information "
			  "types",
			  o->organisation, o->now ? o->now : time(NULL), err);
	if (b == NULL) {
		free(s);
		return -1;
	}
	if (o->progress != NULL &&
	    (hw_store_asset_count(st, &nassets, &serr) < 0 ||
	     hw_store_dep_count(st, &ndeps, &serr) < 0))
		goto out;
	hwp_book_progress(b, o, (long long)nassets + ndeps);
	/* A walk stopped by a failed write reports the book's error. */
	sheet_begin(s, b, HWP_INV_ASSETS);
	if (hw_store_asset_each(st, put_asset, s, &serr) != 0)
		goto out;
	rows += s->t.rows;
	hwp_table_end(&s->t);
	sheet_begin(s, b, HWP_INV_ASSIGNMENTS);
	if (hw_store_asset_each(st, put_assignments, s, &serr) != 0)
		goto out;
	rows += s->t.rows;
	hwp_table_end(&s->t);
	sheet_begin(s, b, HWP_INV_DEPS);
	if (hw_store_dep_each(st, NULL, put_dep, s, &serr) != 0)
		goto out;
	rows += s->t.rows;
	hwp_table_end(&s->t);
	sheet_begin(s, b, HWP_INV_INFOTYPES);
	if (hw_store_infotype_each(st, NULL, 0, put_infotype, s, &serr) != 0)
		goto out;
	rows += s->t.rows;
	hwp_table_end(&s->t);
	ok = 1;
	if (info != NULL) {
		info->sheets = hwp_book_sheets(b);
		info->rows = rows;
		hwp_book_split_note(b, info->split, sizeof info->split);
	}
out:
	if (!ok && hwp_book_ok(b) && serr.code != HW_OK && err != NULL &&
	    err->code == HW_OK)
		*err = serr;
	ok = hwp_book_close(b, ok, err) == 0 && ok;
	free(s);
	return ok ? 0 : -1;
}

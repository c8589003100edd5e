/*
 * import-assign.c: a table of assignments in an import (the CSV file
 * assignments.csv, the workbook's sheet): its rows are held until the
 * assets they name are applied, so that each asset is written once,
 * with exactly the table's assignments (assets the table names and no
 * file holds get them at the end: import.c, hwp_import_assignments_done).
 */
#include <stdlib.h>
#include <string.h>

#include "import-engine.h"

int hwp_assignment_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hw_assignment *)a)->type_id,
		      ((const struct hw_assignment *)b)->type_id);
}

void hwp_assign_release(struct assign_table *t)
{
	hwp_map_free(&t->index);
	free(t->assets);
	free(t->rows);
	hwp_arena_free(&t->strings);
	memset(t, 0, sizeof *t);
}

/* Fail at row g of the table, in the cell at column col. */
static int row_fail(struct hwp_import *im, const struct assign_row *g, int col,
		    const struct hw_error *e)
{
	return hw_error_set_at(
	    im->w.err, e->code == HW_OK ? HW_EINVAL : e->code, g->file,
	    (int)g->line, col, "%s: %s",
	    col == g->col_asset ? "asset" : "information_type", e->text);
}

int hwp_assign_add(struct hwp_import *im, const struct hwp_rec_assignment *r)
{
	struct assign_table *t = &im->assign;
	struct assign_asset *a;
	struct assign_row *g;
	uint32_t k, i;

	t->given = 1;
	if (t->index.cap == 0)
		t->index.strings = 1;
	k = hwp_map_get(&t->index, (uint64_t)(uintptr_t)r->asset);
	if (k == HWP_NONE) {
		const char *id = hwp_arena_dup(&t->strings, r->asset);

		if (t->nassets == t->capassets) {
			size_t cap = t->capassets ? 2 * t->capassets : 256;
			void *p = realloc(t->assets, cap * sizeof *t->assets);

			if (p == NULL)
				return hwp_where_nomem(&im->w);
			t->assets = p;
			t->capassets = cap;
		}
		k = (uint32_t)t->nassets;
		if (id == NULL ||
		    hwp_map_put(&t->index, (uint64_t)(uintptr_t)id, k) != k)
			return hwp_where_nomem(&im->w);
		t->assets[k].id = id;
		t->assets[k].first = t->assets[k].last = HWP_NONE;
		t->assets[k].applied = 0;
		t->nassets++;
	}
	a = &t->assets[k];
	for (i = a->first; i != HWP_NONE; i = t->rows[i].next) {
		const struct assign_row *f = &t->rows[i];
		/* Of many files, the first's is named when it is another. */
		int other = strcmp(f->file, im->w.file) != 0;

		if (strcmp(f->type, r->a.id) == 0)
			return hw_error_set_at(
			    im->w.err, HW_EEXIST, im->w.file, (int)r->h.ord,
			    r->col_type,
			    "information_type: asset '%s' is given "
			    "information type '%s' twice (first at %s%s%sline "
			    "%ld)",
			    r->asset, r->a.id, other ? "'" : "",
			    other ? f->file : "", other ? "' " : "", f->line);
	}
	if (t->nrows == t->caprows) {
		size_t cap = t->caprows ? 2 * t->caprows : 1024;
		void *p = realloc(t->rows, cap * sizeof *t->rows);

		if (p == NULL)
			return hwp_where_nomem(&im->w);
		t->rows = p;
		t->caprows = cap;
	}
	if (t->nrows >= HWP_NONE - 1)
		return hwp_where_fail(&im->w, "assignment", HW_EINVAL,
				      "too many assignments");
	g = &t->rows[t->nrows];
	g->type = hwp_arena_dup(&t->strings, r->a.id);
	g->why = r->a.why ? hwp_arena_dup(&t->strings, r->a.why) : NULL;
	if (g->type == NULL || (r->a.why != NULL && g->why == NULL))
		return hwp_where_nomem(&im->w);
	g->file = im->w.file;
	g->line = r->h.ord;
	g->col_asset = r->col_asset;
	g->col_type = r->col_type;
	g->selected = r->a.selected;
	g->next = HWP_NONE;
	if (a->last == HWP_NONE)
		a->first = (uint32_t)t->nrows;
	else
		t->rows[a->last].next = (uint32_t)t->nrows;
	a->last = (uint32_t)t->nrows;
	t->nrows++;
	im->stats.assignments++;
	return 0;
}

int hwp_assign_for(struct hwp_import *im, const char *id, size_t *n)
{
	struct assign_table *t = &im->assign;
	struct assign_asset *a;
	size_t count = 0;
	uint32_t k, i;

	*n = HWP_NONE;
	if (!t->given)
		return 0;
	k = hwp_map_get(&t->index, (uint64_t)(uintptr_t)id);
	if (k == HWP_NONE)
		return 0;
	a = &t->assets[k];
	for (i = a->first; i != HWP_NONE; i = t->rows[i].next)
		count++;
	if (count > im->capscratch) {
		struct hw_assignment *g =
		    realloc(im->scratch, count * sizeof *g);

		if (g == NULL)
			return hwp_where_nomem(&im->w);
		im->scratch = g;
		im->capscratch = count;
	}
	count = 0;
	for (i = a->first; i != HWP_NONE; i = t->rows[i].next) {
		struct hw_assignment *g = &im->scratch[count++];
		struct hw_error e = {0};

		memset(g, 0, sizeof *g);
		g->type_id = (char *)t->rows[i].type;
		g->selected = t->rows[i].selected;
		g->justification = (char *)t->rows[i].why;
		if (hw_store_assignment_prepare(im->st, g, &e) < 0)
			return row_fail(im, &t->rows[i], t->rows[i].col_type,
					&e);
	}
	if (count > 1)
		qsort(im->scratch, count, sizeof *im->scratch,
		      hwp_assignment_cmp);
	a->applied = 1;
	*n = count;
	return 0;
}

int hwp_assign_fail_missing(struct hwp_import *im, size_t k,
			    const struct hw_error *e)
{
	const struct assign_table *t = &im->assign;
	const struct assign_row *g = &t->rows[t->assets[k].first];
	struct hw_error nf = {0};

	if (e->code == HW_ENOTFOUND) {
		hw_error_set(&nf, HW_ENOTFOUND,
			     "asset '%s' is in neither the files nor the "
			     "database",
			     t->assets[k].id);
		e = &nf;
	}
	return row_fail(im, g, g->col_asset, e);
}

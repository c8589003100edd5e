/*
 * report-inventory.c: the inventory as a workbook: Assets, Dependencies
 * and Information types, each a header row of the inventory file's
 * field names and one record a row with plain values, so that a sheet
 * saved as CSV reads back as the inventory's columns.  Records stream
 * from the store straight into constant_memory worksheets.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "hw-xlsx.h"

enum {
	AS_ID,
	AS_NAME,
	AS_TYPE,
	AS_OWNER,
	AS_DESCRIPTION,
	AS_C,
	AS_I,
	AS_A,
	AS_INTERNET,
	AS_TYPES,
	AS_FACTORS, /* then the risk factors, in enum hw_factor order */
	AS_NCOLS = AS_FACTORS + HW_F_FRAGILITY
};

/* Printed: the asset, its owner, description and levels; the rest (the
 * risk factors and the information types) stay in the sheet. */
static const struct hwp_col asset_cols[AS_NCOLS] = {
    {"id", HWP_COL_KEY | HWP_COL_PRINT},
    {"name", HWP_COL_KEY | HWP_COL_PRINT},
    {"type", HWP_COL_PRINT},
    {"owner", HWP_COL_PRINT},
    {"description", HWP_COL_WIDE | HWP_COL_PRINT},
    {"confidentiality", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {"integrity", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {"availability", HWP_COL_LEVEL_LOWER | HWP_COL_PRINT},
    {"internet_facing", 0},
    {"information_types", HWP_COL_WIDE},
    {"vulnerabilities", HWP_COL_NUMBER},
    {"worst_cvss", HWP_COL_DEC1},
    {"last_patched", 0},
    {"end_of_life", 0},
    {"authorized", 0},
    {"implemented_baseline", 0},
    {"downtime_cost", HWP_COL_NUMBER},
};

static const struct hwp_col dep_cols[] = {
    {"from", HWP_COL_KEY},
    {"to", HWP_COL_KEY},
    {"type", 0},
    {"carries", 0},
};

static const struct hwp_col infotype_cols[] = {
    {"id", HWP_COL_KEY},
    {"name", HWP_COL_WIDE},
    {"category", 0},
    {"confidentiality", HWP_COL_LEVEL_LOWER},
    {"integrity", HWP_COL_LEVEL_LOWER},
    {"availability", HWP_COL_LEVEL_LOWER},
};

/* An asset's information types as the inventory file writes them:
 * levels only where they differ from the provisional ones (or there are
 * none), then the justification.  A new string (free()), NULL when out
 * of memory. */
static char *assignments_json(const struct hw_asset *a)
{
	json_t *arr = json_array(), *o;
	char *s = NULL;
	size_t i;
	int x, rc = arr == NULL;

	for (i = 0; i < a->ntypes && rc == 0; i++) {
		const struct hw_assignment *g = &a->types[i];
		int levels = hw_assignment_adjusted(g) ||
			     g->base.v[HW_I] == HW_LEVEL_NONE;

		o = json_object();
		rc |= json_array_append_new(arr, o);
		rc |= json_object_set_new(o, "id", json_string(g->type_id));
		for (x = 0; x < HW_NOBJ && levels; x++)
			if (g->selected.v[x] != HW_LEVEL_NONE)
				rc |= json_object_set_new(
				    o, hw_objective_name(x),
				    json_string(
					hw_level_name(g->selected.v[x])));
		if (g->justification != NULL)
			rc |= json_object_set_new(
			    o, "justification", json_string(g->justification));
	}
	if (rc == 0)
		s = json_dumps(arr, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(arr);
	return s;
}

/* The factors with data, as the inventory file writes them (dates as
 * YYYY-MM-DD text, so that the sheet saved as CSV reads back). */
static void put_factors(struct hwp_table *t, const struct hw_factors *f)
{
	enum hw_factor k;
	char buf[32];

	for (k = 0; k < HW_F_FRAGILITY; k++) {
		int col = AS_FACTORS + (int)k;

		if (!(f->known & HW_F_BIT(k)))
			continue;
		if (k == HW_F_VULNERABILITIES)
			hwp_table_num(t, col, f->vulnerabilities);
		else if (k == HW_F_WORST_CVSS)
			hwp_table_num(t, col, f->worst_cvss);
		else if (k == HW_F_DOWNTIME_COST)
			hwp_table_num(t, col, f->downtime_cost);
		else if (k == HW_F_AUTHORIZED)
			hwp_table_bool(t, col, f->authorized);
		else
			hwp_table_str(t, col, hw_factor_text(f, k, buf));
	}
}

static int put_asset(const struct hw_asset *a, void *ctx)
{
	struct hwp_table *t = ctx;
	char *types = NULL;
	int x;

	if (!hwp_book_ok(t->book))
		return 1;
	hwp_table_row(t);
	hwp_table_str(t, AS_ID, a->id);
	hwp_table_str(t, AS_NAME, a->name);
	hwp_table_str(t, AS_TYPE, a->type);
	hwp_table_str(t, AS_OWNER, a->owner);
	hwp_table_str(t, AS_DESCRIPTION, a->description);
	for (x = 0; x < HW_NOBJ; x++)
		hwp_table_level(t, AS_C + x, a->direct.v[x]);
	hwp_table_bool(t, AS_INTERNET, a->internet_facing);
	put_factors(t, &a->factors);
	if (a->ntypes > 0) {
		types = assignments_json(a);
		if (types == NULL) {
			hwp_book_fail(t->book, HW_ENOMEM, "out of memory");
			return 1;
		}
		hwp_table_str(t, AS_TYPES, types);
		free(types);
	}
	return 0;
}

static int put_dep(const struct hw_dep *d, void *ctx)
{
	struct hwp_table *t = ctx;
	char carries[4];

	if (!hwp_book_ok(t->book))
		return 1;
	hwp_table_row(t);
	hwp_table_str(t, 0, d->from);
	hwp_table_str(t, 1, d->to);
	hwp_table_str(t, 2, d->type);
	hwp_table_str(t, 3, hw_carries_text(d->carries, carries));
	return 0;
}

static int put_infotype(const struct hw_infotype *it, void *ctx)
{
	struct hwp_table *t = ctx;
	int x;

	if (!hwp_book_ok(t->book))
		return 1;
	hwp_table_row(t);
	hwp_table_str(t, 0, it->id);
	hwp_table_str(t, 1, it->name);
	hwp_table_str(t, 2, it->category);
	for (x = 0; x < HW_NOBJ; x++)
		hwp_table_level(t, 3 + x, it->prov.v[x]);
	return 0;
}

int hw_report_inventory(struct hw_store *st, const struct hw_report_opts *o,
			const char *path, struct hw_report_info *info,
			struct hw_error *err)
{
	struct hw_error serr = {0};
	struct hwp_table t;
	struct hwp_book *b;
	size_t rows = 0;
	long nassets = 0, ndeps = 0;
	int ok = 0;

	b = hwp_book_open(path, o->force, o->row_limit, "Inventory",
			  "Assets, dependencies and information types",
			  o->organisation, o->now ? o->now : time(NULL), err);
	if (b == NULL)
		return -1;
	if (o->progress != NULL &&
	    (hw_store_asset_count(st, &nassets, &serr) < 0 ||
	     hw_store_dep_count(st, &ndeps, &serr) < 0))
		goto out;
	hwp_book_progress(b, o, (long long)nassets + ndeps);
	/* A walk stopped by a failed write reports the book's error. */
	hwp_table_begin(&t, b, "Assets", asset_cols, AS_NCOLS);
	if (hw_store_asset_each(st, put_asset, &t, &serr) != 0)
		goto out;
	rows += t.rows;
	hwp_table_end(&t);
	hwp_table_begin(&t, b, "Dependencies", dep_cols,
			(int)(sizeof dep_cols / sizeof dep_cols[0]));
	if (hw_store_dep_each(st, NULL, put_dep, &t, &serr) != 0)
		goto out;
	rows += t.rows;
	hwp_table_end(&t);
	hwp_table_begin(&t, b, "Information types", infotype_cols,
			(int)(sizeof infotype_cols / sizeof infotype_cols[0]));
	if (hw_store_infotype_each(st, NULL, 0, put_infotype, &t, &serr) != 0)
		goto out;
	rows += t.rows;
	hwp_table_end(&t);
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
	return hwp_book_close(b, ok, err) == 0 && ok ? 0 : -1;
}

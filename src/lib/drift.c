/*
 * drift.c: what changed between a configuration baseline and the
 * inventory now (or another baseline), as items a reader can print: the
 * store finds the rows that differ (store-snapshot.c); this file names
 * their fields, writes them as the inventory format does (booleans,
 * carried objectives) and keeps, for a changed row, only the fields
 * that changed.
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

#include "drift.h"

const char *const hwp_drift_names[HW_DRIFT_SECTIONS][HWP_DRIFT_COLS] = {
    [HW_DRIFT_ASSETS] = {"name", "type", "owner", "description",
			 "confidentiality", "integrity", "availability",
			 "internet_facing", "vulnerabilities", "worst_cvss",
			 "last_patched", "end_of_life", "authorized",
			 "implemented_baseline", "downtime_cost",
			 "authorized_by", "authorized_at"},
    [HW_DRIFT_DEPS] = {"type", "carries"},
    [HW_DRIFT_ASSIGNMENTS] = {"confidentiality", "integrity", "availability",
			      "justification"},
};

const enum hw_drift_type hwp_drift_types[HW_DRIFT_SECTIONS][HWP_DRIFT_COLS] = {
    [HW_DRIFT_ASSETS] = {[7] = HW_DRIFT_BOOL,
			 [8] = HW_DRIFT_NUMBER,
			 [9] = HW_DRIFT_NUMBER,
			 [12] = HW_DRIFT_BOOL,
			 [14] = HW_DRIFT_NUMBER},
};

/* Columns that are an asset's internet_facing or authorized: 0 or 1 in
 * the store, false or true in the item. */
#define IS_BOOL(sect, i) (hwp_drift_types[sect][i] == HW_DRIFT_BOOL)
/* The column that holds a dependency's carried objectives (a mask). */
#define IS_CARRIES(sect, i) ((sect) == HW_DRIFT_DEPS && (i) == 1)

const char *hw_drift_section_name(enum hw_drift_section s)
{
	static const char *const names[HW_DRIFT_SECTIONS] = {
	    "assets", "assignments", "dependencies"};

	return (unsigned)s < HW_DRIFT_SECTIONS ? names[s] : "?";
}

const char *hw_drift_kind_name(enum hw_drift_kind k)
{
	static const char *const names[HW_DRIFT_KINDS] = {
	    "never_authorized", "added", "removed", "changed"};

	return (unsigned)k < HW_DRIFT_KINDS ? names[k] : "?";
}

struct run {
	int (*fn)(const struct hw_drift_item *, void *);
	int (*counted)(const struct hw_drift_counts *, void *);
	void *ctx;
	struct hw_store *st;
	struct hw_error *err;
	char carries[2][4]; /* before, after as text */
};

/* The text of column i of one side, as the item gives it; NULL with
 * *bad set for a value highwater never writes. */
static const char *value(struct run *r, const struct hwp_drift_row *row,
			 size_t i, int after, int *bad)
{
	const char *v = after ? row->after[i] : row->before[i];
	char *end;
	long m;

	if (v == NULL)
		return NULL;
	if (IS_BOOL(row->section, i)) {
		if (strcmp(v, "0") == 0)
			return "false";
		if (strcmp(v, "1") == 0)
			return "true";
		*bad = 1;
		return NULL;
	}
	if (IS_CARRIES(row->section, i)) {
		m = strtol(v, &end, 10);
		if (*end != '\0' || m < 1 || m > 7) {
			*bad = 1;
			return NULL;
		}
		return hw_carries_text((unsigned)m, r->carries[after]);
	}
	return v;
}

static int same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static int on_row(const struct hwp_drift_row *row, void *ctx)
{
	struct run *r = ctx;
	struct hw_drift_field fields[HWP_DRIFT_COLS];
	struct hw_drift_item item = {0};
	size_t i, n = 0;
	int bad = 0;

	for (i = 0; i < row->ncols; i++) {
		struct hw_drift_field *f = &fields[n];

		f->name = hwp_drift_names[row->section][i];
		f->type = hwp_drift_types[row->section][i];
		f->before = value(r, row, i, 0, &bad);
		f->after = value(r, row, i, 1, &bad);
		if (bad) {
			hwp_damaged(r->st, r->err, "snapshot",
				    "%s of \"%s%s%s\": %s is not a value "
				    "highwater writes",
				    hw_drift_section_name(row->section),
				    row->id,
				    row->section == HW_DRIFT_DEPS ? ">"
				    : row->other		  ? " "
								  : "",
				    row->other ? row->other : "", f->name);
			return -1;
		}
		if (row->kind == HW_DRIFT_CHANGED   ? !same(f->before, f->after)
		    : row->kind == HW_DRIFT_REMOVED ? f->before != NULL
						    : f->after != NULL)
			n++;
	}
	item.section = row->section;
	item.kind = row->kind;
	item.id = row->id;
	item.other = row->other;
	item.fields = fields;
	item.nfields = n;
	return r->fn(&item, r->ctx);
}

/* The counts go to the caller's counted with the caller's ctx. */
static int on_counts(const struct hw_drift_counts *c, void *ctx)
{
	struct run *r = ctx;

	return r->counted != NULL ? r->counted(c, r->ctx) : 0;
}

int hw_drift_run(struct hw_store *st, const char *from, const char *to,
		 int (*counted)(const struct hw_drift_counts *, void *),
		 int (*fn)(const struct hw_drift_item *, void *), void *ctx,
		 struct hw_error *err)
{
	struct run r = {
	    .fn = fn, .counted = counted, .ctx = ctx, .st = st, .err = err};

	return hwp_drift_scan(st, from, to, on_counts, on_row, &r, err);
}

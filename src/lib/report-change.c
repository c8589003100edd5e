/*
 * report-change.c: the change advisory board's workbook for one change:
 * a Summary (targets, recommended route, highest levels, counts, owners
 * to notify, business services), every affected CI with its distance,
 * path and effective levels, the owners with their affected assets, and
 * the SP 800-53B control families of the baselines the change touches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "hw-xlsx.h"

#define LIST_MAX 50	/* owners and services named on the Summary */
#define ASSETS_NAMED 20 /* assets named for a control */

/* ------------------------------------------------------------------ */
/* The controls a change engages (data/change-controls.csv)            */

/* The SP 800-53B controls the change list names, in its order, with
 * what engages each. */
struct engaged {
	struct hw_baselines bl;
	struct hw_change_control *item;
	size_t n;
};

static void engaged_release(struct engaged *e)
{
	hw_change_controls_free(e->item, e->n);
	hw_baselines_release(&e->bl);
	e->item = NULL;
	e->n = 0;
}

/* Read the SP 800-53B baselines and the change list (path NULL: no
 * list) into e. */
static int engaged_load(struct engaged *e, const char *baselines,
			const char *path, struct hw_error *err)
{
	memset(e, 0, sizeof *e);
	if (hw_baselines_load(&e->bl, baselines, err) < 0)
		return -1;
	if (path != NULL &&
	    hw_change_controls_load(&e->bl, path, &e->item, &e->n, err) < 0) {
		hw_baselines_release(&e->bl);
		return -1;
	}
	return 0;
}

/* Baselines (bit l for level l) some affected asset requires. */
static unsigned touched_mask(const struct hw_impact_summary *sum)
{
	unsigned m = 0;
	enum hw_level l;

	for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++)
		if (sum->count[l] > 0)
			m |= 1u << l;
	return m;
}

/* Controls of the list that a touched asset's required baseline
 * selects. */
static size_t engaged_kept(const struct engaged *e,
			   const struct hw_impact_summary *sum)
{
	unsigned m = touched_mask(sum);
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		n += (e->item[i].c->in & m) != 0;
	return n;
}

/* ------------------------------------------------------------------ */
/* Text helpers                                                        */

static const char *direction_text(enum hw_direction d)
{
	return d == HW_DIR_UP	  ? "up: what depends on the targets"
	       : d == HW_DIR_DOWN ? "down: what the targets rely on"
				  : "both: what depends on the targets and "
				    "what they rely on";
}

/* ------------------------------------------------------------------ */
/* The sheets                                                          */

enum {
	AC_ID,
	AC_NAME,
	AC_DIST,
	AC_TYPE,
	AC_C,
	AC_I,
	AC_A,
	AC_OVERALL,
	AC_OWNER,
	AC_CYCLE,
	AC_DIRECTION,
	AC_PATH,
	AC_NCOLS
};

/* Printed: all but the path, which stays in the sheet. */
static const struct hwp_col affected_cols[AC_NCOLS] = {
    {"Asset", HWP_COL_KEY | HWP_COL_PRINT},
    {"Name", HWP_COL_KEY | HWP_COL_NAME | HWP_COL_PRINT},
    {"Distance", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Type", HWP_COL_PRINT},
    {"Confidentiality", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Integrity", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Availability", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Overall", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Owner", HWP_COL_PRINT},
    {"On cycle", HWP_COL_PRINT},
    {"Direction", HWP_COL_PRINT},
    {"Path", HWP_COL_WIDE},
};

static void write_affected(struct hwp_book *b, const struct hw_graph *g,
			   const struct hw_impact *imp)
{
	struct hwp_table t;
	struct hwp_text path = {0};
	uint32_t *hops = malloc((hw_graph_size(g) + 1) * sizeof *hops);
	size_t i, k, len;
	int x;

	if (hops == NULL) {
		hwp_book_fail(b, HW_ENOMEM, "out of memory");
		return;
	}
	hwp_table_begin(&t, b, "Affected CIs", affected_cols, AC_NCOLS);
	for (i = 0; i < imp->count && hwp_book_ok(b); i++) {
		uint32_t v = imp->members[i];
		const struct hw_sc *e = hw_graph_effective(g, v);

		hwp_table_row(&t);
		hwp_table_num(&t, AC_DIST, imp->dist[v]);
		hwp_table_str(&t, AC_ID, hw_graph_id(g, v));
		hwp_table_str(&t, AC_NAME, hw_graph_name(g, v));
		hwp_table_str(&t, AC_TYPE, hw_graph_type(g, v));
		for (x = 0; x < HW_NOBJ; x++)
			hwp_table_level(&t, AC_C + x, e->v[x]);
		hwp_table_str(&t, AC_OVERALL, hw_sc_overall_text(e, 0));
		hwp_table_str(&t, AC_OWNER, hw_graph_owner(g, v));
		hwp_table_str(&t, AC_CYCLE,
			      hw_graph_on_cycle(g, v) ? "yes" : "no");
		hwp_table_str(&t, AC_DIRECTION,
			      imp->dist[v] == 0 ? "target"
			      : imp->down[v]	? "down"
						: "up");
		/* Up, each step depends on the one before; down, each is
		 * relied on by the one before. */
		len = hw_impact_path(imp, v, hops, hw_graph_size(g));
		hwp_text_clear(&path);
		for (k = 0; k < len; k++) {
			if (k > 0)
				hwp_text_add(&path, b,
					 imp->down[v] ? " -> " : " <- ");
			hwp_text_add(&path, b, hw_graph_id(g, hops[k]));
		}
		hwp_table_str(&t, AC_PATH, path.s);
	}
	hwp_table_end(&t);
	free(path.s);
	free(hops);
}

enum {
	OW_OWNER,
	OW_COUNT,
	OW_TOP,
	OW_HIGH,
	OW_MODERATE,
	OW_LOW,
	OW_NONE,
	OW_ASSETS,
	OW_NCOLS
};

static const struct hwp_col owner_cols[OW_NCOLS] = {
    {"Owner", HWP_COL_KEY},
    {"Assets", HWP_COL_NUMBER},
    {"Highest", HWP_COL_LEVEL_UPPER},
    {"HIGH", HWP_COL_NUMBER},
    {"MODERATE", HWP_COL_NUMBER},
    {"LOW", HWP_COL_NUMBER},
    {"UNCATEGORIZED", HWP_COL_NUMBER},
    {"Affected assets", HWP_COL_WIDE},
};

/* The summary's owner rows, the ownerless last: a new array of
 * borrowed rows (n of them), and member positions grouped by row in the
 * impact's order (a new array); -1 out of memory. */
static long group_owners(const struct hw_graph *g, const struct hw_impact *imp,
			 const struct hw_impact_summary *sum,
			 const struct hw_impact_owner ***rows, size_t **order)
{
	size_t nown = hw_graph_owner_count(g), i, n = 0, at = 0;
	const struct hw_impact_owner **all =
	    malloc((sum->nowners + 1) * sizeof *all);
	size_t *slot = calloc(nown + 1, sizeof *slot);
	size_t *ord = malloc((imp->count + 1) * sizeof *ord);

	if (all == NULL || slot == NULL || ord == NULL) {
		free(all);
		free(slot);
		free(ord);
		return -1;
	}
	for (i = 0; i < sum->nowners; i++)
		all[n++] = &sum->owners[i];
	if (sum->unowned.count > 0)
		all[n++] = &sum->unowned;
	for (i = 0; i < n; i++) {
		slot[all[i]->index < 0 ? nown : (size_t)all[i]->index] = at;
		at += all[i]->count;
	}
	for (i = 0; i < imp->count; i++) {
		int o = hw_graph_owner_index(g, imp->members[i]);

		ord[slot[o < 0 ? nown : (size_t)o]++] = i;
	}
	free(slot);
	*rows = all;
	*order = ord;
	return (long)n;
}

static void write_owners(struct hwp_book *b, const struct hw_graph *g,
			 const struct hw_impact *imp,
			 const struct hw_impact_owner *const *rows,
			 size_t nrows, const size_t *order)
{
	struct hwp_table t;
	struct hwp_text list = {0};
	char more[64];
	size_t i, k, first = 0;
	enum hw_level l, top;

	hwp_table_begin(&t, b, "Owners", owner_cols, OW_NCOLS);
	for (i = 0; i < nrows && hwp_book_ok(b); first += rows[i]->count, i++) {
		const struct hw_impact_owner *r = rows[i];

		top = HW_LEVEL_NONE;
		for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++)
			if (r->by[l] > 0)
				top = l;
		hwp_table_row(&t);
		hwp_table_str(&t, OW_OWNER, r->name ? r->name : "(no owner)");
		hwp_table_num(&t, OW_COUNT, (double)r->count);
		hwp_table_level(&t, OW_TOP, top);
		hwp_table_num(&t, OW_HIGH, (double)r->by[HW_LEVEL_HIGH]);
		hwp_table_num(&t, OW_MODERATE,
			      (double)r->by[HW_LEVEL_MODERATE]);
		hwp_table_num(&t, OW_LOW, (double)r->by[HW_LEVEL_LOW]);
		hwp_table_num(&t, OW_NONE, (double)r->by[HW_LEVEL_NONE]);
		/* Ids are ASCII: bytes are characters.  A cell holds
		 * 32,767; the rest are on Affected CIs. */
		hwp_text_clear(&list);
		for (k = 0; k < r->count; k++) {
			const char *id =
			    hw_graph_id(g, imp->members[order[first + k]]);

			if (list.len + strlen(id) + 2 + sizeof more >
			    HWP_XLSX_CELL_MAX) {
				snprintf(more, sizeof more,
					 " and %zu more (see Affected CIs)",
					 r->count - k);
				hwp_text_add(&list, b, more);
				break;
			}
			if (k > 0)
				hwp_text_add(&list, b, ", ");
			hwp_text_add(&list, b, id);
		}
		hwp_table_str(&t, OW_ASSETS, list.s);
	}
	hwp_table_end(&t);
	free(list.s);
}

enum {
	CC_ID,
	CC_TITLE,
	CC_FAMILY,
	CC_WHY,
	CC_BASELINES,
	CC_COUNT,
	CC_ASSETS,
	CC_NCOLS
};

static const struct hwp_col control_cols[CC_NCOLS] = {
    {"Control", HWP_COL_KEY},
    {"Title", HWP_COL_NOTE},
    {"Family", 0},
    {"Engaged by", HWP_COL_NOTE},
    {"Baselines selecting it", 0},
    {"Assets requiring it", HWP_COL_NUMBER},
    {"Assets (highest first)", HWP_COL_WIDE},
};

/* The list's controls that a touched asset's required baseline selects,
 * each with the assets that require it (the first ASSETS_NAMED). */
static void write_controls(struct hwp_book *b, const struct hw_graph *g,
			   const struct hw_impact *imp,
			   const struct hw_impact_summary *sum,
			   const struct engaged *e)
{
	unsigned touched = touched_mask(sum);
	struct hwp_text list = {0}, bases = {0};
	struct hwp_table t;
	char id[64], more[64];
	size_t i, k, n, named;
	enum hw_level l;

	hwp_table_begin(&t, b, "Controls to re-check", control_cols, CC_NCOLS);
	for (i = 0; i < e->n && hwp_book_ok(b); i++) {
		const struct hw_control *c = e->item[i].c;

		if (!(c->in & touched))
			continue;
		hwp_text_clear(&bases);
		for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++)
			if (c->in & (1u << l)) {
				if (bases.len > 0)
					hwp_text_add(&bases, b, ", ");
				hwp_text_add(&bases, b, hw_level_upper(l));
			}
		hwp_text_clear(&list);
		for (k = 0, n = 0, named = 0; k < imp->count; k++) {
			uint32_t v = imp->members[k];

			if (!(c->in &
			      (1u << hw_sc_overall(hw_graph_effective(g, v)))))
				continue;
			n++;
			if (named == ASSETS_NAMED)
				continue;
			if (named++ > 0)
				hwp_text_add(&list, b, ", ");
			hwp_text_add(&list, b, hw_graph_id(g, v));
		}
		if (n > named) {
			snprintf(more, sizeof more,
				 " +%zu more (see Affected CIs)", n - named);
			hwp_text_add(&list, b, more);
		}
		hwp_table_row(&t);
		hwp_table_str(&t, CC_ID,
			      hw_control_label(c->id, id, sizeof id));
		hwp_table_str(&t, CC_TITLE, c->title);
		hwp_table_str(&t, CC_FAMILY, c->family);
		hwp_table_str(&t, CC_WHY, e->item[i].why);
		hwp_table_str(&t, CC_BASELINES, bases.s);
		hwp_table_num(&t, CC_COUNT, (double)n);
		hwp_table_str(&t, CC_ASSETS, list.s);
	}
	hwp_table_end(&t);
	free(list.s);
	free(bases.s);
}

static void write_summary(struct hwp_form *f, const struct hw_graph *g,
			  const struct hw_impact *imp,
			  const struct hw_impact_summary *sum,
			  const struct hw_change_scope *c,
			  const struct hw_report_opts *o, time_t now,
			  const struct engaged *e)
{
	static const char *const owner_head[] = {"Owner", "Affected assets"};
	static const char *const service_head[] = {"Business service", "Name"};
	struct hwp_book *b = f->book;
	struct hwp_text tx = {0};
	enum hw_level route_colour, l;
	char note[512], label[160], why[512];
	size_t i;
	int x;

	hwp_form_title(f, "Change impact report");
	hwp_form_text(f, "Organisation", o->organisation);
	hwp_form_date(f, "Generated", now);
	for (i = 0; i < c->ntargets; i++) {
		if (i > 0)
			hwp_text_add(&tx, b, ", ");
		hwp_text_add(&tx, b, c->targets[i]);
	}
	hwp_form_text(f, c->ntargets == 1 ? "Target" : "Targets", tx.s);
	hwp_form_text(f, "Direction", direction_text(c->opts->direction));
	if (c->opts->depth < 0)
		hwp_form_text(f, "Depth", "no limit");
	else
		hwp_form_num(f, "Depth", c->opts->depth);
	hwp_text_clear(&tx);
	for (i = 0; hw_dep_types[i] != NULL; i++)
		if (c->opts->types & (1u << i)) {
			if (tx.len > 0)
				hwp_text_add(&tx, b, ", ");
			hwp_text_add(&tx, b, hw_dep_types[i]);
		}
	hwp_form_text(f, "Dependency types", tx.len ? tx.s : "all");
	route_colour = sum->route == HW_ROUTE_FULL_CAB	   ? HW_LEVEL_HIGH
		       : sum->route == HW_ROUTE_CAB_REVIEW ? HW_LEVEL_MODERATE
							   : HW_LEVEL_LOW;
	hwp_form_coloured(f, "Recommended route", hw_route_name(sum->route),
			  route_colour);
	hwp_form_text(f, "Why",
		      hw_impact_route_reason(g, imp, sum, c->full_cab,
					     c->cab_review, why, sizeof why));
	if (*hwp_book_split_note(b, note, sizeof note) != '\0')
		hwp_form_text(f, "Note", note);

	hwp_form_section(f, "Highest effective level");
	for (x = 0; x < HW_NOBJ; x++) {
		snprintf(label, sizeof label, "%s", hw_objective_name(x));
		label[0] = (char)(label[0] - 'a' + 'A');
		hwp_form_level(f, label, sum->highest.v[x]);
	}
	hwp_form_level(f, "Overall", sum->top);

	hwp_form_section(f, "Affected assets");
	hwp_form_num(f, "Assets affected", (double)imp->count);
	hwp_form_num(f, "HIGH", (double)sum->count[HW_LEVEL_HIGH]);
	hwp_form_num(f, "MODERATE", (double)sum->count[HW_LEVEL_MODERATE]);
	hwp_form_num(f, "LOW", (double)sum->count[HW_LEVEL_LOW]);
	hwp_form_num(f, "UNCATEGORIZED", (double)sum->count[HW_LEVEL_NONE]);
	hwp_form_num(f, "Of these, at least (partly categorized)",
		     (double)sum->partial);
	hwp_form_num(f, "On a dependency cycle", (double)sum->on_cycle);

	hwp_form_section(f, "Controls to re-check");
	if (sum->count[HW_LEVEL_HIGH] + sum->count[HW_LEVEL_MODERATE] +
		sum->count[HW_LEVEL_LOW] ==
	    0)
		hwp_form_text(f, "None",
			      "no affected asset has an overall level (all "
			      "uncategorized): the controls they need are "
			      "unknown");
	for (l = HW_LEVEL_HIGH; l >= HW_LEVEL_LOW; l--)
		if (sum->count[l] > 0) {
			snprintf(label, sizeof label,
				 "Assets needing the %s baseline",
				 hw_baseline_name(l));
			hwp_form_num(f, label, (double)sum->count[l]);
		}
	hwp_form_num(f, "Controls the change engages",
		     (double)engaged_kept(e, sum));
	hwp_form_text(f, "Chosen from",
		      e->n > 0 ? "the SP 800-53 Rev. 5 controls a change "
				 "engages (configuration change, impact "
				 "analysis, flaw remediation, testing) that "
				 "a touched asset's baseline selects"
			       : "no list of the controls a change engages "
				 "was given");

	hwp_form_section(f, "Owners to notify");
	hwp_form_num(f, "Owners", (double)sum->nowners);
	if (sum->nowners > 0)
		hwp_form_head(f, owner_head, 2);
	for (i = 0; i < sum->nowners && i < LIST_MAX; i++)
		hwp_form_num(f, sum->owners[i].name,
			     (double)sum->owners[i].count);
	if (sum->nowners > LIST_MAX) {
		snprintf(label, sizeof label, "and %zu more",
			 sum->nowners - LIST_MAX);
		hwp_form_text(f, label, "see the Owners sheet");
	}
	if (sum->unowned.count > 0)
		hwp_form_num(f, "Assets with no owner",
			     (double)sum->unowned.count);

	hwp_form_section(f, "Business services touched");
	hwp_form_num(f, "Business services", (double)sum->nservices);
	if (sum->nservices > 0)
		hwp_form_head(f, service_head, 2);
	for (i = 0; i < sum->nservices && i < LIST_MAX; i++)
		hwp_form_text(f, hw_graph_id(g, sum->services[i]),
			      hw_graph_name(g, sum->services[i]));
	if (sum->nservices > LIST_MAX) {
		snprintf(label, sizeof label, "and %zu more",
			 sum->nservices - LIST_MAX);
		hwp_form_text(f, label,
			      "filter Type for business_service on Affected "
			      "CIs");
	}

	hwp_form_tables(f);
	hwp_form_end(f);
	free(tx.s);
}

/* "Change impact: a", "Change impact: a +2 more". */
static void change_title(const struct hw_change_scope *c, char *buf, size_t size)
{
	snprintf(buf, size, "Change impact: %.*s", HW_ID_MAX,
		 c->ntargets > 0 ? c->targets[0] : "");
	if (c->ntargets > 1)
		snprintf(buf + strlen(buf), size - strlen(buf), " +%zu more",
			 c->ntargets - 1);
}

int hw_report_change(const struct hw_graph *g, const struct hw_impact *imp,
		     const struct hw_impact_summary *sum,
		     const struct hw_change_scope *change,
		     const struct hw_report_opts *o, const char *path,
		     struct hw_report_info *info, struct hw_error *err)
{
	struct engaged *e = malloc(sizeof *e);
	const struct hw_impact_owner **owners = NULL;
	struct hwp_book *b = NULL;
	struct hwp_form summary;
	size_t *order = NULL;
	time_t now = o->now ? o->now : time(NULL);
	char title[256];
	long nowners;
	int ok = 0;

	if (e == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (engaged_load(e, o->baselines_csv, o->change_controls_csv, err) <
	    0) {
		free(e);
		return -1;
	}
	change_title(change, title, sizeof title);
	b = hwp_book_open(path, o->force, o->mode, o->row_limit, title,
			  "What the change touches, for the change advisory "
			  "board",
			  o->organisation, now, err);
	if (b == NULL) {
		engaged_release(e);
		free(e);
		return -1;
	}
	nowners = group_owners(g, imp, sum, &owners, &order);
	if (nowners < 0) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	hwp_book_progress(b, o, (long long)imp->count + nowners);
	/* The Summary comes first but is written last: it tells how the
	 * tables were split. */
	hwp_form_begin(&summary, b, "Summary");
	write_affected(b, g, imp);
	write_owners(b, g, imp, owners, (size_t)nowners, order);
	write_controls(b, g, imp, sum, e);
	write_summary(&summary, g, imp, sum, change, o, now, e);
	ok = 1;
	hwp_book_info(b, imp->count, info);
out:
	free(owners);
	free(order);
	engaged_release(e);
	free(e);
	return hwp_book_close(b, ok, err) == 0 && ok ? 0 : -1;
}

/*
 * report-plan.c: the managers' workbook, the protection plan.  A
 * Summary (counts by risk band, overall level and required baseline,
 * the ten highest risks, controls to add by family, data quality, two
 * charts), the risk register with every factor and its contribution,
 * the plan's actions per asset, the categorization with what raised
 * it, the SP 800-53B controls each baseline brings, and the
 * data-quality findings.  The register and the plan are in rank order,
 * the categorization in id order; every table continues on further
 * worksheets past the row limit.
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "hw-xlsx.h"

#define TOP 10 /* highest risks named on the Summary */

/* What the sheets learn for the Summary. */
struct plan {
	struct hw_store *st;
	struct hw_graph *g;
	const struct hw_weights *w;
	const struct hw_baselines *bl;
	struct hwp_book *b;
	size_t n;
	struct hw_plan_summary sum;
	struct {
		char id[HW_ID_MAX + 1];
		char name[128];
		double score;
		enum hw_band band;
		char reasons[256];
		char action[64];
	} top[TOP];
	size_t ntop;
	size_t severity[HW_SEV_HIGH + 1], kind[HW_FIND_COUNT], findings;
};

/* "HIGH", "at least MODERATE" (a lower bound) or "UNKNOWN". */
static const char *required_text(const struct hw_risk *r)
{
	return r->required ? hw_overall_text((enum hw_level)r->required,
					     r->required_exact, 0)
			   : "UNKNOWN";
}

/* ------------------------------------------------------------------ */
/* Risk register                                                       */

enum {
	R_ID,
	R_NAME,
	R_SCORE,
	R_BAND,
	R_REASONS,
	R_RANK,
	R_TYPE,
	R_OWNER,
	R_C,
	R_I,
	R_A,
	R_OVERALL,
	R_BASELINE,
	R_IMPACT,
	R_LIKELIHOOD,
	R_TERM, /* one column per enum hw_term */
	R_DEPENDENTS = R_TERM + HW_T_COUNT,
	R_ESTIMATED,
	R_WEIGHTED,
	R_BLAST,
	R_MULTIPLIER,
	R_INTERNET,
	R_VULNS,
	R_CVSS,
	R_PATCHED,
	R_EOL,
	R_AUTHORIZED,
	R_IMPLEMENTED,
	R_DOWNTIME,
	R_NCOLS
};

/* The asset, its score and why first: what a reader needs on paper.
 * Its print area runs to Likelihood (the rest: the score's terms, blast
 * and the inputs, stay in the sheet); every page repeats the id, name,
 * score and band. */
static const struct hwp_col register_cols[R_NCOLS] = {
    {"Asset", HWP_COL_KEY | HWP_COL_PRINT},
    {"Name", HWP_COL_KEY | HWP_COL_NAME | HWP_COL_PRINT},
    {"Score", HWP_COL_DEC1 | HWP_COL_KEY | HWP_COL_PRINT},
    {"Band", HWP_COL_BAND | HWP_COL_KEY | HWP_COL_PRINT},
    {"Main reasons", HWP_COL_NOTE | HWP_COL_PRINT},
    {"Rank", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Type", HWP_COL_PRINT},
    {"Owner", HWP_COL_PRINT},
    {"Confidentiality", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Integrity", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Availability", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Overall", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Required baseline", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Impact", HWP_COL_DEC3 | HWP_COL_PRINT},
    {"Likelihood", HWP_COL_DEC3 | HWP_COL_PRINT},
    {"+ base", HWP_COL_DEC3},
    {"+ internet", HWP_COL_DEC3},
    {"+ cvss", HWP_COL_DEC3},
    {"+ vulnerabilities", HWP_COL_DEC3},
    {"+ patch_age", HWP_COL_DEC3},
    {"+ end_of_life", HWP_COL_DEC3},
    {"+ unauthorized", HWP_COL_DEC3},
    {"+ baseline_gap", HWP_COL_DEC3},
    {"+ fragility", HWP_COL_DEC3},
    {"Dependents", HWP_COL_NUMBER},
    {"Estimated", 0},
    {"Weighted dependents", HWP_COL_DEC1},
    {"Blast", HWP_COL_DEC3},
    {"Multiplier", HWP_COL_DEC3},
    {"internet_facing", 0},
    {"vulnerabilities", HWP_COL_NUMBER},
    {"worst_cvss", HWP_COL_DEC1},
    {"last_patched", HWP_COL_DATE},
    {"end_of_life", HWP_COL_DATE},
    {"authorized", 0},
    {"implemented_baseline", 0},
    {"downtime_cost", HWP_COL_NUMBER},
};

static void write_register(struct plan *p, const struct hw_risk_entry *reg)
{
	const struct hw_weights *w = p->w;
	struct hw_action act[HW_ACT_COUNT];
	struct hwp_table t;
	char buf[32], why[256];
	size_t i, na;
	int x;

	hwp_table_begin(&t, p->b, "Risk register", register_cols, R_NCOLS);
	hwp_table_bands(&t, R_SCORE, w->v[HW_W_BAND_MODERATE],
			w->v[HW_W_BAND_HIGH], w->v[HW_W_BAND_VERY_HIGH]);
	for (i = 0; i < p->n && hwp_book_ok(p->b); i++) {
		const struct hw_risk_entry *e = &reg[i];
		const struct hw_risk *r = &e->risk;
		const struct hw_factors *f = &e->in.factors;
		uint32_t v = e->node;

		hw_risk_reasons(w, &e->in, r, e->estimated, why, sizeof why);
		if (p->ntop < TOP) {
			const char *name = hw_graph_name(p->g, v);

			na = hw_plan_actions(
			    w, &e->in, r, hw_graph_own(p->g, v),
			    hw_graph_owner(p->g, v) != NULL, p->bl, act);
			snprintf(p->top[p->ntop].id, sizeof p->top[p->ntop].id,
				 "%s", hw_graph_id(p->g, v));
			snprintf(p->top[p->ntop].name,
				 sizeof p->top[p->ntop].name, "%s",
				 name ? name : "");
			snprintf(p->top[p->ntop].reasons,
				 sizeof p->top[p->ntop].reasons, "%s", why);
			snprintf(p->top[p->ntop].action,
				 sizeof p->top[p->ntop].action, "%s",
				 na > 0 ? hw_action_name(act[0].kind) : "");
			p->top[p->ntop].band = r->band;
			p->top[p->ntop++].score = r->score;
		}
		hwp_table_row(&t);
		hwp_table_str(&t, R_ID, hw_graph_id(p->g, v));
		hwp_table_str(&t, R_NAME, hw_graph_name(p->g, v));
		hwp_table_num(&t, R_SCORE, r->score);
		hwp_table_str(&t, R_BAND, hw_band_name(r->band));
		hwp_table_str(&t, R_REASONS, why);
		hwp_table_num(&t, R_RANK, (double)e->rank);
		hwp_table_str(&t, R_TYPE, hw_graph_type(p->g, v));
		hwp_table_str(&t, R_OWNER, hw_graph_owner(p->g, v));
		for (x = 0; x < HW_NOBJ; x++)
			hwp_table_level(&t, R_C + x, e->in.effective.v[x]);
		hwp_table_str(&t, R_OVERALL,
			      hw_sc_overall_text(&e->in.effective, 0));
		hwp_table_str(&t, R_BASELINE, required_text(r));
		hwp_table_num(&t, R_IMPACT, r->impact);
		hwp_table_num(&t, R_LIKELIHOOD, r->likelihood);
		for (x = 0; x < HW_T_COUNT; x++)
			hwp_table_num(&t, R_TERM + x, r->term[x]);
		hwp_table_num(&t, R_DEPENDENTS,
			      (double)(long long)(e->in.dependents + 0.5));
		hwp_table_bool(&t, R_ESTIMATED, e->estimated);
		hwp_table_num(&t, R_WEIGHTED, e->in.weighted);
		hwp_table_num(&t, R_BLAST, r->blast);
		hwp_table_num(&t, R_MULTIPLIER, r->multiplier);
		hwp_table_bool(&t, R_INTERNET, e->in.internet_facing);
		if (f->known & HW_F_BIT(HW_F_VULNERABILITIES))
			hwp_table_num(&t, R_VULNS, f->vulnerabilities);
		if (f->known & HW_F_BIT(HW_F_WORST_CVSS))
			hwp_table_num(&t, R_CVSS, f->worst_cvss);
		if (f->known & HW_F_BIT(HW_F_LAST_PATCHED))
			hwp_table_date(&t, R_PATCHED, f->last_patched);
		if (f->known & HW_F_BIT(HW_F_END_OF_LIFE))
			hwp_table_date(&t, R_EOL, f->end_of_life);
		if (f->known & HW_F_BIT(HW_F_AUTHORIZED))
			hwp_table_bool(&t, R_AUTHORIZED, f->authorized);
		if (f->known & HW_F_BIT(HW_F_BASELINE))
			hwp_table_str(&t, R_IMPLEMENTED,
				      hw_factor_text(f, HW_F_BASELINE, buf));
		if (f->known & HW_F_BIT(HW_F_DOWNTIME_COST))
			hwp_table_num(&t, R_DOWNTIME, f->downtime_cost);
	}
	hwp_table_end(&t);
}

/* ------------------------------------------------------------------ */
/* Protection plan                                                     */

enum {
	P_ID,
	P_NAME,
	P_RANK,
	P_OWNER,
	P_SCORE,
	P_BAND,
	P_REQUIRED,
	P_IMPLEMENTED,
	P_GAP,
	P_ACTIONS,
	P_NEXT,
	P_ACTION, /* one column per action, most valuable first */
	P_NCOLS = P_ACTION + HW_ACT_COUNT
};

/* Printed: the asset to its first action; the actions stay in the sheet. */
static const struct hwp_col plan_cols[P_NCOLS] = {
    {"Asset", HWP_COL_KEY | HWP_COL_PRINT},
    {"Name", HWP_COL_KEY | HWP_COL_NAME | HWP_COL_PRINT},
    {"Rank", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Owner", HWP_COL_PRINT},
    {"Score", HWP_COL_DEC1 | HWP_COL_PRINT},
    {"Band", HWP_COL_BAND | HWP_COL_PRINT},
    {"Required baseline", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Implemented baseline", HWP_COL_PRINT},
    {"Controls to add", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Actions", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"First action", HWP_COL_PRINT},
    {"Action 1", HWP_COL_WIDE},
    {"Action 2", HWP_COL_WIDE},
    {"Action 3", HWP_COL_WIDE},
    {"Action 4", HWP_COL_WIDE},
    {"Action 5", HWP_COL_WIDE},
    {"Action 6", HWP_COL_WIDE},
    {"Action 7", HWP_COL_WIDE},
    {"Action 8", HWP_COL_WIDE},
};

static void write_plan(struct plan *p, const struct hw_risk_entry *reg)
{
	const struct hw_weights *w = p->w;
	struct hw_action act[HW_ACT_COUNT];
	struct hwp_table t;
	char text[512];
	size_t i, k, na;

	hwp_table_begin(&t, p->b, "Protection plan", plan_cols, P_NCOLS);
	hwp_table_bands(&t, P_SCORE, w->v[HW_W_BAND_MODERATE],
			w->v[HW_W_BAND_HIGH], w->v[HW_W_BAND_VERY_HIGH]);
	for (i = 0; i < p->n && hwp_book_ok(p->b); i++) {
		const struct hw_risk_entry *e = &reg[i];
		uint32_t v = e->node;

		na = hw_plan_actions(w, &e->in, &e->risk, hw_graph_own(p->g, v),
				     hw_graph_owner(p->g, v) != NULL, p->bl,
				     act);
		hwp_table_row(&t);
		hwp_table_str(&t, P_ID, hw_graph_id(p->g, v));
		hwp_table_str(&t, P_NAME, hw_graph_name(p->g, v));
		hwp_table_num(&t, P_RANK, (double)e->rank);
		hwp_table_str(&t, P_OWNER, hw_graph_owner(p->g, v));
		hwp_table_num(&t, P_SCORE, e->risk.score);
		hwp_table_str(&t, P_BAND, hw_band_name(e->risk.band));
		hwp_table_str(&t, P_REQUIRED, required_text(&e->risk));
		hwp_table_str(&t, P_IMPLEMENTED,
			      hw_factors_baseline_text(&e->in.factors));
		if (e->risk.required == 0) /* uncategorized: the gap is unknown */
			hwp_table_str(&t, P_GAP, "unknown");
		else
			hwp_table_num(&t, P_GAP,
				      (double)hw_plan_control_gap(e, p->bl));
		hwp_table_num(&t, P_ACTIONS, (double)na);
		if (na > 0)
			hwp_table_str(&t, P_NEXT, hw_action_name(act[0].kind));
		for (k = 0; k < na; k++) {
			if (act[k].gain > 0)
				snprintf(text, sizeof text, "%zu. %s (-%.1f): %s",
					 k + 1, hw_action_name(act[k].kind),
					 act[k].gain, act[k].reason);
			else
				snprintf(text, sizeof text, "%zu. %s: %s",
					 k + 1, hw_action_name(act[k].kind),
					 act[k].reason);
			hwp_table_str(&t, P_ACTION + (int)k, text);
		}
	}
	hwp_table_end(&t);
}

/* ------------------------------------------------------------------ */
/* Categorization                                                      */

/* Information types by graph node: (node, type) pairs in scan order,
 * then grouped by node with a counting sort. */
struct types {
	const struct hw_graph *g;
	struct hwp_arena arena;
	struct {
		uint32_t node;
		const char *type;
	} *pair, *sorted;
	size_t n, cap;
	size_t *start; /* per node, then one past the last */
	const char *last; /* the previous type id, copied once */
};

static int on_type(void *ctx, const void *row)
{
	const struct hwp_adjusted_row *r = row;
	struct types *t = ctx;
	uint32_t v = hwp_graph_node(t->g, r->n);

	if (v == UINT32_MAX || r->info_type == NULL)
		return 0;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		void *grown = realloc(t->pair, cap * sizeof *t->pair);

		if (grown == NULL)
			return -1;
		t->pair = grown;
		t->cap = cap;
	}
	/* Few distinct types: keep one copy of a run of the same. */
	if (t->last == NULL || strcmp(t->last, r->info_type) != 0)
		t->last = hwp_arena_dup(&t->arena, r->info_type);
	if (t->last == NULL)
		return -1;
	t->pair[t->n].node = v;
	t->pair[t->n++].type = t->last;
	return 0;
}

static int types_read(struct types *t, struct hw_store *st,
		      const struct hw_graph *g, struct hw_error *err)
{
	size_t n = hw_graph_size(g), i;

	t->g = g;
	if (hwp_scan_types(st, on_type, t, err) < 0)
		return err && err->code != HW_OK
			   ? -1
			   : hw_error_set(err, HW_ENOMEM, "out of memory");
	t->start = calloc(n + 2, sizeof *t->start);
	t->sorted = malloc((t->n + 1) * sizeof *t->sorted);
	if (t->start == NULL || t->sorted == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++)
		t->start[t->pair[i].node + 2]++;
	for (i = 2; i <= n + 1; i++)
		t->start[i] += t->start[i - 1];
	for (i = 0; i < t->n; i++)
		t->sorted[t->start[t->pair[i].node + 1]++] = t->pair[i];
	free(t->pair);
	t->pair = NULL;
	return 0;
}

static void types_release(struct types *t)
{
	hwp_arena_free(&t->arena);
	free(t->pair);
	free(t->sorted);
	free(t->start);
}

enum {
	C_ID,
	C_NAME,
	C_TYPE,
	C_OWN,	    /* own C, I, A */
	C_EFF = C_OWN + HW_NOBJ, /* effective C, I, A */
	C_OVERALL = C_EFF + HW_NOBJ,
	C_BASELINE,
	C_RAISED, /* per objective: raised by, path */
	C_TYPES = C_RAISED + 2 * HW_NOBJ,
	C_NCOLS
};

/* Printed: the asset, its own and effective levels and its baseline; the
 * reasons and paths stay in the sheet. */
static const struct hwp_col categorization_cols[C_NCOLS] = {
    {"Asset", HWP_COL_KEY | HWP_COL_PRINT},
    {"Name", HWP_COL_KEY | HWP_COL_NAME | HWP_COL_PRINT},
    {"Type", HWP_COL_PRINT},
    {"Own confidentiality", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Own integrity", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Own availability", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Confidentiality", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Integrity", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Availability", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Overall", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Baseline", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Confidentiality raised by", 0},
    {"Confidentiality path", HWP_COL_WIDE},
    {"Integrity raised by", 0},
    {"Integrity path", HWP_COL_WIDE},
    {"Availability raised by", 0},
    {"Availability path", HWP_COL_WIDE},
    {"Information types", HWP_COL_WIDE},
};

static int write_categorization(struct plan *p, struct hw_error *err)
{
	const struct hw_graph *g = p->g;
	struct types ty = {0};
	struct hwp_text text = {0};
	struct hwp_table t;
	uint32_t *order = malloc((p->n + 1) * sizeof *order);
	uint32_t *path = malloc((p->n + 1) * sizeof *path);
	size_t i, k, len;
	int x;

	if (order == NULL || path == NULL) {
		free(order);
		free(path);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if (types_read(&ty, p->st, g, err) < 0) {
		types_release(&ty);
		free(order);
		free(path);
		return -1;
	}
	for (i = 0; i < p->n; i++)
		order[i] = (uint32_t)i;
	hw_graph_sort_by_id(g, order, p->n);
	hwp_table_begin(&t, p->b, "Categorization", categorization_cols,
			C_NCOLS);
	for (i = 0; i < p->n && hwp_book_ok(p->b); i++) {
		uint32_t v = order[i];
		const struct hw_sc *own = hw_graph_own(g, v);
		const struct hw_sc *eff = hw_graph_effective(g, v);

		hwp_table_row(&t);
		hwp_table_str(&t, C_ID, hw_graph_id(g, v));
		hwp_table_str(&t, C_NAME, hw_graph_name(g, v));
		hwp_table_str(&t, C_TYPE, hw_graph_type(g, v));
		for (x = 0; x < HW_NOBJ; x++) {
			hwp_table_level(&t, C_OWN + x, own->v[x]);
			hwp_table_level(&t, C_EFF + x, eff->v[x]);
		}
		hwp_table_str(&t, C_OVERALL, hw_sc_overall_text(eff, 0));
		hwp_table_str(&t, C_BASELINE,
			      hw_sc_overall(eff) != HW_LEVEL_NONE
				  ? hw_sc_overall_text(eff, 0)
				  : "UNKNOWN");
		for (x = 0; x < HW_NOBJ; x++) {
			long by = hw_graph_raised_by(g, v, (enum hw_objective)x);

			if (by < 0)
				continue;
			hwp_table_str(&t, C_RAISED + 2 * x,
				      hw_graph_id(g, (uint32_t)by));
			len = hw_graph_raised_path(g, v, (enum hw_objective)x,
						   path, p->n);
			hwp_text_clear(&text);
			for (k = 0; k < len && k < p->n; k++) {
				if (k > 0)
					hwp_text_add(&text, p->b, " -> ");
				hwp_text_add(&text, p->b,
					     hw_graph_id(g, path[k]));
			}
			hwp_table_str(&t, C_RAISED + 2 * x + 1, text.s);
		}
		hwp_text_clear(&text);
		for (k = ty.start[v]; k < ty.start[v + 1]; k++) {
			if (k > ty.start[v])
				hwp_text_add(&text, p->b, ", ");
			hwp_text_add(&text, p->b, ty.sorted[k].type);
		}
		hwp_table_str(&t, C_TYPES, text.s);
	}
	hwp_table_end(&t);
	free(text.s);
	types_release(&ty);
	free(order);
	free(path);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Controls                                                            */

enum {
	K_ID,
	K_FAMILY,
	K_TITLE,
	K_LOW,
	K_MODERATE,
	K_HIGH,
	K_NEEDED,
	K_MISSING,
	K_UNKNOWN,
	K_NCOLS
};

/* Printed: all but the count of uncategorized assets. */
static const struct hwp_col control_cols[K_NCOLS] = {
    {"Control", HWP_COL_KEY | HWP_COL_PRINT},
    {"Family", HWP_COL_PRINT},
    {"Title", HWP_COL_WIDE | HWP_COL_PRINT},
    {"LOW", HWP_COL_PRINT},
    {"MODERATE", HWP_COL_PRINT},
    {"HIGH", HWP_COL_PRINT},
    {"Assets needing it", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Assets without it", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Uncategorized assets (need unknown)", HWP_COL_NUMBER},
};

/* Assets whose required baseline holds control c, and of those the
 * ones whose implemented baseline (none when not recorded) does not. */
static void control_counts(const struct plan *p, const struct hw_control *c,
			   size_t *needed, size_t *missing)
{
	int req;

	*needed = 0;
	for (req = HW_LEVEL_LOW; req <= HW_LEVEL_HIGH; req++)
		if (c->in & (1u << req))
			*needed += p->sum.required[req];
	*missing = hw_control_gap(c, &p->sum.pairs);
}

static void write_controls(struct plan *p)
{
	struct hwp_table t;
	size_t i, needed, missing;
	char id[64];

	hwp_table_begin(&t, p->b, "Controls", control_cols, K_NCOLS);
	for (i = 0; i < p->bl->count && hwp_book_ok(p->b); i++) {
		const struct hw_control *c = &p->bl->controls[i];

		control_counts(p, c, &needed, &missing);
		hwp_table_row(&t);
		hwp_table_str(&t, K_ID, hw_control_label(c->id, id, sizeof id));
		hwp_table_str(&t, K_FAMILY, c->family);
		hwp_table_str(&t, K_TITLE, c->title);
		hwp_table_bool(&t, K_LOW, (c->in >> HW_LEVEL_LOW) & 1);
		hwp_table_bool(&t, K_MODERATE, (c->in >> HW_LEVEL_MODERATE) & 1);
		hwp_table_bool(&t, K_HIGH, (c->in >> HW_LEVEL_HIGH) & 1);
		hwp_table_num(&t, K_NEEDED, (double)needed);
		hwp_table_num(&t, K_MISSING, (double)missing);
		hwp_table_num(&t, K_UNKNOWN,
			      (double)p->sum.required[HW_LEVEL_NONE]);
	}
	hwp_table_end(&t);
}

/* ------------------------------------------------------------------ */
/* Data quality                                                        */

enum { Q_SEVERITY, Q_FINDING, Q_ASSET, Q_OWNER, Q_DETAIL, Q_NCOLS };

static const struct hwp_col quality_cols[Q_NCOLS] = {
    {"Severity", HWP_COL_LEVEL_LOWER | HWP_COL_KEY},
    {"Finding", HWP_COL_KEY},
    {"Asset", HWP_COL_KEY},
    {"Owner", 0},
    {"Detail", HWP_COL_WIDE},
};

static int write_quality(struct plan *p, struct hw_error *err)
{
	struct hw_finding *f = NULL;
	struct hwp_table t;
	size_t n = 0, i;

	if (hw_check(p->st, p->g, &f, &n, err) < 0)
		return -1;
	hwp_table_begin(&t, p->b, "Data quality", quality_cols, Q_NCOLS);
	for (i = 0; i < n && hwp_book_ok(p->b); i++) {
		p->severity[f[i].severity]++;
		p->kind[f[i].kind]++;
		hwp_table_row(&t);
		hwp_table_str(&t, Q_SEVERITY, hw_severity_name(f[i].severity));
		hwp_table_str(&t, Q_FINDING, hw_finding_name(f[i].kind));
		hwp_table_str(&t, Q_ASSET, hw_graph_id(p->g, f[i].node));
		hwp_table_str(&t, Q_OWNER, hw_graph_owner(p->g, f[i].node));
		hwp_table_str(&t, Q_DETAIL, f[i].detail);
	}
	hwp_table_end(&t);
	p->findings = n;
	free(f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */

/* A section of four counts; the rows they take, for a chart. */
static void counted(struct hwp_form *f, const char *title,
		    const char *const *label, const size_t *count,
		    struct hwp_chart *c)
{
	int i;

	hwp_form_section(f, title);
	c->title = title;
	c->first = f->row;
	for (i = 0; i < 4; i++)
		hwp_form_num(f, label[i], (double)count[i]);
	c->last = f->row - 1;
}

/* The ten highest risks: name, score, band and first action, and under
 * each its main reasons across the row. */
static void top_risks(struct hwp_form *f, const struct plan *p)
{
	static const char *const head[] = {"Rank. asset", "Name", "Score",
					   "Band", "First action"};
	struct hwp_cell cell[4];
	char label[HW_ID_MAX + 16];
	size_t i;

	hwp_form_section(f, "Ten highest risks");
	if (p->ntop == 0) {
		hwp_form_text(f, "None", "no assets");
		return;
	}
	hwp_form_head(f, head, 5);
	for (i = 0; i < p->ntop; i++) {
		memset(cell, 0, sizeof cell);
		cell[0].text = p->top[i].name;
		cell[0].max = 34;
		cell[1].kind = HWP_CELL_DEC1;
		cell[1].num = p->top[i].score;
		cell[2].kind = HWP_CELL_COLOURED;
		cell[2].text = hw_band_name(p->top[i].band);
		cell[3].text = p->top[i].action;
		snprintf(label, sizeof label, "%zu. %s", i + 1, p->top[i].id);
		hwp_form_cells(f, label, cell, 4);
		hwp_form_text(f, "", p->top[i].reasons);
	}
}

static void write_summary(struct hwp_form *f, struct plan *p,
			  const struct hw_report_opts *o, time_t now,
			  int32_t today)
{
	/* Very high, high, moderate, low; HIGH, MODERATE, LOW, none. */
	static const lxw_color_t band_colours[] = {0x9C0006, 0xFF6B6B,
						   0xFFC000, 0x70AD47};
	static const lxw_color_t level_colours[] = {0xFF6B6B, 0xFFC000,
						    0x70AD47, 0xA6A6A6};
	static const double top_width[] = {20, 30, 6, 9, 14};
	struct hwp_chart bands = {0}, levels = {0};
	struct hwp_book *b = f->book;
	const struct hw_plan_summary *sum = &p->sum;
	size_t i, shown;
	const char *label4[4];
	size_t count4[4];
	char note[512], label[160];
	enum hw_level l;
	int k;

	/* The ten highest risks' columns; other values run on over them. */
	hwp_form_columns(f, 5, top_width);
	hwp_form_title(f, "Protection plan");
	hwp_form_text(f, "Organisation", o->organisation);
	hwp_form_day(f, "As of", today);
	hwp_form_date(f, "Generated", now);
	hwp_form_text(f, "Database", o->database);
	hwp_form_num(f, "Assets", (double)p->n);
	if (*hwp_book_split_note(b, note, sizeof note) != '\0')
		hwp_form_text(f, "Note", note);

	top_risks(f, p);

	for (k = 0; k < 4; k++) {
		label4[k] = hw_band_name((enum hw_band)(HW_BAND_VERY_HIGH - k));
		count4[k] = sum->band[HW_BAND_VERY_HIGH - k];
	}
	counted(f, "Assets by risk band", label4, count4, &bands);
	snprintf(label, sizeof label,
		 "from %.1f moderate, %.1f high, %.1f very high (band.*)",
		 p->w->v[HW_W_BAND_MODERATE], p->w->v[HW_W_BAND_HIGH],
		 p->w->v[HW_W_BAND_VERY_HIGH]);
	hwp_form_text(f, "Bands", label);
	/* HIGH, MODERATE, LOW, UNCATEGORIZED. */
	for (k = 0; k < 4; k++) {
		l = k < 3 ? (enum hw_level)(HW_LEVEL_HIGH - k) : HW_LEVEL_NONE;
		label4[k] = hw_level_upper(l);
		count4[k] = sum->overall[l];
	}
	counted(f, "Assets by overall level", label4, count4, &levels);

	hwp_form_section(f, "Assets by required baseline");
	for (l = HW_LEVEL_HIGH; l >= HW_LEVEL_LOW; l--) {
		snprintf(label, sizeof label, "%s baseline",
			 hw_baseline_name(l));
		hwp_form_num(f, label, (double)sum->required[l]);
	}
	hwp_form_num(f, "Unknown (uncategorized)",
		     (double)sum->required[HW_LEVEL_NONE]);
	hwp_form_num(f, "Of these, at least (partly categorized)",
		     (double)sum->bounds);
	hwp_form_num(f, "Implemented baseline recorded", (double)sum->recorded);

	hwp_form_section(f, "Controls to add by family (summed over assets)");
	for (i = 0, shown = 0; i < sum->nfamilies; i++)
		if (sum->family[i].controls > 0) {
			hwp_form_num(f, sum->family[i].family,
				     (double)sum->family[i].controls);
			shown++;
		}
	if (shown == 0)
		hwp_form_text(f, "None",
			      "no asset with a known required baseline lacks "
			      "a control of it");
	/* Their controls are unknown, not none: say how many. */
	hwp_form_num(f, "Unknown: uncategorized assets",
		     (double)sum->required[HW_LEVEL_NONE]);

	hwp_form_section(f, "Data quality (highwater check)");
	hwp_form_num(f, "Findings", (double)p->findings);
	for (k = HW_SEV_HIGH; k >= HW_SEV_LOW; k--) {
		snprintf(label, sizeof label, "Severity %s",
			 hw_severity_name((enum hw_severity)k));
		hwp_form_num(f, label, (double)p->severity[k]);
	}
	for (k = 0; k < HW_FIND_COUNT; k++)
		hwp_form_num(f, hw_finding_name((enum hw_finding_kind)k),
			     (double)p->kind[k]);
	hwp_form_text(f, "\"uncategorized\" findings",
		      "assets with no level of their own: they may inherit "
		      "one from what depends on them");
	hwp_form_text(f, "\"partly categorized\" findings",
		      "some objectives have no level even inherited: the "
		      "overall level and baseline are a lower bound");
	snprintf(note, sizeof note,
		 "no level at all, own or inherited: %zu (Assets by overall "
		 "level)",
		 sum->overall[HW_LEVEL_NONE]);
	hwp_form_text(f, "UNCATEGORIZED assets", note);

	hwp_form_tables(f);

	/* The charts side by side below the counts they show. */
	hwp_form_gap(f);
	bands.row = levels.row = f->row;
	bands.colours = band_colours;
	levels.colours = level_colours;
	levels.pie = 1;
	levels.x_offset = 430;
	hwp_form_chart(f, &bands);
	hwp_form_chart(f, &levels);
	hwp_form_space(f, 13);
	hwp_form_end(f);
}

int hw_report_plan(struct hw_store *st, struct hw_graph *g,
		   const struct hw_weights *w, int32_t today,
		   const struct hw_report_opts *o, const char *path,
		   struct hw_report_info *info, struct hw_error *err)
{
	struct hw_baselines bl = {0};
	struct hw_risk_entry *reg = NULL;
	struct hwp_book *b = NULL;
	struct hwp_form summary;
	struct plan *p = NULL;
	time_t now = o->now ? o->now : time(NULL);
	int ok = 0;

	if (hw_baselines_load(&bl, o->baselines_csv, err) < 0)
		return -1;
	p = calloc(1, sizeof *p);
	if (p == NULL) {
		hw_baselines_release(&bl);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	reg = hw_risk_register(st, g, w, today, err);
	if (reg == NULL)
		goto out;
	p->st = st;
	p->g = g;
	p->w = w;
	p->bl = &bl;
	p->n = hw_graph_size(g);
	hw_plan_summarize(reg, p->n, &bl, &p->sum);
	b = hwp_book_open(path, o->force, o->mode, o->row_limit, "Protection plan",
			  "What to protect first, and how, for managers",
			  o->organisation, now, err);
	if (b == NULL)
		goto out;
	p->b = b;
	/* The register, the plan and the categorization: a row an asset
	 * each; the rest is short. */
	hwp_book_progress(b, o, 3 * (long long)p->n);
	/* The Summary comes first but is written last: it tells how the
	 * tables were split.  The register goes before the findings so
	 * that the two are never in memory together. */
	hwp_form_begin(&summary, b, "Summary");
	write_register(p, reg);
	write_plan(p, reg);
	free(reg);
	reg = NULL;
	if (write_categorization(p, err) < 0)
		goto out;
	write_controls(p);
	if (write_quality(p, err) < 0)
		goto out;
	write_summary(&summary, p, o, now, today);
	ok = 1;
	hwp_book_info(b, p->n, info);
out:
	free(reg);
	free(p);
	hw_baselines_release(&bl);
	if (b == NULL)
		return -1;
	return hwp_book_close(b, ok, err) == 0 && ok ? 0 : -1;
}

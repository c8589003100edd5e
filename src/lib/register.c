/*
 * register.c: the risk register (every asset of a loaded graph scored
 * with the store's factors and ranked) and the data-quality findings
 * (highwater check), which read the same factors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw-private.h"

/* Factors by graph node, read in one scan: the (few) rows with data,
 * and per node the index of its row or UINT32_MAX. */
struct factor_ctx {
	const struct hw_graph *g;
	uint32_t *row_of;
	struct hwp_factor_row *rows;
	size_t n, cap;
	/* Fragility's inputs, the same way: the assets with history. */
	uint32_t *frag_of;
	struct hw_fragility *frag;
	size_t nfrag, capfrag;
	const struct hw_weights *w;
};

static int on_factors(void *ctx, const void *row)
{
	const struct hwp_factor_row *r = row;
	struct factor_ctx *c = ctx;
	uint32_t v = hwp_graph_node(c->g, r->n);

	if (v == UINT32_MAX)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct hwp_factor_row *g = realloc(c->rows, cap * sizeof *g);

		if (g == NULL)
			return -1;
		c->rows = g;
		c->cap = cap;
	}
	c->rows[c->n] = *r;
	c->row_of[v] = (uint32_t)c->n++;
	return 0;
}

static int read_factors(struct hw_store *st, struct factor_ctx *c,
			struct hw_error *err)
{
	size_t n = hw_graph_size(c->g);

	c->row_of = malloc((n + 1) * sizeof *c->row_of);
	if (c->row_of == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	memset(c->row_of, 0xff, (n + 1) * sizeof *c->row_of);
	return hwp_scan_factors(st, on_factors, c, err);
}

static int on_fragility(void *ctx, const void *row)
{
	const struct hwp_fragility_row *r = row;
	struct factor_ctx *c = ctx;
	uint32_t v = hwp_graph_node(c->g, r->n);

	if (v == UINT32_MAX)
		return 0;
	if (c->nfrag == c->capfrag) {
		size_t cap = c->capfrag ? c->capfrag * 2 : 64;
		struct hw_fragility *g = realloc(c->frag, cap * sizeof *g);

		if (g == NULL)
			return -1;
		c->frag = g;
		c->capfrag = cap;
	}
	c->frag[c->nfrag] = r->f;
	c->frag_of[v] = (uint32_t)c->nfrag++;
	return 0;
}

/* The fragility inputs of the assets with change or incident records
 * in the windows that end with day today. */
static int read_fragility(struct hw_store *st, struct factor_ctx *c,
			  int32_t today, struct hw_error *err)
{
	size_t n = hw_graph_size(c->g);
	struct hw_fragility_windows win;

	c->frag_of = malloc((n + 1) * sizeof *c->frag_of);
	if (c->frag_of == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	memset(c->frag_of, 0xff, (n + 1) * sizeof *c->frag_of);
	hw_fragility_windows(c->w, today, &win);
	return hwp_scan_fragility(st, win.changes_since, win.incidents_since,
				  win.repairs_since, win.until, on_fragility,
				  c, err);
}

static void factor_ctx_release(struct factor_ctx *c)
{
	free(c->row_of);
	free(c->rows);
	free(c->frag_of);
	free(c->frag);
}

/* The model's input for node v. */
static void input_of(const struct factor_ctx *fc, uint32_t v,
		     const double *count, const double *weighted,
		     int32_t today, struct hw_risk_input *in)
{
	memset(in, 0, sizeof *in);
	if (fc->row_of[v] != UINT32_MAX) {
		in->factors = fc->rows[fc->row_of[v]].f;
		in->internet_facing = fc->rows[fc->row_of[v]].internet_facing;
	}
	if (fc->frag_of != NULL && fc->frag_of[v] != UINT32_MAX) {
		double x;

		in->frag = fc->frag[fc->frag_of[v]];
		x = hw_fragility_value(fc->w, &in->frag, NULL);
		if (x >= 0) {
			in->factors.fragility = x;
			in->factors.known |= HW_F_BIT(HW_F_FRAGILITY);
		}
	}
	in->effective = *hw_graph_effective(fc->g, v);
	in->dependents = count[v];
	in->weighted = weighted[v];
	in->today = today;
}

/* Put e[ranked[i]] at e[i], for every i (ranked: a permutation of
 * 0..n-1), following each cycle of the permutation once, ranked
 * marking the places done (with HWP_NONE) as it goes. */
static void permute(struct hw_risk_entry *e, uint32_t *ranked, size_t n)
{
	struct hw_risk_entry held;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (ranked[i] == HWP_NONE || ranked[i] == i)
			continue;
		held = e[i];
		for (j = i; (k = ranked[j]) != i; j = k) {
			e[j] = e[k];
			ranked[j] = HWP_NONE;
		}
		e[j] = held;
		ranked[j] = HWP_NONE;
	}
}

struct hw_risk_entry *hw_risk_register(struct hw_store *st, struct hw_graph *g,
				       const struct hw_weights *w,
				       int32_t today, struct hw_error *err)
{
	size_t n = hw_graph_size(g), i, *start = NULL;
	struct hw_risk_entry *out = NULL;
	double *count = NULL, *weighted = NULL, lw[HW_LEVEL_HIGH + 1];
	unsigned char *est = NULL;
	const double *bcount, *bweighted;
	const unsigned char *best;
	uint32_t *order = NULL, *ranked = NULL;
	int16_t *tenths = NULL;
	struct factor_ctx fc = {0};

	if (hw_graph_is_closure(g)) {
		hw_error_set(err, HW_EINVAL,
			     "the risk register needs the whole graph");
		return NULL;
	}
	if (hw_graph_categorize(g, err) < 0)
		return NULL;
	order = malloc((n + 1) * sizeof *order);
	ranked = malloc((n + 1) * sizeof *ranked);
	tenths = malloc((n + 1) * sizeof *tenths);
	start = calloc(1002, sizeof *start);
	if (!order || !ranked || !tenths || !start) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	/* Blast radius weights are the level values of the model. */
	hw_risk_level_values(w, lw);
	fc.g = g;
	fc.w = w;
	/* the graph may carry it at these weights (from its snapshot) */
	if (!hw_graph_kept_blast(g, lw, &bcount, &bweighted, &best)) {
		count = malloc((n + 1) * sizeof *count);
		weighted = malloc((n + 1) * sizeof *weighted);
		est = malloc(n + 1);
		if (!count || !weighted || !est) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
		if (hw_graph_blast(g, lw, count, weighted, est, err) < 0)
			goto out;
		bcount = count;
		bweighted = weighted;
		best = est;
	}
	if (read_factors(st, &fc, err) < 0 ||
	    read_fragility(st, &fc, today, err) < 0)
		goto out;
	/* Every asset scored once, in node order; then the order (scores
	 * in tenths, 0 to 1000): by id, and a stable counting sort on the
	 * score, highest first; then the entries moved into it. */
	out = hwp_alloc_big((n + 1) * sizeof *out);
	if (out == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct hw_risk_entry *e = &out[i];

		e->node = (uint32_t)i;
		e->estimated = best[i];
		input_of(&fc, (uint32_t)i, bcount, bweighted, today, &e->in);
		hw_risk_score(w, &e->in, &e->risk);
		tenths[i] = (int16_t)lround(e->risk.score * 10);
		order[i] = (uint32_t)i;
	}
	hw_graph_sort_by_id(g, order, n);
	for (i = 0; i < n; i++)
		start[1000 - tenths[order[i]] + 1]++;
	for (i = 1; i <= 1001; i++)
		start[i] += start[i - 1];
	for (i = 0; i < n; i++)
		ranked[start[1000 - tenths[order[i]]]++] = order[i];
	permute(out, ranked, n);
	for (i = 0; i < n; i++)
		out[i].rank = (long)i + 1;
out:
	factor_ctx_release(&fc);
	free(count);
	free(weighted);
	free(est);
	free(order);
	free(ranked);
	free(tenths);
	free(start);
	return out;
}

/* ------------------------------------------------------------------ */
/* Data quality                                                        */

const char *hw_severity_name(enum hw_severity s)
{
	static const char *const names[] = {NULL, "low", "moderate", "high"};

	return s >= HW_SEV_LOW && s <= HW_SEV_HIGH ? names[s] : "?";
}

int hw_severity_parse(const char *s, enum hw_severity *out,
		      struct hw_error *err)
{
	enum hw_level l;

	if (s == NULL || hw_level_parse(s, 0, &l, NULL) < 0)
		return hw_error_set(err, HW_EINVAL,
				    "unknown severity \"%.40s\" (expected low, "
				    "moderate, high)",
				    s ? s : "");
	*out = (enum hw_severity)(l - HW_LEVEL_LOW + HW_SEV_LOW);
	return 0;
}

const char *hw_finding_name(enum hw_finding_kind k)
{
	static const char *const names[HW_FIND_COUNT] = {
	    "unauthorized",	 "uncategorized",     "incomplete levels",
	    "no owner",		 "under-categorized", "weak justification",
	    "partly categorized", "never authorized"};

	return (unsigned)k < HW_FIND_COUNT ? names[k] : "?";
}

struct findings {
	struct hw_finding *v;
	size_t n, cap;
	const struct hw_graph *g;
	int nomem;
};

static struct hw_finding *add(struct findings *f, enum hw_finding_kind k,
			      enum hw_severity s, uint32_t node)
{
	struct hw_finding *x;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct hw_finding *v = realloc(f->v, cap * sizeof *v);

		if (v == NULL) {
			f->nomem = 1;
			return NULL;
		}
		f->v = v;
		f->cap = cap;
	}
	x = &f->v[f->n++];
	x->kind = k;
	x->severity = s;
	x->node = node;
	x->detail[0] = '\0';
	return x;
}

/* A justification that says nothing: empty, a placeholder word, or too
 * short to explain a change of level. */
static int weak(const char *j)
{
	static const char *const words[] = {"tbd", "todo", "n/a", "na",
					    "none", "-", "?", "x", "...",
					    "fixme", "later", NULL};
	char t[16];
	size_t len, i;

	if (j == NULL)
		return 1;
	while (*j == ' ' || *j == '\t')
		j++;
	len = strlen(j);
	while (len > 0 && (j[len - 1] == ' ' || j[len - 1] == '\t' ||
			   j[len - 1] == '.'))
		len--;
	if (len < 10)
		return 1;
	if (len >= sizeof t)
		return 0;
	memcpy(t, j, len);
	t[len] = '\0';
	for (i = 0; words[i]; i++)
		if (strcasecmp(t, words[i]) == 0)
			return 1;
	return 0;
}

static int on_adjusted(void *ctx, const void *row)
{
	const struct hwp_adjusted_row *r = row;
	struct findings *f = ctx;
	uint32_t v = hwp_graph_node(f->g, r->n);
	struct hw_finding *x;

	if (v == UINT32_MAX || !weak(r->justification))
		return 0;
	x = add(f, HW_FIND_WEAK_JUSTIFICATION, HW_SEV_LOW, v);
	if (x == NULL)
		return -1;
	snprintf(x->detail, sizeof x->detail,
		 "information type %.40s adjusted with the justification "
		 "\"%.60s\"",
		 r->info_type ? r->info_type : "?",
		 r->justification ? r->justification : "");
	return 0;
}

/* Findings in order: most severe first, then by asset id, then kind.
 * The comparator reads keys copied beside each finding, never a global
 * (qsort has no context argument, and the library runs threads). */
struct finding_key {
	int severity, kind;
	const char *id;
	size_t at; /* index into the findings */
};

static int by_severity(const void *a, const void *b)
{
	const struct finding_key *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return y->severity - x->severity;
	c = strcmp(x->id, y->id);
	return c ? c : x->kind - y->kind;
}

static int sort_findings(const struct hw_graph *g, struct findings *f)
{
	struct finding_key *k = malloc(f->n * sizeof *k);
	struct hw_finding *sorted = malloc(f->n * sizeof *sorted);
	size_t i;

	if (k == NULL || sorted == NULL) {
		free(k);
		free(sorted);
		return -1;
	}
	for (i = 0; i < f->n; i++) {
		k[i].severity = (int)f->v[i].severity;
		k[i].kind = (int)f->v[i].kind;
		k[i].id = hw_graph_id(g, f->v[i].node);
		k[i].at = i;
	}
	qsort(k, f->n, sizeof *k, by_severity);
	for (i = 0; i < f->n; i++)
		sorted[i] = f->v[k[i].at];
	free(k);
	free(f->v);
	f->v = sorted;
	f->cap = f->n;
	return 0;
}

/* Append "<lead>confidentiality, integrity" (the objectives of sc
 * without a level) to a finding's detail. */
static void list_missing(struct hw_finding *x, const struct hw_sc *sc,
			 const char *lead)
{
	size_t len;
	int o;

	for (o = 0; o < HW_NOBJ; o++) {
		if (sc->v[o] != HW_LEVEL_NONE)
			continue;
		len = strlen(x->detail);
		snprintf(x->detail + len, sizeof x->detail - len, "%s%s",
			 len ? ", " : lead, hw_objective_name(o));
	}
}

int hw_check(struct hw_store *st, struct hw_graph *g, struct hw_finding **out,
	     size_t *n, struct hw_error *err)
{
	struct findings f = {0};
	struct factor_ctx fc = {0};
	size_t i, size = hw_graph_size(g);
	int o;

	f.g = g;
	if (hw_graph_is_closure(g))
		return hw_error_set(err, HW_EINVAL,
				    "checks need the whole graph");
	if (hw_graph_categorize(g, err) < 0)
		return -1;
	fc.g = g;
	if (read_factors(st, &fc, err) < 0 ||
	    hwp_scan_adjusted(st, on_adjusted, &f, err) < 0)
		goto fail;
	for (i = 0; i < size && !f.nomem; i++) {
		uint32_t v = (uint32_t)i;
		const struct hw_sc *own = hw_graph_own(g, v);
		const struct hw_sc *eff = hw_graph_effective(g, v);
		struct hw_finding *x;
		int complete = hw_sc_completeness(own);

		const struct hw_factors *fa =
		    fc.row_of[i] != UINT32_MAX ? &fc.rows[fc.row_of[i]].f : NULL;

		if (fa && (fa->known & HW_F_BIT(HW_F_AUTHORIZED)) &&
		    !fa->authorized &&
		    (x = add(&f, HW_FIND_UNAUTHORIZED, HW_SEV_HIGH, v)) != NULL)
			snprintf(x->detail, sizeof x->detail,
				 "nobody approved it into production");
		if ((fa == NULL || !(fa->known & HW_F_BIT(HW_F_AUTHORIZED))) &&
		    (x = add(&f, HW_FIND_AUTH_UNKNOWN, HW_SEV_LOW, v)) != NULL)
			snprintf(x->detail, sizeof x->detail,
				 "nobody recorded whether it is authorized "
				 "into production (asset authorize)");
		if (complete < 1) {
			/* How bad depends on what inheritance makes up
			 * for: nothing (high), part (moderate), all (low). */
			int missing = 0, covered = 0, inh;
			enum hw_severity sev;

			/* Only the objectives without an own level count. */
			for (o = 0; o < HW_NOBJ; o++)
				if (own->v[o] == HW_LEVEL_NONE) {
					missing++;
					covered += eff->v[o] != HW_LEVEL_NONE;
				}
			inh = covered == 0 ? -1 : covered < missing ? 0 : 1;
			sev = inh < 0	 ? HW_SEV_HIGH
			      : inh == 0 ? HW_SEV_MODERATE
					 : HW_SEV_LOW;

			x = add(&f,
				complete < 0 ? HW_FIND_UNCATEGORIZED
					     : HW_FIND_PARTIAL,
				sev, v);
			if (x != NULL) {
				list_missing(x, own, "no own ");
				snprintf(x->detail + strlen(x->detail),
					 sizeof x->detail - strlen(x->detail),
					 " level; %s",
					 inh < 0	 ? "nothing inherited either"
					 : inh == 0 ? "inherits only some"
						    : "inherits all three");
			}
		}
		if (hw_sc_partial(eff)) {
			/* The baseline is a lower bound: the further it may
			 * lie below HIGH, the more severe. */
			enum hw_level bound = hw_sc_overall(eff);

			x = add(&f, HW_FIND_LOWER_BOUND,
				bound < HW_LEVEL_MODERATE ? HW_SEV_HIGH
							  : HW_SEV_MODERATE,
				v);
			if (x != NULL) {
				list_missing(x, eff, "no ");
				snprintf(x->detail + strlen(x->detail),
					 sizeof x->detail - strlen(x->detail),
					 " level, even inherited: partly "
					 "categorized, baseline at least %s",
					 hw_baseline_name(bound));
			}
		}
		if (hw_graph_owner(g, v) == NULL &&
		    (x = add(&f, HW_FIND_NO_OWNER, HW_SEV_MODERATE, v)) != NULL)
			snprintf(x->detail, sizeof x->detail,
				 "nobody owns it, so nobody is notified of "
				 "changes");
		for (o = 0; o < HW_NOBJ; o++) {
			long by;

			if (own->v[o] == HW_LEVEL_NONE ||
			    (int)eff->v[o] - (int)hw_level_system(own->v[o]) <
				2)
				continue;
			x = add(&f, HW_FIND_UNDER_CATEGORIZED, HW_SEV_MODERATE,
				v);
			if (x == NULL)
				break;
			by = hw_graph_raised_by(g, v, (enum hw_objective)o);
			snprintf(x->detail, sizeof x->detail,
				 "own %s %s but %s inherits %s from %.64s: "
				 "likely mis-categorized",
				 hw_objective_name(o),
				 hw_level_name(own->v[o]), "it",
				 hw_level_name(eff->v[o]),
				 by >= 0 ? hw_graph_id(g, (uint32_t)by) : "?");
		}
	}
	if (f.nomem) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto fail;
	}
	if (f.n > 1 && sort_findings(g, &f) < 0) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto fail;
	}
	factor_ctx_release(&fc);
	*out = f.v;
	*n = f.n;
	return 0;
fail:
	factor_ctx_release(&fc);
	free(f.v);
	return -1;
}

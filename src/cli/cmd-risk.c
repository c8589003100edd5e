/*
 * cmd-risk.c: "highwater risk", the ranked risk register with every
 * factor's contribution, and the model's weights (--weights, --set).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis-graph.h"
#include "cmd.h"

/* v (>= 0) with dec decimals (0 to 3), as printf's "%.*f" writes it
 * for the values a register holds, without its cost: a million rows
 * print five numbers each.  buf holds at least 32 bytes. */
static const char *fixed(double v, int dec, char buf[32])
{
	static const long scale[] = {1, 10, 100, 1000};
	char tmp[32];
	long long t;
	int n = 0, i = 0;

	if (!(v >= 0 && v < 1e15)) {
		snprintf(buf, 32, "%.*f", dec, v);
		return buf;
	}
	t = llround(v * (double)scale[dec]);
	do {
		tmp[n++] = (char)('0' + t % 10);
		t /= 10;
	} while (t > 0 || n <= dec);
	while (n > 0) {
		if (n == dec)
			buf[i++] = '.';
		buf[i++] = tmp[--n];
	}
	buf[i] = '\0';
	return buf;
}

/* "M/H/L" for effective C/I/A, "?" for uncategorized. */
static const char *cia_letters(const struct hw_sc *sc, char buf[8])
{
	static const char letter[] = {'?', 'L', 'L', 'M', 'H'};
	int o;

	for (o = 0; o < HW_NOBJ; o++) {
		buf[2 * o] = letter[sc->v[o]];
		buf[2 * o + 1] = o + 1 < HW_NOBJ ? '/' : '\0';
	}
	return buf;
}

/* "fragility 0.60 (failed 2/4, incidents 3, mttr 6.5h)": the value
 * and its three inputs ("-" for a part without data). */
static void fragility_text(const struct hw_risk_input *in, char *buf,
			   size_t size)
{
	const struct hw_fragility *fr = &in->frag;
	char rate[24] = "-", mttr[24] = "-";

	if (fr->changes > 0)
		snprintf(rate, sizeof rate, "%d/%d", fr->failed, fr->changes);
	if (fr->repaired > 0)
		snprintf(mttr, sizeof mttr, "%.1fh", fr->repair_hours);
	snprintf(buf, size, "fragility %.2f (failed %s, incidents %d, mttr %s)",
		 in->factors.fragility, rate, fr->incidents, mttr);
}

/* The terms above zero, besides the base: "internet +0.250, ...". */
static void terms_text(const struct hw_risk_entry *e, char *buf, size_t size)
{
	const struct hw_factors *f = &e->in.factors;
	size_t len = 0;
	int t;

	buf[0] = '\0';
	for (t = HW_T_INTERNET; t < HW_T_COUNT; t++) {
		char what[96];

		if (e->risk.term[t] <= 0)
			continue;
		switch (t) {
		case HW_T_CVSS:
			snprintf(what, sizeof what, "cvss %.1f", f->worst_cvss);
			break;
		case HW_T_VULNS:
			snprintf(what, sizeof what, "vulnerabilities %d",
				 f->vulnerabilities);
			break;
		case HW_T_PATCH_AGE:
			snprintf(what, sizeof what, "patched %ldd ago",
				 (long)(e->in.today - f->last_patched));
			break;
		case HW_T_BASELINE_GAP:
			snprintf(what, sizeof what, "baseline gap %d",
				 e->risk.gap_steps);
			break;
		case HW_T_FRAGILITY:
			fragility_text(&e->in, what, sizeof what);
			break;
		default:
			snprintf(what, sizeof what, "%s",
				 hw_term_name((enum hw_term)t));
			break;
		}
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len,
						"%s%s +%.3f", len ? ", " : "",
						what, e->risk.term[t]);
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "-");
}

static int show_weights(struct cli *cli, const struct hw_weights *w)
{
	int i;

	if (cli->json)
		return cli_print_json(cli, hw_json_weights(w));
	printf("%-30s %10s %10s  %s\n", "WEIGHT", "VALUE", "DEFAULT",
	       "MEANING");
	for (i = 0; i < HW_W_COUNT; i++) {
		const struct hw_weight_def *d = &hw_weight_defs[i];

		printf("%-30s %10g %10g  %s%s\n", d->name, w->v[i], d->fallback,
		       d->about, w->v[i] != d->fallback ? " (changed)" : "");
	}
	return 0;
}

static int set_weights(struct cli *cli, char **sets, int nsets)
{
	struct hw_error err = {0};
	struct hw_weights w;
	int i, ok = 1;

	if (cli_begin(cli))
		return 1;
	for (i = 0; i < nsets && ok; i++) {
		char *eq = strchr(sets[i], '=');

		*eq = '\0';
		ok = hw_store_weight_set(cli->st, sets[i], eq + 1, &err) == 0;
		*eq = '=';
	}
	if (cli_finish(cli, ok, &err))
		return 1;
	if (hw_store_weights(cli->st, &w, &err) < 0)
		return cli_fail(cli, &err);
	return show_weights(cli, &w);
}

/* The document, written as it is computed: each row is made, written
 * and released in turn (answer-analysis.c). */
static int render_json(struct cli *cli, const struct hw_risk_view *v)
{
	struct hw_jstream js;

	cli_jstream_begin(cli, &js);
	hw_answer_risk(&js, v);
	return cli_jstream_end(cli, &js);
}

static void render_text(struct cli *cli, const struct hw_risk_view *v)
{
	const struct hw_graph *g = v->g;
	size_t i, wid = 5, wown = 5, wov = 8;
	char fbuf[400], cia[8], day[11];
	const char *ov;

	/* Column widths over the rows shown. */
	for (i = 0; i < v->shown; i++) {
		const char *o = hw_graph_owner(g, v->row[i]->node);

		if (strlen(hw_graph_id(g, v->row[i]->node)) > wid)
			wid = strlen(hw_graph_id(g, v->row[i]->node));
		if (o && strlen(o) > wown)
			wown = strlen(o);
		ov = hw_sc_overall_text(&v->row[i]->in.effective, 1);
		if (strlen(ov) > wov)
			wov = strlen(ov);
	}
	printf("%4s  %-*s  %-*s  %-5s  %-*s  %6s  %10s  %10s  %8s  "
	       "%5s  %5s  %-9s  %s\n",
	       "RANK", (int)wid, "ASSET", (int)wown, "OWNER", "C/I/A",
	       (int)wov, "OVERALL", "IMPACT", "LIKELIHOOD", "DEPENDENTS",
	       "WEIGHTED", "BLAST", "SCORE", "BAND", "LIKELIHOOD FACTORS");
	for (i = 0; i < v->shown; i++) {
		const struct hw_risk_entry *e = v->row[i];
		const char *o = hw_graph_owner(g, e->node);
		char dep[32], f1[32], f2[32], f3[32], f4[32], f5[32];

		terms_text(e, fbuf, sizeof fbuf);
		snprintf(dep, sizeof dep, "%s%s", e->estimated ? "~" : "",
			 fixed(e->in.dependents, 0, f1));
		printf("%4ld  %-*s  %-*s  %-5s  ", e->rank, (int)wid,
		       hw_graph_id(g, e->node), (int)wown, o ? o : "-",
		       cia_letters(&e->in.effective, cia));
		cli_put_levels(cli, stdout,
			       hw_sc_overall_text(&e->in.effective, 1),
			       (int)wov);
		printf("  %6s  %10s  %10s  %8s  %5s  %5s  %-9s  %s\n",
		       fixed(e->risk.impact, 3, f1),
		       fixed(e->risk.likelihood, 3, f2), dep,
		       fixed(e->in.weighted, 0, f3),
		       fixed(e->risk.blast, 3, f4), fixed(e->risk.score, 1, f5),
		       hw_band_name(e->risk.band), fbuf);
	}
	if (!cli->quiet) {
		size_t fragile = 0;

		for (i = 0; i < v->n; i++)
			fragile += (v->reg[i].in.factors.known &
				    HW_F_BIT(HW_F_FRAGILITY)) != 0;
		printf("\n%zu of %zu assets, as of %s; base likelihood %.3f "
		       "in every row (see risk --weights); fragility: ",
		       v->shown, v->n, hw_date_format(v->today, day),
		       v->w.v[HW_W_BASE]);
		if (fragile == 0)
			printf("no data (no change or incident records yet)\n");
		else
			printf("%zu asset%s with data (changes closed in %g "
			       "days, incidents opened in %g, repairs in %g, "
			       "to the end of %s)\n",
			       fragile, fragile == 1 ? "" : "s",
			       v->w.v[HW_W_FRAG_CHANGE_DAYS],
			       v->w.v[HW_W_FRAG_INCIDENT_DAYS],
			       v->w.v[HW_W_FRAG_REPAIR_DAYS], day);
	}
}

static int cmd_risk_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"top", required_argument, NULL, 'n'},
	    {"type", required_argument, NULL, 't'},
	    {"owner", required_argument, NULL, 'o'},
	    {"as-of", required_argument, NULL, 'd'},
	    {"weights", no_argument, NULL, 'w'},
	    {"set", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_graph *g = NULL;
	struct hw_error err = {0};
	struct hw_risk_query q = {NULL, NULL, -1, 0};
	struct hw_risk_view v = {0};
	struct hw_weights w;
	const char *as_of = NULL;
	char **sets = NULL;
	int c, nsets = 0, weights = 0, rc = 0;

	sets = calloc((size_t)argc + 1, sizeof *sets);
	if (sets == NULL)
		return cli_failf(cli, "out of memory");
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'n':
			if (cli_top(cli, optarg, &q.top)) {
				free(sets);
				return 2;
			}
			break;
		case 't':
			q.type = optarg;
			break;
		case 'o':
			q.owner = optarg;
			break;
		case 'd':
			as_of = optarg;
			break;
		case 'w':
			weights = 1;
			break;
		case 's':
			if (strchr(optarg, '=') == NULL) {
				free(sets);
				return cli_usage(cli,
						 "--set: '%s' is not NAME=VALUE",
						 optarg);
			}
			sets[nsets++] = optarg;
			break;
		default:
			free(sets);
			return 2;
		}
	}
	if (optind < argc) {
		free(sets);
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	}
	if (q.type != NULL && !hw_vocab_has(hw_asset_types, q.type)) {
		free(sets);
		return cli_failf(cli, "unknown asset type \"%s\" (expected %s)",
				 q.type, hw_vocab_text(hw_asset_types));
	}
	if (nsets > 0) {
		rc = set_weights(cli, sets, nsets);
		free(sets);
		return rc;
	}
	free(sets);
	if (weights) {
		if (hw_store_weights(cli->st, &w, &err) < 0)
			return cli_fail(cli, &err);
		return show_weights(cli, &w);
	}
	if ((rc = cli_today(cli, as_of, &q.today)) != 0)
		return rc;
	if (cli_analysis_graph(cli, NULL, 0, 1, &g, &err) < 0 ||
	    hw_risk_view_compute(cli->st, g, &q, &v, &err) < 0)
		rc = cli_fail(cli, &err);
	else if (cli->json)
		rc = render_json(cli, &v);
	else
		render_text(cli, &v);
	hw_risk_view_release(&v);
	hw_graph_free(g);
	return rc;
}

const struct cmd_entry cmd_risk_entry = {
    .name = "risk",
    .usage = "[--top N] [--type T] [--owner O] [--as-of DATE] | --weights "
	     "| --set NAME=VALUE...",
    .summary = "Ranked risk register with every factor's contribution",
    .help =
	"Options:\n"
	"  --top N            only the N highest risks (after filters)\n"
	"  --type T           only assets of type T\n"
	"  --owner O          only assets owned by O\n"
	"  --as-of DATE       score as of DATE (YYYY-MM-DD; default today, "
	"UTC)\n"
	"  --weights          show the model's weights and thresholds\n"
	"  --set NAME=VALUE   change a weight (repeatable; checked)\n"
	"\nScore (0-100) = 100 x impact x likelihood x multiplier, rounded "
	"to 0.1:\n"
	"  impact      = (2 max(C,I,A) + C + I + A) / 15 on effective levels,"
	"\n"
	"                low 1, moderate 2, high 3, uncategorized "
	"impact.uncategorized\n"
	"  likelihood  = min(1, sum of the factors' contributions)\n"
	"  multiplier  = blast.floor + (1 - blast.floor) x blast\n"
	"  blast       = min(1, log10(1 + weighted dependents)\n"
	"                        / log10(1 + blast.saturation))\n"
	"Weighted dependents: every asset depending on this one, "
	"transitively, counted\n"
	"at its overall level's value (estimated, marked ~, past 126); a "
	"lower bound\n"
	"(\"at least moderate\") counts at least impact.uncategorized.  "
	"Ranked by\n"
	"score, then id.  Bands: band.moderate, band.high, "
	"band.very_high.\n"
	"Fragility (0-1, times likelihood.fragility), from the change and "
	"incident\n"
	"records of windows that end with the as-of day:\n"
	"  fragility.failure_rate x min(1, failed or backed-out / closed "
	"changes\n"
	"    / fragility.failure_rate_cap), from fragility.min_changes "
	"changes up\n"
	"  + fragility.incidents x min(1, incidents / "
	"fragility.incident_cap)\n"
	"  + fragility.mttr x min(1, mean hours to repair / "
	"fragility.mttr_cap_hours)\n"
	"capped at 1; no data when none of the three has any.\n",
    .flags = CMD_STORE_READ, /* cli_begin reopens it to write */
    .exec = cmd_risk_exec,
};

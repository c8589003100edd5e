/*
 * output.c: what the commands print: error and usage messages, help
 * text wrapped to the terminal, text tables, JSON documents and the JSON
 * forms of levels, assets and risk factors, and a graph node's
 * categorization (for people and as JSON); JSON documents streamed, and
 * the members they stream without jansson values; levels in colour
 * and progress bars on terminals.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"

int cli_fail(struct cli *cli, const struct hw_error *err)
{
	char hint[256];

	cli_progress_end(&cli->bar);
	fprintf(stderr, "highwater: %s: ", cli->name);
	if (err->source[0] != '\0') {
		fprintf(stderr, "'%s'", err->source);
		if (err->line > 0)
			fprintf(stderr, " line %d", err->line);
		if (err->column > 0)
			fprintf(stderr, " column %d", err->column);
		fputs(": ", stderr);
	}
	fputs(err->text[0] ? err->text : hw_strerror(err->code), stderr);
	if (cli_hint(err, hint, sizeof hint) != NULL)
		fprintf(stderr, " (%s)", hint);
	fputc('\n', stderr);
	return 1;
}

/* "highwater: NAME: message" and a newline on stderr. */
__attribute__((format(printf, 2, 0))) static void
vfail(struct cli *cli, const char *fmt, va_list ap)
{
	cli_progress_end(&cli->bar);
	fprintf(stderr, "highwater: %s: ", cli->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_failf(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(cli, fmt, ap);
	va_end(ap);
	return 1;
}

int cli_usage(struct cli *cli, const char *fmt, ...)
{
	char lead[64];
	va_list ap;

	va_start(ap, fmt);
	vfail(cli, fmt, ap);
	va_end(ap);
	snprintf(lead, sizeof lead, "usage: highwater %s", cli->entry->name);
	cli_wrap(stderr, lead, (int)strlen(lead) + 1, cli->entry->usage);
	return 2;
}

/* The length of the word at s: up to a space outside brackets, so that
 * "[--direction up|down|both]" stays on one line. */
static size_t word_length(const char *s)
{
	size_t n;
	int depth = 0;

	for (n = 0; s[n] != '\0' && (s[n] != ' ' || depth > 0); n++)
		if (s[n] == '[')
			depth++;
		else if (s[n] == ']' && depth > 0)
			depth--;
	return n;
}

void cli_wrap(FILE *f, const char *lead, int indent, const char *text)
{
	int col = fprintf(f, "%s", lead), space = col > 0;

	for (;;) {
		size_t n;

		while (*text == ' ')
			text++;
		if (*text == '\0')
			break;
		n = word_length(text);
		if (col > indent && col + space + (int)n > CLI_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			space = 0;
		}
		col += fprintf(f, "%s%.*s", space ? " " : "", (int)n, text);
		space = 1;
		text += n;
	}
	fputc('\n', f);
}

int cli_is_group(const struct cmd_entry *const *table, const char *word)
{
	const struct cmd_entry *const *e;
	size_t n = strlen(word);

	for (e = table; *e != NULL; e++)
		if (strncmp((*e)->name, word, n) == 0 &&
		    (*e)->name[n] == ' ')
			return 1;
	return 0;
}

void cli_group_help(FILE *f, const struct cmd_entry *const *table,
		    const char *word)
{
	const struct cmd_entry *const *e;
	size_t n = strlen(word);

	fprintf(f, "usage: highwater %s SUBCOMMAND [ARGS]\n\nSubcommands:\n",
		word);
	for (e = table; *e != NULL; e++)
		if (strncmp((*e)->name, word, n) == 0 &&
		    (*e)->name[n] == ' ')
			cli_summary_line(f, *e);
	fprintf(f, "\nRun 'highwater %s SUBCOMMAND --help' for its options.\n",
		word);
}

void cli_summary_line(FILE *f, const struct cmd_entry *e)
{
	char lead[32];

	snprintf(lead, sizeof lead, "  %-18s", e->name);
	cli_wrap(f, lead, 21, e->summary);
}

void cli_help(const struct cmd_entry *e)
{
	char lead[64], summary[256];

	snprintf(lead, sizeof lead, "usage: highwater %s", e->name);
	cli_wrap(stdout, lead, (int)strlen(lead) + 1, e->usage);
	snprintf(summary, sizeof summary, "%s.", e->summary);
	putchar('\n');
	cli_wrap(stdout, "", 0, summary);
	if (e->help != NULL && *e->help != '\0')
		printf("\n%s", e->help);
	printf("\nCommon options:\n"
	       "  --json         print one JSON document on stdout\n"
	       "  --help         show this help\n");
	if (e->flags & (CMD_STORE_READ | CMD_STORE_WRITE | CMD_DB_OWN))
		printf("  --db PATH      database (default $HIGHWATER_DB, "
		       "else ./highwater.db)\n");
}

const char *cli_level_text(enum hw_level l)
{
	const char *s = hw_level_name(l);

	return s ? s : "-";
}

int cli_print_json(struct cli *cli, json_t *json)
{
	int rc;

	if (json == NULL)
		return cli_failf(cli, "out of memory");
	rc = json_dumpf(json, stdout, CLI_JSON_FLAGS);
	json_decref(json);
	if (rc != 0 || putchar('\n') == EOF)
		return cli_failf(cli, "cannot write output");
	return 0;
}

void cli_jstream_begin(struct cli *cli, struct hw_jstream *js)
{
	(void)cli;
	hw_jstream_init(js, stdout, CLI_JSON_FLAGS);
}

int cli_jstream_end(struct cli *cli, struct hw_jstream *js)
{
	struct hw_error err = {0};

	return hw_jstream_end(js, 1, &err) < 0 ? cli_fail(cli, &err) : 0;
}






void cli_print_factors(const struct hw_factors *f)
{
	enum hw_factor k;
	char buf[32];

	printf("risk factors");
	if (!f->known) {
		printf(" (no data)\n");
		return;
	}
	printf("\n");
	for (k = 0; k < HW_F_FRAGILITY; k++)
		if (f->known & HW_F_BIT(k))
			printf("  %-21s %s\n", hw_factor_name(k),
			       hw_factor_text(f, k, buf));
}

/* ------------------------------------------------------------------ */
/* Levels in colour                                                    */

/* Characters of an id or a word: a level word stands between others. */
static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
	       c == '-';
}

/* The SGR colour of the level word at s (all upper or all lower case),
 * and its length in *len; NULL when none starts there. */
static const char *level_at(const char *s, size_t *len)
{
	static const struct {
		const char *upper, *lower, *sgr;
	} words[] = {
	    {"HIGH", "high", "\033[31m"},
	    {"MODERATE", "moderate", "\033[33m"},
	    {"LOW", "low", "\033[32m"},
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i].upper);

		if ((strncmp(s, words[i].upper, n) == 0 ||
		     strncmp(s, words[i].lower, n) == 0) &&
		    !word_char(s[n])) {
			*len = n;
			return words[i].sgr;
		}
	}
	return NULL;
}

static void put_levels(int colour, FILE *fp, const char *text, int width)
{
	const char *s = text;
	size_t len;

	if (!colour) {
		fprintf(fp, "%-*s", width, text);
		return;
	}
	while (*s != '\0') {
		const char *sgr =
		    (s == text || !word_char(s[-1])) ? level_at(s, &len) : NULL;

		if (sgr == NULL) {
			fputc(*s++, fp);
			continue;
		}
		fprintf(fp, "%s%.*s\033[0m", sgr, (int)len, s);
		s += len;
	}
	/* Padded by the visible width: the escapes take no columns. */
	fprintf(fp, "%*s",
		width > (int)(s - text) ? width - (int)(s - text) : 0, "");
}

void cli_put_levels(const struct cli *cli, FILE *fp, const char *text,
		    int width)
{
	put_levels(cli->colour, fp, text, width);
}

int cli_printf_levels(const struct cli *cli, const char *fmt, ...)
{
	va_list ap, again;
	char *text = NULL;
	int n = -1;

	va_start(ap, fmt);
	va_copy(again, ap);
	if (cli->colour)
		n = vasprintf(&text, fmt, ap);
	if (n >= 0)
		cli_put_levels(cli, stdout, text, 0);
	else /* no colour, or no memory for it */
		n = vprintf(fmt, again);
	va_end(again);
	va_end(ap);
	free(text);
	return n;
}

/* Tables: rows of text cells, printed with columns as wide as their
 * widest cell (the last column is not padded).                        */

int table_add(struct table *t, ...)
{
	va_list ap;
	char **row;
	int i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char ***grown = realloc(t->rows, cap * sizeof *grown);

		if (grown == NULL)
			return -1;
		t->rows = grown;
		t->cap = cap;
	}
	row = calloc((size_t)t->ncols, sizeof *row);
	if (row == NULL)
		return -1;
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		row[i] = strdup(s ? s : "-");
		if (row[i] == NULL) {
			while (i-- > 0)
				free(row[i]);
			free(row);
			va_end(ap);
			return -1;
		}
	}
	va_end(ap);
	t->rows[t->nrows++] = row;
	return 0;
}

void table_print(struct table *t, FILE *fp)
{
	size_t r, w[TABLE_MAX_COLS] = {0};
	int i;

	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++)
			if (strlen(t->rows[r][i]) > w[i])
				w[i] = strlen(t->rows[r][i]);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			int last = i == t->ncols - 1;

			if (t->levels & TABLE_COL(i))
				put_levels(t->colour, fp, t->rows[r][i],
					   last ? 0 : (int)w[i]);
			else if (last)
				fputs(t->rows[r][i], fp);
			else
				fprintf(fp, "%-*s", (int)w[i], t->rows[r][i]);
			fputs(last ? "\n" : "  ", fp);
		}
	}
}

void table_release(struct table *t)
{
	size_t r;
	int i;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++)
			free(t->rows[r][i]);
		free(t->rows[r]);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

/* Categorization of a graph node, for people and for scripts          */



void cli_print_categorization(const struct cli *cli, const struct hw_graph *g,
			      uint32_t v)
{
	const struct hw_sc *own = hw_graph_own(g, v);
	const struct hw_sc *eff = hw_graph_effective(g, v);
	enum hw_level overall = hw_sc_overall(eff);
	char line[1024];
	int o;

	hw_sc_format(hw_graph_id(g, v), own, line, sizeof line);
	printf("%s\n", hw_graph_id(g, v));
	cli_printf_levels(cli, "  own        %s%s\n", line,
			  hw_sc_completeness(own) < 0
			      ? "\n             (uncategorized: no levels set "
				"and no information types)"
			      : "");
	hw_sc_format(hw_graph_id(g, v), eff, line, sizeof line);
	cli_printf_levels(cli, "  effective  %s\n", line);
	if (overall == HW_LEVEL_NONE)
		printf("  overall    UNCATEGORIZED (no objective has a level, "
		       "even inherited)\n");
	else if (!hw_sc_overall_exact(eff))
		cli_printf_levels(cli,
				  "  overall    %s (partly categorized), SP "
				  "800-53B baseline %s\n",
				  hw_sc_overall_text(eff, 0),
				  hw_sc_overall_text(eff, 0));
	else
		cli_printf_levels(
		    cli, "  overall    %s, SP 800-53B %s baseline\n",
		    hw_level_upper(overall), hw_baseline_name(overall));
	for (o = 0; o < HW_NOBJ; o++) {
		long r;
		size_t len;
		uint32_t *path = hw_graph_raised_path_new(g, v, o, &r, &len);
		char *text;

		if (path == NULL)
			continue;
		text = hw_path_text(g, path, len, " -> ");
		printf("  raised     %s to ", hw_objective_name(o));
		cli_put_levels(cli, stdout, hw_level_upper(eff->v[o]), 0);
		printf(" by %s: %s\n", hw_graph_id(g, (uint32_t)r),
		       text ? text : "?");
		free(text);
		free(path);
	}
	if (hw_graph_on_cycle(g, v))
		printf("  cycle      sits on a dependency cycle\n");
}



/* ------------------------------------------------------------------ */
/* Streamed JSON members without jansson values                        */





/* ------------------------------------------------------------------ */
/* Progress of long work                                               */

/* Nothing is drawn for work shorter than this. */
#define PROGRESS_AFTER_NS 1000000000LL

void cli_progress_begin(struct cli *cli, const char *label)
{
	struct cli_progress *p = &cli->bar;

	cli_progress_end(p);
	p->label = label;
	p->on = cli->progress;
	p->drawn = 0;
	p->pct = -1;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void cli_progress(long long done, long long total, void *bar)
{
	struct cli_progress *p = bar;
	struct timespec now;
	char line[41];
	int pct, i;

	if (!p->on)
		return;
	if (!p->drawn) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - p->start.tv_sec) * 1000000000LL +
			(now.tv_nsec - p->start.tv_nsec) <
		    PROGRESS_AFTER_NS) {
			/* Done within the second: never drawn. */
			if (done >= total)
				p->on = 0;
			return;
		}
	}
	pct = total > 0 && done > 0 ? (int)(done * 100 / total) : 0;
	if (pct > 100)
		pct = 100;
	if (p->drawn && pct == p->pct && done < total)
		return;
	for (i = 0; i < 40; i++)
		line[i] = i < pct * 40 / 100 ? '#' : '.';
	line[40] = '\0';
	fprintf(stderr, "\r%s [%s] %3d%%", p->label, line, pct);
	p->drawn = 1;
	p->pct = pct;
	if (done >= total)
		cli_progress_end(p);
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->drawn)
		fputc('\n', stderr);
	p->drawn = 0;
	p->on = 0;
}

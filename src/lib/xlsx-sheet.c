/*
 * xlsx-sheet.c: a worksheet's rows streamed as text cells (xlsx-read.h):
 * cells placed by their references, values by their types (shared and
 * inline strings, numbers as their shortest text, dates by their styles
 * in the workbook's date system, booleans), rows handed over one at a
 * time.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "xlsx-parse.h"

const char *hwp_xlsx_cell_name(int col, long row, char buf[16])
{
	char letters[8];
	int n = 0, i, o = 0;

	col++;
	while (col > 0 && n < 7) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = n - 1; i >= 0; i--)
		buf[o++] = letters[i];
	snprintf(buf + o, 16 - (size_t)o, "%ld", row);
	return buf;
}

/* 1970-01-01 as a serial number: of the 1900 system (past its
 * 1900-02-29), of the 1904 system. */
#define EPOCH_1900 25569
#define EPOCH_1904 24107

int hwp_xlsx_serial_date(double serial, int date1904, char *buf, size_t size)
{
	double whole;
	long days, secs;
	char day[11];

	if (!isfinite(serial) || serial < (date1904 ? 0 : 1) ||
	    serial >= 2958466) /* 10000-01-01 */
		return -1;
	whole = floor(serial);
	secs = lround((serial - whole) * 86400.0);
	days = (long)whole;
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	if (date1904)
		days -= EPOCH_1904;
	else if (days == 60)
		return -1; /* 1900-02-29, which was not */
	else
		days -= EPOCH_1900 - (days < 60);
	if (days > 2932896) /* 9999-12-31 */
		return -1;
	hw_date_format((int32_t)days, day);
	if (secs == 0)
		snprintf(buf, size, "%s", day);
	else
		snprintf(buf, size, "%sT%02ld:%02ld:%02ld", day, secs / 3600,
			 secs / 60 % 60, secs % 60);
	return 0;
}

/* A sheet's rows. */
struct rows {
	struct hwp_xml_parse ps;
	size_t sheet;
	hwp_xlsx_row_fn fn;
	void *ctx;
	struct hw_error *err; /* the caller's, for fn */
	int fn_failed;
	long row;      /* the row being read (1-based), 0 before the first */
	int col;       /* the cell being read (0-based), -1 before the first */
	char type[12]; /* its t attribute */
	long style;
	int in_row, in_c, in_is, in_rph, has_v;
	struct hwp_buf cells; /* the row's values, NUL-terminated */
	size_t *at;	      /* where each column's value starts, or -1 */
	size_t ncells;	      /* columns seen: 1 + the last */
	const char **ptrs;
};

#define NO_CELL ((size_t)-1)

__attribute__((format(printf, 2, 3))) static void
cell_fail(struct rows *rs, const char *fmt, ...)
{
	char msg[160], ref[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	hwp_xml_stop(&rs->ps, "sheet '%s', cell %s: %s",
		     rs->ps.x->sheets[rs->sheet].name,
		     hwp_xlsx_cell_name(rs->col, rs->row, ref), msg);
}

/* "B7" -> column 1, row 7; -1 when not a reference in the sheet. */
static int parse_ref(const char *s, int *col, long *row)
{
	long c = 0, r = 0;
	int letters = 0, digits = 0;

	for (; *s >= 'A' && *s <= 'Z' && letters < 4; s++, letters++)
		c = c * 26 + (*s - 'A' + 1);
	for (; *s >= '0' && *s <= '9' && digits < 8; s++, digits++)
		r = r * 10 + (*s - '0');
	if (*s != '\0' || letters == 0 || digits == 0 ||
	    c > HWP_XLSX_COLS_MAX || r < 1 || r > HWP_XLSX_ROWS_LIMIT)
		return -1;
	*col = (int)c - 1;
	*row = r;
	return 0;
}

static void row_clear(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->ncells; i++)
		rs->at[i] = NO_CELL;
	rs->ncells = 0;
	hwp_buf_reset(&rs->cells);
}

static void XMLCALL rows_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct rows *rs = ud;
	const char *el = hwp_xml_local(name), *v;

	if (strcmp(el, "row") == 0) {
		long r = rs->row + 1;
		int c;

		v = hwp_xml_attr(atts, "r", 0);
		if (v != NULL) {
			char ref[16];
			int bad;

			snprintf(ref, sizeof ref, "A%.10s", v);
			bad = parse_ref(ref, &c, &r) < 0;
			if (bad || r <= rs->row) {
				/* Named where the row stands: after the
				 * last, never "A0". */
				long after = rs->row;

				rs->col = 0;
				rs->row++;
				return cell_fail(rs,
						 "row number \"%.16s\" %s "
						 "(expected %ld to %d)",
						 v,
						 bad ? "is not a row of a sheet"
						     : "out of order",
						 after + 1,
						 HWP_XLSX_ROWS_LIMIT);
			}
		}
		if (r > HWP_XLSX_ROWS_LIMIT) {
			rs->col = 0;
			return cell_fail(rs, "more than %d rows",
					 HWP_XLSX_ROWS_LIMIT);
		}
		rs->row = r;
		rs->col = -1;
		rs->in_row = 1;
		row_clear(rs);
	} else if (strcmp(el, "c") == 0) {
		int c = rs->col + 1;
		long r = rs->row;

		if (!rs->in_row) {
			rs->row++;
			rs->col = 0;
			return cell_fail(rs, "a cell outside a row (expected "
					     "<c> inside <row>)");
		}
		v = hwp_xml_attr(atts, "r", 0);
		if (v != NULL && (parse_ref(v, &c, &r) < 0 || r != rs->row ||
				  c <= rs->col)) {
			rs->col = rs->col + 1;
			return cell_fail(rs,
					 "cell reference \"%.16s\" out of "
					 "place (expected a later cell of "
					 "row %ld)",
					 v, rs->row);
		}
		if (c >= HWP_XLSX_COLS_MAX) {
			rs->col = c;
			return cell_fail(rs, "more than %d columns",
					 HWP_XLSX_COLS_MAX);
		}
		rs->col = c;
		v = hwp_xml_attr(atts, "t", 0);
		snprintf(rs->type, sizeof rs->type, "%s", v ? v : "n");
		v = hwp_xml_attr(atts, "s", 0);
		rs->style = v != NULL ? strtol(v, NULL, 10) : 0;
		rs->in_c = 1;
		rs->has_v = 0;
		hwp_buf_reset(&rs->ps.text);
	} else if (!rs->in_c) {
		return;
	} else if (strcmp(el, "v") == 0) {
		rs->ps.collect = 1;
		rs->has_v = 1;
	} else if (strcmp(el, "is") == 0) {
		rs->in_is = 1;
		rs->has_v = 1;
	} else if (strcmp(el, "rPh") == 0) {
		rs->in_rph = 1;
	} else if (strcmp(el, "t") == 0 && rs->in_is && !rs->in_rph) {
		rs->ps.collect = 1;
	}
}

/* The value of the cell just read, as text, into rs->cells. */
static void cell_value(struct rows *rs)
{
	struct hwp_xlsx *x = rs->ps.x;
	const char *t = rs->type, *v = rs->ps.text.data ? rs->ps.text.data : "";
	struct hwp_buf num = HWP_BUF_INIT;
	char date[32];
	const char *out = v;
	size_t i, n;

	if (!rs->has_v)
		return;
	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long k = strtoul(v, &end, 10);

		if (end == v || *end != '\0' || k >= x->nsst)
			return cell_fail(rs,
					 "shared string %.20s does not "
					 "exist (the workbook has %zu)",
					 v, x->nsst);
		out = x->sst.data + x->sst_at[k];
		/* Each use of a shared string counts as bytes unpacked: a
		 * small file must not hand out gigabytes by reference. */
		n = strlen(out);
		if (n > x->budget)
			return cell_fail(rs,
					 "the workbook's text comes to "
					 "more than %llu bytes (at most "
					 "%d times its size plus 1 MiB): "
					 "refused as a zip bomb",
					 x->bound, HWP_XLSX_RATIO);
		x->budget -= n;
	} else if (strcmp(t, "b") == 0) {
		if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
			return cell_fail(rs,
					 "boolean \"%.20s\" (expected 0 "
					 "or 1)",
					 v);
		out = v[0] == '1' ? "true" : "false";
	} else if (strcmp(t, "e") == 0) {
		return cell_fail(rs,
				 "the cell holds the error %.20s "
				 "(expected a value)",
				 v);
	} else if (strcmp(t, "d") == 0) {
		/* An ISO 8601 date cell: midnight is the date alone. */
		if (strlen(v) > 10 && strcmp(v + 10, "T00:00:00") == 0)
			rs->ps.text.data[10] = '\0';
	} else if (strcmp(t, "n") == 0) {
		char *end;
		double d = strtod(v, &end);

		if (end == v || *end != '\0' || !isfinite(d))
			return cell_fail(rs, "\"%.20s\" is not a number", v);
		if (rs->style >= 0 && (size_t)rs->style < x->nxf &&
		    x->xf_date[rs->style]) {
			if (hwp_xlsx_serial_date(d, x->date1904, date,
						 sizeof date) < 0)
				return cell_fail(rs,
						 "%.20s is not a date "
						 "(expected a serial "
						 "number of the %s system)",
						 v,
						 x->date1904 ? "1904" : "1900");
			out = date;
		} else if (d == floor(d) && fabs(d) < 1e15) {
			snprintf(date, sizeof date, "%.0f", d == 0 ? 0.0 : d);
			out = date;
		} else {
			if (hwp_canon_real(&num, d, NULL) < 0)
				return hwp_xml_nomem(&rs->ps);
			out = num.data;
		}
	} else if (strcmp(t, "str") != 0 && strcmp(t, "inlineStr") != 0) {
		return cell_fail(rs,
				 "cell type \"%s\" (expected s, inlineStr, "
				 "str, n, b, d or e)",
				 t);
	}
	n = strlen(out);
	if (rs->cells.len + n >= HWP_XLSX_ROW_MAX) {
		hwp_buf_release(&num);
		return cell_fail(rs, "the row holds more than %d bytes of text",
				 HWP_XLSX_ROW_MAX);
	}
	for (i = rs->ncells; i <= (size_t)rs->col; i++)
		rs->at[i] = NO_CELL;
	if ((size_t)rs->col + 1 > rs->ncells)
		rs->ncells = (size_t)rs->col + 1;
	rs->at[rs->col] = rs->cells.len;
	if (hwp_buf_add(&rs->cells, out, n + 1, NULL) < 0)
		hwp_xml_nomem(&rs->ps);
	hwp_buf_release(&num);
}

static void XMLCALL rows_end(void *ud, const XML_Char *name)
{
	struct rows *rs = ud;
	const char *el = hwp_xml_local(name);
	size_t i;
	int any = 0;

	if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
		rs->ps.collect = 0;
	} else if (strcmp(el, "rPh") == 0) {
		rs->in_rph = 0;
	} else if (strcmp(el, "is") == 0) {
		rs->in_is = 0;
	} else if (strcmp(el, "c") == 0 && rs->in_c) {
		rs->in_c = 0;
		cell_value(rs);
	} else if (strcmp(el, "row") == 0) {
		rs->in_row = 0;
		for (i = 0; i < rs->ncells; i++) {
			rs->ptrs[i] = rs->at[i] == NO_CELL
					  ? ""
					  : rs->cells.data + rs->at[i];
			any |= rs->ptrs[i][0] != '\0';
		}
		if (any && rs->fn(rs->ctx, rs->row, rs->ptrs, rs->ncells,
				  rs->err) != 0) {
			rs->fn_failed = 1;
			XML_StopParser(rs->ps.p, XML_FALSE);
		}
		row_clear(rs);
	}
}

int hwp_xlsx_read_sheet(struct hwp_xlsx *x, size_t i, hwp_xlsx_row_fn fn,
			void *ctx, struct hw_error *err)
{
	struct rows rs = {0};
	struct hw_error mine = {0};
	int rc = -1;
	size_t k;

	rs.ps.x = x;
	rs.sheet = i;
	rs.fn = fn;
	rs.ctx = ctx;
	rs.err = err;
	rs.col = -1;
	rs.at = malloc(HWP_XLSX_COLS_MAX * sizeof *rs.at);
	rs.ptrs = malloc(HWP_XLSX_COLS_MAX * sizeof *rs.ptrs);
	if (rs.at == NULL || rs.ptrs == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	for (k = 0; k < HWP_XLSX_COLS_MAX; k++)
		rs.at[k] = NO_CELL;
	/* The function's error is the caller's; the sheet's goes to mine
	 * first, so that a stopped parse does not overwrite it. */
	if (hwp_xlsx_parse(&rs.ps, x->sheets[i].part, 1, rows_start, rows_end,
			   &mine) < 0) {
		/* The part's own errors (XML, zip, bounds) name the sheet
		 * too: a user knows the sheet, not its part. */
		if (!rs.fn_failed && strncmp(mine.text, "part '", 6) == 0) {
			char text[sizeof mine.text];

			snprintf(text, sizeof text, "%s", mine.text);
			snprintf(mine.text, sizeof mine.text,
				 "sheet '%.60s', %.185s", x->sheets[i].name,
				 text);
		}
		if (!rs.fn_failed && err != NULL && err->code == HW_OK)
			*err = mine;
		else if (!rs.fn_failed)
			hw_error_set(err, mine.code, "%s", mine.text);
		goto out;
	}
	rc = 0;
out:
	hwp_buf_release(&rs.ps.text);
	hwp_buf_release(&rs.cells);
	free(rs.at);
	free(rs.ptrs);
	return rc;
}

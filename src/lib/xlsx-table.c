/*
 * xlsx-table.c: a workbook's tables (hw-xlsx.h): a header row written by
 * libxlsxwriter, then records as SpreadsheetML rows made here and packed
 * by xlsx-pack.c (so that a million-row sheet costs no more memory than a
 * short one), continued on further worksheets past the row limit, with
 * widths to fit, a frozen header, an autofilter and coloured levels.
 * When the splice cannot be trusted (hwp_pack_probe), the records go
 * through libxlsxwriter's own cell writing instead: slower, the same.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "xlsx-book.h"

#define WIDTH_MIN 6
#define WIDTH_MAX 48
#define WIDTH_WIDE 60 /* a wide column wraps its text past this */
#define WIDTH_NOTE 36 /* and a note column past this */
#define WIDTH_NAME 28 /* and a name column: narrow, printed on every page */

/* ------------------------------------------------------------------ */
/* Records: SpreadsheetML written here, packed by xlsx-pack.c          */

/* "A".."Z", "AA".. for a column (0-based, under 702). */
static const char *col_name(int col, char buf[4])
{
	if (col < 26) {
		buf[0] = (char)('A' + col);
		buf[1] = '\0';
	} else {
		buf[0] = (char)('A' + col / 26 - 1);
		buf[1] = (char)('A' + col % 26);
		buf[2] = '\0';
	}
	return buf;
}

static size_t put_uint(char *out, unsigned long long v)
{
	char tmp[24];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

size_t hwp_xlsx_number(double v, char *buf)
{
	static const double pow10[] = {
	    1e0,  1e1,	1e2,  1e3,  1e4,  1e5,	1e6,  1e7,  1e8,
	    1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22};
	char digits[24];
	unsigned long long m;
	size_t n = 0, k, nd;
	double a;
	int e, point;

	if (!isfinite(v) || v == 0) { /* Excel has no infinities */
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	if (v < 0)
		buf[n++] = '-';
	a = fabs(v);
	if (a < 1e15 && a == floor(a)) {
		n += put_uint(buf + n, (unsigned long long)a);
		buf[n] = '\0';
		return n;
	}
	e = (int)floor(log10(a));
	if (e < -7 || e > 14)
		return (size_t)snprintf(buf, 32, "%.15G", v);
	/* Fifteen significant digits: a scaled to a 15-digit integer. */
	m = (unsigned long long)llround(e <= 14 ? a * pow10[14 - e] : a);
	if (m >= 1000000000000000ULL) { /* rounded up to 16 digits */
		m = (m + 5) / 10;
		e++;
	} else if (m < 100000000000000ULL) { /* log10 rounded up */
		m = (unsigned long long)llround(a * pow10[15 - e]);
		e--;
	}
	nd = put_uint(digits, m);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	point = e + 1; /* digits before the decimal point */
	if (point <= 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (k = 0; k < (size_t)-point; k++)
			buf[n++] = '0';
		memcpy(buf + n, digits, nd);
		n += nd;
	} else {
		for (k = 0; k < nd || k < (size_t)point; k++) {
			if (k == (size_t)point)
				buf[n++] = '.';
			buf[n++] = k < nd ? digits[k] : '0';
		}
	}
	buf[n] = '\0';
	return n;
}

/* Room for need more bytes of the record's cells; NULL when out of
 * memory (kept in the book). */
static char *cell_room(struct hwp_book *b, size_t need)
{
	if (b->cells_len + need > b->cells_cap) {
		size_t cap = (b->cells_len + need) * 2;
		char *grown = realloc(b->cells, cap);

		if (grown == NULL) {
			hwp_book_error(b, HW_ENOMEM, "out of memory", NULL);
			return NULL;
		}
		b->cells = grown;
		b->cells_cap = cap;
	}
	return b->cells + b->cells_len;
}

#define PUT(q, lit) (memcpy((q), (lit), sizeof(lit) - 1), (q) += sizeof(lit) - 1)

/* "<c r=\"B12\" s=\"3\"" for column col of the record, in style xf
 * (none when 0), its closing quote left to the caller. */
static char *cell_open(struct hwp_book *b, char *q, int col, int xf)
{
	char name[4];
	size_t n;

	PUT(q, "<c r=\"");
	col_name(col, name);
	n = strlen(name);
	memcpy(q, name, n);
	q += n;
	memcpy(q, b->rownum, b->rownum_len);
	q += b->rownum_len;
	if (xf > 0) {
		PUT(q, "\" s=\"");
		q += put_uint(q, (unsigned long long)xf);
	}
	return q;
}

/* The cell of col is what was written from the record's end to q. */
static void cell_close(struct hwp_book *b, int col, char *q)
{
	b->cell_at[col] = b->cells_len;
	b->cell_len[col] = (size_t)(q - (b->cells + b->cells_len));
	b->cells_len += b->cell_len[col];
}

static void cell_number(struct hwp_table *t, int col, double v, int xf)
{
	struct hwp_book *b = t->book;
	char *q = cell_room(b, 96);

	if (q == NULL)
		return;
	q = cell_open(b, q, col, xf);
	PUT(q, "\"><v>");
	q += hwp_xlsx_number(v, q);
	PUT(q, "</v></c>");
	cell_close(b, col, q);
}

/* An inline string, escaped as libxlsxwriter does: &, < and > as
 * entities, control characters but tab and newline as _xHHHH_. */
static void cell_string(struct hwp_table *t, int col, const char *s, int xf)
{
	static const char hex[] = "0123456789ABCDEF";
	struct hwp_book *b = t->book;
	size_t n = strlen(s);
	char *q = cell_room(b, 7 * n + 96);
	const unsigned char *p;

	if (q == NULL)
		return;
	q = cell_open(b, q, col, xf);
	PUT(q, "\" t=\"inlineStr\"><is><t");
	if (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]))
		PUT(q, " xml:space=\"preserve\"");
	*q++ = '>';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '&')
			PUT(q, "&amp;");
		else if (*p == '<')
			PUT(q, "&lt;");
		else if (*p == '>')
			PUT(q, "&gt;");
		else if (*p < 0x20 && *p != '\t' && *p != '\n') {
			PUT(q, "_x00");
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
			*q++ = '_';
		} else
			*q++ = (char)*p;
	}
	PUT(q, "</t></is></c>");
	cell_close(b, col, q);
}

/* The slow path, when the splice does not hold: each cell through
 * libxlsxwriter, which writes the same cells (inline strings escaped
 * alike, the same styles) one at a time. */
static void direct_number(struct hwp_table *t, int col, double v,
			  lxw_format *f)
{
	char digits[32];

	/* Fifteen significant digits, as the spliced cells (and Excel)
	 * keep: libxlsxwriter would write seventeen. */
	hwp_xlsx_number(v, digits);
	hwp_book_check(t->book,
		       worksheet_write_number(t->ws, t->row, (lxw_col_t)col,
					      strtod(digits, NULL), f));
}

static void direct_string(struct hwp_table *t, int col, const char *s,
			  lxw_format *f)
{
	hwp_book_check(t->book, worksheet_write_string(t->ws, t->row,
						       (lxw_col_t)col, s, f));
}

/* The record's height, in whole points as the spliced row says it. */
static void direct_row_end(struct hwp_table *t)
{
	struct hwp_book *b = t->book;

	if (b->row_lines > 1 && b->row_lines < 100)
		hwp_book_check(
		    b, worksheet_set_row(
			   t->ws, t->row,
			   (double)(unsigned long long)(b->row_lines * ROW_PT),
			   NULL));
}

/* Write the record's row, its cells in column order, to the pack. */
static void row_flush(struct hwp_table *t)
{
	struct hwp_book *b = t->book;
	size_t need = b->cells_len + 64, n = 0;
	char *q;
	int c;

	if (!b->row_open)
		return;
	b->row_open = 0;
	if (b->direct) {
		direct_row_end(t);
		return;
	}
	if (need > b->line_cap) {
		char *grown = realloc(b->line, need * 2);

		if (grown == NULL) {
			hwp_book_error(b, HW_ENOMEM, "out of memory", NULL);
			return;
		}
		b->line = grown;
		b->line_cap = need * 2;
	}
	q = b->line;
	PUT(q, "<row r=\"");
	memcpy(q, b->rownum, b->rownum_len);
	q += b->rownum_len;
	/* Wrapped text needs the row's height said: a spreadsheet does not
	 * measure it when it opens the file. */
	if (b->row_lines > 1 && b->row_lines < 100) {
		PUT(q, "\" ht=\"");
		q += put_uint(q, (unsigned long long)(b->row_lines * ROW_PT));
		PUT(q, "\" customHeight=\"1");
	}
	PUT(q, "\">");
	for (c = 0; c < t->ncols; c++)
		if (b->cell_len[c] > 0) {
			memcpy(q, b->cells + b->cell_at[c], b->cell_len[c]);
			q += b->cell_len[c];
		}
	PUT(q, "</row>");
	n = (size_t)(q - b->line);
	hwp_pack_write(b->pack, t->stream, b->line, n);
}

#undef PUT

/* ------------------------------------------------------------------ */
/* Tables                                                              */

/* The narrowest width a header takes on at most two lines, split at a
 * space, with room for the autofilter's button; the lines it takes. */
static int header_width(const char *name, double *width)
{
	double best = hwp_xlsx_width(name, 1), w;
	char first[128];
	size_t i;
	int lines = 1;

	for (i = 0; name[i] != '\0' && i < sizeof first; i++)
		if (name[i] == ' ') {
			memcpy(first, name, i);
			first[i] = '\0';
			w = fmax(hwp_xlsx_width(first, 1),
				 hwp_xlsx_width(name + i + 1, 1));
			if (w < best) {
				best = w;
				lines = 2;
			}
		}
	*width = best + 2.5;
	return lines;
}

static void part_start(struct hwp_table *t)
{
	char name[128];
	int c, two = 0;

	t->part++;
	t->row = 0;
	t->ws = hwp_book_sheet(
	    t->book, hwp_xlsx_part_name(t->base, t->part, name, sizeof name));
	if (t->ws == NULL)
		return;
	worksheet_gridlines(t->ws, LXW_SHOW_ALL_GRIDLINES);
	/* Every printed page repeats the header row and the key columns,
	 * which stay in view on screen too. */
	worksheet_set_print_scale(t->ws, TABLE_SCALE);
	hwp_book_check(t->book, worksheet_repeat_rows(t->ws, 0, 0));
	if (t->keys > 0)
		hwp_book_check(t->book,
			       worksheet_repeat_columns(
				   t->ws, 0, (lxw_col_t)(t->keys - 1)));
	worksheet_freeze_panes(t->ws, 1, (lxw_col_t)t->keys);
	/* A header of several words may take two lines, so that its
	 * column is no wider than its values need. */
	for (c = 0; c < t->ncols; c++)
		if (header_width(t->cols[c].name, &t->width[c]) > 1)
			two = 1;
	if (two)
		hwp_book_check(t->book,
			       worksheet_set_row(t->ws, 0, 2 * ROW_PT, NULL));
	for (c = 0; c < t->ncols; c++)
		hwp_book_check(t->book,
			       worksheet_write_string(t->ws, 0, (lxw_col_t)c,
						      t->cols[c].name,
						      t->book->f_head_wrap));
	/* The records go to the pack, after this header row. */
	if (!t->book->direct)
		t->stream = hwp_pack_stream(t->book->pack, t->book->sheets);
}

static void part_end(struct hwp_table *t)
{
	struct hwp_book *b = t->book;
	char dimension[32], name[4];
	double w;
	int c;

	if (t->ws == NULL)
		return;
	row_flush(t);
	snprintf(dimension, sizeof dimension, "A1:%s%lu",
		 col_name(t->ncols - 1, name), (unsigned long)t->row + 1);
	hwp_pack_end(b->pack, t->stream, dimension);
	t->stream = NULL;
	hwp_book_check(b, worksheet_autofilter(t->ws, 0, 0, t->row,
					       (lxw_col_t)(t->ncols - 1)));
	for (c = t->ncols - 1; c >= 0; c--)
		if (t->cols[c].flags & HWP_COL_PRINT) {
			/* The columns a page needs: a print layout only. */
			hwp_book_check(b, worksheet_print_area(
					      t->ws, 0, 0, t->row, (lxw_col_t)c));
			break;
		}
	for (c = 0; c < t->ncols; c++) {
		unsigned fl = t->cols[c].flags;
		double max = fl & HWP_COL_NAME	 ? WIDTH_NAME
			     : fl & HWP_COL_NOTE ? WIDTH_NOTE
			     : fl & HWP_COL_WIDE ? WIDTH_WIDE
						 : WIDTH_MAX;

		w = t->width[c];
		w = w < WIDTH_MIN ? WIDTH_MIN : w > max ? max : w;
		hwp_book_check(b, worksheet_set_column(t->ws, (lxw_col_t)c,
						       (lxw_col_t)c, w, NULL));
		if (t->row > 0 &&
		    (fl & (HWP_COL_LEVEL_UPPER | HWP_COL_LEVEL_LOWER)))
			hwp_level_colours(b, t->ws, 1, t->row, (lxw_col_t)c,
					  (fl & HWP_COL_LEVEL_UPPER) != 0);
		if (t->row > 0 && (fl & HWP_COL_BAND))
			hwp_band_name_colours(b, t->ws, 1, t->row,
					      (lxw_col_t)c);
		if (t->row > 0 && c == t->band_col)
			hwp_band_number_colours(b, t->ws, 1, t->row,
						(lxw_col_t)c, t->band);
	}
	t->ws = NULL;
}

/* The format of a number column's cells. */
static lxw_format *number_format(struct hwp_book *b, unsigned flags)
{
	return flags & HWP_COL_DATE   ? b->f_day
	       : flags & HWP_COL_DEC1 ? b->f_dec1
	       : flags & HWP_COL_DEC3 ? b->f_dec3
				      : b->f_number;
}

void hwp_table_begin(struct hwp_table *t, struct hwp_book *b, const char *name,
		     const struct hwp_col *cols, int ncols)
{
	int c;

	memset(t, 0, sizeof *t);
	t->book = b;
	snprintf(t->base, sizeof t->base, "%s", name);
	t->cols = cols;
	t->ncols = ncols < HWP_XLSX_MAX_COLS ? ncols : HWP_XLSX_MAX_COLS;
	t->band_col = -1;
	while (t->keys < t->ncols && (cols[t->keys].flags & HWP_COL_KEY))
		t->keys++;
	t->wrap_xf = lxw_format_get_xf_index(b->f_wrap);
	t->top_xf = lxw_format_get_xf_index(b->f_top);
	for (c = 0; c < t->ncols; c++) {
		unsigned fl = cols[c].flags;

		t->xf[c] = lxw_format_get_xf_index(number_format(b, fl));
	}
	part_start(t);
}

void hwp_table_row(struct hwp_table *t)
{
	struct hwp_book *b = t->book;

	if (t->ws == NULL)
		return;
	row_flush(t);
	if ((size_t)t->row + 1 >= b->row_limit) {
		part_end(t);
		part_start(t);
		if (t->ws == NULL)
			return;
	}
	t->row++;
	t->rows++;
	/* Short of the end until the file is in place (hwp_book_close). */
	if (b->progress != NULL && (++b->done & 0xfff) == 0)
		b->progress(b->done < b->total ? b->done : b->total - 1,
			    b->total, b->pctx);
	/* Rows are numbered from 1, the header being row 1. */
	b->rownum_len = (size_t)snprintf(b->rownum, sizeof b->rownum, "%lu",
					 (unsigned long)t->row + 1);
	memset(b->cell_len, 0, sizeof b->cell_len);
	b->cells_len = 0;
	b->row_open = 1;
	b->row_lines = 1;
}

/* Is the cell writable (a record started, nothing failed)? */
static int cell_ok(struct hwp_table *t, int col)
{
	return t->ws != NULL && t->row > 0 && col >= 0 && col < t->ncols &&
	       hwp_book_ok(t->book);
}

static void widen(struct hwp_table *t, int col, double chars)
{
	if (chars > t->width[col])
		t->width[col] = chars;
}

void hwp_table_str(struct hwp_table *t, int col, const char *s)
{
	double w;
	int wide;

	if (s == NULL || *s == '\0' || !cell_ok(t, col))
		return;
	s = hwp_xlsx_clip(s, HWP_XLSX_CELL_MAX, t->book->clip);
	/* Widths only matter up to WIDTH_WIDE; long cells stop counting.
	 * A wide column's longer text wraps in its cell. */
	wide = t->cols[col].flags & HWP_COL_NAME   ? WIDTH_NAME
	       : t->cols[col].flags & HWP_COL_NOTE ? WIDTH_NOTE
	       : t->cols[col].flags & HWP_COL_WIDE ? WIDTH_WIDE
						   : 0;
	w = strlen(s) > 400 * WIDTH_WIDE ? 100 * WIDTH_WIDE
					 : hwp_xlsx_width(s, 0);
	widen(t, col, wide && w > wide ? wide : w);
	/* Text past the cap wraps in a column the cap wide: as many
	 * lines as its words take there, no more. */
	if (wide && w > wide) {
		double lines = hwp_xlsx_lines(s, wide);

		if (lines > t->book->row_lines)
			t->book->row_lines = lines;
	}
	if (t->book->direct)
		direct_string(t, col, s,
			      wide ? t->book->f_wrap : t->book->f_top);
	else
		cell_string(t, col, s, wide ? t->wrap_xf : t->top_xf);
}

void hwp_table_num(struct hwp_table *t, int col, double v)
{
	unsigned fl;

	if (!cell_ok(t, col))
		return;
	fl = t->cols[col].flags;
	widen(t, col,
	      (double)hwp_number_chars(v) + 1.5 +
		  (fl & HWP_COL_DEC1   ? 2
		   : fl & HWP_COL_DEC3 ? 4
				       : 0));
	if (t->book->direct)
		direct_number(t, col, v, number_format(t->book, fl));
	else
		cell_number(t, col, v, t->xf[col]);
}

void hwp_table_date(struct hwp_table *t, int col, int32_t days)
{
	if (!cell_ok(t, col))
		return;
	widen(t, col, 11.5);
	if (t->book->direct)
		direct_number(t, col, (double)days + EXCEL_EPOCH_DAYS,
			      t->book->f_day);
	else
		cell_number(t, col, (double)days + EXCEL_EPOCH_DAYS,
			    lxw_format_get_xf_index(t->book->f_day));
}

void hwp_table_bands(struct hwp_table *t, int col, double moderate,
		     double high, double very_high)
{
	if (col < 0 || col >= t->ncols)
		return;
	t->band_col = col;
	t->band[0] = moderate;
	t->band[1] = high;
	t->band[2] = very_high;
}

void hwp_table_bool(struct hwp_table *t, int col, int v)
{
	hwp_table_str(t, col, v ? "yes" : "no");
}

void hwp_table_level(struct hwp_table *t, int col, enum hw_level l)
{
	if (col >= 0 && col < t->ncols)
		hwp_table_str(t, col,
			      t->cols[col].flags & HWP_COL_LEVEL_UPPER
				  ? hw_level_upper(l)
				  : hw_level_name(l));
}

void hwp_table_end(struct hwp_table *t)
{
	struct hwp_book *b = t->book;
	struct hwp_table_info *info;

	part_end(t);
	if (b->ntables < HWP_XLSX_MAX_TABLES) {
		info = &b->tables[b->ntables++];
		snprintf(info->name, sizeof info->name, "%s", t->base);
		info->rows = t->rows;
		info->parts = t->part;
	}
}

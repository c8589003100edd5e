/*
 * xlsx-form.c: a workbook's forms (hw-xlsx.h), the Summary sheets: label
 * and value rows under a title and section headings, small tables of a
 * few columns and charts, each column as wide as its text; printed one
 * page wide and as few pages tall as keep the text at FORM_SCALE or more.
 * Written with libxlsxwriter, a row at a time (constant_memory).
 */
#include <math.h>
#include <string.h>

#include "hw-private.h"
#include "xlsx-book.h"

/* A form is fitted one page wide and as few pages tall as keep it at
 * FORM_SCALE or more, so that its last page is never a nearly blank
 * one.  Page sizes: the smaller of A4 and Letter landscape, inside the
 * default margins (0.7 inch left and right, 0.75 top and bottom). */
#define FORM_SCALE 0.75
#define PAGE_WIDTH_PT 691.0  /* Letter: 792 - 2 x 50.4 */
#define PAGE_HEIGHT_PT 480.0 /* A4: 595 - 2 x 54, less a little */
#define TITLE_PT 24.0
#define FORM_LABEL_MAX 48 /* labels wrap past this width */
#define FORM_VALUE_MAX 64 /* and values past this */
#define CHART_SCALE 0.85  /* of libxlsxwriter's 480 x 288 pixels */

void hwp_form_begin(struct hwp_form *f, struct hwp_book *b, const char *name)
{
	memset(f, 0, sizeof *f);
	f->book = b;
	snprintf(f->name, sizeof f->name, "%s", name);
	f->ws = hwp_book_sheet(b, name);
	f->ncols = 2;
	f->width[0] = 10;
	f->width[1] = 12;
}

static int form_ok(struct hwp_form *f)
{
	return f->ws != NULL && f->book->err.code == HW_OK;
}

/* The next row holds lines lines of text. */
static void form_next(struct hwp_form *f, double lines)
{
	if (lines > 1 && form_ok(f))
		hwp_book_check(
		    f->book,
		    worksheet_set_row(f->ws, f->row, ROW_PT * lines, NULL));
	f->height += ROW_PT * (lines < 1 ? 1 : lines);
	f->row++;
}

void hwp_form_columns(struct hwp_form *f, int ncols, const double *width)
{
	int c;

	for (c = 0; c < ncols && c < HWP_FORM_MAX_COLS; c++)
		if (width[c] > f->width[c])
			f->width[c] = width[c];
	if (ncols > f->ncols)
		f->ncols =
		    ncols < HWP_FORM_MAX_COLS ? ncols : HWP_FORM_MAX_COLS;
}

/* A cell's text in column col: widens the column up to max characters;
 * longer text wraps (returns the lines it takes, and *wrap is set). */
static double form_fit(struct hwp_form *f, int col, const char *s, int bold,
		       double max, int *wrap)
{
	double w = hwp_xlsx_width(s, bold);

	if (col >= f->ncols)
		f->ncols = col + 1;
	*wrap = w > max;
	if (*wrap)
		w = max;
	if (w > f->width[col])
		f->width[col] = w;
	return *wrap ? ceil(hwp_xlsx_width(s, bold) / (max - 1)) : 1;
}

void hwp_form_title(struct hwp_form *f, const char *title)
{
	if (!form_ok(f))
		return;
	hwp_book_check(f->book, worksheet_set_row(f->ws, f->row, 24, NULL));
	hwp_book_check(f->book, worksheet_write_string(f->ws, f->row, 0, title,
						       f->book->f_title));
	f->height += TITLE_PT - ROW_PT;
	form_next(f, 1);
}

void hwp_form_gap(struct hwp_form *f)
{
	form_next(f, 1);
}

void hwp_form_space(struct hwp_form *f, lxw_row_t rows)
{
	f->row += rows;
	f->height += ROW_PT * rows;
}

void hwp_form_section(struct hwp_form *f, const char *heading)
{
	int c;

	if (!form_ok(f))
		return;
	form_next(f, 1);
	/* The heading runs on over the row's other cells, underlined
	 * across them all. */
	hwp_book_check(f->book,
		       worksheet_write_string(f->ws, f->row, 0, heading,
					      f->book->f_section));
	for (c = 1; c < f->ncols; c++)
		hwp_book_check(
		    f->book, worksheet_write_blank(f->ws, f->row, (lxw_col_t)c,
						   f->book->f_section));
	form_next(f, 1);
}

/* The label of the current row; returns the lines it takes, or 0 when
 * the value may not follow. */
static double form_label(struct hwp_form *f, const char *label)
{
	double lines;
	int wrap;

	if (!form_ok(f))
		return 0;
	label = hwp_xlsx_clip(label, HWP_XLSX_CELL_MAX, f->book->clip);
	lines = form_fit(f, 0, label, 1, FORM_LABEL_MAX, &wrap);
	hwp_book_check(f->book,
		       worksheet_write_string(f->ws, f->row, 0, label,
					      wrap ? f->book->f_label_wrap
						   : f->book->f_label));
	return lines;
}

/* Text in column col of the current row, in fmt (NULL: plain); returns
 * the lines it takes.  A value alone in its row (spill) of a form with a
 * table runs on over the table's columns, wrapping across them all when
 * it is wider still. */
static double form_string(struct hwp_form *f, int col, const char *text,
			  lxw_format *fmt, double max, int spill)
{
	double lines, w, room = 0;
	int wrap, c;

	if (text == NULL || *text == '\0')
		return 1;
	text = hwp_xlsx_clip(text, HWP_XLSX_CELL_MAX, f->book->clip);
	for (c = col; spill && c < f->ncols; c++)
		room += f->width[c];
	if (spill && f->ncols > col + 1) {
		w = strlen(text) > 4 * 1024 ? 1024 : hwp_xlsx_width(text, 0);
		if (w <= room) {
			hwp_book_check(f->book,
				       worksheet_write_string(
					   f->ws, f->row, (lxw_col_t)col, text,
					   fmt ? fmt : f->book->f_top));
			return 1;
		}
		hwp_book_check(f->book, worksheet_merge_range(
					    f->ws, f->row, (lxw_col_t)col,
					    f->row, (lxw_col_t)(f->ncols - 1),
					    text, f->book->f_wrap));
		return ceil(w / (room - 1));
	}
	lines = form_fit(f, col, text, 0, max, &wrap);
	hwp_book_check(f->book, worksheet_write_string(f->ws, f->row,
						       (lxw_col_t)col, text,
						       wrap  ? f->book->f_wrap
						       : fmt ? fmt
							     : f->book->f_top));
	return lines;
}

/* A number in column col of the current row. */
static void form_number(struct hwp_form *f, int col, double v, lxw_format *fmt,
			double decimals)
{
	double w = (double)hwp_number_chars(v) + 1.5 + decimals;

	if (col >= f->ncols)
		f->ncols = col + 1;
	if (w > f->width[col])
		f->width[col] = w;
	hwp_book_check(f->book, worksheet_write_number(f->ws, f->row,
						       (lxw_col_t)col, v, fmt));
}

void hwp_form_text(struct hwp_form *f, const char *label, const char *text)
{
	double a = form_label(f, label), b;

	if (a == 0)
		return;
	b = form_string(f, 1, text, NULL, FORM_VALUE_MAX, 1);
	form_next(f, a > b ? a : b);
}

void hwp_form_num(struct hwp_form *f, const char *label, double v)
{
	double a = form_label(f, label);

	if (a == 0)
		return;
	form_number(f, 1, v, f->book->f_count, 0);
	form_next(f, a);
}

void hwp_form_level(struct hwp_form *f, const char *label, enum hw_level l)
{
	hwp_form_text(f, label, hw_level_upper(l));
}

/* The level colour of a band's or a level's name, or NULL. */
static lxw_format *word_format(struct hwp_book *b, const char *s)
{
	int i;

	for (i = HW_BAND_LOW; i <= HW_BAND_VERY_HIGH; i++)
		if (strcmp(s, hw_band_name((enum hw_band)i)) == 0)
			return i == HW_BAND_VERY_HIGH ? b->f_very_high
						      : b->f_level[i];
	for (i = HW_LEVEL_LOW; i <= HW_LEVEL_HIGH; i++)
		if (strcmp(s, hw_level_upper((enum hw_level)i)) == 0)
			return b->f_level[i - HW_LEVEL_LOW];
	return NULL;
}

void hwp_form_coloured(struct hwp_form *f, const char *label, const char *text,
		       enum hw_level colour)
{
	lxw_format *fmt = NULL;
	double a = form_label(f, label), b;

	if (a == 0)
		return;
	if (colour >= HW_LEVEL_LOW && colour <= HW_LEVEL_HIGH)
		fmt = f->book->f_level[colour - HW_LEVEL_LOW];
	b = form_string(f, 1, text, fmt, FORM_VALUE_MAX, 1);
	form_next(f, a > b ? a : b);
}

void hwp_form_head(struct hwp_form *f, const char *const *names, int n)
{
	int c;

	if (!form_ok(f))
		return;
	for (c = 0; c < n && c < HWP_FORM_MAX_COLS; c++) {
		double w = hwp_xlsx_width(names[c], 1);

		if (c >= f->ncols)
			f->ncols = c + 1;
		if (w > f->width[c])
			f->width[c] = w;
		hwp_book_check(f->book, worksheet_write_string(
					    f->ws, f->row, (lxw_col_t)c,
					    names[c], f->book->f_header));
	}
	form_next(f, 1);
}

void hwp_form_cells(struct hwp_form *f, const char *label,
		    const struct hwp_cell *cells, int n)
{
	double lines = form_label(f, label), l;
	int c;

	if (lines == 0)
		return;
	for (c = 0; c < n && c + 1 < HWP_FORM_MAX_COLS; c++) {
		const struct hwp_cell *x = &cells[c];

		l = 1;
		if (x->kind == HWP_CELL_DEC1)
			form_number(f, c + 1, x->num, f->book->f_form_dec1, 2);
		else if (x->kind == HWP_CELL_NUM)
			form_number(f, c + 1, x->num, f->book->f_count, 0);
		else if (x->text != NULL)
			l = form_string(f, c + 1, x->text,
					x->kind == HWP_CELL_COLOURED
					    ? word_format(f->book, x->text)
					    : NULL,
					x->max > 0 ? x->max : FORM_VALUE_MAX,
					0);
		if (l > lines)
			lines = l;
	}
	form_next(f, lines);
}

void hwp_form_date(struct hwp_form *f, const char *label, time_t when)
{
	struct tm tm;
	lxw_datetime dt;

	if (form_label(f, label) == 0)
		return;
	localtime_r(&when, &tm);
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec;
	if (f->width[1] < 17.5)
		f->width[1] = 17.5;
	hwp_book_check(f->book, worksheet_write_datetime(f->ws, f->row, 1, &dt,
							 f->book->f_date));
	form_next(f, 1);
}

void hwp_form_decimal(struct hwp_form *f, const char *label, double v)
{
	if (form_label(f, label) == 0)
		return;
	form_number(f, 1, v, f->book->f_form_dec1, 2);
	form_next(f, 1);
}

void hwp_form_day(struct hwp_form *f, const char *label, int32_t days)
{
	if (form_label(f, label) == 0)
		return;
	form_number(f, 1, (double)days + EXCEL_EPOCH_DAYS, f->book->f_form_day,
		    0);
	if (f->width[1] < 11.5)
		f->width[1] = 11.5;
	form_next(f, 1);
}

void hwp_form_tables(struct hwp_form *f)
{
	char label[64];
	size_t i;

	hwp_form_section(f, "Sheets");
	for (i = 0; i < f->book->ntables; i++) {
		snprintf(label, sizeof label, "%s (rows)",
			 f->book->tables[i].name);
		hwp_form_num(f, label, (double)f->book->tables[i].rows);
	}
}

void hwp_form_chart(struct hwp_form *f, const struct hwp_chart *c)
{
	struct hwp_book *b = f->book;
	lxw_chart_fill fill[64];
	lxw_chart_point point[64], *points[65];
	lxw_chart_options opt = {0};
	lxw_chart_series *s;
	lxw_chart *chart;
	size_t i, n = c->last - c->first + 1;

	if (!form_ok(f) || c->last < c->first)
		return;
	chart = workbook_add_chart(b->wb,
				   c->pie ? LXW_CHART_PIE : LXW_CHART_COLUMN);
	if (chart == NULL) {
		hwp_book_error(b, HW_ENOMEM, "cannot add the chart", c->title);
		return;
	}
	chart_title_set_name(chart, c->title);
	s = chart_add_series(chart, NULL, NULL);
	if (s == NULL) {
		hwp_book_error(b, HW_ENOMEM, "cannot add the chart", c->title);
		return;
	}
	chart_series_set_categories(s, f->name, c->first, 0, c->last, 0);
	chart_series_set_values(s, f->name, c->first, 1, c->last, 1);
	chart_series_set_name(s, c->title);
	if (c->colours != NULL && n < 64) {
		for (i = 0; i < n; i++) {
			memset(&fill[i], 0, sizeof fill[i]);
			memset(&point[i], 0, sizeof point[i]);
			fill[i].color = c->colours[i];
			point[i].fill = &fill[i];
			points[i] = &point[i];
		}
		points[n] = NULL;
		hwp_book_check(b, chart_series_set_points(s, points));
	}
	if (c->pie)
		chart_series_set_labels(s);
	else
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	opt.x_offset = c->x_offset;
	opt.x_scale = CHART_SCALE;
	opt.y_scale = CHART_SCALE;
	hwp_book_check(
	    b, worksheet_insert_chart_opt(f->ws, c->row, c->col, chart, &opt));
}

/* Columns' widths in points, as a spreadsheet shows them. */
static double form_width_pt(const struct hwp_form *f)
{
	double pt = 0;
	int c;

	/* LibreOffice without Calibri sizes a column unit to its own
	 * font's digits, about 9 pixels: plan for the wider. */
	for (c = 0; c < f->ncols; c++)
		pt += (f->width[c] * 9 + 5) * 0.75;
	return pt;
}

void hwp_form_end(struct hwp_form *f)
{
	double scale, tall;
	int c;

	if (form_ok(f) && f->row > 0)
		hwp_level_colours(f->book, f->ws, 0, f->row - 1, 1, 1);
	if (form_ok(f)) {
		for (c = 0; c < f->ncols; c++)
			hwp_book_check(f->book,
				       worksheet_set_column(f->ws, (lxw_col_t)c,
							    (lxw_col_t)c,
							    f->width[c], NULL));
		/* One page wide; as few pages tall as keep the print at
		 * FORM_SCALE or more, so that it fills its last page. */
		scale = PAGE_WIDTH_PT / form_width_pt(f);
		if (scale > 1)
			scale = 1;
		tall =
		    ceil(f->height * (scale < FORM_SCALE ? scale : FORM_SCALE) /
			 PAGE_HEIGHT_PT);
		worksheet_fit_to_pages(f->ws, 1,
				       (uint16_t)(tall < 1 ? 1 : tall));
	}
	f->ws = NULL;
}

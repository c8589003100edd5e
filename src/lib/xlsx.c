/*
 * xlsx.c: the workbook writer every report uses (hw-xlsx.h): shared
 * formats, print setup and properties, tables that continue on further
 * worksheets past the row limit, and a file that is renamed into place
 * only once it is all written.  A table's records are written here as
 * SpreadsheetML rows, packed by xlsx-pack.c, so that a million-row sheet
 * costs no more memory than a short one and takes seconds, not minutes;
 * libxlsxwriter writes the rest in constant_memory mode.
 */
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw-private.h"
#include "hw-xlsx.h"

/* Excel's "Bad", "Neutral" and "Good" cell styles: fill, then font. */
#define RED_FILL 0xFFC7CE
#define RED_FONT 0x9C0006
#define AMBER_FILL 0xFFEB9C
#define AMBER_FONT 0x9C5700
#define GREEN_FILL 0xC6EFCE
#define GREEN_FONT 0x006100
#define HEADER_FILL 0x1F4E78
#define VERY_HIGH_FILL 0x9C0006 /* the "very high" band: white on dark red */
#define VERY_HIGH_FONT 0xFFFFFF

/* Excel's date of 1970-01-01 (days since 1899-12-30). */
#define EXCEL_EPOCH_DAYS 25569

#define WIDTH_MIN 8
#define WIDTH_MAX 50
#define WIDTH_WIDE 100

struct hwp_book {
	lxw_workbook *wb;
	char *path, *tmp; /* the target, and the file written beside it */
	int force;
	size_t row_limit;
	struct hw_error err; /* the first failure; code HW_OK while none */
	char header[256], footer[64]; /* page header and footer */
	lxw_format *f_header, *f_title, *f_section, *f_label, *f_number,
	    *f_count, *f_date, *f_level[3], /* f_count: a form's number;
					       f_level: low, moderate, high */
	    *f_day, *f_dec1, *f_dec3, *f_very_high, *f_form_dec1,
	    *f_form_day; /* dates, decimals; forms' left-aligned */
	size_t sheets;
	struct hwp_table_info tables[HWP_XLSX_MAX_TABLES];
	size_t ntables;
	char *clip; /* 4 * HWP_XLSX_CELL_MAX + 1 bytes */
	struct hwp_pack *pack; /* the tables' records */
	/* The record being written: each cell's XML in cells, by column
	 * (cell_len 0: none), its row number as text, and the row. */
	char *cells, *line;
	size_t cells_len, cells_cap, line_cap;
	size_t cell_at[HWP_XLSX_MAX_COLS], cell_len[HWP_XLSX_MAX_COLS];
	char rownum[16];
	size_t rownum_len;
	int row_open;
};

/* ------------------------------------------------------------------ */
/* Pure helpers                                                        */

size_t hwp_xlsx_parts(size_t rows, size_t row_limit)
{
	size_t per = row_limit > 1 ? row_limit - 1 : 1;

	return rows == 0 ? 1 : (rows + per - 1) / per;
}

size_t hwp_xlsx_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Byte offset of the character after the first n characters of s. */
static size_t chars_prefix(const char *s, size_t n)
{
	size_t i = 0, seen = 0;

	for (; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && seen++ == n)
			break;
	return i;
}

const char *hwp_xlsx_clip(const char *s, size_t max, char *buf)
{
	size_t keep;

	if (max == 0 || s[chars_prefix(s, max)] == '\0')
		return s;
	keep = chars_prefix(s, max - 1);
	/* Stray continuation bytes (text that is not UTF-8) make characters
	 * longer than 4 bytes: never take more than buf holds. */
	if (keep > 4 * (max - 1)) {
		keep = 4 * (max - 1);
		while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
			keep--;
	}
	memcpy(buf, s, keep);
	memcpy(buf + keep, "\xE2\x80\xA6", 4); /* U+2026 and NUL */
	return buf;
}

const char *hwp_xlsx_part_name(const char *base, size_t part, char *buf,
			       size_t size)
{
	char suffix[32] = "";
	size_t keep;

	if (part > 1)
		snprintf(suffix, sizeof suffix, " (%zu)", part);
	keep = chars_prefix(base, LXW_SHEETNAME_MAX - strlen(suffix));
	snprintf(buf, size, "%.*s%s", (int)keep, base, suffix);
	return buf;
}

/* ------------------------------------------------------------------ */
/* The book                                                            */

static void book_error(struct hwp_book *b, enum hw_errcode code,
		       const char *what, const char *detail)
{
	if (b->err.code == HW_OK)
		hw_error_set(&b->err, code, "%s%s%s", what, detail ? ": " : "",
			     detail ? detail : "");
}

void hwp_book_fail(struct hwp_book *b, enum hw_errcode code, const char *text)
{
	book_error(b, code, text, NULL);
}

int hwp_book_ok(const struct hwp_book *b)
{
	return b->err.code == HW_OK && hwp_pack_ok(b->pack);
}

/* Keep a libxlsxwriter failure. */
static void check(struct hwp_book *b, lxw_error rc)
{
	if (rc != LXW_NO_ERROR)
		book_error(b, HW_EIO, "cannot write the workbook",
			   lxw_strerror(rc));
}

size_t hwp_book_row_limit(const struct hwp_book *b)
{
	return b->row_limit;
}

size_t hwp_book_sheets(const struct hwp_book *b)
{
	return b->sheets;
}

size_t hwp_book_tables(const struct hwp_book *b,
		       const struct hwp_table_info **info)
{
	*info = b->tables;
	return b->ntables;
}

/* 1048576 as "1,048,576". */
static const char *grouped(size_t n, char *buf, size_t size)
{
	char digits[32];
	size_t len = (size_t)snprintf(digits, sizeof digits, "%zu", n), i,
	       k = 0;

	for (i = 0; i < len && k + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
	return buf;
}

const char *hwp_book_split_note(const struct hwp_book *b, char *buf,
				size_t size)
{
	char second[128], last[128];
	size_t i, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < b->ntables && used < size; i++) {
		const struct hwp_table_info *t = &b->tables[i];

		if (t->parts < 2)
			continue;
		hwp_xlsx_part_name(t->name, 2, second, sizeof second);
		hwp_xlsx_part_name(t->name, t->parts, last, sizeof last);
		n = snprintf(buf + used, size - used,
			     "%s%s continues on %s%s%s", used ? "; " : "",
			     t->name, second, t->parts > 2 ? " to " : "",
			     t->parts > 2 ? last : "");
		used += n > 0 ? (size_t)n : 0;
	}
	if (used > 0 && used < size)
		snprintf(buf + used, size - used,
			 " (a worksheet holds %s rows)",
			 grouped(b->row_limit, last, sizeof last));
	return buf;
}

void hwp_book_info(const struct hwp_book *b, size_t rows,
		   struct hw_report_info *info)
{
	if (info == NULL)
		return;
	info->sheets = b->sheets;
	info->rows = rows;
	hwp_book_split_note(b, info->split, sizeof info->split);
}

/* Page-header text: '&' starts a code, so it is doubled. */
static void header_escape(char *out, size_t size, const char *s)
{
	size_t n = strlen(out);

	for (; *s != '\0' && n + 3 < size; s++) {
		if (*s == '&')
			out[n++] = '&';
		out[n++] = *s;
	}
	out[n] = '\0';
}

static lxw_format *level_format(lxw_workbook *wb, lxw_color_t fill,
				lxw_color_t font)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bg_color(f, fill);
	format_set_font_color(f, font);
	return f;
}

/* A number format; forms align their values left. */
static lxw_format *number_format(lxw_workbook *wb, const char *num, int left)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_num_format(f, num);
	if (left)
		format_set_align(f, LXW_ALIGN_LEFT);
	return f;
}

static void book_formats(struct hwp_book *b)
{
	lxw_workbook *wb = b->wb;

	b->f_header = workbook_add_format(wb);
	format_set_bold(b->f_header);
	format_set_font_color(b->f_header, LXW_COLOR_WHITE);
	format_set_bg_color(b->f_header, HEADER_FILL);
	format_set_bottom(b->f_header, LXW_BORDER_THIN);
	b->f_title = workbook_add_format(wb);
	format_set_bold(b->f_title);
	format_set_font_size(b->f_title, 16);
	b->f_section = workbook_add_format(wb);
	format_set_bold(b->f_section);
	format_set_font_size(b->f_section, 12);
	format_set_bottom(b->f_section, LXW_BORDER_THIN);
	b->f_label = workbook_add_format(wb);
	format_set_bold(b->f_label);
	b->f_number = number_format(wb, "#,##0", 0);
	b->f_count = number_format(wb, "#,##0", 1);
	b->f_date = number_format(wb, "yyyy-mm-dd hh:mm", 1);
	b->f_level[0] = level_format(wb, GREEN_FILL, GREEN_FONT);
	b->f_level[1] = level_format(wb, AMBER_FILL, AMBER_FONT);
	b->f_level[2] = level_format(wb, RED_FILL, RED_FONT);
	b->f_very_high = level_format(wb, VERY_HIGH_FILL, VERY_HIGH_FONT);
	format_set_bold(b->f_very_high);
	b->f_day = number_format(wb, "yyyy-mm-dd", 0);
	b->f_dec1 = number_format(wb, "0.0", 0);
	b->f_dec3 = number_format(wb, "0.000", 0);
	b->f_form_dec1 = number_format(wb, "0.0", 1);
	b->f_form_day = number_format(wb, "yyyy-mm-dd", 1);
}

struct hwp_book *hwp_book_open(const char *path, int force, size_t row_limit,
			       const char *title, const char *subject,
			       const char *organisation, time_t now,
			       struct hw_error *err)
{
	lxw_workbook_options wo = {.constant_memory = 1};
	lxw_doc_properties props = {0};
	struct hwp_book *b;
	char clipped[64 * 4 + 1];
	size_t len = strlen(path);
	int fd;

	if (row_limit == 0)
		row_limit = HW_XLSX_ROWS_MAX;
	if (row_limit < 2 || row_limit > HW_XLSX_ROWS_MAX) {
		hw_error_set(err, HW_EINVAL,
			     "a worksheet holds 2 to %d rows, not %zu",
			     HW_XLSX_ROWS_MAX, row_limit);
		return NULL;
	}
	if (!force && access(path, F_OK) == 0) {
		hw_error_set(err, HW_EEXIST, "'%s' already exists", path);
		return NULL;
	}
	b = calloc(1, sizeof *b);
	if (b == NULL || (b->path = strdup(path)) == NULL ||
	    (b->tmp = malloc(len + 12)) == NULL ||
	    (b->clip = malloc(4 * HWP_XLSX_CELL_MAX + 1)) == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto fail;
	}
	b->pack = hwp_pack_new();
	if (b->pack == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto fail;
	}
	b->force = force;
	b->row_limit = row_limit;
	/* Beside the target, so that the final rename stays on one file
	 * system; libxlsxwriter writes the whole zip to it at close. */
	snprintf(b->tmp, len + 12, "%s.tmpXXXXXX", path);
	fd = mkstemp(b->tmp);
	if (fd < 0) {
		hw_error_set(err, HW_EIO, "cannot write '%s': %s", path,
			     strerror(errno));
		b->tmp[0] = '\0';
		goto fail;
	}
	close(fd);
	b->wb = workbook_new_opt(b->tmp, &wo);
	if (b->wb == NULL) {
		hw_error_set(err, HW_ENOMEM, "cannot start the workbook '%s'",
			     path);
		goto fail;
	}
	props.title = (char *)title;
	props.subject = (char *)subject;
	props.author = (char *)"highwater";
	props.company = (char *)(organisation ? organisation : "");
	props.comments = (char *)"Written by highwater " PACKAGE_VERSION;
	props.created = now;
	check(b, workbook_set_properties(b->wb, &props));
	book_formats(b);
	/* &L title, &R organisation; &L sheet, &C page of pages, &R date. */
	strcpy(b->header, "&L&\"-,Bold\"");
	header_escape(b->header, sizeof b->header,
		      hwp_xlsx_clip(title, 60, clipped));
	strcat(b->header, "&R");
	header_escape(
	    b->header, sizeof b->header,
	    hwp_xlsx_clip(organisation ? organisation : "", 60, clipped));
	strcpy(b->footer, "&L&A&CPage &P of &N&R&D");
	if (b->err.code != HW_OK) {
		if (err != NULL && err->code == HW_OK)
			*err = b->err;
		goto fail;
	}
	return b;
fail:
	hwp_book_close(b, 0, NULL);
	return NULL;
}

/* Move the finished temporary file to the target: without force, link
 * it there, which fails if the target has appeared meanwhile. */
static int book_place(struct hwp_book *b)
{
	int fd = open(b->tmp, O_RDONLY);

	if (fd < 0 || fsync(fd) != 0) {
		if (fd >= 0)
			close(fd);
		return hw_error_set(&b->err, HW_EIO, "cannot write '%s': %s",
				    b->path, strerror(errno));
	}
	close(fd);
	if (!b->force) {
		if (link(b->tmp, b->path) == 0) {
			unlink(b->tmp);
			return 0;
		}
		if (errno == EEXIST)
			return hw_error_set(&b->err, HW_EEXIST,
					    "'%s' already exists", b->path);
		/* No hard links here (some file systems): check, rename. */
		if (access(b->path, F_OK) == 0)
			return hw_error_set(&b->err, HW_EEXIST,
					    "'%s' already exists", b->path);
	}
	if (rename(b->tmp, b->path) != 0)
		return hw_error_set(&b->err, HW_EIO, "cannot write '%s': %s",
				    b->path, strerror(errno));
	return 0;
}

/* The tables' records into the file libxlsxwriter wrote: a copy with
 * them spliced in takes its place. */
static void book_splice(struct hwp_book *b)
{
	size_t len = strlen(b->path) + 12;
	char *spliced = malloc(len);
	int fd;

	if (spliced == NULL) {
		book_error(b, HW_ENOMEM, "out of memory", NULL);
		return;
	}
	snprintf(spliced, len, "%s.tmpXXXXXX", b->path);
	fd = mkstemp(spliced);
	if (fd < 0) {
		hw_error_set(&b->err, HW_EIO, "cannot write '%s': %s", b->path,
			     strerror(errno));
		free(spliced);
		return;
	}
	close(fd);
	if (hwp_pack_finish(b->pack, b->tmp, spliced, &b->err) < 0) {
		unlink(spliced);
		free(spliced);
		return;
	}
	unlink(b->tmp);
	free(b->tmp);
	b->tmp = spliced;
}

int hwp_book_close(struct hwp_book *b, int ok, struct hw_error *err)
{
	lxw_error rc;
	int ret = 0;

	if (b == NULL)
		return 0;
	if (b->wb != NULL) {
		rc = workbook_close(b->wb); /* also frees it */
		if (rc != LXW_NO_ERROR)
			book_error(b, HW_EIO, "cannot write the workbook",
				   lxw_strerror(rc));
		if (ok && b->err.code == HW_OK)
			book_splice(b);
		if (ok && b->err.code == HW_OK)
			book_place(b);
	}
	if (!ok || b->err.code != HW_OK) {
		if (b->tmp != NULL && b->tmp[0] != '\0')
			unlink(b->tmp);
		if (b->err.code != HW_OK) {
			if (err != NULL && err->code == HW_OK)
				*err = b->err;
			ret = -1;
		}
	}
	hwp_pack_free(b->pack);
	free(b->cells);
	free(b->line);
	free(b->clip);
	free(b->tmp);
	free(b->path);
	free(b);
	return ret;
}

static lxw_worksheet *book_sheet(struct hwp_book *b, const char *name)
{
	lxw_worksheet *ws;

	if (b->err.code != HW_OK)
		return NULL;
	ws = workbook_add_worksheet(b->wb, name);
	if (ws == NULL) {
		book_error(b, HW_EIO, "cannot add the worksheet", name);
		return NULL;
	}
	b->sheets++;
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as long as it
					     takes */
	check(b, worksheet_set_header(ws, b->header));
	check(b, worksheet_set_footer(ws, b->footer));
	return ws;
}

/* Colour the cells of a column range that equal one of the words,
 * each in its format. */
static void word_colours(struct hwp_book *b, lxw_worksheet *ws,
			 lxw_row_t first, lxw_row_t last, lxw_col_t col,
			 const char *const *words, lxw_format *const *fmt,
			 int n)
{
	char value[64];
	int i;

	for (i = 0; i < n; i++) {
		lxw_conditional_format cf = {0};

		snprintf(value, sizeof value, "\"%s\"", words[i]);
		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
		cf.value_string = value;
		cf.format = fmt[i];
		check(b, worksheet_conditional_format_range(ws, first, col,
							    last, col, &cf));
	}
}

/* Colour HIGH, MODERATE and LOW cells (in the case the sheet writes)
 * of a column range, red, amber and green. */
static void level_colours(struct hwp_book *b, lxw_worksheet *ws,
			  lxw_row_t first, lxw_row_t last, lxw_col_t col,
			  int upper)
{
	const char *words[3];
	enum hw_level l;

	for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++)
		words[l - HW_LEVEL_LOW] =
		    upper ? hw_level_upper(l) : hw_level_name(l);
	word_colours(b, ws, first, last, col, words, b->f_level, 3);
}

/* Risk bands by name: very high, high, moderate, low. */
static void band_name_colours(struct hwp_book *b, lxw_worksheet *ws,
			      lxw_row_t first, lxw_row_t last, lxw_col_t col)
{
	const char *words[4];
	lxw_format *fmt[4] = {b->f_level[0], b->f_level[1], b->f_level[2],
			      b->f_very_high};
	int i;

	for (i = 0; i < 4; i++)
		words[i] = hw_band_name((enum hw_band)i);
	word_colours(b, ws, first, last, col, words, fmt, 4);
}

/* Risk bands by number: the highest band a value reaches wins. */
static void band_number_colours(struct hwp_book *b, lxw_worksheet *ws,
				lxw_row_t first, lxw_row_t last,
				lxw_col_t col, const double band[3])
{
	lxw_format *fmt[4] = {b->f_very_high, b->f_level[2], b->f_level[1],
			      b->f_level[0]};
	int i;

	for (i = 0; i < 4; i++) {
		lxw_conditional_format cf = {0};

		cf.type = LXW_CONDITIONAL_TYPE_CELL;
		cf.criteria = i < 3 ? LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO
				    : LXW_CONDITIONAL_CRITERIA_LESS_THAN;
		cf.value = band[i < 3 ? 2 - i : 0];
		cf.format = fmt[i];
		cf.stop_if_true = LXW_TRUE;
		check(b, worksheet_conditional_format_range(ws, first, col,
							    last, col, &cf));
	}
}

void hwp_text_add(struct hwp_text *t, struct hwp_book *b, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *grown = realloc(t->s, cap);

		if (grown == NULL) {
			hwp_book_fail(b, HW_ENOMEM, "out of memory");
			return;
		}
		t->s = grown;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n + 1);
	t->len += n;
}

void hwp_text_clear(struct hwp_text *t)
{
	t->len = 0;
	if (t->s != NULL)
		t->s[0] = '\0';
}

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
			book_error(b, HW_ENOMEM, "out of memory", NULL);
			return NULL;
		}
		b->cells = grown;
		b->cells_cap = cap;
	}
	return b->cells + b->cells_len;
}

#define PUT(q, lit) (memcpy((q), (lit), sizeof(lit) - 1), (q) += sizeof(lit) - 1)

/* "<c r=\"B12\"" for column col of the record. */
static char *cell_open(struct hwp_book *b, char *q, int col)
{
	char name[4];
	size_t n;

	PUT(q, "<c r=\"");
	col_name(col, name);
	n = strlen(name);
	memcpy(q, name, n);
	q += n;
	memcpy(q, b->rownum, b->rownum_len);
	return q + b->rownum_len;
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
	q = cell_open(b, q, col);
	if (xf > 0) {
		PUT(q, "\" s=\"");
		q += put_uint(q, (unsigned long long)xf);
	}
	PUT(q, "\"><v>");
	q += hwp_xlsx_number(v, q);
	PUT(q, "</v></c>");
	cell_close(b, col, q);
}

static void cell_bool(struct hwp_table *t, int col, int v)
{
	struct hwp_book *b = t->book;
	char *q = cell_room(b, 64);

	if (q == NULL)
		return;
	q = cell_open(b, q, col);
	PUT(q, "\" t=\"b\"><v>");
	*q++ = v ? '1' : '0';
	PUT(q, "</v></c>");
	cell_close(b, col, q);
}

/* An inline string, escaped as libxlsxwriter does: &, < and > as
 * entities, control characters but tab and newline as _xHHHH_. */
static void cell_string(struct hwp_table *t, int col, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct hwp_book *b = t->book;
	size_t n = strlen(s);
	char *q = cell_room(b, 7 * n + 96);
	const unsigned char *p;

	if (q == NULL)
		return;
	q = cell_open(b, q, col);
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
	if (need > b->line_cap) {
		char *grown = realloc(b->line, need * 2);

		if (grown == NULL) {
			book_error(b, HW_ENOMEM, "out of memory", NULL);
			return;
		}
		b->line = grown;
		b->line_cap = need * 2;
	}
	q = b->line;
	PUT(q, "<row r=\"");
	memcpy(q, b->rownum, b->rownum_len);
	q += b->rownum_len;
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

static void part_start(struct hwp_table *t)
{
	char name[128];
	int c;

	t->part++;
	t->row = 0;
	t->ws = book_sheet(
	    t->book, hwp_xlsx_part_name(t->base, t->part, name, sizeof name));
	if (t->ws == NULL)
		return;
	worksheet_gridlines(t->ws, LXW_SHOW_ALL_GRIDLINES);
	check(t->book, worksheet_repeat_rows(t->ws, 0, 0));
	worksheet_freeze_panes(t->ws, 1, 0);
	for (c = 0; c < t->ncols; c++) {
		check(t->book, worksheet_write_string(t->ws, 0, (lxw_col_t)c,
						      t->cols[c].name,
						      t->book->f_header));
		/* Room for the autofilter's button. */
		t->width[c] = hwp_xlsx_chars(t->cols[c].name) + 3;
	}
	/* The records go to the pack, after this header row. */
	t->stream = hwp_pack_stream(t->book->pack, t->book->sheets);
}

static void part_end(struct hwp_table *t)
{
	struct hwp_book *b = t->book;
	char dimension[32], name[4];
	size_t w;
	int c;

	if (t->ws == NULL)
		return;
	row_flush(t);
	snprintf(dimension, sizeof dimension, "A1:%s%lu",
		 col_name(t->ncols - 1, name), (unsigned long)t->row + 1);
	hwp_pack_end(b->pack, t->stream, dimension);
	t->stream = NULL;
	check(b, worksheet_autofilter(t->ws, 0, 0, t->row,
				      (lxw_col_t)(t->ncols - 1)));
	for (c = 0; c < t->ncols; c++) {
		unsigned fl = t->cols[c].flags;
		size_t max = fl & HWP_COL_WIDE ? WIDTH_WIDE : WIDTH_MAX;

		w = t->width[c] + 1;
		w = w < WIDTH_MIN ? WIDTH_MIN : w > max ? max : w;
		check(b, worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c,
					      (double)w, NULL));
		if (t->row > 0 &&
		    (fl & (HWP_COL_LEVEL_UPPER | HWP_COL_LEVEL_LOWER)))
			level_colours(b, t->ws, 1, t->row, (lxw_col_t)c,
				      (fl & HWP_COL_LEVEL_UPPER) != 0);
		if (t->row > 0 && (fl & HWP_COL_BAND))
			band_name_colours(b, t->ws, 1, t->row, (lxw_col_t)c);
		if (t->row > 0 && c == t->band_col)
			band_number_colours(b, t->ws, 1, t->row, (lxw_col_t)c,
					    t->band);
	}
	t->ws = NULL;
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
	for (c = 0; c < t->ncols; c++) {
		unsigned fl = cols[c].flags;

		t->xf[c] = lxw_format_get_xf_index(
		    fl & HWP_COL_DATE	  ? b->f_day
		    : fl & HWP_COL_DEC1 ? b->f_dec1
		    : fl & HWP_COL_DEC3 ? b->f_dec3
					: b->f_number);
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
	/* Rows are numbered from 1, the header being row 1. */
	b->rownum_len = (size_t)snprintf(b->rownum, sizeof b->rownum, "%lu",
					 (unsigned long)t->row + 1);
	memset(b->cell_len, 0, sizeof b->cell_len);
	b->cells_len = 0;
	b->row_open = 1;
}

/* Is the cell writable (a record started, nothing failed)? */
static int cell_ok(struct hwp_table *t, int col)
{
	return t->ws != NULL && t->row > 0 && col >= 0 && col < t->ncols &&
	       hwp_book_ok(t->book);
}

static void widen(struct hwp_table *t, int col, size_t chars)
{
	if (chars > t->width[col])
		t->width[col] = chars;
}

void hwp_table_str(struct hwp_table *t, int col, const char *s)
{
	if (s == NULL || *s == '\0' || !cell_ok(t, col))
		return;
	s = hwp_xlsx_clip(s, HWP_XLSX_CELL_MAX, t->book->clip);
	/* Widths only matter up to WIDTH_WIDE; long cells stop counting. */
	widen(t, col,
	      strlen(s) > 4 * WIDTH_WIDE ? WIDTH_WIDE : hwp_xlsx_chars(s));
	cell_string(t, col, s);
}

/* Characters "#,##0" shows for v, near enough for a width. */
static size_t number_chars(double v)
{
	size_t n = v < 0 ? 2 : 1;

	for (v = fabs(v); v >= 10 && n < 24; v /= 10)
		n++;
	return n + (n - 1) / 3;
}

void hwp_table_num(struct hwp_table *t, int col, double v)
{
	unsigned fl;

	if (!cell_ok(t, col))
		return;
	fl = t->cols[col].flags;
	widen(t, col,
	      number_chars(v) + (fl & HWP_COL_DEC1	  ? 2
				 : fl & HWP_COL_DEC3 ? 4
						     : 0));
	cell_number(t, col, v, t->xf[col]);
}

void hwp_table_date(struct hwp_table *t, int col, int32_t days)
{
	if (!cell_ok(t, col))
		return;
	widen(t, col, 10);
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
	if (!cell_ok(t, col))
		return;
	widen(t, col, 5);
	cell_bool(t, col, v);
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

/* ------------------------------------------------------------------ */
/* Forms                                                               */

void hwp_form_begin(struct hwp_form *f, struct hwp_book *b, const char *name)
{
	f->book = b;
	f->row = 0;
	snprintf(f->name, sizeof f->name, "%s", name);
	f->ws = book_sheet(b, name);
	if (f->ws == NULL)
		return;
	check(b, worksheet_set_column(f->ws, 0, 0, 34, NULL));
	check(b, worksheet_set_column(f->ws, 1, 1, 70, NULL));
	worksheet_set_portrait(f->ws);
}

static int form_ok(struct hwp_form *f)
{
	return f->ws != NULL && f->book->err.code == HW_OK;
}

void hwp_form_title(struct hwp_form *f, const char *title)
{
	if (!form_ok(f))
		return;
	check(f->book, worksheet_set_row(f->ws, f->row, 24, NULL));
	check(f->book, worksheet_write_string(f->ws, f->row++, 0, title,
					      f->book->f_title));
}

void hwp_form_gap(struct hwp_form *f)
{
	f->row++;
}

void hwp_form_section(struct hwp_form *f, const char *heading)
{
	if (!form_ok(f))
		return;
	f->row++;
	check(f->book, worksheet_write_string(f->ws, f->row, 0, heading,
					      f->book->f_section));
	check(f->book,
	      worksheet_write_blank(f->ws, f->row++, 1, f->book->f_section));
}

/* The label of the next row; returns 0 when the value may follow. */
static int form_label(struct hwp_form *f, const char *label)
{
	if (!form_ok(f))
		return -1;
	check(f->book,
	      worksheet_write_string(
		  f->ws, f->row, 0,
		  hwp_xlsx_clip(label, HWP_XLSX_CELL_MAX, f->book->clip),
		  f->book->f_label));
	return 0;
}

void hwp_form_text(struct hwp_form *f, const char *label, const char *text)
{
	if (form_label(f, label) < 0)
		return;
	if (text != NULL && *text != '\0')
		check(f->book,
		      worksheet_write_string(
			  f->ws, f->row, 1,
			  hwp_xlsx_clip(text, HWP_XLSX_CELL_MAX, f->book->clip),
			  NULL));
	f->row++;
}

void hwp_form_num(struct hwp_form *f, const char *label, double v)
{
	if (form_label(f, label) < 0)
		return;
	check(f->book,
	      worksheet_write_number(f->ws, f->row++, 1, v, f->book->f_count));
}

void hwp_form_level(struct hwp_form *f, const char *label, enum hw_level l)
{
	hwp_form_text(f, label, hw_level_upper(l));
}

void hwp_form_coloured(struct hwp_form *f, const char *label, const char *text,
		       enum hw_level colour)
{
	lxw_format *fmt = NULL;

	if (form_label(f, label) < 0)
		return;
	if (colour >= HW_LEVEL_LOW && colour <= HW_LEVEL_HIGH)
		fmt = f->book->f_level[colour - HW_LEVEL_LOW];
	check(f->book, worksheet_write_string(f->ws, f->row++, 1, text, fmt));
}

void hwp_form_date(struct hwp_form *f, const char *label, time_t when)
{
	struct tm tm;
	lxw_datetime dt;

	if (form_label(f, label) < 0)
		return;
	localtime_r(&when, &tm);
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec;
	check(f->book, worksheet_write_datetime(f->ws, f->row++, 1, &dt,
						f->book->f_date));
}

void hwp_form_decimal(struct hwp_form *f, const char *label, double v)
{
	if (form_label(f, label) < 0)
		return;
	check(f->book, worksheet_write_number(f->ws, f->row++, 1, v,
					      f->book->f_form_dec1));
}

void hwp_form_day(struct hwp_form *f, const char *label, int32_t days)
{
	if (form_label(f, label) < 0)
		return;
	check(f->book, worksheet_write_number(f->ws, f->row++, 1,
					      (double)days + EXCEL_EPOCH_DAYS,
					      f->book->f_form_day));
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

void hwp_form_landscape(struct hwp_form *f)
{
	if (form_ok(f))
		worksheet_set_landscape(f->ws);
}

void hwp_form_label_width(struct hwp_form *f, double chars)
{
	if (form_ok(f))
		check(f->book,
		      worksheet_set_column(f->ws, 0, 0, chars, NULL));
}

void hwp_form_chart(struct hwp_form *f, const struct hwp_chart *c)
{
	struct hwp_book *b = f->book;
	lxw_chart_fill fill[64];
	lxw_chart_point point[64], *points[65];
	lxw_chart_series *s;
	lxw_chart *chart;
	size_t i, n = c->last - c->first + 1;

	if (!form_ok(f) || c->last < c->first)
		return;
	chart = workbook_add_chart(b->wb, c->pie ? LXW_CHART_PIE
						 : LXW_CHART_COLUMN);
	if (chart == NULL) {
		book_error(b, HW_ENOMEM, "cannot add the chart", c->title);
		return;
	}
	chart_title_set_name(chart, c->title);
	s = chart_add_series(chart, NULL, NULL);
	if (s == NULL) {
		book_error(b, HW_ENOMEM, "cannot add the chart", c->title);
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
		check(b, chart_series_set_points(s, points));
	}
	if (c->pie)
		chart_series_set_labels(s);
	else
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	check(b, worksheet_insert_chart(f->ws, c->row, c->col, chart));
}

void hwp_form_end(struct hwp_form *f)
{
	if (form_ok(f) && f->row > 0)
		level_colours(f->book, f->ws, 0, f->row - 1, 1, 1);
	f->ws = NULL;
}

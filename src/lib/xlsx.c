/*
 * xlsx.c: the workbook every report writes (hw-xlsx.h): its shared
 * formats, print setup and properties, worksheets, conditional colours
 * for levels and bands, and a file that is renamed into place only once
 * it is all written (the tables' records spliced in by xlsx-pack.c);
 * and the pure text helpers (widths, clipping, sheet names).  Tables
 * are in xlsx-table.c, forms in xlsx-form.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw-private.h"
#include "xlsx-book.h"

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

/* Calibri 11's advance of an ASCII character in pixels at 96 dpi,
 * near enough for a column width (a digit is 7). */
static double glyph_px(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return 7;
	if (c >= 0x80)
		return (c & 0xC0) == 0x80 ? 0 : 7.5; /* one a character */
	if (strchr("ijlI.,:;'!|", c) != NULL)
		return 3.2;
	if (strchr("frtJ()[]{}-/ \"", c) != NULL)
		return 4.3;
	if (c == 'm' || c == 'w')
		return 10.8;
	if (c == 'M' || c == 'W')
		return 12.5;
	if (c >= 'a' && c <= 'z')
		return 6.6;
	if (c >= 'A' && c <= 'Z')
		return 8.2;
	return 7;
}

double hwp_xlsx_width(const char *s, int bold)
{
	double px = 0;

	for (; *s != '\0'; s++)
		px += glyph_px((unsigned char)*s);
	return px * (bold ? 1.12 : 1.0) / 7.0 + 1.5;
}

double hwp_xlsx_lines(const char *s, double width)
{
	/* A column w wide shows 7 w + 5 pixels; the cell's margins take
	 * some of them. */
	double room = width * 7 - 2, line = 0, word = 0, space = 0,
	       lines = 1;

	if (room < 7)
		room = 7;
	for (;; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\n' || c == '\0') {
			/* The word goes on this line, or starts the next;
			 * a word wider than the column breaks within. */
			if (line > 0 && line + space + word > room) {
				lines++;
				line = 0;
			}
			line += (line > 0 ? space : 0) + word;
			while (line > room) {
				lines++;
				line -= room;
			}
			word = 0;
			space = glyph_px(' ');
			if (c == '\n') {
				lines++;
				line = 0;
			}
			if (c == '\0')
				return lines;
		} else
			word += glyph_px(c);
	}
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

void hwp_book_error(struct hwp_book *b, enum hw_errcode code, const char *what,
		    const char *detail)
{
	if (b->err.code == HW_OK)
		hw_error_set(&b->err, code, "%s%s%s", what, detail ? ": " : "",
			     detail ? detail : "");
}

void hwp_book_progress(struct hwp_book *b, const struct hw_report_opts *o,
		       long long total)
{
	b->progress = o->progress;
	b->pctx = o->progress_ctx;
	b->total = total > 0 ? total : 1;
	if (b->progress != NULL)
		b->progress(0, b->total, b->pctx);
}

void hwp_book_fail(struct hwp_book *b, enum hw_errcode code, const char *text)
{
	hwp_book_error(b, code, text, NULL);
}

int hwp_book_ok(const struct hwp_book *b)
{
	return b->err.code == HW_OK && hwp_pack_ok(b->pack);
}

/* Keep a libxlsxwriter failure. */
void hwp_book_check(struct hwp_book *b, lxw_error rc)
{
	if (rc != LXW_NO_ERROR)
		hwp_book_error(b, HW_EIO, "cannot write the workbook",
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

/* White bold on the header's blue, a line under it. */
static lxw_format *header_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_bold(f);
	format_set_font_color(f, LXW_COLOR_WHITE);
	format_set_bg_color(f, HEADER_FILL);
	format_set_bottom(f, LXW_BORDER_THIN);
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
	int i;

	b->f_header = header_format(wb);
	b->f_head_wrap = header_format(wb);
	format_set_text_wrap(b->f_head_wrap);
	b->f_title = workbook_add_format(wb);
	format_set_bold(b->f_title);
	format_set_font_size(b->f_title, 16);
	b->f_section = workbook_add_format(wb);
	format_set_bold(b->f_section);
	format_set_font_size(b->f_section, 12);
	format_set_bottom(b->f_section, LXW_BORDER_THIN);
	b->f_label = workbook_add_format(wb);
	format_set_bold(b->f_label);
	format_set_align(b->f_label, LXW_ALIGN_VERTICAL_TOP);
	b->f_top = workbook_add_format(wb);
	format_set_align(b->f_top, LXW_ALIGN_VERTICAL_TOP);
	b->f_label_wrap = workbook_add_format(wb);
	format_set_bold(b->f_label_wrap);
	format_set_text_wrap(b->f_label_wrap);
	format_set_align(b->f_label_wrap, LXW_ALIGN_VERTICAL_TOP);
	b->f_wrap = workbook_add_format(wb);
	format_set_text_wrap(b->f_wrap);
	format_set_align(b->f_wrap, LXW_ALIGN_VERTICAL_TOP);
	b->f_number = number_format(wb, "#,##0", 0);
	b->f_count = number_format(wb, "#,##0", 1);
	b->f_date = number_format(wb, "yyyy-mm-dd hh:mm", 1);
	format_set_align(b->f_count, LXW_ALIGN_VERTICAL_TOP);
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
	format_set_align(b->f_form_dec1, LXW_ALIGN_VERTICAL_TOP);
	/* A table's cells stand at the top of rows that wrapped text made
	 * taller. */
	format_set_align(b->f_number, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(b->f_day, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(b->f_dec1, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(b->f_dec3, LXW_ALIGN_VERTICAL_TOP);
	for (i = 0; i < 3; i++)
		format_set_align(b->f_level[i], LXW_ALIGN_VERTICAL_TOP);
	format_set_align(b->f_very_high, LXW_ALIGN_VERTICAL_TOP);
}

struct hwp_book *hwp_book_open(const char *path, int force, unsigned mode,
			       size_t row_limit,
			       const char *title, const char *subject,
			       const char *organisation, time_t now,
			       struct hw_error *err)
{
	lxw_workbook_options wo = {.constant_memory = 1};
	lxw_doc_properties props = {0};
	struct hwp_book *b;
	char clipped[64 * 4 + 1], day[16];
	struct tm tm;
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
	if (hw_out_check(path, force, err) < 0)
		return NULL;
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
	b->mode = mode;
	b->row_limit = row_limit;
	/* Beside the target, so that the final rename stays on one file
	 * system; libxlsxwriter writes the whole zip to it at close. */
	fd = hw_out_temp(path, b->tmp, len + 12, err);
	if (fd < 0)
		goto fail;
	close(fd);
	/* Splice the records only where libxlsxwriter still writes what
	 * the splice takes for granted. */
	b->direct = !hwp_pack_trusted(path);
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
	hwp_book_check(b, workbook_set_properties(b->wb, &props));
	book_formats(b);
	/* &L title, &R organisation; &L sheet, &C page of pages, &R date. */
	strcpy(b->header, "&L&\"-,Bold\"");
	header_escape(b->header, sizeof b->header,
		      hwp_xlsx_clip(title, 60, clipped));
	strcat(b->header, "&R");
	header_escape(
	    b->header, sizeof b->header,
	    hwp_xlsx_clip(organisation ? organisation : "", 60, clipped));
	/* The date as ISO text: &D would print it in the reader's locale. */
	localtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	snprintf(b->footer, sizeof b->footer, "&L&A&CPage &P of &N&R%s", day);
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

/* Move the finished temporary file to the target (hw_out_place). */
static int book_place(struct hwp_book *b)
{
	int fd = open(b->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	/* A wider mode is given on the descriptor, before the file has its
	 * name (fchmod is not subject to the umask: the mode asked for is
	 * the mode given). */
	if (fd < 0 || fsync(fd) != 0 ||
	    (b->mode != 0 && fchmod(fd, (mode_t)b->mode) != 0)) {
		if (fd >= 0)
			close(fd);
		return hw_error_set(&b->err, HW_EIO, "cannot write '%s': %s",
				    b->path, strerror(errno));
	}
	close(fd);
	return hw_out_place(b->tmp, b->path, b->force, &b->err);
}

/* The tables' records into the file libxlsxwriter wrote: a copy with
 * them spliced in takes its place. */
static void book_splice(struct hwp_book *b)
{
	size_t len = strlen(b->path) + 12;
	char *spliced = malloc(len);
	int fd;

	if (spliced == NULL) {
		hwp_book_error(b, HW_ENOMEM, "out of memory", NULL);
		return;
	}
	fd = hw_out_temp(b->path, spliced, len, &b->err);
	if (fd < 0) {
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
			hwp_book_error(b, HW_EIO, "cannot write the workbook",
				       lxw_strerror(rc));
		if (ok && b->err.code == HW_OK && !b->direct)
			book_splice(b);
		if (ok && b->err.code == HW_OK)
			book_place(b);
		if (ok && b->err.code == HW_OK && b->progress != NULL)
			b->progress(b->total, b->total, b->pctx);
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

lxw_worksheet *hwp_book_sheet(struct hwp_book *b, const char *name)
{
	lxw_worksheet *ws;

	if (b->err.code != HW_OK)
		return NULL;
	ws = workbook_add_worksheet(b->wb, name);
	if (ws == NULL) {
		hwp_book_error(b, HW_EIO, "cannot add the worksheet", name);
		return NULL;
	}
	b->sheets++;
	worksheet_set_landscape(ws);
	hwp_book_check(b, worksheet_set_header(ws, b->header));
	hwp_book_check(b, worksheet_set_footer(ws, b->footer));
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
		hwp_book_check(b, worksheet_conditional_format_range(
				      ws, first, col, last, col, &cf));
	}
}

/* Colour HIGH, MODERATE and LOW cells (in the case the sheet writes)
 * of a column range, red, amber and green; a lower bound ("at least
 * MODERATE") takes its level's colour. */
void hwp_level_colours(struct hwp_book *b, lxw_worksheet *ws, lxw_row_t first,
		       lxw_row_t last, lxw_col_t col, int upper)
{
	const char *words[5];
	lxw_format *fmt[5];
	enum hw_level l;
	int n = 0;

	for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++) {
		fmt[n] = b->f_level[l - HW_LEVEL_LOW];
		words[n++] = hw_overall_text(l, 1, !upper);
		if (l < HW_LEVEL_HIGH) {
			fmt[n] = b->f_level[l - HW_LEVEL_LOW];
			words[n++] = hw_overall_text(l, 0, !upper);
		}
	}
	word_colours(b, ws, first, last, col, words, fmt, n);
}

/* Risk bands by name: very high, high, moderate, low. */
void hwp_band_name_colours(struct hwp_book *b, lxw_worksheet *ws,
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
void hwp_band_number_colours(struct hwp_book *b, lxw_worksheet *ws,
			     lxw_row_t first, lxw_row_t last, lxw_col_t col,
			     const double band[3])
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
		hwp_book_check(b, worksheet_conditional_format_range(
				      ws, first, col, last, col, &cf));
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

/* Characters "#,##0" shows for v, near enough for a width. */
size_t hwp_number_chars(double v)
{
	size_t n = v < 0 ? 2 : 1;

	for (v = fabs(v); v >= 10 && n < 24; v /= 10)
		n++;
	return n + (n - 1) / 3;
}


/*
 * hw-xlsx.h: the workbook writer the reports share (xlsx.c), not public:
 * one look for every workbook (header rows, levels by colour, numbers,
 * dates, print setup, properties), a file that appears whole or not at
 * all, and tables that continue on further worksheets past Excel's row
 * limit.  libxlsxwriter (in constant_memory mode) writes the forms and
 * everything about a table but its records, which are streamed and
 * compressed on worker threads (xlsx-pack.c): memory does not grow with
 * the rows.
 *
 * Errors are sticky: the first failure of any write is kept in the book
 * and every later write does nothing, so a report checks once, at
 * hwp_book_close().  Sheets are written one after another: a table must
 * be ended before the next sheet is added (so that its continuation
 * sheets stand right after it).
 */
#ifndef HW_XLSX_H
#define HW_XLSX_H

#include <time.h>
#include <xlsxwriter.h>

#include "highwater.h"

#define HWP_XLSX_MAX_COLS 48
#define HWP_XLSX_MAX_TABLES 8
#define HWP_XLSX_CELL_MAX 32767 /* characters in a cell (Excel) */

/* Pure helpers (unit-tested). */

/* Worksheets a table of rows data rows needs when a worksheet holds
 * row_limit rows, its header row included (row_limit >= 2); at least 1. */
size_t hwp_xlsx_parts(size_t rows, size_t row_limit);

/* Name of part (1-based) of a table called base: "base", then
 * "base (2)", ...; cut (at a character boundary) to Excel's 31
 * characters.  buf holds at least 128 bytes. */
const char *hwp_xlsx_part_name(const char *base, size_t part, char *buf,
			       size_t size);

/* The width of s in Excel's column units (Calibri 11 digits), bold or
 * not, estimated from its characters (libxlsxwriter has no autofit). */
double hwp_xlsx_width(const char *s, int bold);
/* Lines s takes wrapped at its words in a column width characters wide
 * (at least 1), by the same glyph advances. */
double hwp_xlsx_lines(const char *s, double width);

/* Characters (UTF-8 code points) in s. */
size_t hwp_xlsx_chars(const char *s);

/* s cut to at most max characters, the last one an ellipsis when cut:
 * s itself when it fits, else buf (which holds 4 * max + 1 bytes). */
const char *hwp_xlsx_clip(const char *s, size_t max, char *buf);

/* A growing text for cells; out of memory is kept in the book (b may
 * not be NULL).  s is NULL or NUL-terminated; free(t->s) when done. */
struct hwp_book;
struct hwp_text {
	char *s;
	size_t len, cap;
};
void hwp_text_add(struct hwp_text *t, struct hwp_book *b, const char *s);
void hwp_text_clear(struct hwp_text *t);

/* Column flags. */
#define HWP_COL_NUMBER 0x1	/* numbers (right-aligned, #,##0) */
#define HWP_COL_LEVEL_UPPER 0x2 /* HIGH/MODERATE/LOW, coloured */
#define HWP_COL_LEVEL_LOWER 0x4 /* high/moderate/low, coloured */
#define HWP_COL_WIDE 0x8	/* may grow wider, then wraps its text */
#define HWP_COL_DATE 0x10	/* real dates (days since 1970), yyyy-mm-dd */
#define HWP_COL_DEC1 0x20	/* numbers shown with one decimal (0.0) */
#define HWP_COL_DEC3 0x40	/* numbers shown with three decimals */
#define HWP_COL_BAND 0x80	/* very high/high/moderate/low, coloured */
#define HWP_COL_KEY 0x100	/* names the record: frozen, on every page */
#define HWP_COL_NOTE 0x200	/* words: wraps past 36 characters */
/* Printed: a table's print area runs from its first column to its last
 * HWP_COL_PRINT one, so the columns a page needs lead the table; the
 * sheet keeps every column, the rest print only when asked for. */
#define HWP_COL_PRINT 0x400
#define HWP_COL_NAME 0x800 /* a record's name: wraps past 28 characters */

struct hwp_col {
	const char *name; /* header text */
	unsigned flags;	  /* HWP_COL_* */
};

struct hwp_book;
struct hwp_pack_stream;

/* A table: one header row, then records, continued on "name (2)"...
 * past the row limit; frozen header, autofilter, widths to fit. */
struct hwp_table {
	struct hwp_book *book;
	char base[32];		    /* the first part's name */
	const struct hwp_col *cols; /* borrowed */
	int ncols;
	lxw_worksheet *ws; /* the current part (its header row) */
	struct hwp_pack_stream *stream; /* the current part's records */
	size_t part;	   /* 1-based number of the current part */
	lxw_row_t row;	   /* current row in the part (0: header) */
	size_t rows;	   /* data rows so far, over all parts */
	double width[HWP_XLSX_MAX_COLS]; /* widest cell in the part */
	int keys;			 /* leading HWP_COL_KEY columns */
	int wrap_xf, top_xf;		 /* text styles: wrapping, and not */
	int xf[HWP_XLSX_MAX_COLS]; /* a number's format (style), by column */
	int band_col;	   /* hwp_table_bands' column, -1 for none */
	double band[3];	   /* its moderate, high and very high thresholds */
};

/* A form: label and value pairs under a title (the Summary sheet),
 * and small tables of a few columns; printed landscape, one page wide
 * and fitted to as many pages tall as it fills.  Column widths come
 * from the text; a long label or value wraps in its cell. */
#define HWP_FORM_MAX_COLS 8
struct hwp_form {
	struct hwp_book *book;
	lxw_worksheet *ws;
	lxw_row_t row; /* next row */
	char name[32]; /* the worksheet's */
	double width[HWP_FORM_MAX_COLS]; /* each column's, in characters */
	int ncols;			 /* columns used */
	double height;			 /* points the rows take */
};

/* A cell of a form's table row. */
enum hwp_cell_kind {
	HWP_CELL_TEXT,
	HWP_CELL_COLOURED, /* text in its level's or band's colour */
	HWP_CELL_NUM,	   /* a count */
	HWP_CELL_DEC1	   /* a number with one decimal */
};
struct hwp_cell {
	enum hwp_cell_kind kind;
	const char *text; /* HWP_CELL_TEXT, _COLOURED; NULL: empty */
	double num;
	double max; /* text wraps past this width (0: the form's) */
};

/* What a closed table was, for summaries. */
struct hwp_table_info {
	char name[32];
	size_t rows, parts;
};

/* Start a workbook to be renamed to path when closed; refuses an
 * existing path (HW_EEXIST) unless force; its permission bits mode
 * (0: owner-only, 0600).  row_limit 0 is Excel's
 * HW_XLSX_ROWS_MAX.  title, subject, organisation (may be NULL or "")
 * go to the properties and the page headers.  Returns a new book. */
struct hwp_book *hwp_book_open(const char *path, int force, unsigned mode,
			       size_t row_limit,
			       const char *title, const char *subject,
			       const char *organisation, time_t now,
			       struct hw_error *err);

/* Write the file and move it into place (when ok is set and nothing
 * failed); otherwise, or on failure, leave no file behind.  Frees the
 * book; NULL is fine.  Returns 0, or -1 with the first error. */
int hwp_book_close(struct hwp_book *b, int ok, struct hw_error *err);

/* Tell o->progress (if any) of the records written as they go, about
 * total in all (a count beyond it stays short of the end until the
 * file is in place). */
void hwp_book_progress(struct hwp_book *b, const struct hw_report_opts *o,
		       long long total);

/* Record a failure of the report's own (e.g. out of memory). */
void hwp_book_fail(struct hwp_book *b, enum hw_errcode code, const char *text);

/* 1 while nothing has failed. */
int hwp_book_ok(const struct hwp_book *b);

/* The row limit in force, and the tables ended so far. */
size_t hwp_book_row_limit(const struct hwp_book *b);
size_t hwp_book_tables(const struct hwp_book *b,
		       const struct hwp_table_info **info);

/* Worksheets so far. */
size_t hwp_book_sheets(const struct hwp_book *b);

/* Fill info (may be NULL) with the sheets, rows records and the split
 * note. */
void hwp_book_info(const struct hwp_book *b, size_t rows,
		   struct hw_report_info *info);

/* "X continues on X (2) to X (4)" for each table that was split, joined
 * by "; ", into buf ("" when none). */
const char *hwp_book_split_note(const struct hwp_book *b, char *buf,
				size_t size);

/* Tables. */
void hwp_table_begin(struct hwp_table *t, struct hwp_book *b, const char *name,
		     const struct hwp_col *cols, int ncols);
void hwp_table_row(struct hwp_table *t); /* start the next record */
void hwp_table_str(struct hwp_table *t, int col, const char *s); /* NULL:
								    empty */
void hwp_table_num(struct hwp_table *t, int col, double v);
void hwp_table_bool(struct hwp_table *t, int col, int v); /* "yes", "no" */
void hwp_table_level(struct hwp_table *t, int col, enum hw_level l);
/* A date (days since 1970-01-01) as an Excel date shown yyyy-mm-dd. */
void hwp_table_date(struct hwp_table *t, int col, int32_t days);
/* Colour a number column by conditional formatting in four bands:
 * below moderate green, from moderate amber, from high red, from
 * very_high dark red (thresholds rising). */
void hwp_table_bands(struct hwp_table *t, int col, double moderate,
		     double high, double very_high);
void hwp_table_end(struct hwp_table *t);

/* Forms.  A form is added as a worksheet when begun (so a Summary can
 * be the first sheet) and may be filled after the tables. */
void hwp_form_begin(struct hwp_form *f, struct hwp_book *b, const char *name);
void hwp_form_title(struct hwp_form *f, const char *title);
void hwp_form_section(struct hwp_form *f, const char *heading);
void hwp_form_text(struct hwp_form *f, const char *label, const char *text);
void hwp_form_num(struct hwp_form *f, const char *label, double v);
void hwp_form_level(struct hwp_form *f, const char *label, enum hw_level l);
void hwp_form_date(struct hwp_form *f, const char *label, time_t when);
/* A header row over a form's table (label column included), and a row
 * of it: the label, then the cells in columns B, C, ... */
void hwp_form_head(struct hwp_form *f, const char *const *names, int n);
void hwp_form_cells(struct hwp_form *f, const char *label,
		    const struct hwp_cell *cells, int n);
/* The form's table has ncols columns (label column included), at least
 * width[c] characters wide: a value alone in its row may run on over
 * them.  Call before the rows. */
void hwp_form_columns(struct hwp_form *f, int ncols, const double *width);
/* Leave rows empty (room for charts). */
void hwp_form_space(struct hwp_form *f, lxw_row_t rows);
/* A value in one of the level colours (HW_LEVEL_LOW..HIGH). */
void hwp_form_coloured(struct hwp_form *f, const char *label, const char *text,
		       enum hw_level colour);
/* A number shown with one decimal; a date (days since 1970-01-01). */
void hwp_form_decimal(struct hwp_form *f, const char *label, double v);
void hwp_form_day(struct hwp_form *f, const char *label, int32_t days);
void hwp_form_gap(struct hwp_form *f);
/* A "Sheets" section: each table ended so far, with its records. */
void hwp_form_tables(struct hwp_form *f);

/* A chart of the form's values in rows first..last (labels in column
 * A, values in B: rows the form has written), placed at row, col of
 * the form's sheet; colours (may be NULL) gives one per point. */
struct hwp_chart {
	const char *title;
	int pie;		   /* a pie; else a column chart */
	lxw_row_t first, last;	   /* the rows of the form it shows */
	lxw_row_t row;		   /* where its top left corner goes */
	lxw_col_t col;
	int32_t x_offset;	    /* pixels right of that */
	const lxw_color_t *colours; /* last - first + 1 of them, or NULL */
};
void hwp_form_chart(struct hwp_form *f, const struct hwp_chart *c);
void hwp_form_end(struct hwp_form *f);

/* The tables' records, packed fast (xlsx-pack.c): SpreadsheetML rows
 * compressed on worker threads, spliced into the worksheets that
 * libxlsxwriter wrote.  For xlsx.c only. */
struct hwp_pack;
struct hwp_pack *hwp_pack_new(void);
void hwp_pack_free(struct hwp_pack *p);
int hwp_pack_ok(const struct hwp_pack *p);
/* Rows for worksheet number sheet (xl/worksheets/sheetN.xml), which
 * libxlsxwriter writes with its header row only. */
struct hwp_pack_stream *hwp_pack_stream(struct hwp_pack *p, size_t sheet);
void hwp_pack_write(struct hwp_pack *p, struct hwp_pack_stream *s,
		    const char *xml, size_t len);
/* The stream is complete; its worksheet's dimension ("A1:R115"). */
void hwp_pack_end(struct hwp_pack *p, struct hwp_pack_stream *s,
		  const char *dimension);
/* Copy the zip zip_in to zip_out with the streams spliced in. */
int hwp_pack_finish(struct hwp_pack *p, const char *zip_in,
		    const char *zip_out, struct hw_error *err);

/* The splice's guard.  hwp_pack_probe writes a small book with
 * libxlsxwriter beside the file beside (a temporary file, removed) and
 * checks that its part names and layout are still what the splice
 * takes for granted: 0; 1 with what changed in why; -1 with the
 * reason in why when the probe could not be written or read.  hwp_pack_trusted
 * probes once per process: 1 when the records may be spliced, 0 when
 * they must go through libxlsxwriter's own cell writing (slower, the
 * same cells).  Tests: hwp_pack_force_direct(1) takes the slow path
 * whatever the probe says, (0) leaves it to the probe again. */
int hwp_pack_probe(const char *beside, char *why, size_t size);
int hwp_pack_trusted(const char *beside);
void hwp_pack_force_direct(int on);

/* A number as SpreadsheetML writes it (15 significant digits, as
 * Excel keeps); buf holds at least 32 bytes.  Returns the length. */
size_t hwp_xlsx_number(double v, char *buf);

#endif

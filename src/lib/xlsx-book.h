/*
 * xlsx-book.h: the workbook's insides, shared by the files that write it
 * (xlsx.c: the book; xlsx-table.c: tables; xlsx-form.c: forms), not by the
 * reports: the formats, the print sizes and the record being written.
 */
#ifndef HW_XLSX_BOOK_H
#define HW_XLSX_BOOK_H

#include "hw-xlsx.h"

/* Excel's date of 1970-01-01 (days since 1899-12-30). */
#define EXCEL_EPOCH_DAYS 25569

/* Printing.  A table prints at TABLE_SCALE percent, never fitted to the
 * page: a wide table runs to further pages across, each repeating the
 * header row and the key columns (Calibri 11 prints at 7.9 pt).  Forms
 * fit the page (xlsx-form.c). */
#define TABLE_SCALE 72
#define ROW_PT 15.0 /* Calibri 11's row */

struct hwp_book {
	lxw_workbook *wb;
	char *path, *tmp; /* the target, and the file written beside it */
	int force;
	unsigned mode; /* permission bits; 0: as made, 0600 */
	size_t row_limit;
	struct hw_error err; /* the first failure; code HW_OK while none */
	char header[256], footer[64]; /* page header and footer */
	lxw_format *f_wrap, *f_label_wrap, *f_top, *f_header,
	    *f_head_wrap, /* a table's header: on two lines where narrower */
	    *f_title, *f_section, *f_label, *f_number, *f_count, *f_date,
	    *f_level[3], /* f_count: a form's number;
			    f_level: low, moderate, high */
	    *f_day, *f_dec1, *f_dec3, *f_very_high, *f_form_dec1,
	    *f_form_day; /* dates, decimals; forms' left-aligned */
	size_t sheets;
	struct hwp_table_info tables[HWP_XLSX_MAX_TABLES];
	size_t ntables;
	char *clip;	       /* 4 * HWP_XLSX_CELL_MAX + 1 bytes */
	struct hwp_pack *pack; /* the tables' records */
	int direct; /* the splice does not hold: records by libxlsxwriter */
	/* The record being written: each cell's XML in cells, by column
	 * (cell_len 0: none), its row number as text, and the row. */
	char *cells, *line;
	size_t cells_len, cells_cap, line_cap;
	size_t cell_at[HWP_XLSX_MAX_COLS], cell_len[HWP_XLSX_MAX_COLS];
	char rownum[16];
	size_t rownum_len;
	int row_open;
	double row_lines; /* lines its tallest (wrapped) cell takes */
	/* hwp_book_progress: the report's callback, records written so
	 * far over all tables, and about how many there will be. */
	void (*progress)(long long, long long, void *);
	void *pctx;
	long long done, total;
};

/* Keep a libxlsxwriter failure, or the first of the book's own. */
void hwp_book_check(struct hwp_book *b, lxw_error rc);
void hwp_book_error(struct hwp_book *b, enum hw_errcode code, const char *what,
		    const char *detail);

/* A new worksheet, landscape, with the page header and footer; NULL
 * after a failure. */
lxw_worksheet *hwp_book_sheet(struct hwp_book *b, const char *name);

/* Colour HIGH, MODERATE and LOW cells (upper case, else lower) of a
 * column range red, amber and green. */
void hwp_level_colours(struct hwp_book *b, lxw_worksheet *ws, lxw_row_t first,
		       lxw_row_t last, lxw_col_t col, int upper);

/* Colour risk bands in a column range: by name (very high, high,
 * moderate, low), or by number against the moderate, high and very
 * high thresholds (the highest band a value reaches wins). */
void hwp_band_name_colours(struct hwp_book *b, lxw_worksheet *ws,
			   lxw_row_t first, lxw_row_t last, lxw_col_t col);
void hwp_band_number_colours(struct hwp_book *b, lxw_worksheet *ws,
			     lxw_row_t first, lxw_row_t last, lxw_col_t col,
			     const double band[3]);

/* Characters "#,##0" shows for v, near enough for a width. */
size_t hwp_number_chars(double v);

#endif

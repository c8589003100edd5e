/*
 * xlsx-read.h: reading xlsx workbooks (library-private): the sheets'
 * names, then one sheet's rows streamed as text cells.  libzip opens the
 * package and expat parses its XML a block at a time; a DOCTYPE (and so
 * any entity declaration) is refused, never expanded, and the bytes
 * unpacked are counted as they are inflated and refused past a bound
 * (the sizes the zip states are not trusted), each use of a shared
 * string counted with them.
 */
#ifndef HW_XLSX_READ_H
#define HW_XLSX_READ_H

#include <stddef.h>

#include "error.h"

/* The unpacked bytes a workbook may hold, all its parts together:
 * HWP_XLSX_RATIO times the file's size on disk plus HWP_XLSX_SLACK, and
 * never more than HWP_XLSX_UNPACKED_MAX.  XML deflates about ten to one;
 * a zip bomb a thousand to one. */
#define HWP_XLSX_RATIO 100
#define HWP_XLSX_SLACK (1ULL << 20)
#define HWP_XLSX_UNPACKED_MAX (4ULL << 30)
/* Bytes in the text of one cell or shared string (Excel holds 32767
 * characters, at most four bytes each). */
#define HWP_XLSX_TEXT_MAX (4 * 32767)
/* Bytes of text in one row, its cells together. */
/* elements nested in a part (a worksheet needs 7) */
#define HWP_XLSX_DEPTH_MAX 64
#define HWP_XLSX_ROW_MAX (16 << 20)
#define HWP_XLSX_COLS_MAX 16384	    /* columns of a worksheet (XFD) */
#define HWP_XLSX_ROWS_LIMIT 1048576 /* rows of a worksheet */

struct hwp_xlsx;

/* Open the workbook at path and read what every sheet needs: its
 * sheets (names and parts), the date system, the shared strings and
 * which cell styles are dates.  A new reader (hwp_xlsx_close), or NULL
 * with err (source: path). */
struct hwp_xlsx *hwp_xlsx_open(const char *path, struct hw_error *err);
void hwp_xlsx_close(struct hwp_xlsx *x);

/* The sheets, in the workbook's order; names borrowed from x. */
size_t hwp_xlsx_nsheets(const struct hwp_xlsx *x);
const char *hwp_xlsx_sheet_name(const struct hwp_xlsx *x, size_t i);

/* One row: cells[0 .. ncells) by column (A is 0), each NUL-terminated
 * text ("" for a missing or empty cell), borrowed until the call
 * returns.  Numbers are the shortest text that reads back to the same
 * double ("5", "7.5"), dates (numbers in a date style) ISO 8601
 * ("2024-03-01", with "T12:30:00" when not midnight), booleans "true"
 * or "false", formulas their cached value.  row is 1-based.  Return 0
 * to go on, -1 to stop with err set. */
typedef int (*hwp_xlsx_row_fn)(void *ctx, long row, const char *const *cells,
			       size_t ncells, struct hw_error *err);

/* Stream the rows of sheet i in order (rows with no cell are not
 * passed).  0, or -1 with err: the function's, or the sheet's named as
 * "sheet 'NAME', cell B7: ..." (source: the workbook's path). */
int hwp_xlsx_read_sheet(struct hwp_xlsx *x, size_t i, hwp_xlsx_row_fn fn,
			void *ctx, struct hw_error *err);

/* How far the reading has come: bytes inflated so far, of about
 * *total (the sizes the zip states: an estimate for progress only). */
void hwp_xlsx_progress(const struct hwp_xlsx *x, long long *done,
		       long long *total);

/* "B7" for column 1 (0-based) of row 7, into buf (16 bytes). */
const char *hwp_xlsx_cell_name(int col, long row, char buf[16]);

/* The ISO date (and time, when not midnight) of a spreadsheet serial
 * number: the 1900 system (serial 1 is 1900-01-01, with Lotus's
 * 1900-02-29 at 60, which is refused) or the 1904 system (0 is
 * 1904-01-01).  0 with buf (at least 32 bytes) filled, -1 when serial is
 * no date (below the first, 60 in the 1900 system, past 9999-12-31). */
int hwp_xlsx_serial_date(double serial, int date1904, char *buf, size_t size);

#endif

/*
 * xlsx-import.h: importing an inventory workbook (library-private): the
 * sheets named for the four tables of table.h ("Assets", and its
 * continuations "Assets (2)", ...) read through the table layer into the
 * import engine; other sheets are ignored.
 */
#ifndef HW_XLSX_IMPORT_H
#define HW_XLSX_IMPORT_H

#include "table.h"

struct hwp_xlsx_source;

/* Open the workbook at path for import, its source columns renamed by
 * m (borrowed, may be NULL).  A new source (hwp_xlsx_source_free), or
 * NULL with err naming path.  A workbook with no sheet of any table is
 * refused. */
struct hwp_xlsx_source *hwp_xlsx_source_open(const char *path,
					     const struct hwp_colmap *m,
					     struct hw_error *err);
void hwp_xlsx_source_free(struct hwp_xlsx_source *src);

/* Whether the workbook has a sheet of table kind. */
int hwp_xlsx_source_has(const struct hwp_xlsx_source *src,
			enum hwp_inv_kind kind);

/* Hand the records of table kind's sheets (each with its header row)
 * to the engine, in sheet order; tick (may be NULL) is told now and
 * then how far the workbook is read, in bytes of its file.  0, or -1 with the
 * engine's error set: "sheet 'Assets', cell F12 (integrity): ..." for a cell,
 * "sheet 'Assets', row 12: ..." for a row, with the workbook as its source. */
int hwp_xlsx_source_read_kind(
    struct hwp_import *im, struct hwp_xlsx_source *src, enum hwp_inv_kind kind,
    void (*tick)(long long done, long long total, void *), void *tctx);

/* An error the engine found after the rows (a dependency's unknown
 * end, a held assignment's type or asset), which names a line of this
 * workbook: placed at its sheet and cell.  Others are left alone. */
void hwp_xlsx_source_place(const struct hwp_xlsx_source *src,
			   struct hw_error *err);

#endif

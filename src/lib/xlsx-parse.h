/*
 * xlsx-parse.h: what the xlsx reader's two files share (library-
 * private): xlsx-read.c opens the package and parses its parts,
 * xlsx-sheet.c streams a sheet's rows.
 */
#ifndef HW_XLSX_PARSE_H
#define HW_XLSX_PARSE_H

#include <expat.h>
#include <zip.h>

#include "canon.h"
#include "xlsx-read.h"

/* A sheet of the workbook. */
struct hwp_xlsx_sheet {
	char *name;
	char *part; /* the zip entry of its XML */
};

/* An open workbook. */
struct hwp_xlsx {
	zip_t *zip;
	char path[128];
	unsigned long long budget; /* unpacked bytes still allowed */
	unsigned long long bound;  /* the budget at the start */
	unsigned long long stated; /* what the zip says its parts hold
				      (progress only) */
	int date1904;
	struct hwp_xlsx_sheet *sheets;
	size_t nsheets;
	struct hwp_buf sst; /* shared strings, each NUL-terminated */
	size_t *sst_at;	    /* where string i starts in sst */
	size_t nsst, capsst;
	unsigned char *xf_date; /* cell style i shows a date */
	size_t nxf;
};

/* What every part's parse shares (first in each parser's context). */
struct hwp_xml_parse {
	struct hwp_xlsx *x;
	const char *part;
	XML_Parser p;
	struct hw_error e; /* what a handler found wrong */
	struct hwp_buf text;
	int collect; /* character data goes to text */
	/* set by hwp_xlsx_parse: the handlers, behind the depth bound */
	XML_StartElementHandler start;
	XML_EndElementHandler end;
	unsigned depth;
};

/* An element's local name (the parsers split names at '|'). */
const char *hwp_xml_local(const char *name);
/* The attribute named (local name) key; with ns, only one in a
 * namespace.  NULL when absent. */
const char *hwp_xml_attr(const char **atts, const char *key, int ns);
/* Stop the parse with ps->e set (the first error stays). */
void hwp_xml_stop(struct hwp_xml_parse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hwp_xml_nomem(struct hwp_xml_parse *ps);

/* Parse part of x (ps->x) with a fresh namespace-aware parser whose
 * user data is ps (the first member of the handlers' context): a
 * DOCTYPE refused, elements nested deeper than HWP_XLSX_DEPTH_MAX
 * refused, the bytes inflated counted against the workbook's bound.  A missing
 * part is an error when required, else 0.  0, or -1 with err (source: the
 * workbook). */
int hwp_xlsx_parse(struct hwp_xml_parse *ps, const char *part, int required,
		   XML_StartElementHandler start, XML_EndElementHandler end,
		   struct hw_error *err);

#endif

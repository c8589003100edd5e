/*
 * check-xlsx-read.c: the xlsx reader on workbooks crafted part by part
 * (written here with libzip): cell types, missing cells, shared and
 * inline strings, dates in both systems, numbers as their shortest
 * text, parts found through relationships; and what it refuses, with
 * its exact message: a DOCTYPE (an entity bomb), a zip bomb, an error
 * cell, a cell out of place, a file that is no zip.
 */
#include <sys/stat.h>
#include <zip.h>

#include "fixture.h"
#include "xlsx-read.h"

#define RELS_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define DOC_REL                                                                \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static const char top_rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"" RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" DOC_REL "/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char book_rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"" RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" DOC_REL "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" DOC_REL "/worksheet\" "
    "Target=\"/xl/worksheets/../worksheets/other.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" DOC_REL "/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" DOC_REL "/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

/* Two sheets; the first's name has a quote and an apostrophe. */
static const char book_1900[] =
    "<?xml version=\"1.0\"?><x:workbook xmlns:x=\"" MAIN_NS "\" "
    "xmlns:r=\"" DOC_REL "\"><x:sheets>"
    "<x:sheet name=\"Assets &amp; co\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<x:sheet name=\"Other\" sheetId=\"2\" r:id=\"rId2\"/>"
    "</x:sheets></x:workbook>";

static const char book_1904[] =
    "<?xml version=\"1.0\"?><workbook xmlns=\"" MAIN_NS "\" "
    "xmlns:r=\"" DOC_REL "\"><workbookPr date1904=\"true\"/><sheets>"
    "<sheet name=\"Assets\" sheetId=\"1\" r:id=\"rId1\"/>"
    "</sheets></workbook>";

static const char strings[] =
    "<?xml version=\"1.0\"?><sst xmlns=\"" MAIN_NS "\" count=\"3\">"
    "<si><t>web-01</t></si>"
    "<si><r><t>Web </t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">"
    "server &lt;1&gt;</t></r><rPh><t>PHONETIC</t></rPh></si>"
    "<si><t/></si></sst>";

/* Style 0 general, 1 built-in date (14), 2 custom date, 3 custom
 * number with quoted letters, 4 a time (the custom formats out of
 * order: they are searched sorted). */
static const char styles[] =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"" MAIN_NS "\">"
    "<numFmts count=\"3\"><numFmt numFmtId=\"166\" formatCode=\"d\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.0&quot; days&quot;\"/>"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/>"
    "</cellXfs></styleSheet>";

static const char sheet1[] =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
    "<c r=\"C1\" t=\"s\"><v>1</v></c>"
    "<c r=\"D1\" t=\"inlineStr\"><is><t>in&#233;line</t></is></c>"
    "<c r=\"E1\" t=\"str\"><f>A1</f><v>formula</v></c>"
    "<c r=\"F1\" t=\"b\"><v>1</v></c><c t=\"b\"><v>0</v></c></row>"
    "<row r=\"3\"><c r=\"A3\"><v>3.0</v></c><c r=\"B3\"><v>0.1</v></c>"
    "<c r=\"C3\"><v>1E-3</v></c><c r=\"D3\"><v>0.30000000000000004</v></c>"
    "<c r=\"E3\"><v>-0</v></c><c r=\"F3\"><v>1e20</v></c>"
    "<c r=\"G3\" s=\"3\"><v>2.5</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" s=\"1\"><v>45352</v></c>"
    "<c r=\"B4\" s=\"2\"><v>61</v></c><c r=\"C4\" s=\"4\"><v>45352.5</v></c>"
    "<c r=\"D4\" t=\"d\"><v>2024-03-01T00:00:00</v></c>"
    "<c r=\"E4\" t=\"s\"><v>2</v></c><c r=\"F4\" s=\"1\"/></row>"
    "<row r=\"5\"><c r=\"B5\" s=\"1\"/></row>"
    "<row><c r=\"AA6\"><v>7</v></c></row>"
    "</sheetData></worksheet>";

static const char sheet_1904[] =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
    "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>43890</v></c>"
    "<c r=\"B2\" s=\"1\"><v>0</v></c></row></sheetData></worksheet>";

static const char sheet_other[] =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
    "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
    "</sheetData></worksheet>";

struct part {
	const char *name, *text;
	size_t len; /* 0: strlen(text) */
};

/* Write a workbook of the given parts into the fixture folder. */
static const char *write_book(const char *file, const struct part *parts)
{
	static char path[400];
	zip_t *z;
	int zerr;

	snprintf(path, sizeof path, "%s/%s", fx_dir, file);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	ck_assert_ptr_nonnull(z);
	for (; parts->name != NULL; parts++) {
		size_t n = parts->len ? parts->len : strlen(parts->text);
		zip_source_t *s = zip_source_buffer(z, parts->text, n, 0);

		ck_assert_ptr_nonnull(s);
		ck_assert_int_ge(zip_file_add(z, parts->name, s, 0), 0);
	}
	ck_assert_int_eq(zip_close(z), 0);
	return path;
}

/* A workbook of the relationships above: workbook part book, shared
 * strings sst (NULL: none), the styles, sheet1.xml (sheet, len bytes;
 * 0: strlen) and other.xml. */
static const char *book_of(const char *file, const char *book, const char *sst,
			   const char *sheet, size_t len)
{
	struct part parts[8];
	size_t n = 0;

	parts[n++] = (struct part){"_rels/.rels", top_rels, 0};
	parts[n++] = (struct part){"xl/_rels/workbook.xml.rels", book_rels, 0};
	parts[n++] = (struct part){"xl/workbook.xml", book, 0};
	if (sst != NULL)
		parts[n++] = (struct part){"xl/sharedStrings.xml", sst, 0};
	parts[n++] = (struct part){"xl/styles.xml", styles, 0};
	parts[n++] = (struct part){"xl/worksheets/sheet1.xml", sheet, len};
	parts[n++] = (struct part){"xl/worksheets/other.xml", sheet_other, 0};
	parts[n] = (struct part){NULL, NULL, 0};
	return write_book(file, parts);
}

static const char *standard_book(void)
{
	return book_of("book.xlsx", book_1900, strings, sheet1, 0);
}

/* The rows a sheet gave: "row: cell|cell|...", one a line. */
struct seen {
	char text[2048];
	long stop_at; /* row at which to fail, 0 never */
};

static int collect(void *ctx, long row, const char *const *cells, size_t ncells,
		   struct hw_error *err)
{
	struct seen *s = ctx;
	size_t i, n = strlen(s->text);

	if (row == s->stop_at)
		return hw_error_set(err, HW_EINVAL, "stopped at row %ld", row);
	n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%ld:", row);
	for (i = 0; i < ncells; i++)
		n += (size_t)snprintf(s->text + n, sizeof s->text - n, "%s%s",
				      i ? "|" : "", cells[i]);
	snprintf(s->text + n, sizeof s->text - n, "\n");
	return 0;
}

START_TEST(test_xlsx_read_cells)
{
	struct hw_error err = {0};
	struct seen s = {{0}, 0};
	struct hwp_xlsx *x = hwp_xlsx_open(standard_book(), &err);

	ck_assert_msg(x != NULL, "%s", err.text);
	ck_assert_uint_eq(hwp_xlsx_nsheets(x), 2);
	ck_assert_str_eq(hwp_xlsx_sheet_name(x, 0), "Assets & co");
	ck_assert_str_eq(hwp_xlsx_sheet_name(x, 1), "Other");
	ck_assert_ptr_null(hwp_xlsx_sheet_name(x, 2));
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, collect, &s, &err), 0);
	ck_assert_str_eq(
	    s.text,
	    "1:web-01||Web server <1>|in\xc3\xa9line|formula|true|false\n"
	    "3:3|0.1|0.001|0.30000000000000004|0|1e+20|2.5\n"
	    "4:2024-03-01|1900-03-01|2024-03-01T12:00:00|2024-03-01|\n"
	    "6:||||||||||||||||||||||||||7\n");
	s.text[0] = '\0';
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 1, collect, &s, &err), 0);
	ck_assert_str_eq(s.text, "1:|x\n");
	hwp_xlsx_close(x);
}
END_TEST

START_TEST(test_xlsx_read_1904)
{
	struct hw_error err = {0};
	struct seen s = {{0}, 0};
	struct hwp_xlsx *x = hwp_xlsx_open(
	    book_of("b.xlsx", book_1904, NULL, sheet_1904, 0), &err);

	ck_assert_msg(x != NULL, "%s", err.text);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, collect, &s, &err), 0);
	ck_assert_str_eq(s.text, "2:2024-03-01|1904-01-01\n");
	hwp_xlsx_close(x);
}
END_TEST

START_TEST(test_xlsx_read_serial_dates)
{
	char buf[32];

	ck_assert_int_eq(hwp_xlsx_serial_date(1, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1900-01-01");
	ck_assert_int_eq(hwp_xlsx_serial_date(59, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1900-02-28");
	ck_assert_int_eq(hwp_xlsx_serial_date(60, 0, buf, sizeof buf), -1);
	ck_assert_int_eq(hwp_xlsx_serial_date(61, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1900-03-01");
	ck_assert_int_eq(
	    hwp_xlsx_serial_date(45351.999999999, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "2024-03-01");
	ck_assert_int_eq(hwp_xlsx_serial_date(2958465, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "9999-12-31");
	ck_assert_int_eq(hwp_xlsx_serial_date(2958466, 0, buf, sizeof buf), -1);
	ck_assert_int_eq(hwp_xlsx_serial_date(0.5, 0, buf, sizeof buf), -1);
	ck_assert_int_eq(hwp_xlsx_serial_date(-1, 1, buf, sizeof buf), -1);
	ck_assert_int_eq(hwp_xlsx_serial_date(1, 1, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1904-01-02");
	ck_assert_int_eq(hwp_xlsx_serial_date(43890.25, 1, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "2024-03-01T06:00:00");
}
END_TEST

START_TEST(test_xlsx_read_cell_names)
{
	char buf[16];

	ck_assert_str_eq(hwp_xlsx_cell_name(0, 1, buf), "A1");
	ck_assert_str_eq(hwp_xlsx_cell_name(25, 12, buf), "Z12");
	ck_assert_str_eq(hwp_xlsx_cell_name(26, 7, buf), "AA7");
	ck_assert_str_eq(hwp_xlsx_cell_name(16383, 1048576, buf), "XFD1048576");
}
END_TEST

START_TEST(test_xlsx_read_stops)
{
	struct hw_error err = {0};
	struct seen s = {{0}, 3};
	struct hwp_xlsx *x = hwp_xlsx_open(standard_book(), &err);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, collect, &s, &err), -1);
	ck_assert_str_eq(err.text, "stopped at row 3");
	ck_assert_str_eq(err.source, "");
	hwp_xlsx_close(x);
}
END_TEST

/* Open a workbook whose only sheet is body (inside sheetData), read
 * it; the error's text. */
static const char *sheet_error(const char *body)
{
	static struct hw_error err;
	static char xml[1024];
	struct seen s = {{0}, 0};
	struct hwp_xlsx *x;
	const char *path;

	memset(&err, 0, sizeof err);
	snprintf(xml, sizeof xml,
		 "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>%s</sheetData>"
		 "</worksheet>",
		 body);
	path = book_of("bad.xlsx", book_1900, strings, xml, 0);
	x = hwp_xlsx_open(path, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, collect, &s, &err), -1);
	ck_assert_str_eq(err.source, path);
	hwp_xlsx_close(x);
	return err.text;
}

START_TEST(test_xlsx_read_bad_cells)
{
	ck_assert_str_eq(sheet_error("<row r=\"2\"><c r=\"C2\" t=\"e\">"
				     "<v>#N/A</v></c></row>"),
			 "sheet 'Assets & co', cell C2: the cell holds the "
			 "error #N/A (expected a value)");
	ck_assert_str_eq(sheet_error("<row r=\"2\"><c r=\"B2\" t=\"s\">"
				     "<v>3</v></c></row>"),
			 "sheet 'Assets & co', cell B2: shared string 3 does "
			 "not exist (the workbook has 3)");
	ck_assert_str_eq(sheet_error("<row r=\"2\"><c r=\"B2\"/><c r=\"A2\"/>"
				     "</row>"),
			 "sheet 'Assets & co', cell C2: cell reference \"A2\" "
			 "out of place (expected a later cell of row 2)");
	ck_assert_str_eq(sheet_error("<row r=\"2\"/><row r=\"2\"/>"),
			 "sheet 'Assets & co', cell A3: row number \"2\" out "
			 "of order (expected 3 to 1048576)");
	ck_assert_str_eq(sheet_error("<row r=\"-2\"/>"),
			 "sheet 'Assets & co', cell A1: row number \"-2\" is "
			 "not a row of a sheet (expected 1 to 1048576)");
	ck_assert_str_eq(sheet_error("<row r=\"1048577\"/>"),
			 "sheet 'Assets & co', cell A1: row number "
			 "\"1048577\" is not a row of a sheet (expected 1 to "
			 "1048576)");
	ck_assert_str_eq(sheet_error("<row r=\"1\"/><c r=\"A1\"><v>1</v>"
				     "</c>"),
			 "sheet 'Assets & co', cell A2: a cell outside a row "
			 "(expected <c> inside <row>)");
	ck_assert_str_eq(sheet_error("<row><c r=\"A1\"><v>1x</v></c></row>"),
			 "sheet 'Assets & co', cell A1: \"1x\" is not a "
			 "number");
	ck_assert_str_eq(sheet_error("<row><c r=\"A1\" s=\"1\"><v>60</v></c>"
				     "</row>"),
			 "sheet 'Assets & co', cell A1: 60 is not a date "
			 "(expected a serial number of the 1900 system)");
	ck_assert_str_eq(sheet_error("<row><c r=\"A1\" t=\"b\"><v>yes</v>"
				     "</c></row>"),
			 "sheet 'Assets & co', cell A1: boolean \"yes\" "
			 "(expected 0 or 1)");
	ck_assert_str_eq(sheet_error("<row><c r=\"XFE1\"/></row>"),
			 "sheet 'Assets & co', cell A1: cell reference "
			 "\"XFE1\" out of place (expected a later cell of "
			 "row 1)");
	ck_assert_str_eq(sheet_error("<row><c r=\"A1\"><v>1</c></row>"),
			 "sheet 'Assets & co', part 'xl/worksheets/sheet1.xml' "
			 "line 1 column 110: "
			 "mismatched tag (expected well-formed XML)");
}
END_TEST

/* "<a><a><a>...": expat's stack of open elements would grow with the
 * file; refused past 64 deep (a worksheet needs 7). */
START_TEST(test_xlsx_read_deep_nesting)
{
	char body[1000];
	size_t n = 0;
	int i;

	for (i = 0; i < 63; i++) /* and worksheet, sheetData: 65 */
		n += (size_t)snprintf(body + n, sizeof body - n, "<a>");
	ck_assert_str_eq(sheet_error(body),
			 "sheet 'Assets & co', part 'xl/worksheets/sheet1.xml' "
			 "line 1: elements "
			 "nested more than 64 deep (expected an xlsx "
			 "workbook)");
}
END_TEST

/* billion laughs: refused at its DOCTYPE, nothing expanded. */
START_TEST(test_xlsx_read_entity_bomb)
{
	static const char bomb[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [\n"
	    "<!ENTITY a \"aaaaaaaaaa\">\n"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    "]>\n<sst xmlns=\"" MAIN_NS "\"><si><t>&f;&f;&f;&f;</t></si>"
	    "</sst>";
	struct hw_error err = {0};
	const char *path =
	    book_of("laughs.xlsx", book_1900, bomb, sheet_other, 0);

	ck_assert_ptr_null(hwp_xlsx_open(path, &err));
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_str_eq(err.source, path);
	ck_assert_str_eq(err.text,
			 "part 'xl/sharedStrings.xml' line 2: a DOCTYPE "
			 "declaration is refused (entities are never "
			 "expanded; a workbook has none)");
}
END_TEST

/* A sheet that inflates about a thousand to one: refused once the
 * bytes unpacked pass 100 times the file's size plus 1 MiB, whatever
 * the zip says. */
START_TEST(test_xlsx_read_zip_bomb)
{
	static const char head[] = "<worksheet xmlns=\"" MAIN_NS "\">"
				   "<sheetData>";
	size_t n = 64u << 20, i;
	char *xml = malloc(n), expect[256];
	struct hw_error err = {0};
	struct seen s = {{0}, 0};
	struct hwp_xlsx *x;
	const char *path;
	struct stat sb;

	ck_assert_ptr_nonnull(xml);
	memcpy(xml, head, sizeof head - 1);
	for (i = sizeof head - 1; i < n; i++)
		xml[i] = ' ';
	path = book_of("bomb.xlsx", book_1900, NULL, xml, n);
	free(xml);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_lt(sb.st_size, 200000);
	x = hwp_xlsx_open(path, &err);
	ck_assert_msg(x != NULL, "%s", err.text);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, collect, &s, &err), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	snprintf(expect, sizeof expect,
		 "sheet 'Assets & co', part 'xl/worksheets/sheet1.xml': "
		 "the workbook unpacks to "
		 "more than %llu bytes (at most 100 times its size plus 1 "
		 "MiB, and 4 GiB): refused as a zip bomb",
		 (unsigned long long)sb.st_size * 100 + (1u << 20));
	ck_assert_str_eq(err.text, expect);
	ck_assert_str_eq(s.text, "");
	hwp_xlsx_close(x);
}
END_TEST

/* One shared string of 100,000 bytes, and a sheet (xml) using it. */
static char *big_strings(void)
{
	static const char head[] = "<sst xmlns=\"" MAIN_NS "\"><si><t>",
			  tail[] = "</t></si></sst>";
	size_t n = sizeof head - 1 + 100000 + sizeof tail;
	char *s = malloc(n);

	ck_assert_ptr_nonnull(s);
	memcpy(s, head, sizeof head - 1);
	memset(s + sizeof head - 1, 'a', 100000);
	memcpy(s + sizeof head - 1 + 100000, tail, sizeof tail);
	return s;
}

static char *sheet_of_refs(int rows, int cols)
{
	size_t cap = 200 + (size_t)rows * (30 + (size_t)cols * 24), n;
	char *s = malloc(cap);
	int r, c;

	ck_assert_ptr_nonnull(s);
	n = (size_t)snprintf(s, cap,
			     "<worksheet xmlns=\"" MAIN_NS "\">"
			     "<sheetData>");
	for (r = 1; r <= rows; r++) {
		n += (size_t)snprintf(s + n, cap - n, "<row>");
		for (c = 0; c < cols; c++)
			n += (size_t)snprintf(s + n, cap - n,
					      "<c t=\"s\"><v>0</v></c>");
		n += (size_t)snprintf(s + n, cap - n, "</row>");
	}
	snprintf(s + n, cap - n, "</sheetData></worksheet>");
	return s;
}

/* Rows counted, their text not kept. */
static int count(void *ctx, long row, const char *const *cells, size_t ncells,
		 struct hw_error *err)
{
	(void)row, (void)cells, (void)ncells, (void)err;
	++*(long *)ctx;
	return 0;
}

/* A small file may not hand out gigabytes by reference: each use of a
 * shared string counts against the bound. */
START_TEST(test_xlsx_read_shared_string_bomb)
{
	char *sst = big_strings(), *xml = sheet_of_refs(200, 1), expect[256];
	struct hw_error err = {0};
	long rows = 0;
	const char *path = book_of("refs.xlsx", book_1900, sst, xml, 0);
	struct hwp_xlsx *x = hwp_xlsx_open(path, &err);
	struct stat sb;

	free(sst);
	free(xml);
	ck_assert_msg(x != NULL, "%s", err.text);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, count, &rows, &err), -1);
	snprintf(expect, sizeof expect,
		 ": the workbook's text comes to more than %llu bytes (at most "
		 "100 times its size plus 1 MiB): refused as a zip bomb",
		 (unsigned long long)sb.st_size * 100 + (1u << 20));
	ck_assert_msg(strncmp(err.text, "sheet 'Assets & co', cell A", 27) ==
			      0 &&
			  strstr(err.text, expect) != NULL,
		      "%s", err.text);
	ck_assert_int_gt(rows, 5);
	ck_assert_int_lt(rows, 20);
	hwp_xlsx_close(x);
}
END_TEST

/* A row's text is bounded (16 MiB) even where the workbook's bound is
 * not reached: a file made large by a part of noise. */
START_TEST(test_xlsx_read_row_bound)
{
	char *sst = big_strings(), *xml = sheet_of_refs(1, 200);
	size_t n = 400000, i;
	unsigned char *noise = malloc(n);
	unsigned v = 12345;
	struct part parts[] = {
	    {"_rels/.rels", top_rels, 0},
	    {"xl/_rels/workbook.xml.rels", book_rels, 0},
	    {"xl/workbook.xml", book_1900, 0},
	    {"xl/sharedStrings.xml", sst, 0},
	    {"xl/worksheets/sheet1.xml", xml, 0},
	    {"xl/media/noise.bin", (const char *)noise, n},
	    {NULL, NULL, 0},
	};
	struct hw_error err = {0};
	long rows = 0;
	struct hwp_xlsx *x;

	ck_assert_ptr_nonnull(noise);
	for (i = 0; i < n; i++) {
		v = v * 1103515245u + 12345u;
		noise[i] = (unsigned char)(v >> 16);
	}
	x = hwp_xlsx_open(write_book("wide.xlsx", parts), &err);
	free(sst);
	free(xml);
	free(noise);
	ck_assert_msg(x != NULL, "%s", err.text);
	ck_assert_int_eq(hwp_xlsx_read_sheet(x, 0, count, &rows, &err), -1);
	ck_assert_str_eq(err.text, "sheet 'Assets & co', cell FL1: the row "
				   "holds more than 16777216 bytes of text");
	ck_assert_int_eq(rows, 0);
	hwp_xlsx_close(x);
}
END_TEST

START_TEST(test_xlsx_read_not_a_workbook)
{
	const struct part no_book[] = {
	    {"_rels/.rels", top_rels, 0},
	    {NULL, NULL, 0},
	};
	struct hw_error err = {0};
	char path[400];
	FILE *f;

	snprintf(path, sizeof path, "%s/plain.xlsx", fx_dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("id,name\n", f);
	fclose(f);
	ck_assert_ptr_null(hwp_xlsx_open(path, &err));
	ck_assert_str_eq(err.source, path);
	ck_assert_str_eq(err.text, "not a zip package: Not a zip archive "
				   "(expected an xlsx workbook)");
	memset(&err, 0, sizeof err);
	ck_assert_ptr_null(
	    hwp_xlsx_open(write_book("empty.xlsx", no_book), &err));
	ck_assert_str_eq(err.text, "part 'xl/workbook.xml' is missing "
				   "(expected an xlsx workbook)");
}
END_TEST

static Suite *xlsx_read_suite(void)
{
	Suite *s = suite_create("xlsx-read");
	TCase *core = tcase_create("core");
	TCase *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_set_timeout(limits, 60);
	tcase_add_test(core, test_xlsx_read_cells);
	tcase_add_test(core, test_xlsx_read_1904);
	tcase_add_test(core, test_xlsx_read_serial_dates);
	tcase_add_test(core, test_xlsx_read_cell_names);
	tcase_add_test(errors, test_xlsx_read_stops);
	tcase_add_test(errors, test_xlsx_read_bad_cells);
	tcase_add_test(limits, test_xlsx_read_deep_nesting);
	tcase_add_test(errors, test_xlsx_read_not_a_workbook);
	tcase_add_test(limits, test_xlsx_read_entity_bomb);
	tcase_add_test(limits, test_xlsx_read_zip_bomb);
	tcase_add_test(limits, test_xlsx_read_shared_string_bomb);
	tcase_add_test(limits, test_xlsx_read_row_bound);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(xlsx_read_suite());
}

/*
 * check-xlsx.c: the workbook writer: how many worksheets a table needs
 * and what they are called, cutting text to Excel's limits, tables that
 * continue past a small row limit, and the file handling (nothing left
 * behind on failure, an existing file kept unless forced); the change
 * report through the library on a hand-built graph; the splice's guard
 * (libxlsxwriter still writes what the splice takes for granted, and
 * the slow path writes the same cells).  The workbooks' contents are
 * read back by openpyxl here and in tests/cli/report.sh.
 */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include "fixture.h"
#include "xlsx-book.h"
#include "hw-zip.h"

/* Files in the fixture folder whose name contains part. */
static int files_with(const char *part)
{
	DIR *d = opendir(fx_dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, part) != NULL)
			n++;
	closedir(d);
	return n;
}

static const char *fx_path(const char *name)
{
	static char path[400];

	snprintf(path, sizeof path, "%s/%s", fx_dir, name);
	return path;
}

START_TEST(test_xlsx_parts)
{
	ck_assert_uint_eq(hwp_xlsx_parts(0, 3), 1);
	ck_assert_uint_eq(hwp_xlsx_parts(1, 2), 1);
	ck_assert_uint_eq(hwp_xlsx_parts(2, 2), 2);
	ck_assert_uint_eq(hwp_xlsx_parts(2, 3), 1);
	ck_assert_uint_eq(hwp_xlsx_parts(3, 3), 2);
	ck_assert_uint_eq(hwp_xlsx_parts(7, 3), 4);
	/* Excel: a header and 1,048,575 records fill one worksheet. */
	ck_assert_uint_eq(hwp_xlsx_parts(1048575, HW_XLSX_ROWS_MAX), 1);
	ck_assert_uint_eq(hwp_xlsx_parts(1048576, HW_XLSX_ROWS_MAX), 2);
	ck_assert_uint_eq(hwp_xlsx_parts(4173303, HW_XLSX_ROWS_MAX), 4);
}
END_TEST

START_TEST(test_xlsx_part_names)
{
	char buf[128];
	const char *long31 = "Abcdefghijklmnopqrstuvwxyz01234"; /* 31 */

	ck_assert_str_eq(hwp_xlsx_part_name("Affected CIs", 1, buf, sizeof buf),
			 "Affected CIs");
	ck_assert_str_eq(hwp_xlsx_part_name("Affected CIs", 2, buf, sizeof buf),
			 "Affected CIs (2)");
	ck_assert_str_eq(hwp_xlsx_part_name(long31, 1, buf, sizeof buf),
			 long31);
	ck_assert_str_eq(hwp_xlsx_part_name(long31, 12, buf, sizeof buf),
			 "Abcdefghijklmnopqrstuvwxyz (12)");
	ck_assert_uint_eq(hwp_xlsx_chars(buf), 31);
	/* Cut between characters, never inside one. */
	hwp_xlsx_part_name("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
			   "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
			   "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
			   "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
			   "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9",
			   3, buf, sizeof buf);
	ck_assert_uint_eq(hwp_xlsx_chars(buf), 31);
	ck_assert_uint_eq(strlen(buf), 27 * 2 + 4);
	ck_assert_str_eq(buf + 54, " (3)");
}
END_TEST

START_TEST(test_xlsx_clip)
{
	char buf[64];
	const char *s = "abcdefghij";

	ck_assert_uint_eq(hwp_xlsx_chars("h\xC3\xA9llo"), 5);
	ck_assert_ptr_eq(hwp_xlsx_clip(s, 10, buf), s);
	ck_assert_str_eq(hwp_xlsx_clip(s, 5, buf), "abcd\xE2\x80\xA6");
	ck_assert_uint_eq(hwp_xlsx_chars(buf), 5);
	ck_assert_str_eq(hwp_xlsx_clip("\xC3\xA9\xC3\xA9\xC3\xA9", 2, buf),
			 "\xC3\xA9\xE2\x80\xA6");
	ck_assert_str_eq(hwp_xlsx_clip("", 1, buf), "");
	{
		/* Not UTF-8: one lead byte and many stray continuation
		 * bytes make one "character" longer than 4 bytes; the clip
		 * must stay inside its 4 * max + 1 bytes (ASan checks). */
		char bad[200], *small = malloc(4 * 3 + 1);
		const char *got;

		memset(bad, 0x80, sizeof bad - 1);
		bad[0] = 'A';
		memcpy(bad + sizeof bad - 5, "BCDE", 5);
		ck_assert_ptr_nonnull(small);
		got = hwp_xlsx_clip(bad, 3, small);
		ck_assert_ptr_eq(got, small);
		ck_assert_uint_le(strlen(small), 4 * 3);
		free(small);
	}
}
END_TEST

/* Column widths from the text: wide letters count more than narrow
 * ones, bold more than regular, and a digit is one unit. */
START_TEST(test_xlsx_widths)
{
	double digits = hwp_xlsx_width("0123456789", 0);

	ck_assert(digits > 11.0 && digits < 12.0);
	ck_assert(hwp_xlsx_width("MMMMMMMMMM", 0) >
		  hwp_xlsx_width("iiiiiiiiii", 0) * 3);
	ck_assert(hwp_xlsx_width("Owner", 1) > hwp_xlsx_width("Owner", 0));
	/* Wrapped at words: one line when it fits, a line more for each
	 * word that does not, a newline's own line. */
	ck_assert(hwp_xlsx_lines("abc def", 20) == 1);
	ck_assert(hwp_xlsx_lines("aaaaaaaaaa bbbbbbbbbb", 12) == 2);
	ck_assert(hwp_xlsx_lines("a\nb", 20) == 2);
	ck_assert(hwp_xlsx_lines("internet-facing; 2 known vulnerabilities, "
				 "worst CVSS 9.8; patched 201 days ago",
				 36) == 2);
	ck_assert(hwp_xlsx_width("\xC3\xA9t\xC3\xA9", 0) <
		  hwp_xlsx_width("\xC3\xA9t\xC3\xA9t\xC3\xA9", 0));
	ck_assert(hwp_xlsx_width("", 0) > 0);
}
END_TEST

/* Control ids as NIST writes them. */
START_TEST(test_xlsx_control_labels)
{
	char buf[16];

	ck_assert_str_eq(hw_control_label("ac-2.1", buf, sizeof buf),
			 "AC-2(1)");
	ck_assert_str_eq(hw_control_label("cm-3", buf, sizeof buf), "CM-3");
	ck_assert_str_eq(hw_control_label("si-2.12", buf, sizeof buf),
			 "SI-2(12)");
	/* Cut short, never half an enhancement. */
	ck_assert_str_eq(hw_control_label("ac-2.1", buf, 6), "AC-2");
}
END_TEST

START_TEST(test_xlsx_numbers)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
	    {0, "0"},
	    {-0.0, "0"},
	    {1, "1"},
	    {-3, "-3"},
	    {1048576, "1048576"},
	    {0.1, "0.1"},
	    {45.1, "45.1"},
	    {0.05, "0.05"},
	    {2.0 / 3, "0.666666666666667"},
	    {-0.25, "-0.25"},
	    {123456.789, "123456.789"},
	    {0.001, "0.001"},
	    {1.5e-6, "0.0000015"},
	    {99.95, "99.95"},
	    {0.9999999999999999, "1"},
	    {1e15, "1E+15"},
	    {2.5e-8, "2.5E-08"},
	};
	char buf[32], *end;
	size_t i;
	double v, back;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_uint_eq(hwp_xlsx_number(cases[i].v, buf),
				  strlen(cases[i].text));
		ck_assert_str_eq(buf, cases[i].text);
	}
	/* Any value reads back within Excel's fifteen digits. */
	srand(7);
	for (i = 0; i < 200000; i++) {
		v = (rand() / (double)RAND_MAX - 0.5) *
		    pow(10, rand() % 24 - 9);
		hwp_xlsx_number(v, buf);
		back = strtod(buf, &end);
		ck_assert_int_eq(*end, '\0');
		ck_assert_msg(fabs(back - v) <= fabs(v) * 1e-14, "%.17g as %s",
			      v, buf);
	}
}
END_TEST

/* Many records of every kind of cell, written out of column order:
 * several compressed chunks spliced into one worksheet. */
static const struct hwp_col every_kind[] = {{"n", HWP_COL_NUMBER},
					    {"x", HWP_COL_DEC3},
					    {"day", HWP_COL_DATE},
					    {"flag", 0},
					    {"text", HWP_COL_WIDE}};
#define MANY 12000

static void write_many(const char *name)
{
	struct hw_error err = {0};
	struct hwp_book *b = hwp_book_open(fx_path(name), 0, 0, 0, "T", "S",
					   NULL, 0, &err);
	struct hwp_table t;
	size_t i;

	ck_assert_ptr_nonnull(b);
	hwp_table_begin(&t, b, "Many", every_kind, 5);
	for (i = 0; i < MANY; i++) {
		hwp_table_row(&t);
		hwp_table_str(&t, 4,
			      i % 3 == 0 ? " lead & <tag> \"q\"\x01 "
					 : "plain \xC3\xA9t\xC3\xA9");
		hwp_table_bool(&t, 3, i % 2);
		if (i % 5 != 0)
			hwp_table_date(&t, 2, (int32_t)(20000 + i % 1000));
		hwp_table_num(&t, 1, (double)i / 7);
		hwp_table_num(&t, 0, (double)i);
	}
	hwp_table_end(&t);
	ck_assert_int_eq(hwp_book_close(b, 1, &err), 0);
}

/* Read it back with python3 and openpyxl, when they are here. */
static void read_many(const char *name)
{
	static const char script[] =
	    "import sys, zipfile, datetime\n"
	    "try:\n"
	    "    import openpyxl\n"
	    "except ImportError:\n"
	    "    sys.exit(0)\n"
	    "p = sys.argv[1]\n"
	    "assert zipfile.ZipFile(p).testzip() is None\n"
	    "ws = openpyxl.load_workbook(p)['Many']\n"
	    "r = list(ws.iter_rows(values_only=True))\n"
	    "assert r[0] == ('n', 'x', 'day', 'flag', 'text'), r[0]\n"
	    "assert len(r) == %d + 1, len(r)\n"
	    "assert ws.auto_filter.ref == 'A1:E%d', ws.auto_filter.ref\n"
	    "for i, row in enumerate(r[1:]):\n"
	    "    day = datetime.datetime(1970, 1, 1) + "
	    "datetime.timedelta(20000 + i %% 1000) if i %% 5 else None\n"
	    "    text = ' lead & <tag> \"q\"\\x01 ' if i %% 3 == 0 else "
	    "'plain \\u00e9t\\u00e9'\n"
	    "    assert row[0] == i, row\n"
	    "    assert abs(row[1] - i / 7) <= i / 7 * 1e-14, row\n"
	    "    assert row[2] == day, row\n"
	    "    assert row[3] == ('yes' if i %% 2 else 'no'), row\n"
	    "    assert row[4] in (text, text.replace('\\x01', '_x0001_')), "
	    "row\n"
	    "print('read back')\n";
	char cmd[4096], py[1024];
	FILE *fp;

	if (access("/usr/bin/python3", X_OK) != 0)
		return;
	snprintf(py, sizeof py, script, MANY, MANY + 1);
	fp = fopen(fx_path("many.py"), "w");
	ck_assert_ptr_nonnull(fp);
	fputs(py, fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/many.py' '%s/%s'",
		 fx_dir, fx_dir, name);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_xlsx_many_records)
{
	write_many("many.xlsx");
	read_many("many.xlsx");
	/* The same with zip64 fields on every entry. */
	hwp_zip64_from(1);
	write_many("many64.xlsx");
	hwp_zip64_from(0);
	read_many("many64.xlsx");
	ck_assert_int_eq(files_with(".tmp"), 0);
}
END_TEST

/* libxlsxwriter still writes the parts and the layout the splice takes
 * for granted (xlsx-pack.c): if this fails after an upgrade, the
 * workbooks are being written the slow way until the splice is fixed. */
START_TEST(test_xlsx_splice_layout_holds)
{
	char why[256] = "";
	int rc = hwp_pack_probe(fx_path("book.xlsx"), why, sizeof why);

	ck_assert_msg(rc == 0,
		      "libxlsxwriter %s changed what xlsx-pack.c splices "
		      "into: %s",
		      LXW_VERSION, why);
	ck_assert_str_eq(why, "");
	ck_assert_int_eq(hwp_pack_trusted(fx_path("book.xlsx")), 1);
	ck_assert_int_eq(files_with(".probe"), 0);
	/* A probe that cannot be written is no verdict. */
	ck_assert_int_eq(hwp_pack_probe(fx_path("no/such.xlsx"), why,
					sizeof why),
			 -1);
	ck_assert_ptr_nonnull(strstr(why, "cannot write"));
}
END_TEST

/* Records of every kind, long text wrapping (taller rows), over three
 * worksheets. */
static const struct hwp_col mixed_cols[] = {
    {"n", HWP_COL_NUMBER}, {"x", HWP_COL_DEC3},
    {"day", HWP_COL_DATE}, {"level", HWP_COL_LEVEL_UPPER},
    {"text", HWP_COL_WIDE}, {"note", HWP_COL_NOTE},
    {"flag", 0}};

static void write_mixed(const char *name, int direct)
{
	static const char *const notes[] = {
	    "short", " spaced & <odd> \"q\" ",
	    "a note long enough to wrap over several lines of a note column "
	    "which is thirty-six characters wide",
	    NULL};
	struct hw_error err = {0};
	struct hwp_book *b = hwp_book_open(fx_path(name), 0, 0, 25, "T", "S",
					   "Org", 0, &err);
	struct hwp_table t;
	size_t i;

	ck_assert_msg(b != NULL, "%s", err.text);
	ck_assert_int_eq(b->direct, direct);
	hwp_table_begin(&t, b, "Mixed", mixed_cols, 7);
	for (i = 0; i < 60; i++) {
		hwp_table_row(&t);
		hwp_table_num(&t, 0, (double)i * 1000.5);
		hwp_table_num(&t, 1, (double)i / 3);
		if (i % 4 != 0)
			hwp_table_date(&t, 2, (int32_t)(19000 + i));
		hwp_table_level(&t, 3, (enum hw_level)(HW_LEVEL_LOW + i % 3));
		hwp_table_str(&t, 4, i % 5 ? "text \xC3\xA9" : NULL);
		hwp_table_str(&t, 5, notes[i % 4]);
		hwp_table_bool(&t, 6, i % 2);
	}
	hwp_table_end(&t);
	ck_assert_int_eq(hwp_book_close(b, 1, &err), 0);
}

/* The two books hold the same sheets, cells and row heights, and even
 * the same worksheet XML: the first spliced, the second written by
 * libxlsxwriter alone. */
static void compare_books(const char *spliced, const char *direct)
{
	static const char script[] =
	    "import sys, zipfile\n"
	    "try:\n"
	    "    import openpyxl\n"
	    "except ImportError:\n"
	    "    sys.exit(0)\n"
	    "def cells(p):\n"
	    "    wb = openpyxl.load_workbook(p)\n"
	    "    out = {}\n"
	    "    for ws in wb.worksheets:\n"
	    "        rows = list(ws.iter_rows(values_only=True))\n"
	    "        while rows and all(v is None for v in rows[-1]):\n"
	    "            rows.pop()\n"
	    "        hts = {r: d.height for r, d in ws.row_dimensions.items()"
	    " if d.height}\n"
	    "        out[ws.title] = (rows, hts)\n"
	    "    return wb.sheetnames, out\n"
	    "a, b = cells(sys.argv[1]), cells(sys.argv[2])\n"
	    "assert a[0] == ['Mixed', 'Mixed (2)', 'Mixed (3)'], a[0]\n"
	    "assert a == b, (a, b)\n"
	    "rows, hts = a[1]['Mixed']\n"
	    "assert rows[0] == ('n', 'x', 'day', 'level', 'text', 'note', "
	    "'flag'), rows[0]\n"
	    "assert rows[2][0] == 1000.5 and rows[2][3] == 'MODERATE', "
	    "rows[2]\n"
	    "assert rows[2][5] == ' spaced & <odd> \"q\" ', rows[2]\n"
	    "assert any(h > 15 for h in hts.values()), hts\n"
	    "def xml(p, n):\n"
	    "    return zipfile.ZipFile(p).read('xl/worksheets/sheet%d.xml' "
	    "% n)\n"
	    "for n in (1, 2, 3):\n"
	    "    assert xml(sys.argv[1], n) == xml(sys.argv[2], n), n\n";
	char cmd[4096];
	FILE *fp;

	if (access("/usr/bin/python3", X_OK) != 0)
		return;
	fp = fopen(fx_path("compare.py"), "w");
	ck_assert_ptr_nonnull(fp);
	fputs(script, fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/compare.py' '%s/%s' "
		 "'%s/%s'", fx_dir, fx_dir, spliced, fx_dir, direct);
	ck_assert_int_eq(system(cmd), 0);
}

/* Forced onto libxlsxwriter's own cell writing (as when the guard
 * finds the splice no longer holds): the same cells as spliced. */
START_TEST(test_xlsx_direct_same_cells)
{
	write_mixed("spliced.xlsx", 0);
	hwp_pack_force_direct(1);
	write_mixed("direct.xlsx", 1);
	write_many("many-direct.xlsx");
	hwp_pack_force_direct(0);
	compare_books("spliced.xlsx", "direct.xlsx");
	read_many("many-direct.xlsx");
	ck_assert_int_eq(files_with(".tmp"), 0);
}
END_TEST

static const struct hwp_col cols[] = {
    {"n", HWP_COL_NUMBER}, {"level", HWP_COL_LEVEL_UPPER}, {"text", 0}};

/* Write a table of rows records to name with the row limit. */
static int write_table(const char *name, size_t limit, size_t rows, int ok,
		       int force, struct hw_error *err)
{
	struct hwp_book *b = hwp_book_open(fx_path(name), force, 0, limit, "T",
					   "S", "Org & Co", 0, err);
	const struct hwp_table_info *info;
	struct hwp_table t;
	size_t i;

	if (b == NULL)
		return -1;
	hwp_table_begin(&t, b, "Rows", cols, 3);
	for (i = 0; i < rows; i++) {
		hwp_table_row(&t);
		hwp_table_num(&t, 0, (double)i);
		hwp_table_level(&t, 1, HW_LEVEL_HIGH);
		hwp_table_str(&t, 2, "x");
	}
	hwp_table_end(&t);
	ck_assert_uint_eq(hwp_book_tables(b, &info), 1);
	ck_assert_str_eq(info[0].name, "Rows");
	ck_assert_uint_eq(info[0].rows, rows);
	ck_assert_uint_eq(info[0].parts,
			  hwp_xlsx_parts(rows, hwp_book_row_limit(b)));
	ck_assert_uint_eq(hwp_book_sheets(b), info[0].parts);
	return hwp_book_close(b, ok, err);
}

START_TEST(test_xlsx_table_continues)
{
	struct hw_error err = {0};
	struct hwp_book *b;
	char note[256];
	struct hwp_table t;
	size_t i;

	ck_assert_int_eq(write_table("a.xlsx", 3, 7, 1, 0, &err), 0);
	ck_assert_int_eq(access(fx_path("a.xlsx"), F_OK), 0);
	ck_assert_int_eq(files_with(".tmp"), 0);
	ck_assert_int_eq(write_table("b.xlsx", 3, 4, 1, 0, &err), 0);
	ck_assert_int_eq(write_table("c.xlsx", 3, 0, 1, 0, &err), 0);
	ck_assert_int_eq(write_table("d.xlsx", 0, 5, 1, 0, &err), 0);

	b = hwp_book_open(fx_path("e.xlsx"), 0, 0, 4, "T", "S", NULL, 0, &err);
	ck_assert_ptr_nonnull(b);
	hwp_table_begin(&t, b, "Affected CIs", cols, 3);
	for (i = 0; i < 7; i++) {
		hwp_table_row(&t);
		hwp_table_num(&t, 0, (double)i);
	}
	hwp_table_end(&t);
	hwp_table_begin(&t, b, "Owners", cols, 3);
	hwp_table_row(&t);
	hwp_table_end(&t);
	ck_assert_str_eq(hwp_book_split_note(b, note, sizeof note),
			 "Affected CIs continues on Affected CIs (2) to "
			 "Affected CIs (3) (a worksheet holds 4 rows)");
	ck_assert_uint_eq(hwp_book_row_limit(b), 4);
	ck_assert_int_eq(hwp_book_close(b, 1, &err), 0);

	/* Exactly full, then one more: the second part. */
	b = hwp_book_open(fx_path("f.xlsx"), 0, 0, 1000, "T", "S", NULL, 0, &err);
	ck_assert_ptr_nonnull(b);
	hwp_table_begin(&t, b, "Assets", cols, 3);
	for (i = 0; i < 999; i++)
		hwp_table_row(&t);
	ck_assert_uint_eq(t.part, 1);
	hwp_table_row(&t);
	ck_assert_uint_eq(t.part, 2);
	ck_assert_uint_eq(t.row, 1);
	hwp_table_end(&t);
	ck_assert_str_eq(hwp_book_split_note(b, note, sizeof note),
			 "Assets continues on Assets (2) (a worksheet holds "
			 "1,000 rows)");
	ck_assert_int_eq(hwp_book_close(b, 1, &err), 0);
}
END_TEST

START_TEST(test_xlsx_existing_file_kept)
{
	struct hw_error err = {0};
	struct stat st;

	fx_write("old.xlsx", "precious");
	ck_assert_int_eq(write_table("old.xlsx", 0, 2, 1, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.text, "already exists"));
	ck_assert_int_eq(stat(fx_path("old.xlsx"), &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	hw_error_clear(&err);
	ck_assert_int_eq(write_table("old.xlsx", 0, 2, 1, 1, &err), 0);
	ck_assert_int_eq(stat(fx_path("old.xlsx"), &st), 0);
	ck_assert_int_gt(st.st_size, 1000);
	ck_assert_int_eq(files_with(".tmp"), 0);
}
END_TEST

START_TEST(test_xlsx_nothing_left_on_failure)
{
	struct hw_error err = {0};

	/* Abandoned: no file, no temporary file. */
	ck_assert_int_eq(write_table("gone.xlsx", 3, 5, 0, 0, &err), 0);
	ck_assert_int_ne(access(fx_path("gone.xlsx"), F_OK), 0);
	ck_assert_int_eq(files_with(".tmp"), 0);
	/* A folder that is not there, a path under a regular file. */
	ck_assert_int_eq(write_table("no/such.xlsx", 3, 5, 1, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No such file or directory"));
	hw_error_clear(&err);
	fx_write("plain", "x");
	ck_assert_int_eq(write_table("plain/a.xlsx", 3, 5, 1, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "Not a directory"));
	ck_assert_int_eq(files_with(".tmp"), 0);
}
END_TEST

START_TEST(test_xlsx_row_limit_checked)
{
	struct hw_error err = {0};

	ck_assert_ptr_null(
	    hwp_book_open(fx_path("x.xlsx"), 0, 0, 1, "T", "S", NULL, 0, &err));
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_error_clear(&err);
	ck_assert_ptr_null(hwp_book_open(fx_path("x.xlsx"), 0, 0,
					 HW_XLSX_ROWS_MAX + 1, "T", "S", NULL,
					 0, &err));
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_int_eq(files_with(".xlsx"), 0);
}
END_TEST

/* The route of a change to v1 in a graph where v0 depends on v1, with
 * the full-CAB threshold HIGH and the CAB-review one MODERATE: fills
 * *sum and returns why, the route's reason cut to size. */
static const char *route_why(const struct hw_sc own[2], int depth,
			     struct hw_impact_summary *sum, char *why,
			     size_t size)
{
	struct hw_graph_edge e[1] = {{0, 1, HW_CARRY_ALL, 0}};
	struct hw_impact_opts io = {depth, 0, HW_DIR_UP};
	struct hw_error err = {0};
	struct hw_graph *g = hw_graph_build(2, own, 1, e, &err);
	struct hw_impact *imp;
	uint32_t t1 = 1;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_graph_categorize(g, &err), 0);
	imp = hw_graph_impact(g, &t1, 1, &io, &err);
	ck_assert_ptr_nonnull(imp);
	hw_impact_sort(g, imp);
	hw_impact_summarize(g, imp, HW_LEVEL_HIGH, HW_LEVEL_MODERATE, sum, NULL);
	hw_impact_route_reason(g, imp, sum, HW_LEVEL_HIGH, HW_LEVEL_MODERATE,
			       why, size);
	hw_impact_summary_release(sum);
	hw_impact_free(imp);
	hw_graph_free(g);
	return why;
}

/* Why a route: the level that decided it, the threshold and the assets
 * at that level.  v0 (no level) depends on v1 (LOW). */
START_TEST(test_xlsx_route_reasons)
{
	struct hw_sc own[2] = {{{HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE}},
			       {{HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW}}};
	struct hw_impact_summary sum;
	char why[512];

	ck_assert_str_eq(
	    route_why(own, -1, &sum, why, sizeof why),
	    "UNCATEGORIZED decided it: 1 touched asset has no level, which "
	    "calls for a CAB review (the highest known level, LOW, is below "
	    "route.cab_review MODERATE); highest assets touched: v0");
	ck_assert_int_eq(sum.route, HW_ROUTE_CAB_REVIEW);
	/* v1 alone: standard, LOW below the CAB-review threshold. */
	ck_assert_str_eq(route_why(own, 0, &sum, why, sizeof why),
			 "LOW decided it: the highest level touched is below "
			 "the CAB-review threshold (route.cab_review "
			 "MODERATE); highest assets touched: v1");
	ck_assert_int_eq(sum.route, HW_ROUTE_STANDARD);
	/* Cut to a short buffer, still a string. */
	ck_assert_str_eq(route_why(own, 0, &sum, why, 8), "LOW dec");
}
END_TEST

/* A lower bound alone calls for review: v0 (C low only) depends on v1
 * (I low only), so both are partly categorized, at least LOW. */
START_TEST(test_xlsx_route_reason_lower_bound)
{
	struct hw_sc own[2] = {{{HW_LEVEL_LOW, HW_LEVEL_NONE, HW_LEVEL_NONE}},
			       {{HW_LEVEL_NONE, HW_LEVEL_LOW, HW_LEVEL_NONE}}};
	struct hw_impact_summary sum;
	char why[512];

	ck_assert_str_eq(
	    route_why(own, -1, &sum, why, sizeof why),
	    "a lower bound decided it: 2 touched assets are partly "
	    "categorized (at least LOW, some objectives unknown), which "
	    "calls for a CAB review (route.cab_review MODERATE); highest "
	    "assets touched: v1, v0");
	ck_assert_int_eq(sum.route, HW_ROUTE_CAB_REVIEW);
	ck_assert_uint_eq(sum.count[HW_LEVEL_NONE], 0);
	ck_assert_uint_eq(sum.partial, 2);
}
END_TEST

/* The change report through the library: a chain v2 -> v1 -> v0 (v2
 * depends on v1 depends on v0), v2 high. */
START_TEST(test_xlsx_change_report)
{
	struct hw_sc own[3] = {{{HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE}},
			       {{HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW}},
			       {{HW_LEVEL_HIGH, HW_LEVEL_LOW, HW_LEVEL_LOW}}};
	struct hw_graph_edge e[2] = {{1, 0, HW_CARRY_ALL, 0},
				     {2, 1, HW_CARRY_ALL, 0}};
	struct hw_impact_opts io = {-1, 0, HW_DIR_UP};
	struct hw_report_opts ro = {0};
	struct hw_report_info info;
	struct hw_impact_summary sum;
	char baselines[4096], engaged[4096];
	struct hw_error err = {0};
	const char *targets[] = {"v0"};
	struct hw_change_scope ch = {targets, 1, &io, HW_LEVEL_HIGH,
			       HW_LEVEL_MODERATE};
	struct hw_graph *g = hw_graph_build(3, own, 2, e, &err);
	struct hw_impact *imp;
	uint32_t t0 = 0;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_graph_categorize(g, &err), 0);
	imp = hw_graph_impact(g, &t0, 1, &io, &err);
	ck_assert_ptr_nonnull(imp);
	hw_impact_sort(g, imp);
	hw_impact_summarize(g, imp, HW_LEVEL_HIGH, HW_LEVEL_MODERATE, &sum, NULL);
	ck_assert_int_eq(sum.route, HW_ROUTE_FULL_CAB);
	ck_assert_str_eq(hw_impact_route_why(&sum, HW_LEVEL_MODERATE),
			 "the change touches assets at or above the full-CAB "
			 "level");

	/* fx_data's buffer is reused: a copy of each. */
	snprintf(baselines, sizeof baselines, "%s",
		 fx_data("sp800-53b-baselines.csv"));
	snprintf(engaged, sizeof engaged, "%s", fx_data("change-controls.csv"));
	ro.baselines_csv = baselines;
	ro.change_controls_csv = engaged;
	ck_assert_int_eq(hw_report_change(g, imp, &sum, &ch, &ro,
					  fx_path("c.xlsx"), &info, &err),
			 0);
	ck_assert_uint_eq(info.sheets, 4);
	ck_assert_uint_eq(info.rows, 3);
	ck_assert_str_eq(info.split, "");
	/* Two records a sheet: Affected CIs in two, the 32 controls a
	 * change engages (all in the HIGH baseline) in sixteen. */
	ro.row_limit = 3;
	ro.force = 1;
	ck_assert_int_eq(hw_report_change(g, imp, &sum, &ch, &ro,
					  fx_path("c.xlsx"), &info, &err),
			 0);
	ck_assert_uint_eq(info.sheets, 1 + 2 + 1 + 16);
	ck_assert_ptr_nonnull(strstr(info.split, "Affected CIs continues on "
						 "Affected CIs (2);"));
	/* A baselines file that is not there: an error, no file. */
	ro.baselines_csv = fx_path("none.csv");
	ck_assert_int_eq(hw_report_change(g, imp, &sum, &ch, &ro,
					  fx_path("d.xlsx"), &info, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EIO);
	ck_assert_int_ne(access(fx_path("d.xlsx"), F_OK), 0);
	hw_error_clear(&err);
	ro.baselines_csv = fx_write("bad.csv", "id,family\nac-1,AC\n");
	ck_assert_int_eq(hw_report_change(g, imp, &sum, &ch, &ro,
					  fx_path("d.xlsx"), &info, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(files_with(".tmp"), 0);
	hw_impact_summary_release(&sum);
	hw_impact_free(imp);
	hw_graph_free(g);
}
END_TEST

static Suite *xlsx_suite(void)
{
	Suite *s = suite_create("xlsx");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_set_timeout(core, 120); /* openpyxl reads records back */
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_test(core, test_xlsx_parts);
	tcase_add_test(core, test_xlsx_part_names);
	tcase_add_test(core, test_xlsx_clip);
	tcase_add_test(core, test_xlsx_table_continues);
	tcase_add_test(core, test_xlsx_numbers);
	tcase_add_test(core, test_xlsx_widths);
	tcase_add_test(core, test_xlsx_control_labels);
	tcase_add_test(core, test_xlsx_many_records);
	tcase_add_test(core, test_xlsx_splice_layout_holds);
	tcase_add_test(core, test_xlsx_direct_same_cells);
	tcase_add_test(core, test_xlsx_change_report);
	tcase_add_test(core, test_xlsx_route_reasons);
	tcase_add_test(core, test_xlsx_route_reason_lower_bound);
	tcase_add_test(errors, test_xlsx_existing_file_kept);
	tcase_add_test(errors, test_xlsx_nothing_left_on_failure);
	tcase_add_test(limits, test_xlsx_row_limit_checked);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(xlsx_suite());
}

/*
 * check-table.c: the inventory tables (table.c) and the CSV reader
 * (csv-read.c): columns, header mapping, --columns, rows of cells into
 * records and records into cells, the formula rule; CSV files through
 * hw_import_files, line numbers exact across batches and quoted
 * newlines.
 */
#include "fixture.h"
#include "table.h"

/* Read a header of n cells into h (initialized: a header read before
 * is released); returns hwp_inv_head_read's value. */
static int head(struct hwp_inv_head *h, int kind, const char *const *cells,
		size_t n, size_t *bad, struct hw_error *err)
{
	return hwp_inv_head_read(h, kind, NULL, cells, n, bad, err);
}

START_TEST(test_table_columns)
{
	const struct hwp_inv_table *t = hwp_inv_table_get(HWP_INV_ASSETS);

	ck_assert_str_eq(t->name, "assets");
	ck_assert_str_eq(t->title, "Assets");
	ck_assert_uint_eq(t->ncolumns, 18);
	ck_assert_str_eq(t->columns[17], "authorized_at");
	ck_assert_ptr_null(t->columns[18]);
	ck_assert_int_eq(hwp_inv_table_find("information-types"),
			 HWP_INV_INFOTYPES);
	ck_assert_int_eq(hwp_inv_table_find("dependencies"), HWP_INV_DEPS);
	ck_assert_int_eq(hwp_inv_table_find("Assets"), -1);
	ck_assert_int_eq(hwp_inv_column_index(t, "worst_cvss"), 10);
	ck_assert_int_eq(
	    hwp_inv_column_index(hwp_inv_table_get(HWP_INV_ASSIGNMENTS),
				 "information_type"),
	    1);
}
END_TEST

START_TEST(test_table_head_any_order)
{
	const char *cells[] = {"type", "x-note", "name", "id", "owner"};
	struct hwp_inv_head h = {0};
	struct hw_error err = {0};
	size_t bad = 99;

	ck_assert_int_eq(head(&h, -1, cells, 5, &bad, &err), 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_ASSETS);
	ck_assert_int_eq(h.at[0], 3);  /* id */
	ck_assert_int_eq(h.at[1], 2);  /* name */
	ck_assert_int_eq(h.at[2], 0);  /* type */
	ck_assert_int_eq(h.at[5], -1); /* confidentiality: absent */
	ck_assert_str_eq(hwp_inv_head_column(&h, 4), "owner");
	ck_assert_ptr_null(hwp_inv_head_column(&h, 1));
	ck_assert_ptr_null(hwp_inv_head_column(&h, 5));
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_head_tells_kind)
{
	const char *deps[] = {"to", "from"},
		   *assign[] = {"asset", "information_type"},
		   *types[] = {"id", "name", "integrity"},
		   *assets[] = {"id", "name", "integrity", "type"};
	struct hwp_inv_head h = {0};
	struct hw_error err = {0};
	size_t bad;

	ck_assert_int_eq(head(&h, -1, deps, 2, &bad, &err), 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_DEPS);
	ck_assert_int_eq(head(&h, -1, assign, 2, &bad, &err), 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_ASSIGNMENTS);
	ck_assert_int_eq(head(&h, -1, types, 3, &bad, &err), 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_INFOTYPES);
	ck_assert_int_eq(head(&h, -1, assets, 4, &bad, &err), 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_ASSETS);
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_colmap)
{
	const char *cells[] = {"Hostname", "Name", "Owner Email", "type"};
	struct hwp_colmap m;
	struct hwp_inv_head h = {0};
	struct hw_error err = {0};
	size_t bad;

	ck_assert_int_eq(
	    hwp_colmap_parse(&m, "Hostname=id, Name = name,Owner Email=owner",
			     &err),
	    0);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_str_eq(hwp_colmap_apply(&m, "Name"), "name");
	ck_assert_str_eq(hwp_colmap_apply(&m, "type"), "type");
	hwp_inv_head_init(&h);
	ck_assert_int_eq(hwp_inv_head_read(&h, -1, &m, cells, 4, &bad, &err),
			 0);
	ck_assert_int_eq(h.t->kind, HWP_INV_ASSETS);
	ck_assert_int_eq(h.at[3], 2); /* owner */
	hwp_inv_head_release(&h);
	hwp_colmap_release(&m);
	ck_assert_int_eq(hwp_colmap_parse(&m, "", &err), 0);
	ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(test_table_row_asset)
{
	const char *hdr[] = {"id",
			     "name",
			     "type",
			     "owner",
			     "internet_facing",
			     "authorized",
			     "worst_cvss",
			     "integrity",
			     "description"};
	const char *row[] = {"web",   "'=SUM(A1)", "server", "",   "YES",
			     "False", "7.5",	   "High",   "''x"};
	struct hwp_inv_head h = {0};
	struct hwp_pool pool = {0};
	struct hwp_rec *r;
	const struct hwp_rec_asset *a;
	struct hw_error err = {0};
	size_t bad;

	ck_assert_int_eq(head(&h, -1, hdr, 9, &bad, &err), 0);
	ck_assert_int_eq(hwp_inv_row(&h, row, 9, 7, &pool, &r, &bad, &err), 0);
	ck_assert_int_eq(r->kind, HWP_REC_ASSET);
	ck_assert_int_eq(r->ord, 7);
	a = (const struct hwp_rec_asset *)r;
	ck_assert_str_eq(a->id, "web");
	ck_assert_str_eq(a->name, "=SUM(A1)");
	ck_assert_str_eq(a->description, "'x");
	ck_assert_ptr_null(a->owner);
	ck_assert_int_eq(a->internet_facing, 1);
	ck_assert_uint_eq(a->factors.known & HW_F_BIT(HW_F_AUTHORIZED),
			  HW_F_BIT(HW_F_AUTHORIZED));
	ck_assert_int_eq(a->factors.authorized, 0);
	ck_assert_double_eq(a->factors.worst_cvss, 7.5);
	ck_assert_int_eq(a->direct.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(a->direct.v[HW_C], HW_LEVEL_NONE);
	ck_assert_int_eq(a->keep_types, 1);
	/* Fewer cells than the header: the rest are empty. */
	ck_assert_int_eq(hwp_inv_row(&h, row, 3, 8, &pool, &r, &bad, &err), 0);
	ck_assert_int_eq(((const struct hwp_rec_asset *)r)->internet_facing, 0);
	hwp_pool_free(&pool);
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_row_assignment_and_dep)
{
	const char *ghdr[] = {"asset", "information_type", "confidentiality",
			      "justification"},
		   *grow[] = {"app", "C.2.4.1", "high", "needs it"},
		   *dhdr[] = {"from", "to", "type", "carries"},
		   *drow[] = {"app", "db", "runs_on", "IA"};
	struct hwp_inv_head h = {0};
	struct hwp_pool pool = {0};
	struct hwp_rec *r;
	const struct hwp_rec_assignment *g;
	const struct hwp_rec_dep *d;
	struct hw_error err = {0};
	size_t bad;

	ck_assert_int_eq(head(&h, -1, ghdr, 4, &bad, &err), 0);
	ck_assert_int_eq(hwp_inv_row(&h, grow, 4, 2, &pool, &r, &bad, &err), 0);
	ck_assert_int_eq(r->kind, HWP_REC_ASSIGNMENT);
	g = (const struct hwp_rec_assignment *)r;
	ck_assert_str_eq(g->asset, "app");
	ck_assert_str_eq(g->a.id, "C.2.4.1");
	ck_assert_str_eq(g->a.why, "needs it");
	ck_assert_int_eq(g->a.selected.v[HW_C], HW_LEVEL_HIGH);
	ck_assert_int_eq(g->a.selected.v[HW_I], HW_LEVEL_NONE);
	ck_assert_int_eq(head(&h, -1, dhdr, 4, &bad, &err), 0);
	ck_assert_int_eq(hwp_inv_row(&h, drow, 4, 3, &pool, &r, &bad, &err), 0);
	d = (const struct hwp_rec_dep *)r;
	ck_assert_str_eq(hw_dep_types[d->type], "runs_on");
	ck_assert_uint_eq(d->carries, HW_CARRY_I | HW_CARRY_A);
	hwp_pool_free(&pool);
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_cells_out)
{
	struct hw_asset a = {0};
	struct hw_assignment g = {0};
	const char *vals[HWP_INV_MAXCOLS];
	char buf[1024];
	unsigned text;

	char id[] = "web", name[] = "-minus", type[] = "server",
	     tid[] = "C.2.4.1", why[] = "why";

	a.id = id;
	a.name = name;
	a.type = type;
	a.direct.v[HW_A] = HW_LEVEL_MODERATE;
	a.internet_facing = 1;
	a.factors.known =
	    HW_F_BIT(HW_F_DOWNTIME_COST) | HW_F_BIT(HW_F_VULNERABILITIES);
	a.factors.downtime_cost = 1234.5;
	a.factors.vulnerabilities = 3;
	hwp_inv_asset_cells(&a, vals, &text, buf, sizeof buf);
	ck_assert_str_eq(vals[0], "web");
	ck_assert_str_eq(vals[1], "-minus");
	ck_assert_str_eq(vals[3], "");
	ck_assert_str_eq(vals[7], "moderate");
	ck_assert_str_eq(vals[8], "true");
	ck_assert_str_eq(vals[9], "3");
	ck_assert_str_eq(vals[15], "1234.5");
	ck_assert_uint_eq(text & 1u << 1, 1u << 1); /* name: text */
	ck_assert_uint_eq(text & 1u << 15, 0);	    /* downtime_cost */
	ck_assert_uint_eq(text & 1u << 2, 0);	    /* type: a word */
	/* Levels of an assignment only where adjusted. */
	g.type_id = tid;
	g.base =
	    fx_sc3(HW_LEVEL_MODERATE, HW_LEVEL_MODERATE, HW_LEVEL_MODERATE);
	g.selected = g.base;
	hwp_inv_assignment_cells(&a, &g, vals, &text, buf, sizeof buf);
	ck_assert_str_eq(vals[0], "web");
	ck_assert_str_eq(vals[1], "C.2.4.1");
	ck_assert_str_eq(vals[2], "");
	g.selected.v[HW_C] = HW_LEVEL_HIGH;
	g.justification = why;
	hwp_inv_assignment_cells(&a, &g, vals, &text, buf, sizeof buf);
	ck_assert_str_eq(vals[2], "high");
	ck_assert_str_eq(vals[3], "moderate");
	ck_assert_str_eq(vals[5], "why");
}
END_TEST

START_TEST(test_table_formula_rule_out)
{
	ck_assert_int_eq(hwp_inv_needs_quote("=A1"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("+1"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("-x"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("@x"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("'x"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("\tx"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("\rx"), 1);
	ck_assert_int_eq(hwp_inv_needs_quote("x=1"), 0);
	ck_assert_int_eq(hwp_inv_needs_quote(""), 0);
	ck_assert_int_eq(hwp_inv_needs_quote(NULL), 0);
}
END_TEST

/* Errors: the text says what, *bad says which cell. */

START_TEST(test_table_head_errors)
{
	const char *unknown[] = {"id", "name", "type", "colour"},
		   *twice[] = {"id", "name", "type", "name"},
		   *missing[] = {"id", "type"}, *empty[] = {"id", "", "type"};
	struct hwp_inv_head h = {0};
	struct hw_error err = {0};
	size_t bad = 0;

	ck_assert_int_eq(head(&h, -1, unknown, 4, &bad, &err), -1);
	ck_assert_uint_eq(bad, 3);
	ck_assert_str_eq(err.text,
			 "unknown column \"colour\" (not a column of assets; "
			 "--columns maps other names, extensions start with "
			 "\"x-\")");
	hw_error_clear(&err);
	ck_assert_int_eq(head(&h, -1, twice, 4, &bad, &err), -1);
	ck_assert_uint_eq(bad, 3);
	ck_assert_str_eq(err.text,
			 "column \"name\" is given twice (first as column 2)");
	hw_error_clear(&err);
	ck_assert_int_eq(head(&h, HWP_INV_ASSETS, missing, 2, &bad, &err), -1);
	ck_assert_uint_eq(bad, HWP_INV_ROW);
	ck_assert_str_eq(err.text, "missing column \"name\" (a table of assets "
				   "needs id, name and type)");
	hw_error_clear(&err);
	ck_assert_int_eq(head(&h, HWP_INV_ASSETS, empty, 3, &bad, &err), -1);
	ck_assert_uint_eq(bad, 1);
	ck_assert_str_eq(err.text, "empty column name in the header (expected "
				   "a column of assets)");
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_row_errors)
{
	const char *hdr[] = {"id", "name", "type", "integrity"},
		   *level[] = {"q", "Q", "server", "hihg"},
		   *type[] = {"q", "Q", "serveur", ""},
		   *id[] = {"bad id", "Q", "server", ""},
		   *extra[] = {"q", "Q", "server", "", "", "x"};
	struct hwp_inv_head h = {0};
	struct hwp_pool pool = {0};
	struct hwp_rec *r;
	struct hw_error err = {0};
	size_t bad = 0;

	ck_assert_int_eq(head(&h, -1, hdr, 4, &bad, &err), 0);
	ck_assert_int_eq(hwp_inv_row(&h, level, 4, 2, &pool, &r, &bad, &err),
			 -1);
	ck_assert_uint_eq(bad, 3);
	ck_assert_str_eq(err.text, "unknown level \"hihg\" (expected low, "
				   "moderate, high)");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_inv_row(&h, type, 4, 2, &pool, &r, &bad, &err),
			 -1);
	ck_assert_uint_eq(bad, 2);
	ck_assert_str_eq(err.text,
			 "unknown asset type \"serveur\" (expected "
			 "business_service, application, database, server, "
			 "virtual_machine, container, network_device, "
			 "storage_device, cloud_service, endpoint, other)");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_inv_row(&h, id, 4, 2, &pool, &r, &bad, &err), -1);
	ck_assert_uint_eq(bad, 0);
	ck_assert_str_eq(err.text, "invalid asset id \"bad id\" (expected 1-64 "
				   "characters of A-Z a-z 0-9 . _ : -)");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_inv_row(&h, extra, 6, 2, &pool, &r, &bad, &err),
			 -1);
	ck_assert_uint_eq(bad, 5);
	ck_assert_str_eq(err.text,
			 "a value past the last column (the header has 4)");
	hwp_pool_free(&pool);
	hwp_inv_head_release(&h);
}
END_TEST

START_TEST(test_table_colmap_errors)
{
	struct hwp_colmap m;
	struct hw_error err = {0};

	ck_assert_int_eq(hwp_colmap_parse(&m, "Hostname", &err), -1);
	ck_assert_str_eq(err.text,
			 "--columns: \"Hostname\" is not NAME=COLUMN");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_colmap_parse(&m, "A=id,=name", &err), -1);
	ck_assert_str_eq(err.text, "--columns: \"=name\" has no source column "
				   "name (expected NAME=COLUMN)");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_colmap_parse(&m, "A=id,A=name", &err), -1);
	ck_assert_str_eq(err.text, "--columns: \"A\" is mapped twice");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_colmap_parse(&m, "A=id,B= ", &err), -1);
	ck_assert_str_eq(err.text, "--columns: \"B= \" has no column to map "
				   "to (expected NAME=COLUMN)");
	hw_error_clear(&err);
	ck_assert_int_eq(hwp_colmap_parse(&m, "A=ident", &err), -1);
	ck_assert_str_eq(err.text,
			 "--columns: unknown column \"ident\" (expected a "
			 "column of information-types, assets, assignments "
			 "or dependencies)");
}
END_TEST

/* CSV files through the public entry point. */

static int import_csv(const char *name, const char *text,
		      struct hw_import_stats *stats, struct hw_error *err)
{
	const char *path = fx_write(name, text);
	struct hw_import_opts o = {0};

	return hw_import_files(fx_st, &path, 1, &o, stats, err);
}

START_TEST(test_table_csv_rfc4180)
{
	struct hw_import_stats stats = {0};
	struct hw_error err = {0};
	struct hw_asset a = {0};

	ck_assert_int_eq(
	    import_csv("a.csv",
		       "\xef\xbb\xbfid,name,description\r\n"
		       "a,\"A, \"\"quoted\"\"\",\"two\r\nlines\"\r\n"
		       "\r\n"
		       "b,B,\r\n",
		       &stats, &err),
	    -1);
	/* No type column: the table cannot be assets. */
	ck_assert_str_eq(err.text, "missing column \"type\" (a table of "
				   "assets needs id, name and type)");
	hw_error_clear(&err);
	ck_assert_int_eq(
	    import_csv("a.csv",
		       "\xef\xbb\xbfid,name,type,description\r\n"
		       "a,\"A, \"\"quoted\"\"\",server,\"two\r\nlines\"\r\n"
		       "\r\n"
		       "b,B,server,",
		       &stats, &err),
	    0);
	ck_assert_int_eq(stats.assets, 2);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "a", &a, &err), 0);
	ck_assert_str_eq(a.name, "A, \"quoted\"");
	ck_assert_str_eq(a.description, "two\r\nlines");
	hw_asset_release(&a);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "b", &a, &err), 0);
	ck_assert_ptr_null(a.description);
	hw_asset_release(&a);
}
END_TEST

/* Many batches, records with quoted newlines across their edges: the
 * line of a bad record at the end is exact. */
START_TEST(test_table_csv_lines_across_batches)
{
	char *text, *p;
	size_t i, n = 30000, cap = n * 300 + 200;
	struct hw_import_stats stats = {0};
	struct hw_error err = {0};
	long line = 1;

	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	p = text + sprintf(text, "id,name,type,description\n");
	for (i = 0; i < n; i++) {
		if (i % 3 != 2) {
			/* Most bytes inside quotes: most batches end in
			 * one, and the next must know. */
			p += sprintf(p,
				     "a%zu,\"Asset\n%zu\",server,\"x,\"\"y\"\""
				     "%0200d\"\n",
				     i, i, 0);
			line += 2;
		} else {
			p += sprintf(p, "a%zu,Asset %zu,server,\n", i, i);
			line += 1;
		}
	}
	ck_assert_int_eq(import_csv("big.csv", text, &stats, &err), 0);
	ck_assert_int_eq(stats.assets, (long)n);
	sprintf(p, "zz,Z,server,,\n");
	ck_assert_int_eq(import_csv("big.csv", text, &stats, &err), -1);
	ck_assert_int_eq(err.line, line + 1);
	ck_assert_int_eq(err.column, 14);
	ck_assert_str_eq(err.text,
			 "a long row: 5 values where the header has 4");
	free(text);
}
END_TEST

/* A quote left open does not make the rest of the file one record. */
START_TEST(test_table_csv_record_too_long)
{
	size_t n = (17u << 20) + 100;
	char *text = malloc(n + 1);
	struct hw_error err = {0};

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', n);
	memcpy(text, "id,name,type\nq,Q,server\nr,\"R", 27);
	text[n] = '\0';
	ck_assert_int_eq(import_csv("long.csv", text, NULL, &err), -1);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 1);
	ck_assert_str_eq(err.text,
			 "a record longer than 16 MiB (is a quote left open?)");
	free(text);
}
END_TEST

static Suite *table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_set_timeout(limits, 60);
	tcase_add_test(core, test_table_columns);
	tcase_add_test(core, test_table_head_any_order);
	tcase_add_test(core, test_table_head_tells_kind);
	tcase_add_test(core, test_table_colmap);
	tcase_add_test(core, test_table_row_asset);
	tcase_add_test(core, test_table_row_assignment_and_dep);
	tcase_add_test(core, test_table_cells_out);
	tcase_add_test(core, test_table_formula_rule_out);
	tcase_add_test(core, test_table_csv_rfc4180);
	tcase_add_test(errors, test_table_head_errors);
	tcase_add_test(errors, test_table_row_errors);
	tcase_add_test(errors, test_table_colmap_errors);
	tcase_add_test(limits, test_table_csv_lines_across_batches);
	tcase_add_test(limits, test_table_csv_record_too_long);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(table_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

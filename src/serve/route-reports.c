/*
 * route-reports.c: the workbooks as downloads: GET /reports/plan.xlsx,
 * /reports/change/CHG-N.xlsx and /reports/inventory.xlsx, each written
 * by the library's report functions into an owner-only temporary
 * folder in TMPDIR, sent from the open file and removed before it is
 * sent, under the CLI's default file names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "posture.h"
#include "serve.h"

#define XLSX_TYPE                                                              \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Where a workbook is written and what it is written with. */
struct book {
	struct hw_report_opts o;
	char dir[4096];	     /* the temporary folder, "" when none */
	char path[4200];     /* the workbook in it */
	char controls[4096]; /* change-controls.csv beside the baselines */
	char *organisation;
};

static void book_release(struct book *b)
{
	if (b->path[0] != '\0')
		unlink(b->path);
	if (b->dir[0] != '\0')
		rmdir(b->dir);
	free(b->organisation);
}

/* Make the folder, fill the options as the CLI's report commands do:
 * the organisation's name, the data files when baselines is set.  0, or
 * -1 with res filled (book_release either way). */
static int book_prepare(struct hws_req *r, struct hws_res *res, struct book *b,
			int baselines)
{
	const char *tmp = getenv("TMPDIR"), *slash;
	struct hw_error err = {0};

	memset(b, 0, sizeof *b);
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(b->dir, sizeof b->dir,
			     "%s/highwater-report-XXXXXX",
			     tmp) >= sizeof b->dir ||
	    mkdtemp(b->dir) == NULL) {
		b->dir[0] = '\0';
		return hws_error(res, 500, "internal", NULL,
				 "cannot make a temporary folder");
	}
	snprintf(b->path, sizeof b->path, "%s/book.xlsx", b->dir);
	if (hw_store_setting_get(r->st, "organisation", &b->organisation,
				 &err) < 0 &&
	    err.code != HW_ENOTFOUND)
		return hws_fail(res, &err);
	b->o.organisation = b->organisation ? b->organisation : "";
	b->o.now = time(NULL);
	if (!baselines)
		return 0;
	b->o.baselines_csv = r->opts->baselines_csv;
	if (b->o.baselines_csv == NULL)
		return hws_error(res, 500, "internal", NULL,
				 "the SP 800-53B baselines are not installed");
	/* The shipped data files sit together. */
	slash = strrchr(b->o.baselines_csv, '/');
	snprintf(b->controls, sizeof b->controls, "%.*schange-controls.csv",
		 slash ? (int)(slash - b->o.baselines_csv + 1) : 0,
		 b->o.baselines_csv);
	b->o.change_controls_csv = b->controls;
	return 0;
}

/* Send the workbook written, as name-DAY.xlsx (DAY YYYY-MM-DD). */
static int book_send(struct hws_res *res, struct book *b, const char *name,
		     int32_t day)
{
	char d[11];
	FILE *f = fopen(b->path, "rb");

	if (f == NULL)
		return hws_error(res, 500, "internal", NULL,
				 "cannot read the workbook written");
	/* Open, it needs no name: nothing is left behind. */
	unlink(b->path);
	b->path[0] = '\0';
	res->file = f;
	res->status = 200;
	res->content_type = XLSX_TYPE;
	snprintf(res->filename, sizeof res->filename, "%s-%s.xlsx", name,
		 hw_date_format(day, d));
	return 0;
}

static int plan_xlsx(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {"as_of", NULL};
	struct hw_error err = {0};
	struct hw_weights w;
	struct hw_graph *g; /* the warm graph, borrowed */
	struct book b;
	int32_t today;
	int rc;

	if (hws_query_known(r, res, known) < 0 ||
	    hws_query_day(r, res, "as_of", &today, NULL) < 0)
		return -1;
	rc = book_prepare(r, res, &b, 1);
	b.o.database = r->opts->db_path;
	if (rc == 0 &&
	    (hw_store_weights(r->st, &w, &err) < 0 ||
	     (g = hws_graph(r, &err)) == NULL ||
	     hw_report_plan(r->st, g, &w, today, &b.o, b.path, NULL, &err) < 0))
		rc = hws_fail(res, &err);
	else if (rc == 0)
		rc = book_send(res, &b, "protection-plan", today);
	book_release(&b);
	return rc;
}

/* /reports/change/CHG-N.xlsx: the change record's workbook, from its
 * stored assessment. */
static int change_xlsx(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {NULL};
	const char *arg = r->args[0];
	size_t len = strlen(arg);
	struct hw_error err = {0};
	struct hw_change c = {0};
	char id[HW_CHANGE_ID_TEXT + 8], stem[64];
	json_t *doc = NULL;
	struct book b;
	long long n;
	int self = 0, rc;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	if (len <= 5 || strcmp(arg + len - 5, ".xlsx") != 0 ||
	    len - 5 >= sizeof id)
		return hws_error(res, 404, "not_found", NULL,
				 "no such workbook (expected "
				 "/reports/change/CHG-N.xlsx)");
	snprintf(id, sizeof id, "%.*s", (int)(len - 5), arg);
	if (hw_change_id_parse(id, &n, &err) < 0)
		return hws_error(res, 404, "not_found", NULL, "%s", err.text);
	if (hw_change_record_load(r->st, n, &c, &doc, &self, &err) < 0)
		return hws_fail(res, &err);
	rc = book_prepare(r, res, &b, 1);
	if (rc == 0 && hw_report_change_record(&c, doc, self, &b.o, b.path,
					       NULL, &err) < 0)
		rc = hws_fail(res, &err);
	else if (rc == 0) {
		snprintf(stem, sizeof stem, "change-%s", hw_change_id(n, id));
		rc = book_send(res, &b, stem, hw_time_day(hw_time_now()));
	}
	book_release(&b);
	json_decref(doc);
	hw_change_release(&c);
	return rc;
}

static int inventory_xlsx(struct hws_req *r, struct hws_res *res)
{
	static const char *const known[] = {NULL};
	struct hw_error err = {0};
	struct book b;
	int rc;

	if (hws_query_known(r, res, known) < 0)
		return -1;
	rc = book_prepare(r, res, &b, 0);
	if (rc == 0 && hw_report_inventory(r->st, &b.o, b.path, NULL, &err) < 0)
		rc = hws_fail(res, &err);
	else if (rc == 0)
		rc =
		    book_send(res, &b, "inventory", hw_time_day(hw_time_now()));
	book_release(&b);
	return rc;
}

const struct hws_route hws_routes_reports[] = {
    {"GET", "/reports/plan.xlsx", HW_PERM_READ, plan_xlsx},
    {"GET", "/reports/change/{}", HW_PERM_READ, change_xlsx},
    {"GET", "/reports/inventory.xlsx", HW_PERM_READ, inventory_xlsx},
    {NULL, NULL, 0, NULL},
};

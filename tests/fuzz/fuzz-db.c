/*
 * fuzz-db.c: libFuzzer target: the database is input.  The input is a
 * database file (the seeds: small valid ones); it is opened read-only
 * as the read commands open it, then read as they read it: categorize
 * (the whole graph), the impact of its first asset, the risk register,
 * the export.  Whatever the file holds: an error or an answer, never a
 * crash.
 */
#include "answer.h"
#include "fuzz.h"

static void analyse(struct hw_store *st, FILE *out)
{
	struct hw_categorize_opts co = {0};
	struct hw_categorized cr = {0};
	struct hw_impact_query q = {0};
	struct hw_impacted ir = {0};
	struct hw_weights w;
	struct hw_risk_entry *reg;
	struct hw_jstream js;
	struct hw_error err = {0};
	const char *target[1];
	int rc;

	rc = hw_categorize_compute(st, NULL, &co, &cr, &err);
	fz_check_error(rc, &err);
	if (rc == 0) {
		hw_jstream_init(&js, out, 0);
		hw_answer_categorize(&js, &cr);
		hw_jstream_close(&js);
	}
	if (rc == 0 && cr.n > 0) {
		target[0] = hw_graph_id(cr.g, cr.order[0]);
		q.targets = target;
		q.ntargets = 1;
		q.o.depth = -1;
		q.o.direction = HW_DIR_UP;
		q.full_cab = HW_LEVEL_HIGH;
		q.cab_review = HW_LEVEL_MODERATE;
		hw_error_clear(&err);
		rc = hw_route_thresholds(st, &q.full_cab, &q.cab_review, &err);
		fz_check_error(rc, &err);
		hw_error_clear(&err);
		rc = hw_impact_compute(st, cr.g, &q, &ir, &err);
		fz_check_error(rc, &err);
		if (rc == 0) {
			hw_jstream_init(&js, out, 0);
			hw_answer_impact(&js, &q, &ir);
			hw_jstream_close(&js);
		}
		hw_impacted_release(&ir);
		hw_error_clear(&err);
		if (hw_store_weights(st, &w, &err) < 0)
			fz_check_error(-1, &err);
		else {
			hw_error_clear(&err);
			reg = hw_risk_register(st, cr.g, &w, 20000, &err);
			if (reg == NULL)
				fz_check_error(-1, &err);
			free(reg);
		}
	}
	hw_categorized_release(&cr);
	hw_error_clear(&err);
	fz_check_error(hw_export_json(st, out, NULL, NULL, &err), &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct hw_store *st;
	struct hw_error err = {0};

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	unlink(fz_path("in.db-wal"));
	unlink(fz_path("in.db-shm"));
	st = hw_store_open(fz_write("in.db", data, size), HW_OPEN_READONLY,
			   &err);
	if (st == NULL) {
		fz_check_error(-1, &err);
		return 0;
	}
	analyse(st, out);
	hw_store_close(st);
	return 0;
}

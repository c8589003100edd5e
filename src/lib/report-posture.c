/*
 * report-posture.c: the change advisory board's workbook of a change
 * record, written from its stored assessment (posture.h's JSON) and
 * nothing else, so that later writes to the inventory do not rewrite
 * what the board saw: a Summary (the change, its decision, the
 * assessment's time, the impact's summary and the posture delta's
 * counts), Affected CIs (ids by distance), Owners and Posture delta
 * (levels and required baselines that rise or fall, control gaps by
 * family, moved risk scores, new cycles); and what it is written from,
 * read from the store.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hw-private.h"
#include "hw-xlsx.h"
#include "change.h"
#include "posture.h"

#define LIST_MAX 50 /* owners and services named on the Summary */

static enum hw_level level_of(const json_t *v)
{
	enum hw_level l = HW_LEVEL_NONE;
	struct hw_error e = {0};

	if (json_is_string(v) &&
	    hw_level_parse(json_string_value(v), 1, &l, &e) < 0)
		l = HW_LEVEL_NONE;
	return l;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double jnum(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* ------------------------------------------------------------------ */
/* Affected CIs and Owners                                             */

enum { AC_ID, AC_DIST, AC_NCOLS };

static const struct hwp_col affected_cols[AC_NCOLS] = {
    {"Asset", HWP_COL_KEY | HWP_COL_PRINT},
    {"Distance", HWP_COL_NUMBER | HWP_COL_PRINT},
};

static size_t write_affected(struct hwp_book *b, const json_t *members)
{
	struct hwp_table t;
	const json_t *group, *id;
	size_t i, k, n = 0;

	hwp_table_begin(&t, b, "Affected CIs", affected_cols, AC_NCOLS);
	json_array_foreach(members, i, group) {
		double dist = json_number_value(json_array_get(group, 0));

		json_array_foreach(json_array_get(group, 1), k, id) {
			hwp_table_row(&t);
			hwp_table_str(&t, AC_ID, json_string_value(id));
			hwp_table_num(&t, AC_DIST, dist);
			n++;
		}
	}
	hwp_table_end(&t);
	return n;
}

enum { OW_OWNER, OW_COUNT, OW_NCOLS };

static const struct hwp_col owner_cols[OW_NCOLS] = {
    {"Owner", HWP_COL_KEY},
    {"Affected assets", HWP_COL_NUMBER},
};

static void write_owners(struct hwp_book *b, const json_t *sum)
{
	struct hwp_table t;
	const json_t *o;
	size_t i;

	hwp_table_begin(&t, b, "Owners", owner_cols, OW_NCOLS);
	json_array_foreach(json_object_get(sum, "owners"), i, o) {
		hwp_table_row(&t);
		hwp_table_str(&t, OW_OWNER, jstr(o, "name"));
		hwp_table_num(&t, OW_COUNT, jnum(o, "count"));
	}
	if (jnum(sum, "unowned") > 0) {
		hwp_table_row(&t);
		hwp_table_str(&t, OW_OWNER, "(no owner)");
		hwp_table_num(&t, OW_COUNT, jnum(sum, "unowned"));
	}
	hwp_table_end(&t);
}

/* ------------------------------------------------------------------ */
/* Posture delta                                                       */

enum {
	PD_KIND,
	PD_ASSET,
	PD_WHAT,
	PD_OLD,
	PD_NEW,
	PD_CONTROLS,
	PD_OLD_SCORE,
	PD_NEW_SCORE,
	PD_OLD_RANK,
	PD_NEW_RANK,
	PD_NCOLS
};

static const struct hwp_col delta_cols[PD_NCOLS] = {
    {"Kind", HWP_COL_KEY | HWP_COL_PRINT},
    {"Asset", HWP_COL_PRINT},
    {"What", HWP_COL_NOTE | HWP_COL_PRINT},
    {"Old", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"New", HWP_COL_LEVEL_UPPER | HWP_COL_PRINT},
    {"Controls", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"Old score", HWP_COL_DEC1 | HWP_COL_PRINT},
    {"New score", HWP_COL_DEC1 | HWP_COL_PRINT},
    {"Old rank", HWP_COL_NUMBER | HWP_COL_PRINT},
    {"New rank", HWP_COL_NUMBER | HWP_COL_PRINT},
};

static void write_delta(struct hwp_book *b, const json_t *d)
{
	struct hwp_table t;
	struct hwp_text tx = {0};
	const json_t *x, *id;
	size_t i, k;

	hwp_table_begin(&t, b, "Posture delta", delta_cols, PD_NCOLS);
	json_array_foreach(json_object_get(d, "levels"), i, x) {
		hwp_table_row(&t);
		hwp_table_str(&t, PD_KIND, "level");
		hwp_table_str(&t, PD_ASSET, jstr(x, "asset"));
		hwp_table_str(&t, PD_WHAT, jstr(x, "objective"));
		hwp_table_level(&t, PD_OLD, level_of(json_object_get(x, "old")));
		hwp_table_level(&t, PD_NEW, level_of(json_object_get(x, "new")));
	}
	json_array_foreach(json_object_get(d, "baselines"), i, x) {
		hwp_table_row(&t);
		hwp_table_str(&t, PD_KIND, "baseline");
		hwp_table_str(&t, PD_ASSET, jstr(x, "asset"));
		hwp_table_str(&t, PD_WHAT, "required SP 800-53B baseline");
		hwp_table_level(&t, PD_OLD, level_of(json_object_get(x, "old")));
		hwp_table_level(&t, PD_NEW, level_of(json_object_get(x, "new")));
	}
	json_array_foreach(json_object_get(json_object_get(d, "gaps"),
					   "families"),
			   i, x) {
		hwp_table_row(&t);
		hwp_table_str(&t, PD_KIND, "control gap");
		hwp_table_str(&t, PD_WHAT, jstr(x, "family"));
		hwp_table_num(&t, PD_CONTROLS, jnum(x, "controls"));
	}
	json_array_foreach(json_object_get(d, "risks"), i, x) {
		hwp_table_row(&t);
		hwp_table_str(&t, PD_KIND, "risk score");
		hwp_table_str(&t, PD_ASSET, jstr(x, "asset"));
		hwp_table_str(&t, PD_WHAT,
			      json_is_null(json_object_get(x, "old_score"))
				  ? "new asset"
			      : jnum(x, "new_score") > jnum(x, "old_score")
				  ? "rises"
				  : "falls");
		if (!json_is_null(json_object_get(x, "old_score"))) {
			hwp_table_num(&t, PD_OLD_SCORE, jnum(x, "old_score"));
			hwp_table_num(&t, PD_OLD_RANK, jnum(x, "old_rank"));
		}
		hwp_table_num(&t, PD_NEW_SCORE, jnum(x, "new_score"));
		hwp_table_num(&t, PD_NEW_RANK, jnum(x, "new_rank"));
	}
	json_array_foreach(json_object_get(d, "cycles"), i, x) {
		hwp_text_clear(&tx);
		json_array_foreach(x, k, id) {
			if (k > 0)
				hwp_text_add(&tx, b, ", ");
			hwp_text_add(&tx, b, json_string_value(id));
		}
		hwp_table_row(&t);
		hwp_table_str(&t, PD_KIND, "new cycle");
		hwp_table_str(&t, PD_ASSET,
			      json_string_value(json_array_get(x, 0)));
		hwp_table_str(&t, PD_WHAT, tx.s);
	}
	hwp_table_end(&t);
	free(tx.s);
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */

static void when(struct hwp_form *f, const char *label, hw_time t)
{
	char buf[HW_TIME_TEXT];

	if (t != 0)
		hwp_form_text(f, label, hw_time_format(t, buf));
}

/* Count the delta's entries that rise (dir 1) or fall (-1). */
static size_t moves(const json_t *list, int dir)
{
	const json_t *x;
	size_t i, n = 0;

	json_array_foreach(list, i, x) {
		int o = (int)level_of(json_object_get(x, "old"));
		int w = (int)level_of(json_object_get(x, "new"));

		n += dir > 0 ? w > o : w < o;
	}
	return n;
}

static void write_summary(struct hwp_form *f, const struct hw_change *c,
			  const json_t *a, int self_approval,
			  const struct hw_report_opts *o, time_t now)
{
	static const char *const owner_head[] = {"Owner", "Affected assets"};
	const json_t *sum = json_object_get(a, "summary");
	const json_t *d = json_object_get(a, "delta"), *x;
	const json_t *hi = json_object_get(sum, "highest");
	struct hwp_book *b = f->book;
	struct hwp_text tx = {0};
	const char *route = jstr(sum, "route");
	char id[HW_CHANGE_ID_TEXT], label[160], note[512];
	enum hw_level colour;
	size_t i;

	hwp_form_title(f, "Change advisory board: change record");
	hwp_form_text(f, "Organisation", o->organisation);
	hwp_form_date(f, "Generated", now);
	hwp_form_text(f, "Change", hw_change_id(c->n, id));
	hwp_form_text(f, "Title", c->title);
	if (c->description != NULL)
		hwp_form_text(f, "Description", c->description);
	hwp_form_text(f, "State", hw_change_state_name(c->state));
	if (c->result != HW_RESULT_NONE)
		hwp_form_text(f, "Result", hw_change_result_name(c->result));
	hwp_form_text(f, "Requester", c->requester);
	when(f, "Created", c->created);
	when(f, "Planned", c->planned);
	for (i = 0; i < c->ntargets; i++) {
		if (i > 0)
			hwp_text_add(&tx, b, ", ");
		hwp_text_add(&tx, b, c->targets[i]);
	}
	hwp_form_text(f, c->ntargets == 1 ? "Target" : "Targets", tx.s);
	hwp_form_text(f, "Assessed at", jstr(a, "at"));
	if (*hwp_book_split_note(b, note, sizeof note) != '\0')
		hwp_form_text(f, "Note", note);

	hwp_form_section(f, "The board's decision");
	if (c->decided_at != 0) {
		hwp_form_text(f, "Decision",
			      c->state == HW_CHANGE_REJECTED ||
				      c->result == HW_RESULT_REJECTED
				  ? "rejected"
				  : "approved");
		hwp_form_text(f, "Decided by", c->decided_by);
		if (c->chair != NULL)
			hwp_form_text(f, "Chair", c->chair);
		hwp_form_text(f, "Reason", c->reason);
		when(f, "Decided at", c->decided_at);
	} else {
		hwp_form_text(f, "Decision", "not decided yet");
	}
	if (self_approval)
		hwp_form_text(f, "Self-approval",
			      "allowed (change.self_approval = allow): the "
			      "requester may approve their own change");
	if (c->implemented_at != 0) {
		hwp_form_text(f, "Implemented by", c->implemented_by);
		when(f, "Implemented at", c->implemented_at);
	}
	when(f, "Closed at", c->closed_at);
	if (c->reverted_at != 0) {
		hwp_form_text(f, "Reverted by", c->reverted_by);
		when(f, "Reverted at", c->reverted_at);
	}

	hwp_form_section(f, "Impact (as assessed)");
	colour = route && strcmp(route, "full-cab") == 0     ? HW_LEVEL_HIGH
		 : route && strcmp(route, "cab-review") == 0 ? HW_LEVEL_MODERATE
							     : HW_LEVEL_LOW;
	hwp_form_coloured(f, "Recommended route", route, colour);
	if (json_object_get(sum, "route_before") != NULL) {
		hwp_form_text(f, "Route before the edits",
			      jstr(sum, "route_before"));
		hwp_form_text(f, "Route after the edits",
			      jstr(sum, "route_after"));
	}
	hwp_form_level(f, "Confidentiality",
		       level_of(json_object_get(hi, "c")));
	hwp_form_level(f, "Integrity", level_of(json_object_get(hi, "i")));
	hwp_form_level(f, "Availability", level_of(json_object_get(hi, "a")));
	hwp_form_num(f, "Assets affected", jnum(sum, "members"));
	x = json_object_get(sum, "count");
	hwp_form_num(f, "HIGH", jnum(x, "high"));
	hwp_form_num(f, "MODERATE", jnum(x, "moderate"));
	hwp_form_num(f, "LOW", jnum(x, "low"));
	hwp_form_num(f, "UNCATEGORIZED", jnum(x, "none"));
	hwp_form_num(f, "On a dependency cycle", jnum(sum, "on_cycle"));

	hwp_form_section(f, "Posture delta of the proposed edits");
	hwp_form_num(f, "Proposed edits", (double)c->nedits);
	hwp_form_num(f, "Effective levels that rise",
		     (double)moves(json_object_get(d, "levels"), 1));
	hwp_form_num(f, "Effective levels that fall",
		     (double)moves(json_object_get(d, "levels"), -1));
	hwp_form_num(f, "Required baselines that rise",
		     (double)moves(json_object_get(d, "baselines"), 1));
	hwp_form_num(f, "Required baselines that fall",
		     (double)moves(json_object_get(d, "baselines"), -1));
	hwp_form_num(f, "Controls to add (net, over assets)",
		     jnum(json_object_get(d, "gaps"), "controls"));
	hwp_form_num(f, "Risk scores that move", jnum(d, "risks_moved"));
	hwp_form_num(f, "New cycles",
		     (double)json_array_size(json_object_get(d, "cycles")));

	hwp_form_section(f, "Owners to notify");
	hwp_form_num(f, "Owners",
		     (double)json_array_size(json_object_get(sum, "owners")));
	if (json_array_size(json_object_get(sum, "owners")) > 0)
		hwp_form_head(f, owner_head, 2);
	json_array_foreach(json_object_get(sum, "owners"), i, x) {
		if (i == LIST_MAX) {
			snprintf(label, sizeof label, "and %zu more",
				 json_array_size(json_object_get(sum,
								 "owners")) -
				     LIST_MAX);
			hwp_form_text(f, label, "see the Owners sheet");
			break;
		}
		hwp_form_num(f, jstr(x, "name"), jnum(x, "count"));
	}
	if (jnum(sum, "unowned") > 0)
		hwp_form_num(f, "Assets with no owner", jnum(sum, "unowned"));

	hwp_form_section(f, "Business services touched");
	hwp_form_num(f, "Business services",
		     (double)json_array_size(json_object_get(sum, "services")));
	json_array_foreach(json_object_get(sum, "services"), i, x) {
		if (i == LIST_MAX)
			break;
		hwp_form_text(f, "Service", json_string_value(x));
	}
	hwp_form_tables(f);
	hwp_form_end(f);
	free(tx.s);
}

int hw_report_change_record(const struct hw_change *c, const json_t *a,
			    int self_approval, const struct hw_report_opts *o,
			    const char *path,
			    struct hw_report_info *info, struct hw_error *err)
{
	struct hwp_book *b;
	struct hwp_form summary;
	time_t now = o->now ? o->now : time(NULL);
	char title[256], id[HW_CHANGE_ID_TEXT];
	size_t rows;

	if (!json_is_object(a) || !json_is_object(json_object_get(a, "summary")) ||
	    !json_is_object(json_object_get(a, "delta")) ||
	    !json_is_array(json_object_get(a, "members")) ||
	    !json_is_string(json_object_get(a, "at")))
		return hw_error_set(err, HW_EDAMAGED,
				    "change_assessment: the assessment of %s "
				    "is not what an assessment holds",
				    hw_change_id(c->n, id));
	snprintf(title, sizeof title, "%s: %.200s", hw_change_id(c->n, id),
		 c->title ? c->title : "");
	b = hwp_book_open(path, o->force, o->mode, o->row_limit, title,
			  "A change record and its stored assessment, for "
			  "the change advisory board",
			  o->organisation, now, err);
	if (b == NULL)
		return -1;
	hwp_form_begin(&summary, b, "Summary");
	rows = write_affected(b, json_object_get(a, "members"));
	write_owners(b, json_object_get(a, "summary"));
	write_delta(b, json_object_get(a, "delta"));
	write_summary(&summary, c, a, self_approval, o, now);
	hwp_book_info(b, rows, info);
	return hwp_book_close(b, 1, err) == 0 ? 0 : -1;
}

int hw_change_record_load(struct hw_store *st, long long n, struct hw_change *c,
			  json_t **assessment, int *self_approval,
			  struct hw_error *err)
{
	struct hw_change ch = {0};
	char id[HW_CHANGE_ID_TEXT], *text = NULL;
	struct hw_error e = {0};
	json_error_t jerr;
	json_t *doc = NULL;
	int self = 0;

	if (hw_store_change_get(st, n, &ch, err) < 0)
		return -1;
	if (hw_store_assessment_get(st, n, &text, &e) < 0) {
		if (e.code == HW_ENOTFOUND)
			hw_error_set(err, HW_ENOTFOUND,
				     "%s has no stored assessment",
				     hw_change_id(n, id));
		else if (err != NULL && err->code == HW_OK)
			*err = e;
		goto fail;
	}
	doc = json_loads(text, 0, &jerr);
	free(text);
	if (doc == NULL) {
		hw_error_set(err, HW_EDAMAGED,
			     "change_assessment: the assessment of %s is not "
			     "JSON (%s)",
			     hw_change_id(n, id), jerr.text);
		goto fail;
	}
	if (hw_change_self_approval(st, &self, err) < 0)
		goto fail;
	*c = ch;
	*assessment = doc;
	*self_approval = self;
	return 0;
fail:
	json_decref(doc);
	hw_change_release(&ch);
	return -1;
}

/*
 * store-change.c: change records in the store (history.h): the record
 * (change_record), its targets in the order given (change_target), its
 * proposed edits as their JSON text with the undo text the
 * implementation recorded (change_edit), and its stored assessment
 * (change_assessment).  Every write appends its audit record
 * (change:CHG-0001, the step's verb, the change JSON before and after)
 * in the caller's transaction; what is read back is checked.
 *
 * Statements are prepared for the call, not cached: a change is a
 * handful of rows.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

#define COLS                                                                  \
	"title, description, state, result, requester, created, planned,"   \
	" assessed_at, decided_by, chair, reason, decided_at,"               \
	" implemented_by, implemented_at, closed_at, reverted_by,"            \
	" reverted_at"

static struct hwp_stmt *prep(struct hw_store *st, const char *sql,
			  struct hw_error *err)
{
	return hwp_prepare(st, sql, "cannot read changes", err);
}

/* Step a write statement to its end and finalize it. */
static int finish(struct hw_store *st, struct hwp_stmt *s, const char *what,
		  struct hw_error *err)
{
	int rc = hwp_step(s);

	if (rc != HWP_DONE)
		hwp_step_error(st, rc, err, what);
	hwp_finalize(s);
	return rc == HWP_DONE ? 0 : -1;
}

/* A time column read back: NULL is 0; text that is not a time is
 * damage. */
static int col_time(struct hw_store *st, struct hwp_stmt *s, int i, long long n,
		    const char *col, hw_time *out, struct hw_error *err)
{
	const char *t = (const char *)hwp_col_text(s, i);

	if (hwp_col_time(s, i, out) < 0)
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld has %s '%.40s' (expected a "
				   "time)",
				   n, col, t);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

static int read_targets(struct hw_store *st, struct hw_change *c,
			struct hw_error *err)
{
	struct hwp_stmt *s = prep(st,
			       "SELECT asset FROM change_target WHERE change "
			       "= ?1 ORDER BY ord",
			       err);
	size_t cap = 0;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, c->n);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *a = (const char *)hwp_col_text(s, 0);
		char **t;

		if (a == NULL || !hw_id_valid(a)) {
			hwp_finalize(s);
			return hwp_damaged(st, err, "change_target",
					   "CHG-%04lld names '%.40s' (expected "
					   "an asset id)",
					   c->n, a ? a : "");
		}
		t = hwp_grow(c->targets, &cap, c->ntargets, sizeof *t);
		if (t == NULL || (t[c->ntargets] = strdup(a)) == NULL) {
			if (t != NULL)
				c->targets = t;
			bad = 1;
			break;
		}
		c->targets = t;
		c->ntargets++;
	}
	hwp_finalize(s);
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (rc != HWP_DONE && rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read change targets");
	return 0;
}

static int read_edits(struct hw_store *st, struct hw_change *c,
		      struct hw_error *err)
{
	struct hwp_stmt *s = prep(st,
			       "SELECT ord, kind, spec FROM change_edit WHERE "
			       "change = ?1 ORDER BY ord",
			       err);
	struct hw_error e = {0};
	size_t cap = 0;
	int rc;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, c->n);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *kind = (const char *)hwp_col_text(s, 1);
		const char *spec = (const char *)hwp_col_text(s, 2);
		struct hw_change_edit *ed;
		json_t *j, *jk;
		int ok;

		/* (doubling: a change of thousands of edits, grown one
		 * at a time, copied them all at every row) */
		ed = hwp_grow(c->edits, &cap, c->nedits, sizeof *ed);
		if (ed == NULL) {
			hwp_finalize(s);
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		}
		c->edits = ed;
		j = spec ? json_loads(spec, 0, NULL) : NULL;
		jk = json_object_get(j, "kind");
		ok = hwp_col_int64(s, 0) == (long long)c->nedits &&
		     kind != NULL && json_is_string(jk) &&
		     strcmp(kind, json_string_value(jk)) == 0 &&
		     hwp_change_edit_from_json(j, &ed[c->nedits], &e) == 0;
		json_decref(j);
		if (!ok) {
			hwp_finalize(s);
			return hwp_damaged(st, err, "change_edit",
					   "CHG-%04lld edit %zu: %s", c->n,
					   c->nedits + 1,
					   e.text[0] ? e.text
						     : "not an edit's JSON");
		}
		c->nedits++;
	}
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read change edits");
	return 0;
}

/* The record's columns (COLS from column 0) into c (c->n set). */
static int read_record(struct hw_store *st, struct hwp_stmt *s,
		       struct hw_change *c, struct hw_error *err)
{
	const char *state = (const char *)hwp_col_text(s, 2);
	const char *result = (const char *)hwp_col_text(s, 3);
	int bad = 0;

	if (hw_change_state_parse(state, &c->state) < 0)
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld has state '%.20s'", c->n,
				   state ? state : "");
	c->result = HW_RESULT_NONE;
	if (result != NULL && hw_change_result_parse(result, &c->result) < 0)
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld has result '%.20s'", c->n,
				   result);
	if ((c->state == HW_CHANGE_CLOSED) != (c->result != HW_RESULT_NONE))
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld is %s with result '%s'", c->n,
				   state, result ? result : "");
	c->title = hwp_col_dup(s, 0, &bad);
	c->description = hwp_col_dup(s, 1, &bad);
	c->requester = hwp_col_dup(s, 4, &bad);
	c->decided_by = hwp_col_dup(s, 8, &bad);
	c->chair = hwp_col_dup(s, 9, &bad);
	c->reason = hwp_col_dup(s, 10, &bad);
	c->implemented_by = hwp_col_dup(s, 12, &bad);
	c->reverted_by = hwp_col_dup(s, 15, &bad);
	if (bad)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (c->title == NULL || c->title[0] == '\0' || c->requester == NULL)
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld has no title or requester",
				   c->n);
	if (col_time(st, s, 5, c->n, "created", &c->created, err) < 0 ||
	    col_time(st, s, 6, c->n, "planned", &c->planned, err) < 0 ||
	    col_time(st, s, 7, c->n, "assessed_at", &c->assessed_at, err) <
		0 ||
	    col_time(st, s, 11, c->n, "decided_at", &c->decided_at, err) < 0 ||
	    col_time(st, s, 13, c->n, "implemented_at", &c->implemented_at,
		     err) < 0 ||
	    col_time(st, s, 14, c->n, "closed_at", &c->closed_at, err) < 0 ||
	    col_time(st, s, 16, c->n, "reverted_at", &c->reverted_at, err) < 0)
		return -1;
	if (c->created == 0)
		return hwp_damaged(st, err, "change_record",
				   "CHG-%04lld has no creation time", c->n);
	return 0;
}

int hw_store_change_get(struct hw_store *st, long long n, struct hw_change *out,
			struct hw_error *err)
{
	struct hwp_stmt *s =
	    prep(st, "SELECT " COLS " FROM change_record WHERE n = ?1", err);
	struct hw_change c = {0};
	int rc;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	rc = hwp_step(s);
	if (rc != HWP_ROW) {
		hwp_finalize(s);
		if (rc != HWP_DONE)
			return hwp_db_error(st, err, "cannot read change");
		return hw_error_set(err, HW_ENOTFOUND, "no change CHG-%04lld",
				    n);
	}
	c.n = n;
	rc = read_record(st, s, &c, err);
	hwp_finalize(s);
	if (rc < 0 || read_targets(st, &c, err) < 0 ||
	    read_edits(st, &c, err) < 0) {
		hw_change_release(&c);
		return -1;
	}
	*out = c;
	return 0;
}

int hw_store_change_each(struct hw_store *st, const char *asset, int open_only,
			 int (*fn)(const struct hw_change *, void *), void *ctx,
			 struct hw_error *err)
{
	struct hwp_stmt *s = prep(
	    st,
	    "SELECT n FROM change_record WHERE (n IN (SELECT change FROM "
	    "change_target WHERE asset = ?1) OR ?1 IS NULL) AND (?2 = 0 OR "
	    "state NOT IN ('closed', 'cancelled')) ORDER BY n",
	    err);
	long long *ns = NULL, *t;
	size_t count = 0, cap = 0, i;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, asset);
	hwp_bind_int(s, 2, open_only != 0);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		t = hwp_grow(ns, &cap, count, sizeof *ns);
		if (t == NULL) {
			free(ns);
			hwp_finalize(s);
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		}
		ns = t;
		ns[count++] = hwp_col_int64(s, 0);
	}
	hwp_finalize(s);
	if (rc != HWP_DONE) {
		free(ns);
		return hwp_db_error(st, err, "cannot list changes");
	}
	for (i = 0; i < count && ret == 0; i++) {
		struct hw_change c = {0};

		if (hw_store_change_get(st, ns[i], &c, err) < 0) {
			ret = -1;
			break;
		}
		ret = fn(&c, ctx);
		hw_change_release(&c);
	}
	free(ns);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* Writes happen in the caller's transaction, where their audit record
 * goes: refused (before anything is written) outside one. */
static int in_transaction(struct hw_store *st, long long n,
			  struct hw_error *err)
{
	char id[HW_CHANGE_ID_TEXT + 8] = "a new change";

	if (!hwp_autocommit(st))
		return 0;
	if (n > 0)
		snprintf(id, sizeof id, "change:CHG-%04lld", n);
	return hw_error_set(err, HW_EREFUSED,
			    "a write to %s outside a transaction (it would "
			    "not be audited)",
			    id);
}

/* What a change must be to be stored: a title, valid text, valid asset
 * ids as targets. */
static int check_change(const struct hw_change *c, struct hw_error *err)
{
	size_t i;

	if (c->title == NULL || c->title[0] == '\0')
		return hw_error_set(err, HW_EINVAL, "a change needs a title");
	if (hwp_text_check(c->title, "title", err) < 0 ||
	    hwp_text_check(c->description, "description", err) < 0 ||
	    hwp_text_check(c->reason, "reason", err) < 0 ||
	    hwp_text_check(c->chair, "chair", err) < 0)
		return -1;
	for (i = 0; i < c->ntargets; i++) {
		size_t j;

		if (hw_id_check(c->targets[i], "target asset id", err) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(c->targets[i], c->targets[j]) == 0)
				return hw_error_set(err, HW_EINVAL,
						    "target '%s' is given "
						    "twice",
						    c->targets[i]);
	}
	if ((c->state == HW_CHANGE_CLOSED) != (c->result != HW_RESULT_NONE))
		return hw_error_set(err, HW_EINVAL,
				    "a change has a result when, and only "
				    "when, it is closed");
	if (c->requester == NULL || c->created == 0)
		return hw_error_set(err, HW_EINVAL,
				    "a change needs a requester and a "
				    "creation time");
	return 0;
}

/* Write the record's columns: insert (n given) or update. */
static int write_record(struct hw_store *st, const struct hw_change *c,
			int insert, struct hw_error *err)
{
	struct hwp_stmt *s = prep(
	    st,
	    insert ? "INSERT INTO change_record (" COLS ", n) VALUES (?1, ?2, "
		     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
		     "?15, ?16, ?17, ?18)"
		   : "UPDATE change_record SET title = ?1, description = ?2, "
		     "state = ?3, result = ?4, requester = ?5, created = ?6, "
		     "planned = ?7, assessed_at = ?8, decided_by = ?9, "
		     "chair = ?10, reason = ?11, decided_at = ?12, "
		     "implemented_by = ?13, implemented_at = ?14, closed_at "
		     "= ?15, reverted_by = ?16, reverted_at = ?17 WHERE n = "
		     "?18",
	    err);

	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, c->title);
	hwp_bind_text(s, 2, c->description);
	hwp_bind_text(s, 3, hw_change_state_name(c->state));
	hwp_bind_text(s, 4,
		      c->result == HW_RESULT_NONE
			  ? NULL
			  : hw_change_result_name(c->result));
	hwp_bind_text(s, 5, c->requester);
	hwp_bind_time(s, 6, c->created);
	hwp_bind_time(s, 7, c->planned);
	hwp_bind_time(s, 8, c->assessed_at);
	hwp_bind_text(s, 9, c->decided_by);
	hwp_bind_text(s, 10, c->chair);
	hwp_bind_text(s, 11, c->reason);
	hwp_bind_time(s, 12, c->decided_at);
	hwp_bind_text(s, 13, c->implemented_by);
	hwp_bind_time(s, 14, c->implemented_at);
	hwp_bind_time(s, 15, c->closed_at);
	hwp_bind_text(s, 16, c->reverted_by);
	hwp_bind_time(s, 17, c->reverted_at);
	hwp_bind_int64(s, 18, c->n);
	return finish(st, s, "cannot save change", err);
}

static int write_targets(struct hw_store *st, const struct hw_change *c,
			 struct hw_error *err)
{
	struct hwp_stmt *s;
	size_t i;

	s = prep(st, "DELETE FROM change_target WHERE change = ?1", err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, c->n);
	if (finish(st, s, "cannot save change targets", err) < 0)
		return -1;
	for (i = 0; i < c->ntargets; i++) {
		s = prep(st,
			 "INSERT INTO change_target (change, asset, ord) "
			 "VALUES (?1, ?2, ?3)",
			 err);
		if (s == NULL)
			return -1;
		hwp_bind_int64(s, 1, c->n);
		hwp_bind_text(s, 2, c->targets[i]);
		hwp_bind_int64(s, 3, (long long)i);
		if (finish(st, s, "cannot save change targets", err) < 0)
			return -1;
	}
	return 0;
}

/* The edits' JSON texts (a new array of new strings). */
static char **edit_texts(const struct hw_change *c, struct hw_error *err)
{
	char **t = calloc(c->nedits + 1, sizeof *t);
	size_t i;

	if (t == NULL)
		goto nomem;
	for (i = 0; i < c->nedits; i++) {
		json_t *j = hwp_change_edit_json(&c->edits[i]);

		t[i] = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)
			 : NULL;
		json_decref(j);
		if (t[i] == NULL)
			goto nomem;
	}
	return t;
nomem:
	if (t != NULL)
		for (i = 0; i < c->nedits; i++)
			free(t[i]);
	free(t);
	hw_error_set(err, HW_ENOMEM, "out of memory");
	return NULL;
}

static void free_texts(char **t, size_t n)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < n; i++)
		free(t[i]);
	free(t);
}

/* Do the stored edits read as texts[0..n)?  1 yes, 0 no, -1 error. */
static int edits_same(struct hw_store *st, long long cn, char **texts,
		      size_t n, struct hw_error *err)
{
	struct hwp_stmt *s = prep(st,
			       "SELECT spec FROM change_edit WHERE change = "
			       "?1 ORDER BY ord",
			       err);
	size_t i = 0;
	int rc, same = 1;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, cn);
	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *t = (const char *)hwp_col_text(s, 0);

		if (i >= n || t == NULL || strcmp(t, texts[i]) != 0)
			same = 0;
		i++;
	}
	hwp_finalize(s);
	if (rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read change edits");
	return same && i == n;
}

/* Replace the edits unless they are the same (which keeps their undo
 * texts). */
static int write_edits(struct hw_store *st, const struct hw_change *c,
		       struct hw_error *err)
{
	char **texts = edit_texts(c, err);
	struct hwp_stmt *s;
	size_t i;
	int same, rc = -1;

	if (texts == NULL)
		return -1;
	same = edits_same(st, c->n, texts, c->nedits, err);
	if (same != 0) {
		free_texts(texts, c->nedits);
		return same < 0 ? -1 : 0;
	}
	s = prep(st, "DELETE FROM change_edit WHERE change = ?1", err);
	if (s == NULL)
		goto out;
	hwp_bind_int64(s, 1, c->n);
	if (finish(st, s, "cannot save change edits", err) < 0)
		goto out;
	for (i = 0; i < c->nedits; i++) {
		static const char *const kinds[] = {"add-dep", "rm-dep", "set",
						    "add-asset"};

		s = prep(st,
			 "INSERT INTO change_edit (change, ord, kind, spec) "
			 "VALUES (?1, ?2, ?3, ?4)",
			 err);
		if (s == NULL)
			goto out;
		hwp_bind_int64(s, 1, c->n);
		hwp_bind_int64(s, 2, (long long)i);
		hwp_bind_text(s, 3, kinds[c->edits[i].kind]);
		hwp_bind_text(s, 4, texts[i]);
		if (finish(st, s, "cannot save change edits", err) < 0)
			goto out;
	}
	rc = 0;
out:
	free_texts(texts, c->nedits);
	return rc;
}

/* The audit record of a write: object change:CHG-N, before and after
 * as the change JSON (before NULL for a new one); nothing when they are
 * equal. */
static int audit(struct hw_store *st, const char *action,
		 const struct hw_change *before, const struct hw_change *after,
		 struct hw_error *err)
{
	json_t *b = before ? hwp_change_json(before) : NULL;
	json_t *a = hwp_change_json(after);
	char object[64], id[HW_CHANGE_ID_TEXT];
	int rc = 0;

	if (a == NULL || (before != NULL && b == NULL))
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	else if (b == NULL || !json_equal(b, a)) {
		snprintf(object, sizeof object, "change:%s",
			 hw_change_id(after->n, id));
		rc = hwp_audit(st, action, object, b, a, err);
	}
	json_decref(b);
	json_decref(a);
	return rc;
}

/* Insert c under number c->n, with its parts. */
static int insert(struct hw_store *st, const struct hw_change *c,
		  const char *action, struct hw_error *err)
{
	if (write_record(st, c, 1, err) < 0 || write_targets(st, c, err) < 0 ||
	    write_edits(st, c, err) < 0)
		return -1;
	return audit(st, action, NULL, c, err);
}

int hw_store_change_add(struct hw_store *st, struct hw_change *c,
			struct hw_error *err)
{
	struct hwp_stmt *s;
	long long n;
	int rc;

	if (check_change(c, err) < 0 || in_transaction(st, 0, err) < 0)
		return -1;
	s = prep(st, "SELECT COALESCE(MAX(n), 0) + 1 FROM change_record", err);
	if (s == NULL)
		return -1;
	rc = hwp_step(s);
	n = hwp_col_int64(s, 0);
	hwp_finalize(s);
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot number the change");
	c->n = n;
	if (insert(st, c, "new", err) < 0) {
		c->n = 0;
		return -1;
	}
	return 0;
}

int hw_store_change_update(struct hw_store *st, const struct hw_change *c,
			   const char *action, struct hw_error *err)
{
	struct hw_change old = {0};
	int rc = -1;

	if (check_change(c, err) < 0 || in_transaction(st, c->n, err) < 0 ||
	    hw_store_change_get(st, c->n, &old, err) < 0)
		return -1;
	if (write_record(st, c, 0, err) == 0 &&
	    write_targets(st, c, err) == 0 && write_edits(st, c, err) == 0)
		rc = audit(st, action, &old, c, err);
	hw_change_release(&old);
	return rc;
}

int hw_store_change_import(struct hw_store *st, const struct hw_change *c,
			   struct hw_error *err)
{
	struct hw_change old = {0};
	struct hw_error e = {0};
	char id[HW_CHANGE_ID_TEXT];
	json_t *a, *b;
	int same;

	if (c->n < 1)
		return hw_error_set(err, HW_EINVAL,
				    "an imported change needs its number");
	if (check_change(c, err) < 0 || in_transaction(st, c->n, err) < 0)
		return -1;
	if (hw_store_change_get(st, c->n, &old, &e) < 0) {
		if (e.code != HW_ENOTFOUND) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		return insert(st, c, "add", err);
	}
	a = hwp_change_json(&old);
	b = hwp_change_json(c);
	same = a != NULL && b != NULL && json_equal(a, b);
	json_decref(a);
	json_decref(b);
	hw_change_release(&old);
	if (!same)
		return hw_error_set(err, HW_EEXIST,
				    "%s already holds a different change",
				    hw_change_id(c->n, id));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Undo texts (the implementation's) and assessments                   */

int hwp_change_undo_put(struct hw_store *st, long long n, char *const *undo,
			size_t count, struct hw_error *err)
{
	size_t i;

	if (in_transaction(st, n, err) < 0)
		return -1;
	for (i = 0; i < count; i++) {
		struct hwp_stmt *s = prep(st,
				       "UPDATE change_edit SET undo = ?3 WHERE "
				       "change = ?1 AND ord = ?2",
				       err);

		if (s == NULL)
			return -1;
		hwp_bind_int64(s, 1, n);
		hwp_bind_int64(s, 2, (long long)i);
		hwp_bind_text(s, 3, undo ? undo[i] : NULL);
		if (finish(st, s, "cannot save the undo of an edit", err) < 0)
			return -1;
		if (hwp_changes(st) != 1)
			return hw_error_set(err, HW_ENOTFOUND,
					    "CHG-%04lld has no edit %zu", n,
					    i + 1);
	}
	return 0;
}

int hwp_change_undo_get(struct hw_store *st, long long n, size_t count,
			char ***out, struct hw_error *err)
{
	struct hwp_stmt *s = prep(st,
			       "SELECT ord, undo FROM change_edit WHERE "
			       "change = ?1 ORDER BY ord",
			       err);
	char **u = calloc(count + 1, sizeof *u);
	size_t i = 0;
	int rc, bad = 0;

	if (s == NULL || u == NULL) {
		hwp_finalize(s);
		free(u);
		return s == NULL ? -1
				 : hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	hwp_bind_int64(s, 1, n);
	while ((rc = hwp_step(s)) == HWP_ROW && !bad) {
		const char *t = (const char *)hwp_col_text(s, 1);
		json_t *j;

		if (i < count && t == NULL &&
		    hwp_col_int64(s, 0) == (long long)i) {
			bad = 3; /* never implemented here: imported */
			break;
		}
		if (i >= count || t == NULL ||
		    hwp_col_int64(s, 0) != (long long)i ||
		    (j = json_loads(t, 0, NULL)) == NULL) {
			bad = 2;
			break;
		}
		json_decref(j);
		u[i] = hwp_col_dup(s, 1, &bad);
		i++;
	}
	hwp_finalize(s);
	if (bad || i != count || (rc != HWP_DONE && rc != HWP_ROW)) {
		free_texts(u, count);
		if (bad == 1)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		if (bad == 3)
			return hw_error_set(err, HW_EREFUSED,
					    "CHG-%04lld was not implemented "
					    "by highwater (it was imported): "
					    "its edits have no undo to apply; "
					    "revert them by hand",
					    n);
		if (bad == 2 || i != count)
			return hwp_damaged(st, err, "change_edit",
					   "CHG-%04lld edit %zu has no undo "
					   "text of JSON",
					   n, i + 1);
		return hwp_db_error(st, err, "cannot read change edits");
	}
	*out = u;
	return 0;
}

int hw_store_assessment_get(struct hw_store *st, long long n, char **json,
			    struct hw_error *err)
{
	struct hwp_stmt *s = prep(st,
			       "SELECT at, body FROM change_assessment WHERE "
			       "change = ?1",
			       err);
	const char *at, *body;
	json_t *j = NULL;
	hw_time t;
	char *copy;
	int rc;

	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	rc = hwp_step(s);
	if (rc != HWP_ROW) {
		hwp_finalize(s);
		if (rc != HWP_DONE)
			return hwp_db_error(st, err, "cannot read assessment");
		return hw_error_set(err, HW_ENOTFOUND,
				    "CHG-%04lld has no stored assessment "
				    "(change assess CHG-%04lld)",
				    n, n);
	}
	at = (const char *)hwp_col_text(s, 0);
	body = (const char *)hwp_col_text(s, 1);
	if (at == NULL || hw_time_parse(at, &t, NULL) < 0 || body == NULL ||
	    (j = json_loads(body, 0, NULL)) == NULL || !json_is_object(j)) {
		json_decref(j);
		hwp_finalize(s);
		return hwp_damaged(st, err, "change_assessment",
				   "CHG-%04lld's assessment is not a JSON "
				   "object with a time",
				   n);
	}
	json_decref(j);
	copy = strdup(body);
	hwp_finalize(s);
	if (copy == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	*json = copy;
	return 0;
}

int hw_store_assessment_put(struct hw_store *st, long long n, hw_time at,
			    const char *json, struct hw_error *err)
{
	struct hwp_stmt *s;

	if (in_transaction(st, n, err) < 0)
		return -1;
	if (json == NULL) {
		s = prep(st, "DELETE FROM change_assessment WHERE change = ?1",
			 err);
		if (s == NULL)
			return -1;
		hwp_bind_int64(s, 1, n);
		return finish(st, s, "cannot clear assessment", err);
	}
	s = prep(st,
		 "INSERT INTO change_assessment (change, at, body) "
		 "SELECT n, ?2, ?3 FROM change_record WHERE n = ?1 "
		 "ON CONFLICT (change) DO UPDATE SET at = excluded.at, "
		 "body = excluded.body",
		 err);
	if (s == NULL)
		return -1;
	hwp_bind_int64(s, 1, n);
	hwp_bind_time(s, 2, at);
	hwp_bind_text(s, 3, json);
	if (finish(st, s, "cannot save assessment", err) < 0)
		return -1;
	if (hwp_changes(st) != 1)
		return hw_error_set(err, HW_ENOTFOUND, "no change CHG-%04lld",
				    n);
	return 0;
}

/*
 * request-history.c: the bodies of the history's writes (changes,
 * their steps, incidents, baselines, settings, weights) read strictly
 * into the structs the CLI fills from its options: the member at fault
 * in err->source.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "request.h"

/* ------------------------------------------------------------------ */
/* Members                                                             */

/* HW_EINVAL about member key of the body (path "$.key"); returns -1. */
static int member_error(struct hw_error *err, const char *key, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));

static int member_error(struct hw_error *err, const char *key, const char *fmt,
			...)
{
	char path[96], text[256];
	va_list ap;

	snprintf(path, sizeof path, "$.%.64s", key);
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return hw_error_set_at(err, HW_EINVAL, path, 0, 0, "%s", text);
}

/* An object with members of keys (NULL-terminated) only; NULL (no
 * body) passes as an empty one. */
static int members(const json_t *o, const char *const *keys,
		   struct hw_error *err)
{
	char list[256] = "";
	size_t len = 0, i;
	const char *k;
	json_t *v;

	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		return hw_error_set_at(err, HW_EINVAL, "$", 0, 0,
				       "the body is not a JSON object");
	json_object_foreach((json_t *)o, k, v)
	{
		(void)v;
		if (hwp_vocab_index(keys, k) >= 0)
			continue;
		for (i = 0; keys[i] != NULL && len < sizeof list; i++)
			len += (size_t)snprintf(list + len, sizeof list - len,
						"%s%s", i ? ", " : "", keys[i]);
		return member_error(err, k,
				    "unknown member \"%.64s\" (expected "
				    "%s)",
				    k, keys[0] ? list : "none");
	}
	return 0;
}

/* String member key: borrowed in *out, NULL when absent (an error when
 * need). */
static int str(const json_t *o, const char *key, int need, const char **out,
	       struct hw_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && !need)
		return 0;
	if (v == NULL)
		return member_error(err, key, "missing \"%s\"", key);
	if (!json_is_string(v))
		return member_error(err, key, "\"%s\" is not a string", key);
	*out = json_string_value(v);
	return 0;
}

static int dup(const json_t *o, const char *key, int need, char **out,
	       struct hw_error *err)
{
	const char *s;

	*out = NULL;
	if (str(o, key, need, &s, err) < 0)
		return -1;
	if (s != NULL && (*out = hwp_strdup(s, err)) == NULL)
		return -1;
	return 0;
}

/* A time member (ISO 8601), 0 when absent. */
static int when(const json_t *o, const char *key, hw_time *out,
		struct hw_error *err)
{
	struct hw_error e = {0};
	const char *s;

	*out = 0;
	if (str(o, key, 0, &s, err) < 0)
		return -1;
	if (s != NULL && hw_time_parse(s, out, &e) < 0)
		return member_error(err, key, "%s", e.text);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Changes                                                             */

static int targets(const json_t *o, struct hw_change *c, struct hw_error *err)
{
	json_t *arr = json_object_get(o, "targets"), *v;
	char path[32];
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return hw_error_set_at(err, HW_EINVAL, "$.targets", 0, 0,
				       "\"targets\" is not an array of asset "
				       "ids (one at least)");
	c->targets = calloc(json_array_size(arr), sizeof *c->targets);
	if (c->targets == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	json_array_foreach(arr, i, v)
	{
		snprintf(path, sizeof path, "$.targets[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0)
			return hw_error_set_at(err, HW_EINVAL, path, 0, 0,
					       "not an asset id");
		if ((c->targets[i] = hwp_strdup(json_string_value(v), err)) ==
		    NULL)
			return -1;
		c->ntargets = i + 1;
	}
	return 0;
}

static int edits(const json_t *o, struct hw_change *c, struct hw_error *err)
{
	json_t *arr = json_object_get(o, "edits"), *v;
	char path[32];
	size_t i;

	if (!json_is_array(arr))
		return hw_error_set_at(err, HW_EINVAL, "$.edits", 0, 0,
				       "\"edits\" is not an array");
	if (json_array_size(arr) == 0)
		return 0;
	c->edits = calloc(json_array_size(arr), sizeof *c->edits);
	if (c->edits == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	json_array_foreach(arr, i, v)
	{
		snprintf(path, sizeof path, "$.edits[%zu]", i);
		if (!json_is_object(v))
			return hw_error_set_at(err, HW_EINVAL, path, 0, 0,
					       "an edit is not an object");
		if (hwp_change_edit_from_json(v, &c->edits[i], err) < 0) {
			hwp_error_locate(err, path);
			if (err != NULL && err->code == HW_EFORMAT)
				err->code = HW_EINVAL;
			return -1;
		}
		c->nedits = i + 1;
	}
	return 0;
}

int hw_request_change_draft(const json_t *body, int editing,
			    struct hw_change_draft *out, struct hw_error *err)
{
	static const char *const new_keys[] = {
	    "title", "description", "targets", "planned", "edits", NULL};
	static const char *const edit_keys[] = {
	    "title", "description", "targets", "planned",
	    "edits", "clear_edits", NULL};
	struct hw_change_draft d = {0};
	json_t *v;

	if (members(body, editing ? edit_keys : new_keys, err) < 0 ||
	    dup(body, "title", !editing, &d.c.title, err) < 0)
		goto fail;
	d.title = d.c.title != NULL;
	if (d.c.title != NULL && d.c.title[0] == '\0') {
		hw_error_set_at(err, HW_EINVAL, "$.title", 0, 0,
				"\"title\" is empty");
		goto fail;
	}
	v = json_object_get(body, "description");
	if (json_is_null(v))
		d.description = 1; /* removes it */
	else if (dup(body, "description", 0, &d.c.description, err) < 0)
		goto fail;
	else
		d.description = d.c.description != NULL;
	if (json_object_get(body, "planned") != NULL) {
		if (when(body, "planned", &d.c.planned, err) < 0)
			goto fail;
		d.planned = 1;
	}
	if (json_object_get(body, "targets") != NULL || !editing) {
		if (json_object_get(body, "targets") == NULL) {
			hw_error_set_at(err, HW_EINVAL, "$.targets", 0, 0,
					"missing \"targets\"");
			goto fail;
		}
		if (targets(body, &d.c, err) < 0)
			goto fail;
		d.targets = 1;
	}
	if (json_object_get(body, "edits") != NULL &&
	    edits(body, &d.c, err) < 0)
		goto fail;
	v = json_object_get(body, "clear_edits");
	if (v != NULL && !json_is_boolean(v)) {
		hw_error_set_at(err, HW_EINVAL, "$.clear_edits", 0, 0,
				"\"clear_edits\" is not true or false");
		goto fail;
	}
	d.clear_edits = json_is_true(v);
	*out = d;
	return 0;
fail:
	hw_change_draft_release(&d);
	return -1;
}

int hw_request_change_step(enum hw_change_step_kind kind, const json_t *body,
			   struct hw_change_step *out, struct hw_error *err)
{
	static const char *const at_keys[] = {"at", NULL};
	static const char *const decide_keys[] = {"decision", "reason", "by",
						  NULL};
	static const char *const close_keys[] = {"result", "at", NULL};
	struct hw_change_step s = {0};
	const char *word;

	s.kind = kind;
	switch (kind) {
	case HW_STEP_DECIDE:
		if (members(body, decide_keys, err) < 0 ||
		    str(body, "decision", 1, &word, err) < 0 ||
		    dup(body, "reason", 0, &s.reason, err) < 0 ||
		    dup(body, "by", 0, &s.chair, err) < 0)
			goto fail;
		if (strcmp(word, "approve") != 0 &&
		    strcmp(word, "reject") != 0) {
			hw_error_set_at(err, HW_EINVAL, "$.decision", 0, 0,
					"\"%.64s\" (expected approve or "
					"reject)",
					word);
			goto fail;
		}
		s.approve = strcmp(word, "approve") == 0;
		break;
	case HW_STEP_CLOSE:
		if (members(body, close_keys, err) < 0 ||
		    str(body, "result", 1, &word, err) < 0 ||
		    when(body, "at", &s.at, err) < 0)
			goto fail;
		if (hw_change_result_parse(word, &s.result) < 0 ||
		    s.result == HW_RESULT_NONE) {
			hw_error_set_at(err, HW_EINVAL, "$.result", 0, 0,
					"\"%.64s\" (expected success, failed, "
					"backed-out or rejected)",
					word);
			goto fail;
		}
		break;
	default:
		if (members(body, at_keys, err) < 0 ||
		    when(body, "at", &s.at, err) < 0)
			goto fail;
		break;
	}
	*out = s;
	return 0;
fail:
	hw_change_step_release(&s);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Incidents and baselines                                             */

int hw_request_incident(const json_t *body, struct hw_incident *out,
			struct hw_error *err)
{
	static const char *const keys[] = {"asset", "title", "opened", "change",
					   NULL};
	struct hw_incident i = {0};
	const char *asset, *title, *change;
	struct hw_error e = {0};

	if (members(body, keys, err) < 0 ||
	    str(body, "asset", 1, &asset, err) < 0 ||
	    str(body, "title", 1, &title, err) < 0 ||
	    str(body, "change", 0, &change, err) < 0 ||
	    when(body, "opened", &i.opened, err) < 0)
		return -1;
	if (title[0] == '\0')
		return hw_error_set_at(err, HW_EINVAL, "$.title", 0, 0,
				       "\"title\" is empty");
	if (change != NULL && hw_change_id_parse(change, &i.change, &e) < 0)
		return hw_error_set_at(err, HW_EINVAL, "$.change", 0, 0, "%s",
				       e.text);
	i.asset = (char *)asset;
	i.title = (char *)title;
	*out = i;
	return 0;
}

int hw_request_at(const json_t *body, hw_time *at, struct hw_error *err)
{
	static const char *const keys[] = {"at", NULL};

	*at = 0;
	if (body == NULL)
		return 0;
	if (members(body, keys, err) < 0)
		return -1;
	return when(body, "at", at, err);
}

int hw_request_baseline(const json_t *body, const char **name, hw_time *at,
			struct hw_error *err)
{
	static const char *const keys[] = {"name", "at", NULL};

	if (members(body, keys, err) < 0 || str(body, "name", 1, name, err) < 0)
		return -1;
	return when(body, "at", at, err);
}

/* ------------------------------------------------------------------ */
/* Settings and weights                                                */

int hw_request_pairs(const json_t *body, int numbers, const char ***names,
		     char ***values, size_t *n, struct hw_error *err)
{
	const char **k = NULL, *key;
	char **v = NULL, text[64];
	size_t count, i = 0;
	json_t *val;

	if (!json_is_object(body))
		return hw_error_set_at(err, HW_EINVAL, "$", 0, 0,
				       "the body is not a JSON object");
	count = json_object_size(body);
	k = calloc(count + 1, sizeof *k);
	v = calloc(count + 1, sizeof *v);
	if (k == NULL || v == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto fail;
	}
	json_object_foreach((json_t *)body, key, val)
	{
		if (numbers ? !json_is_number(val) : !json_is_string(val)) {
			member_error(err, key, "\"%.64s\" is not %s", key,
				     numbers ? "a number" : "a string");
			goto fail;
		}
		if (numbers)
			snprintf(text, sizeof text, "%.17g",
				 json_number_value(val));
		k[i] = key;
		if ((v[i++] = hwp_strdup(
			 numbers ? text : json_string_value(val), err)) == NULL)
			goto fail;
	}
	*names = k;
	*values = v;
	*n = count;
	return 0;
fail:
	free(k);
	hw_request_free_texts(v, i);
	return -1;
}

void hw_request_free_texts(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

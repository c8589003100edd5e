/*
 * json-history.c: the inventory format's history sections, read: a
 * change ("changes" element or "change" line) and an incident, as
 * history-json.c writes them, into their records, strictly.  An error
 * names the member it is about, relative to the object (".state",
 * ".edits[2]"), in *sub; the reader puts the object's path in front.
 * Pure functions of the JSON: the parsing threads call them to check a
 * record, the engine again to store it.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-history.h"

/* "an object", "a number", ... for messages. */
static const char *kind(const json_t *v)
{
	if (json_is_object(v))
		return "an object";
	if (json_is_array(v))
		return "an array";
	if (json_is_string(v))
		return "a string";
	if (json_is_number(v))
		return "a number";
	if (json_is_boolean(v))
		return "a boolean";
	return "null";
}

/* err with the member in sub; returns -1. */
static int fail(char sub[HWP_HISTORY_SUB], struct hw_error *err,
		const char *member, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char sub[HWP_HISTORY_SUB], struct hw_error *err,
		const char *member, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(sub, HWP_HISTORY_SUB, "%s", member);
	return hw_error_set(err, HW_EFORMAT, "%s", msg);
}

/* Every key of o is one of keys or begins with "x-". */
static int known(const json_t *o, const char *const *keys,
		 char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)o, key, v)
	{
		for (i = 0; keys[i] != NULL && strcmp(key, keys[i]) != 0; i++)
			;
		if (keys[i] == NULL && strncmp(key, "x-", 2) != 0)
			return fail(sub, err, "",
				    "unknown key \"%.40s\" (extensions must "
				    "start with \"x-\")",
				    key);
	}
	return 0;
}

/* A copy of string member key (NULL when absent or null). */
static int text(const json_t *o, const char *key, int required, char **out,
		char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	json_t *v = json_object_get(o, key);
	char member[48];

	*out = NULL;
	snprintf(member, sizeof member, ".%s", key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(sub, err, "", "missing \"%s\" (expected "
					      "a string)",
				    key);
		return 0;
	}
	if (!json_is_string(v) ||
	    memchr(json_string_value(v), '\0', json_string_length(v)))
		return fail(sub, err, member, "expected a string, not %s",
			    json_is_string(v) ? "a string with a NUL byte"
					      : kind(v));
	if (required && json_string_length(v) == 0)
		return fail(sub, err, member, "expected a non-empty string");
	*out = strdup(json_string_value(v));
	if (*out == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* Time member key (0 when absent). */
static int instant(const json_t *o, const char *key, int required,
		   hw_time *out, char sub[HWP_HISTORY_SUB],
		   struct hw_error *err)
{
	json_t *v = json_object_get(o, key);
	struct hw_error e = {0};
	char member[48];

	*out = 0;
	snprintf(member, sizeof member, ".%s", key);
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(sub, err, "", "missing \"%s\" (expected "
					      "a time)",
				    key);
		return 0;
	}
	if (!json_is_string(v))
		return fail(sub, err, member,
			    "expected a time (YYYY-MM-DDTHH:MM:SSZ), not %s",
			    kind(v));
	if (hw_time_parse(json_string_value(v), out, &e) < 0)
		return fail(sub, err, member, "%s", e.text);
	return 0;
}

static int targets_of(const json_t *o, struct hw_change *c,
		      char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	json_t *v = json_object_get(o, "targets"), *t;
	char member[48];
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return fail(sub, err, ".targets", "expected an array, not %s",
			    kind(v));
	c->targets = calloc(json_array_size(v) + 1, sizeof *c->targets);
	if (c->targets == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	json_array_foreach(v, i, t)
	{
		snprintf(member, sizeof member, ".targets[%zu]", i);
		if (!json_is_string(t) || !hw_id_valid(json_string_value(t)))
			return fail(sub, err, member, "expected an asset id");
		c->targets[i] = strdup(json_string_value(t));
		if (c->targets[i] == NULL)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		c->ntargets = i + 1;
	}
	return 0;
}

static int edits_of(const json_t *o, struct hw_change *c,
		    char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	json_t *v = json_object_get(o, "edits"), *t;
	struct hw_error e = {0};
	char member[48];
	size_t i;

	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return fail(sub, err, ".edits", "expected an array, not %s",
			    kind(v));
	c->edits = calloc(json_array_size(v) + 1, sizeof *c->edits);
	if (c->edits == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	json_array_foreach(v, i, t)
	{
		snprintf(member, sizeof member, ".edits[%zu]", i);
		hw_error_clear(&e);
		if (hwp_change_edit_from_json(t, &c->edits[i], &e) < 0) {
			if (e.code == HW_ENOMEM)
				return hw_error_set(err, HW_ENOMEM,
						    "out of memory");
			return fail(sub, err, member, "%s", e.text);
		}
		c->nedits = i + 1;
	}
	return 0;
}

/* The start every history record shares: an object of known keys
 * whose "id" parse takes (CHG-... or INC-...) into *n. */
static int record_head(const json_t *o, const char *const *keys,
		       int (*parse)(const char *, long long *,
				    struct hw_error *),
		       long long *n, char sub[HWP_HISTORY_SUB],
		       struct hw_error *err)
{
	struct hw_error e = {0};
	char *s = NULL;
	int rc = -1;

	sub[0] = '\0';
	if (!json_is_object(o))
		return fail(sub, err, "", "expected an object, not %s",
			    kind(o));
	if (known(o, keys, sub, err) < 0 || text(o, "id", 1, &s, sub, err) < 0)
		goto out;
	if (parse(s, n, &e) < 0) {
		fail(sub, err, ".id", "%s", e.text);
		goto out;
	}
	rc = 0;
out:
	free(s);
	return rc;
}

int hwp_history_change(const json_t *o, struct hw_change *out,
		       char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	static const char *const keys[] = {
	    "id",	   "title",	     "description", "targets",
	    "edits",	   "state",	     "result",	    "requester",
	    "created",	   "planned",	     "assessed_at", "decided_by",
	    "chair",	   "reason",	     "decided_at",  "implemented_by",
	    "implemented_at", "closed_at",   "reverted_by", "reverted_at",
	    NULL};
	struct hw_change c = {0};
	char *s = NULL;

	if (record_head(o, keys, hw_change_id_parse, &c.n, sub, err) < 0)
		return -1;
	if (text(o, "title", 1, &c.title, sub, err) < 0 ||
	    text(o, "description", 0, &c.description, sub, err) < 0 ||
	    targets_of(o, &c, sub, err) < 0 || edits_of(o, &c, sub, err) < 0 ||
	    text(o, "state", 1, &s, sub, err) < 0)
		goto fail;
	if (hw_change_state_parse(s, &c.state) < 0) {
		fail(sub, err, ".state",
		     "unknown state \"%.40s\" (expected new, assessed, "
		     "approved, rejected, implemented, closed or cancelled)",
		     s);
		goto fail;
	}
	free(s);
	s = NULL;
	if (text(o, "result", 0, &s, sub, err) < 0)
		goto fail;
	if (s != NULL && (hw_change_result_parse(s, &c.result) < 0 ||
			  c.result == HW_RESULT_NONE)) {
		fail(sub, err, ".result",
		     "unknown result \"%.40s\" (expected success, failed, "
		     "backed-out or rejected)",
		     s);
		goto fail;
	}
	if ((c.state == HW_CHANGE_CLOSED) != (c.result != HW_RESULT_NONE)) {
		fail(sub, err, c.result ? ".result" : "",
		     c.result ? "a result is only for a closed change"
			      : "a closed change needs its \"result\"");
		goto fail;
	}
	free(s);
	s = NULL;
	if (text(o, "requester", 1, &c.requester, sub, err) < 0 ||
	    instant(o, "created", 1, &c.created, sub, err) < 0 ||
	    instant(o, "planned", 0, &c.planned, sub, err) < 0 ||
	    instant(o, "assessed_at", 0, &c.assessed_at, sub, err) < 0 ||
	    text(o, "decided_by", 0, &c.decided_by, sub, err) < 0 ||
	    text(o, "chair", 0, &c.chair, sub, err) < 0 ||
	    text(o, "reason", 0, &c.reason, sub, err) < 0 ||
	    instant(o, "decided_at", 0, &c.decided_at, sub, err) < 0 ||
	    text(o, "implemented_by", 0, &c.implemented_by, sub, err) < 0 ||
	    instant(o, "implemented_at", 0, &c.implemented_at, sub, err) < 0 ||
	    instant(o, "closed_at", 0, &c.closed_at, sub, err) < 0 ||
	    text(o, "reverted_by", 0, &c.reverted_by, sub, err) < 0 ||
	    instant(o, "reverted_at", 0, &c.reverted_at, sub, err) < 0)
		goto fail;
	/* The times its state implies: fragility counts a closed change
	 * by its closed_at, first response an implemented one by its
	 * implemented_at. */
	if ((c.state == HW_CHANGE_CLOSED || c.state == HW_CHANGE_CANCELLED) &&
	    c.closed_at == 0) {
		fail(sub, err, "", "a %s change needs its \"closed_at\"",
		     hw_change_state_name(c.state));
		goto fail;
	}
	if ((c.state == HW_CHANGE_IMPLEMENTED ||
	     (c.state == HW_CHANGE_CLOSED &&
	      c.result != HW_RESULT_REJECTED)) &&
	    c.implemented_at == 0) {
		fail(sub, err, "",
		     "an implemented change needs its \"implemented_at\"");
		goto fail;
	}
	*out = c;
	return 0;
fail:
	free(s);
	hw_change_release(&c);
	return -1;
}

int hwp_history_incident(const json_t *o, struct hw_incident *out,
			 char sub[HWP_HISTORY_SUB], struct hw_error *err)
{
	static const char *const keys[] = {"id",	 "asset",  "title",
					   "opened",	 "resolved", "change",
					   "reporter", NULL};
	struct hw_incident in = {0};
	struct hw_error e = {0};
	char *s = NULL;

	if (record_head(o, keys, hw_incident_id_parse, &in.n, sub, err) < 0)
		return -1;
	if (text(o, "asset", 1, &in.asset, sub, err) < 0)
		goto fail;
	if (!hw_id_valid(in.asset)) {
		fail(sub, err, ".asset", "expected an asset id");
		goto fail;
	}
	if (text(o, "title", 1, &in.title, sub, err) < 0 ||
	    instant(o, "opened", 1, &in.opened, sub, err) < 0 ||
	    instant(o, "resolved", 0, &in.resolved, sub, err) < 0 ||
	    text(o, "reporter", 0, &in.reporter, sub, err) < 0 ||
	    text(o, "change", 0, &s, sub, err) < 0)
		goto fail;
	if (in.resolved != 0 && in.resolved < in.opened) {
		fail(sub, err, ".resolved",
		     "resolved before it was opened (expected a time at or "
		     "after \"opened\")");
		goto fail;
	}
	if (s != NULL && hw_change_id_parse(s, &in.change, &e) < 0) {
		fail(sub, err, ".change", "%s", e.text);
		goto fail;
	}
	free(s);
	*out = in;
	return 0;
fail:
	free(s);
	hw_incident_release(&in);
	return -1;
}

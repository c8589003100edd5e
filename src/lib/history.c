/*
 * history.c: the values of history records (history.h): state and
 * result names, CHG-/INC- ids, and releasing what a record owns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw-private.h"

static const char *const state_names[] = {
    "new", "assessed", "approved", "rejected",
    "implemented", "closed", "cancelled"};
static const char *const result_names[] = {"", "success", "failed",
					   "backed-out", "rejected"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *hw_change_state_name(enum hw_change_state s)
{
	return (unsigned)s < COUNT(state_names) ? state_names[s] : "?";
}

const char *hw_change_result_name(enum hw_change_result r)
{
	return (unsigned)r < COUNT(result_names) ? result_names[r] : "?";
}

int hw_change_state_parse(const char *s, enum hw_change_state *out)
{
	size_t i;

	for (i = 0; s != NULL && i < COUNT(state_names); i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum hw_change_state)i;
			return 0;
		}
	return -1;
}

int hw_change_result_parse(const char *s, enum hw_change_result *out)
{
	size_t i;

	for (i = 1; s != NULL && i < COUNT(result_names); i++)
		if (strcmp(s, result_names[i]) == 0) {
			*out = (enum hw_change_result)i;
			return 0;
		}
	return -1;
}

static const char *format_id(const char *prefix, long long n,
			     char buf[HW_CHANGE_ID_TEXT])
{
	snprintf(buf, HW_CHANGE_ID_TEXT, "%s-%04lld", prefix, n);
	return buf;
}

/* "PREFIX-digits" (prefix case-insensitive), 1 to 10^12. */
static int parse_id(const char *prefix, const char *what, const char *s,
		    long long *n, struct hw_error *err)
{
	size_t len = strlen(prefix), i;
	long long v = 0;

	if (s == NULL || strncasecmp(s, prefix, len) != 0 || s[len] != '-' ||
	    s[len + 1] == '\0')
		goto bad;
	for (i = len + 1; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i - len > 12)
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1)
		goto bad;
	*n = v;
	return 0;
bad:
	return hw_error_set(err, HW_EINVAL,
			    "'%.64s' is not %s id: expected %s-NNNN (e.g. "
			    "%s-0001)",
			    s ? s : "", what, prefix, prefix);
}

const char *hw_change_id(long long n, char buf[HW_CHANGE_ID_TEXT])
{
	return format_id("CHG", n, buf);
}

int hw_change_id_parse(const char *s, long long *n, struct hw_error *err)
{
	return parse_id("CHG", "a change", s, n, err);
}

const char *hw_incident_id(long long n, char buf[HW_CHANGE_ID_TEXT])
{
	return format_id("INC", n, buf);
}

int hw_incident_id_parse(const char *s, long long *n, struct hw_error *err)
{
	return parse_id("INC", "an incident", s, n, err);
}

void hw_change_edit_release(struct hw_change_edit *e)
{
	if (e == NULL)
		return;
	hw_dep_release(&e->dep);
	free(e->asset);
	free(e->field);
	free(e->value);
	hw_asset_release(&e->add);
	memset(e, 0, sizeof *e);
}

void hw_change_release(struct hw_change *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->title);
	free(c->description);
	for (i = 0; i < c->ntargets; i++)
		free(c->targets[i]);
	free(c->targets);
	for (i = 0; i < c->nedits; i++)
		hw_change_edit_release(&c->edits[i]);
	free(c->edits);
	free(c->requester);
	free(c->decided_by);
	free(c->chair);
	free(c->reason);
	free(c->implemented_by);
	free(c->reverted_by);
	memset(c, 0, sizeof *c);
}

void hw_incident_release(struct hw_incident *i)
{
	if (i == NULL)
		return;
	free(i->asset);
	free(i->title);
	free(i->reporter);
	memset(i, 0, sizeof *i);
}

/*
 * request-user.c: the body of user add over the service (a name, roles
 * and owner values) read into the user record the CLI fills from its
 * options, the roles checked by hw_role_parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "request.h"

/* Append the text s[0..len) to u's owner values. */
static int own(struct hw_user *u, const char *s, size_t len,
	       struct hw_error *err)
{
	char **o = realloc(u->owns, (u->nowns + 1) * sizeof *o);

	if (o == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	u->owns = o;
	if ((o[u->nowns] = malloc(len + 1)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	memcpy(o[u->nowns], s, len);
	o[u->nowns++][len] = '\0';
	return 0;
}

/* "owns": an array of strings or one string of values split at
 * commas. */
static int owns(const json_t *v, struct hw_user *u, struct hw_error *err)
{
	const char *s, *comma;
	char path[32];
	json_t *e;
	size_t i;

	if (json_is_string(v)) {
		for (s = json_string_value(v);; s = comma + 1) {
			comma = strchr(s, ',');
			if (own(u, s, comma ? (size_t)(comma - s) : strlen(s),
				err) < 0)
				return -1;
			if (comma == NULL)
				return 0;
		}
	}
	if (!json_is_array(v))
		return hw_error_set_at(err, HW_EINVAL, "$.owns", 0, 0,
				       "\"owns\" is not an array of owner "
				       "values");
	json_array_foreach(v, i, e)
	{
		snprintf(path, sizeof path, "$.owns[%zu]", i);
		if (!json_is_string(e))
			return hw_error_set_at(err, HW_EINVAL, path, 0, 0,
					       "not a string");
		if (own(u, json_string_value(e), json_string_length(e), err) <
		    0)
			return -1;
	}
	return 0;
}

/* "roles": "owner,cab" or ["owner", "cab"], into a bit set. */
static int roles(const json_t *v, unsigned *out, struct hw_error *err)
{
	struct hw_error e = {0};
	char list[128] = "";
	size_t i, len = 0;
	json_t *r;

	if (json_is_string(v)) {
		if (hw_role_parse(json_string_value(v), out, &e) < 0)
			return hw_error_set_at(err, HW_EINVAL, "$.roles", 0, 0,
					       "%s", e.text);
		return 0;
	}
	if (!json_is_array(v))
		return hw_error_set_at(err, HW_EINVAL, "$.roles", 0, 0,
				       v == NULL ? "missing \"roles\""
						 : "\"roles\" is not an array "
						   "of roles");
	json_array_foreach(v, i, r)
	{
		if (!json_is_string(r) ||
		    len + json_string_length(r) + 2 >= sizeof list)
			return hw_error_set_at(err, HW_EINVAL, "$.roles", 0, 0,
					       "\"roles\" is not an array of "
					       "roles");
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
					i ? "," : "", json_string_value(r));
	}
	if (hw_role_parse(list, out, &e) < 0)
		return hw_error_set_at(err, HW_EINVAL, "$.roles", 0, 0, "%s",
				       e.text);
	return 0;
}

int hw_request_user(const json_t *body, struct hw_user *out,
		    struct hw_error *err)
{
	static const char *const keys[] = {"name", "roles", "owns", NULL};
	struct hw_user u = {0};
	char path[96];
	json_t *v;
	const char *k;

	if (!json_is_object(body))
		return hw_error_set_at(err, HW_EINVAL, "$", 0, 0,
				       "the body is not a JSON object");
	json_object_foreach((json_t *)body, k, v)
	{
		if (hwp_vocab_index(keys, k) >= 0)
			continue;
		snprintf(path, sizeof path, "$.%.64s", k);
		return hw_error_set_at(err, HW_EINVAL, path, 0, 0,
				       "unknown member \"%.64s\" (expected "
				       "name, roles, owns)",
				       k);
	}
	v = json_object_get(body, "name");
	if (!json_is_string(v))
		return hw_error_set_at(err, HW_EINVAL, "$.name", 0, 0,
				       v == NULL ? "missing \"name\""
						 : "\"name\" is not a string");
	if ((u.name = hwp_strdup(json_string_value(v), err)) == NULL ||
	    roles(json_object_get(body, "roles"), &u.roles, err) < 0 ||
	    ((v = json_object_get(body, "owns")) != NULL &&
	     owns(v, &u, err) < 0)) {
		hw_user_release(&u);
		return -1;
	}
	if ((u.roles & HW_ROLE_OWNER) && u.nowns == 0) {
		hw_user_release(&u);
		return hw_error_set_at(err, HW_EINVAL, "$.owns", 0, 0,
				       "an owner needs \"owns\"");
	}
	*out = u;
	return 0;
}

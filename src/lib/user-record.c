/*
 * user-record.c: a user of the service as a record (user.h): roles as
 * names, the checks on a user before it is written, its JSON form
 * (never a token or hash), and its release.  Below the store, which
 * reads users back with these checks; tokens and policy are user.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* Roles                                                               */

/* In the order of the HW_ROLE_* bits. */
static const char *const role_names[] = {"owner", "cab", "manager", "admin"};
#define NROLES (sizeof role_names / sizeof role_names[0])

int hw_role_parse(const char *list, unsigned *out, struct hw_error *err)
{
	unsigned roles = 0;
	const char *p = list, *end;
	size_t i, len;

	if (list == NULL || list[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "no role given (expected owner, cab, "
				    "manager or admin)");
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < NROLES; i++)
			if (strlen(role_names[i]) == len &&
			    memcmp(role_names[i], p, len) == 0)
				break;
		if (len == 0)
			return hw_error_set(err, HW_EINVAL,
					    "empty role in \"%s\" (expected "
					    "owner, cab, manager or admin)",
					    list);
		if (i == NROLES)
			return hw_error_set(err, HW_EINVAL,
					    "unknown role \"%.*s\" (expected "
					    "owner, cab, manager or admin)",
					    (int)(len > 64 ? 64 : len), p);
		if (roles & (1u << i))
			return hw_error_set(err, HW_EINVAL,
					    "role \"%s\" given twice",
					    role_names[i]);
		roles |= 1u << i;
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = roles;
	return 0;
}

const char *hw_role_text(unsigned roles, char buf[HW_ROLE_TEXT])
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NROLES; i++) {
		if (!(roles & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + n, HW_ROLE_TEXT - n, "%s%s",
				      n ? "," : "", role_names[i]);
	}
	return buf;
}

json_t *hw_json_user(const struct hw_user *u)
{
	char t[HW_TIME_TEXT];
	json_t *o = json_object(), *roles = json_array(), *owns = json_array();
	size_t i;

	if (o == NULL || roles == NULL || owns == NULL) {
		json_decref(o);
		json_decref(roles);
		json_decref(owns);
		return NULL;
	}
	for (i = 0; i < NROLES; i++)
		if (u->roles & (1u << i))
			json_array_append_new(roles,
					      json_string(role_names[i]));
	for (i = 0; i < u->nowns; i++)
		json_array_append_new(owns, json_string(u->owns[i]));
	json_object_set_new(o, "name", json_string(u->name));
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "owns", owns);
	json_object_set_new(o, "created",
			    json_string(hw_time_format(u->created, t)));
	json_object_set_new(o, "token_at",
			    json_string(hw_time_format(u->token_at, t)));
	return o;
}

/* ------------------------------------------------------------------ */
/* Users                                                               */

void hw_user_release(struct hw_user *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->nowns; i++)
		free(u->owns[i]);
	free(u->owns);
	free(u->name);
	memset(u, 0, sizeof *u);
}

int hwp_user_name_check(const char *name, struct hw_error *err)
{
	size_t n = name ? strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz"
				       "0123456789._@-")
			: 0;

	if (name == NULL || n == 0 || n > 64 || name[n] != '\0')
		return hw_error_set(err, HW_EINVAL,
				    "bad user name \"%.64s\" (expected 1 to 64 "
				    "of A-Z a-z 0-9 . _ @ -)",
				    name ? name : "");
	return 0;
}

int hwp_user_check(const struct hw_user *u, struct hw_error *err)
{
	size_t i, j;

	if (hwp_user_name_check(u->name, err) < 0)
		return -1;
	if (u->roles == 0 || (u->roles & ~HW_ROLE_ALL) != 0)
		return hw_error_set(err, HW_EINVAL,
				    "user '%s' needs a role (owner, cab, "
				    "manager or admin)",
				    u->name);
	if (u->nowns > HWP_OWNS_MAX)
		return hw_error_set(err, HW_EINVAL,
				    "user '%s': %zu owner values (at most %d)",
				    u->name, u->nowns, HWP_OWNS_MAX);
	for (i = 0; i < u->nowns; i++) {
		const char *o = u->owns[i];

		if (o == NULL || o[0] == '\0')
			return hw_error_set(err, HW_EINVAL,
					    "user '%s': empty owner value",
					    u->name);
		if (strlen(o) > HWP_OWNER_MAX)
			return hw_error_set(err, HW_EINVAL,
					    "user '%s': owner value longer "
					    "than %d bytes",
					    u->name, HWP_OWNER_MAX);
		if (hwp_text_check(o, "owner value", err) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(u->owns[j], o) == 0)
				return hw_error_set(err, HW_EINVAL,
						    "user '%s': owner value "
						    "\"%s\" given twice",
						    u->name, o);
	}
	return 0;
}

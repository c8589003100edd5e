/*
 * answer-users.c: the JSON answers about the service's users, for the
 * CLI's user commands and the service's /users alike: the list, and a
 * user with the token just made (the one answer that ever holds it).
 */
#include <jansson.h>

#include "highwater.h"
/* after highwater.h */
#include "answer.h"

static int user_one(const struct hw_user *u, void *ctx)
{
	json_t *o = hw_json_user(u);

	return o == NULL || json_array_append_new(ctx, o) < 0;
}

int hw_answer_users(struct hw_store *st, json_t **out, struct hw_error *err)
{
	json_t *arr = json_array();
	int rc;

	if (arr == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hw_user_each(st, user_one, arr, err);
	if (rc != 0) {
		json_decref(arr);
		return rc < 0 ? -1
			      : hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	if ((*out = json_pack("{so}", "users", arr)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

json_t *hw_json_user_token(const struct hw_user *u, const char *token)
{
	json_t *o = hw_json_user(u);

	if (o == NULL)
		return NULL;
	json_object_del(o, "created");
	json_object_del(o, "token_at");
	if (json_object_set_new(o, "token", json_string(token)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

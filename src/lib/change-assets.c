/*
 * change-assets.c: the assets a change proposes to add, read from an
 * inventory file (change new --add-assets FILE): a small strict reader
 * of the JSON inventory format's assets and dependencies, each asset an
 * add-asset edit, each dependency an add-dep edit.  The change JSON as
 * the commands print it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
#include "change.h"

json_t *hw_change_json(const struct hw_change *c)
{
	return hwp_change_json(c);
}

/* Room for n more edits at the end of c's: one realloc a list, not one
 * an edit (each of which copied all before it). */
static int reserve(struct hw_change *c, size_t n, struct hw_error *err)
{
	struct hw_change_edit *e;

	if (n > SIZE_MAX / sizeof *e - c->nedits)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	e = realloc(c->edits, (c->nedits + n) * sizeof *e);
	if (e == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	c->edits = e;
	return 0;
}

/* Prefix err's text with where (the file and the member). */
static int locate(struct hw_error *err, const char *path, const char *what,
		  size_t i)
{
	char text[sizeof err->text + 160];

	if (err == NULL)
		return -1;
	snprintf(text, sizeof text, "'%.80s': %.20s[%zu]: %s", path, what, i,
		 err->text);
	text[sizeof err->text - 1] = '\0';
	memcpy(err->text, text, sizeof err->text);
	return -1;
}

/* Read the array member key of doc into edits of kind. */
static int read_list(json_t *doc, const char *path, const char *key,
		     enum hw_edit_kind kind, struct hw_change *c,
		     struct hw_error *err)
{
	json_t *list = json_object_get(doc, key), *v, *k;
	struct hw_change_edit *e;
	size_t i;

	if (list == NULL)
		return 0;
	if (!json_is_array(list))
		return hw_error_set(err, HW_EFORMAT,
				    "'%.80s': \"%s\" is not an array", path,
				    key);
	if (json_array_size(list) > 0 &&
	    reserve(c, json_array_size(list), err) < 0)
		return -1;
	json_array_foreach(list, i, v)
	{
		int rc;

		e = &c->edits[c->nedits];
		memset(e, 0, sizeof *e);
		if (kind == HW_EDIT_ADD_ASSET) {
			e->kind = kind;
			rc = hwp_asset_from_json(v, &e->add, err);
		} else {
			/* A dependency as the inventory writes it is an
			 * add-dep edit without its kind. */
			k = json_is_object(v) ? json_deep_copy(v) : NULL;
			rc = k == NULL || json_object_get(k, "kind") != NULL ||
				     json_object_set_new(k, "kind",
							 json_string("add-dep"))
				 ? hw_error_set(err, HW_EFORMAT,
						"not a dependency")
				 : hwp_change_edit_from_json(k, e, err);
			json_decref(k);
		}
		if (rc < 0)
			return locate(err, path, key, i);
		c->nedits++;
	}
	return 0;
}

int hw_change_read_assets(const char *path, struct hw_change *c,
			  struct hw_error *err)
{
	static const char *const keys[] = {"format", "version", "assets",
					   "dependencies", NULL};
	json_error_t je;
	json_t *doc, *fmt;
	const char *k;
	json_t *v;
	size_t before = c->nedits;
	int rc = -1;

	doc = json_load_file(path, 0, &je);
	if (doc == NULL)
		return hw_error_set(err, HW_EFORMAT,
				    "'%.80s' line %d column %d: %s", path,
				    je.line, je.column, je.text);
	fmt = json_object_get(doc, "format");
	if (!json_is_object(doc) || !json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), "highwater-inventory") != 0) {
		hw_error_set(err, HW_EFORMAT,
			     "'%.80s' is not a highwater inventory (expected "
			     "\"format\": \"highwater-inventory\")",
			     path);
		goto out;
	}
	json_object_foreach(doc, k, v)
	{
		(void)v;
		if (hwp_vocab_index(keys, k) < 0) {
			hw_error_set(err, HW_EFORMAT,
				     "'%.80s': a change adds assets and "
				     "dependencies, not \"%.40s\"",
				     path, k);
			goto out;
		}
	}
	if (read_list(doc, path, "assets", HW_EDIT_ADD_ASSET, c, err) < 0 ||
	    read_list(doc, path, "dependencies", HW_EDIT_ADD_DEP, c, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		while (c->nedits > before)
			hw_change_edit_release(&c->edits[--c->nedits]);
	json_decref(doc);
	return rc;
}

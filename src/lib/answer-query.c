/*
 * answer-query.c: the values the analyses' options take (a count, a
 * direction, a list of dependency types), parsed one way for the CLI's
 * options and the service's query parameters; the caller names the
 * option or parameter at fault.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "highwater.h"

int hw_count_parse(const char *s, long max, long *out, struct hw_error *err)
{
	const char *p = s;
	long v = 0;

	/* Digits only: no sign, no space, no empty value, no overflow. */
	for (; *p >= '0' && *p <= '9' && v <= max / 10; p++)
		v = v * 10 + (*p - '0');
	if (*s == '\0' || *p != '\0' || v > max)
		return hw_error_set(err, HW_EINVAL,
				    "\"%.40s\" is not a count (expected 0 to "
				    "%ld)",
				    s, max);
	*out = v;
	return 0;
}

int hw_direction_parse(const char *s, enum hw_direction *out,
		       struct hw_error *err)
{
	if (strcmp(s, "up") == 0)
		*out = HW_DIR_UP;
	else if (strcmp(s, "down") == 0)
		*out = HW_DIR_DOWN;
	else if (strcmp(s, "both") == 0)
		*out = HW_DIR_BOTH;
	else
		return hw_error_set(err, HW_EINVAL,
				    "\"%.40s\" (expected up, down or both)", s);
	return 0;
}

const char *hw_direction_name(enum hw_direction d)
{
	return d == HW_DIR_UP ? "up" : d == HW_DIR_DOWN ? "down" : "both";
}

int hw_dep_types_parse(const char *list, unsigned *mask, struct hw_error *err)
{
	const char *p = list, *end;
	unsigned m = 0;
	size_t len;
	int i;

	for (; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0)
			continue;
		for (i = 0; hw_dep_types[i] != NULL; i++)
			if (strlen(hw_dep_types[i]) == len &&
			    memcmp(hw_dep_types[i], p, len) == 0)
				break;
		if (hw_dep_types[i] == NULL)
			return hw_error_set(
			    err, HW_EINVAL,
			    "unknown dependency type \"%.*s\" (expected %s)",
			    (int)(len > 40 ? 40 : len), p,
			    hw_vocab_text(hw_dep_types));
		m |= 1u << i;
	}
	*mask = m;
	return 0;
}

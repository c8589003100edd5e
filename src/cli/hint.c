/*
 * hint.c: the CLI's advice on the library's errors.  The library (and
 * so the service) states what is wrong; where a command line puts it
 * right, cli_fail adds how, here, by the fact the error states.
 */
#include <stdio.h>
#include <string.h>

#include "output.h"

struct hint {
	enum hw_errcode code;
	const char *fact;   /* words of the library's message */
	const char *advice; /* %s: the message's subject, its first word or
			       the first name it quotes */
};

static const struct hint hints[] = {
    {HW_ENOTFOUND, "unknown information type '",
     "hint: highwater infotype list --search"},
    {HW_EREFUSED, " asset depends on '",
     "use --force to remove it and those dependencies"},
    {HW_EREFUSED, " assets depend on '",
     "use --force to remove it and those dependencies"},
    {HW_EINVAL, "a change needs a target", "--target ID"},
    {HW_EREFUSED, "goes to the full CAB: a decision needs a reason",
     "--reason TEXT"},
    {HW_EREFUSED, ", who cannot approve it",
     "unless highwater config change.self_approval allow"},
    {HW_ENOTFOUND, "unknown weight \"", "see risk --weights"},
    {HW_ENOTFOUND, " has no stored assessment",
     "expected 'highwater change assess %s' first"},
    {HW_EREFUSED, "' is not a system: it has no information type",
     "hint: highwater infotype assign %s TYPE-ID"},
    /* a damaged or crafted database: doctor says all that is wrong */
    {HW_EDAMAGED, "", "hint: highwater doctor"},
    {HW_ENOTHW, " is damaged: ", "hint: highwater doctor"},
    {HW_EDB, "database disk image is malformed", "hint: highwater doctor"},
};

/* The message's subject: the first name it quotes ('...'), else its
 * first word. */
static void subject(const char *text, char *out, size_t size)
{
	const char *q = strchr(text, '\'');
	size_t n;

	if (q != NULL && strchr(q + 1, '\'') != NULL) {
		n = (size_t)(strchr(q + 1, '\'') - (q + 1));
		snprintf(out, size, "%.*s", (int)n, q + 1);
		return;
	}
	n = strcspn(text, " ");
	snprintf(out, size, "%.*s", (int)n, text);
}

const char *cli_hint(const struct hw_error *err, char *buf, size_t size)
{
	char who[128];
	const char *p;
	size_t i;

	for (i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		if (err->code != hints[i].code ||
		    strstr(err->text, hints[i].fact) == NULL)
			continue;
		p = strstr(hints[i].advice, "%s");
		if (p == NULL) {
			snprintf(buf, size, "%s", hints[i].advice);
			return buf;
		}
		subject(err->text, who, sizeof who);
		snprintf(buf, size, "%.*s%s%s", (int)(p - hints[i].advice),
			 hints[i].advice, who, p + 2);
		return buf;
	}
	return NULL;
}

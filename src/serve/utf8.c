/*
 * utf8.c: UTF-8 in what a client sends and an answer repeats: a path
 * segment or query parameter that is not UTF-8 is refused (router.c),
 * and an error message cut inside a character by a bound such as
 * '%.64s', or repeating a header's raw bytes, is mended (answer.c), for
 * JSON holds nothing else.
 */
#include "serve-private.h"

/* The length of the UTF-8 character at s (1 to 4), or 0 when none
 * starts there: a stray or cut byte, an overlong form, a surrogate, or
 * past U+10FFFF.  A NUL ends a character short: no byte past it is
 * read. */
static size_t utf8_char(const unsigned char *s)
{
	unsigned c = s[0], cp, min;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int hws_utf8_valid(const char *s)
{
	size_t n;

	for (; *s != '\0'; s += n)
		if ((n = utf8_char((const unsigned char *)s)) == 0)
			return 0;
	return 1;
}

void hws_utf8_mend(char *s)
{
	size_t n;

	while (*s != '\0') {
		n = utf8_char((const unsigned char *)s);
		if (n == 0) {
			*s = '?';
			n = 1;
		}
		s += n;
	}
}

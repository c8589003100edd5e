/*
 * csv.c: the one RFC 4180 line tokenizer, shared by the readers of the
 * shipped CSV files (the SP 800-60 catalogue, the SP 800-53B baselines,
 * the change controls).
 */
#include "hw-private.h"

/* Split one CSV line (RFC 4180 quotes, no embedded newlines) into at most
 * max fields, in place.  Returns the field count or -1 with *col set. */
int hwp_csv_split(char *line, char **f, int max, int *col)
{
	char *p = line, *w;
	int n = 0;

	for (;;) {
		if (n == max) {
			*col = (int)(p - line) + 1;
			return -1;
		}
		f[n++] = w = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0') {
					*col = (int)(p - line) + 1;
					return -1;
				}
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			if (*p != ',' && *p != '\0') {
				*col = (int)(p - line) + 1;
				return -1;
			}
		} else {
			while (*p != ',' && *p != '\0')
				*w++ = *p++;
		}
		if (*p == '\0') {
			*w = '\0';
			return n;
		}
		*w = '\0';
		p++;
	}
}

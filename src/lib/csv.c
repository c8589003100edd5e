/*
 * csv.c: the RFC 4180 line tokenizer and the reader of the shipped CSV
 * files (the SP 800-60 catalogue, the SP 800-53B baselines, the change
 * controls): a fixed header, then one record a line.  The inventory
 * tables, whose fields may hold line ends, are read by csv-read.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

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

int hwp_csv_read(const char *path, const char *header, int max,
		 int (*row)(void *ctx, const struct hwp_csv_row *r,
			    struct hw_error *err),
		 void *ctx, struct hw_error *err)
{
	char line[1024], *f[8];
	struct hwp_csv_row r = {path, f, 0, 0, 0};
	int ret = -1;
	FILE *fp;

	if (max < 1 || max > (int)(sizeof f / sizeof f[0]))
		return hw_error_set(err, HW_EINVAL,
				    "a CSV reader of %d fields (1 to 8)", max);
	fp = fopen(path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		r.line++;
		line[strcspn(line, "\r\n")] = '\0';
		if (r.line == 1) {
			if (strcmp(line, header) != 0) {
				hw_error_set_at(err, HW_EFORMAT, path, 1, 1,
						"expected header \"%s\"",
						header);
				goto out;
			}
			continue;
		}
		if (line[0] == '\0')
			continue;
		r.n = hwp_csv_split(line, f, max, &r.col);
		if (row(ctx, &r, err) < 0)
			goto out;
	}
	if (ferror(fp)) {
		hw_error_set(err, HW_EIO, "cannot read '%s'", path);
		goto out;
	}
	ret = 0;
out:
	fclose(fp);
	return ret;
}

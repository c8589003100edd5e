/*
 * catalogue.c: the shipped SP 800-60 catalogue of information types: its
 * CSV read into records, handed one by one to the caller (the store
 * loads them with hw_store_load_catalogue).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw-private.h"

int hwp_catalogue_read(const char *csv_path,
		       int (*fn)(const struct hw_infotype *, void *), void *ctx,
		       struct hw_error *err)
{
	static const char header[] =
	    "id,name,category,confidentiality,integrity,availability";
	char line[1024], *f[6];
	struct hw_infotype t;
	FILE *fp;
	int lineno = 0, col = 0, n, o, ret = -1;

	fp = fopen(csv_path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s",
				    csv_path, strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, header) != 0) {
				hw_error_set_at(err, HW_EFORMAT, csv_path, 1, 1,
						"expected header \"%s\"",
						header);
				goto out;
			}
			continue;
		}
		if (line[0] == '\0')
			continue;
		n = hwp_csv_split(line, f, 6, &col);
		if (n != 6) {
			hw_error_set_at(err, HW_EFORMAT, csv_path, lineno,
					n < 0 ? col : 1,
					"expected 6 comma-separated fields");
			goto out;
		}
		memset(&t, 0, sizeof t);
		t.id = f[0];
		t.name = f[1];
		t.category = f[2][0] ? f[2] : NULL;
		t.builtin = 1;
		for (o = 0; o < HW_NOBJ; o++) {
			if (f[3 + o][0] == '\0')
				continue;
			if (hw_level_parse(f[3 + o], o == HW_C, &t.prov.v[o],
					   err) < 0) {
				hwp_error_locate(err, csv_path);
				if (err != NULL)
					err->line = lineno;
				goto out;
			}
		}
		if (fn(&t, ctx) < 0) {
			if (err != NULL && err->source[0] == '\0') {
				hwp_error_locate(err, csv_path);
				err->line = lineno;
			}
			goto out;
		}
	}
	if (ferror(fp)) {
		hw_error_set(err, HW_EIO, "cannot read '%s'", csv_path);
		goto out;
	}
	ret = 0;
out:
	fclose(fp);
	return ret;
}

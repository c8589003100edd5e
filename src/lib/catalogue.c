/*
 * catalogue.c: the shipped SP 800-60 catalogue of information types: its
 * CSV read into records, handed one by one to the caller (the store
 * loads them with hw_store_load_catalogue).
 */
#include <string.h>

#include "hw-private.h"

struct catalogue_read {
	int (*fn)(const struct hw_infotype *, void *);
	void *ctx;
};

static int on_type(void *ctx, const struct hwp_csv_row *r,
		   struct hw_error *err)
{
	const struct catalogue_read *cr = ctx;
	struct hw_infotype t;
	int o;

	if (r->n != 6)
		return hw_error_set_at(err, HW_EFORMAT, r->path, r->line,
				       r->n < 0 ? r->col : 1,
				       "expected 6 comma-separated fields");
	memset(&t, 0, sizeof t);
	t.id = r->f[0];
	t.name = r->f[1];
	t.category = r->f[2][0] ? r->f[2] : NULL;
	t.builtin = 1;
	for (o = 0; o < HW_NOBJ; o++) {
		if (r->f[3 + o][0] == '\0')
			continue;
		if (hw_level_parse(r->f[3 + o], o == HW_C, &t.prov.v[o],
				   err) < 0) {
			hwp_error_locate(err, r->path);
			if (err != NULL)
				err->line = r->line;
			return -1;
		}
	}
	if (cr->fn(&t, cr->ctx) < 0) {
		if (err != NULL && err->source[0] == '\0') {
			hwp_error_locate(err, r->path);
			err->line = r->line;
		}
		return -1;
	}
	return 0;
}

int hwp_catalogue_read(const char *csv_path,
		       int (*fn)(const struct hw_infotype *, void *), void *ctx,
		       struct hw_error *err)
{
	struct catalogue_read cr = {fn, ctx};

	return hwp_csv_read(
	    csv_path, "id,name,category,confidentiality,integrity,availability",
	    6, on_type, &cr, err);
}

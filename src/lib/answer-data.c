/*
 * answer-data.c: the answer of an import, the CLI's and the service's
 * alike: what was read, and for a dry run each difference, gathered in
 * a temporary file (one compact JSON object a line) while the import
 * checks everything, so that nothing growing with the inventory sits in
 * memory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "answer.h"
#include "highwater.h"

int hw_import_diffs_open(struct hw_import_diffs *ds, struct hw_error *err)
{
	ds->failed = 0;
	ds->fp = tmpfile();
	if (ds->fp == NULL)
		return hw_error_set(err, HW_EIO,
				    "cannot make a temporary file: %s",
				    strerror(errno));
	return 0;
}

void hw_import_diff_keep(const struct hw_import_diff *d, void *ctx)
{
	static const char *const change[] = {"added", "changed", "removed"};
	struct hw_import_diffs *ds = ctx;
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "change",
		      change[d->change], "kind", d->kind, "id", d->id, "field",
		      d->field, "before", d->before, "after", d->after);

	if (o == NULL ||
	    json_dumpf(o, ds->fp, JSON_COMPACT | JSON_SORT_KEYS) < 0 ||
	    fputc('\n', ds->fp) == EOF)
		ds->failed = 1;
	json_decref(o);
}

int hw_import_diffs_rewind(struct hw_import_diffs *ds, struct hw_error *err)
{
	if (ds->failed || fflush(ds->fp) != 0 ||
	    fseek(ds->fp, 0, SEEK_SET) != 0)
		return hw_error_set(err, HW_EIO,
				    "cannot keep the differences: %s",
				    strerror(errno));
	return 0;
}

json_t *hw_import_diffs_next(struct hw_import_diffs *ds)
{
	json_error_t je;

	return json_loadf(ds->fp, JSON_DISABLE_EOF_CHECK, &je);
}

void hw_import_diffs_close(struct hw_import_diffs *ds)
{
	if (ds->fp != NULL)
		fclose(ds->fp);
	ds->fp = NULL;
}

int hw_answer_import(struct hw_jstream *js, const char *const *files, size_t n,
		     int dry_run, int replace, const struct hw_import_stats *s,
		     struct hw_import_diffs *ds)
{
	json_t *d;
	size_t i;

	hw_jstream_object(js, NULL);
	hw_jstream_int(js, "assets", s->assets);
	hw_jstream_int(js, "assignments", s->assignments);
	hw_jstream_int(js, "changes", s->changes);
	hw_jstream_int(js, "dependencies", s->dependencies);
	if (ds != NULL && ds->fp != NULL) {
		hw_jstream_array(js, "differences");
		while ((d = hw_import_diffs_next(ds)) != NULL)
			hw_jstream_put(js, NULL, d);
		hw_jstream_close(js);
	}
	hw_jstream_bool(js, "dry_run", dry_run);
	hw_jstream_str(js, "file", files[0]);
	hw_jstream_array(js, "files");
	for (i = 0; i < n; i++)
		hw_jstream_str(js, NULL, files[i]);
	hw_jstream_close(js);
	hw_jstream_int(js, "incidents", s->incidents);
	hw_jstream_int(js, "information_types", s->infotypes);
	hw_jstream_bool(js, "replace", replace);
	return hw_jstream_close(js);
}

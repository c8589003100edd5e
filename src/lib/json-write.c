/*
 * json-write.c: the JSON inventory export: the whole inventory as one
 * document (DESIGN.md section 3), sorted keys, records in id order,
 * streamed (hw_jstream) as the store reads it, one record at a time,
 * byte for byte as jansson would write the whole document.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-records.h"

#define EXPORT_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS)

/* Write record o (taken over) into the array open in the stream ctx;
 * rc: whether building it failed (non-zero). */
static int put_element(void *ctx, json_t *o, int rc)
{
	if (rc != 0) {
		json_decref(o);
		return -1;
	}
	return hw_jstream_put(ctx, NULL, o);
}

static int export_infotype(const struct hw_infotype *t, void *ctx)
{
	json_t *o = hwp_infotype_json(t);

	return put_element(ctx, o, o == NULL);
}

/* The stream, and the progress of the assets and dependencies (the
 * bulk of an inventory) through it. */
struct export_out {
	struct hw_jstream js;
	struct hwp_export_progress prog;
};

int hwp_export_progress_start(struct hwp_export_progress *x,
			      struct hw_store *st,
			      void (*fn)(long long, long long, void *),
			      void *ctx, struct hw_error *err)
{
	long nassets = 0, ndeps = 0;

	memset(x, 0, sizeof *x);
	x->fn = fn;
	x->ctx = ctx;
	if (fn == NULL)
		return 0;
	if (hw_store_asset_count(st, &nassets, err) < 0 ||
	    hw_store_dep_count(st, &ndeps, err) < 0)
		return -1;
	x->total = (long long)nassets + ndeps + 1;
	fn(0, x->total, ctx);
	return 0;
}

void hwp_export_progress_tick(struct hwp_export_progress *x)
{
	if (x->fn != NULL && (++x->done & 0xfff) == 0)
		x->fn(x->done < x->total ? x->done : x->total - 1, x->total,
		      x->ctx);
}

void hwp_export_progress_end(struct hwp_export_progress *x)
{
	if (x->fn != NULL)
		x->fn(x->total, x->total, x->ctx);
}

static int export_asset(const struct hw_asset *a, void *ctx)
{
	struct export_out *x = ctx;
	json_t *o = hwp_asset_json(a);

	hwp_export_progress_tick(&x->prog);
	return put_element(&x->js, o, o == NULL);
}

static int export_dep(const struct hw_dep *d, void *ctx)
{
	struct export_out *x = ctx;
	json_t *o = hwp_dep_json(d);

	hwp_export_progress_tick(&x->prog);
	return put_element(&x->js, o, o == NULL);
}

/* History sections: written only when there is history (an export
 * without any is as it always was); the array opens at its first
 * element. */
struct history_out {
	struct hw_jstream *js;
	const char *key;
	int open;
};

static int history_element(struct history_out *h, json_t *o)
{
	if (o == NULL)
		return -1;
	if (!h->open) {
		if (hw_jstream_array(h->js, h->key) < 0) {
			json_decref(o);
			return -1;
		}
		h->open = 1;
	}
	return put_element(h->js, o, 0);
}

static int export_change(const struct hw_change *c, void *ctx)
{
	return history_element(ctx, hwp_change_json(c));
}

static int export_incident(const struct hw_incident *i, void *ctx)
{
	return history_element(ctx, hwp_incident_json(i));
}

/* The changes (incidents) in number order, which is id order. */
static int export_history(struct hw_store *st, struct hw_jstream *js,
			  int incidents, struct hw_error *err)
{
	struct history_out h = {js, incidents ? "incidents" : "changes", 0};
	int rc = incidents ? hw_store_incident_each(st, NULL, export_incident,
						    &h, err)
			   : hw_store_change_each(st, NULL, 0, export_change,
						  &h, err);

	if (rc < 0)
		return -1;
	return h.open ? hw_jstream_close(js) : 0;
}

/* Write the document to fp (a final newline if newline), telling
 * progress (may be NULL) as it goes: 0, or -1 with err set, having
 * written a document that does not end. */
static int export_doc(struct hw_store *st, FILE *fp, int newline,
		      void (*progress)(long long, long long, void *),
		      void *pctx, struct hw_error *err)
{
	struct export_out x;
	struct hw_error e = {0};

	if (hwp_export_progress_start(&x.prog, st, progress, pctx, err) < 0)
		return -1;
	hw_jstream_init(&x.js, fp, EXPORT_FLAGS);
	if (hw_jstream_object(&x.js, NULL) == 0 &&
	    hw_jstream_array(&x.js, "assets") == 0 &&
	    hw_store_asset_each(st, export_asset, &x, &e) == 0 &&
	    hw_jstream_close(&x.js) == 0 &&
	    export_history(st, &x.js, 0, &e) == 0 &&
	    hw_jstream_array(&x.js, "dependencies") == 0 &&
	    hw_store_dep_each(st, NULL, export_dep, &x, &e) == 0 &&
	    hw_jstream_close(&x.js) == 0 &&
	    hw_jstream_put(&x.js, "format", json_string(HWP_JSON_FORMAT)) ==
		0 &&
	    export_history(st, &x.js, 1, &e) == 0 &&
	    hw_jstream_array(&x.js, "information_types") == 0 &&
	    hw_store_infotype_each(st, NULL, 0, export_infotype, &x.js, &e) ==
		0 &&
	    hw_jstream_close(&x.js) == 0 &&
	    hw_jstream_put(&x.js, "version", json_integer(HWP_JSON_VERSION)) ==
		0 &&
	    hw_jstream_close(&x.js) == 0 &&
	    hw_jstream_end(&x.js, newline, &e) == 0) {
		hwp_export_progress_end(&x.prog);
		return 0;
	}
	/* The store's error, else the stream's, else a record that could
	 * not be built. */
	if (e.code == HW_OK && x.js.err.code == HW_EIO)
		return hw_error_set(err, HW_EIO,
				    "%s (what was written is not a whole "
				    "document)",
				    x.js.err.text);
	if (e.code == HW_OK)
		e = x.js.err;
	if (e.code == HW_OK)
		return hw_error_set(err, HW_ENOMEM, "cannot build the export");
	if (err != NULL && err->code == HW_OK)
		*err = e;
	return -1;
}

int hw_export_json(struct hw_store *st, FILE *fp,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err)
{
	return export_doc(st, fp, 1, progress, pctx, err);
}

char *hw_export_json_string(struct hw_store *st, struct hw_error *err)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int rc;

	if (fp == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	rc = export_doc(st, fp, 0, NULL, NULL, err);
	if (fclose(fp) != 0 && rc == 0)
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	if (rc < 0) {
		free(s);
		return NULL;
	}
	return s;
}

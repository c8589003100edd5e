/*
 * fuzz.h: what the libFuzzer targets (tests/fuzz/fuzz-*.c) share: a
 * temporary folder made once per process (removed at exit), a store in
 * it made once, an input written to a file there, and the checks every
 * failure must pass (an error set, with a text, on one line).
 */
#ifndef HW_FUZZ_H
#define HW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "highwater.h"
#include "answer.h"

#ifndef HW_FUZZ_SRCDIR
#define HW_FUZZ_SRCDIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fz_dir_path[256];

static void fz_cleanup(void)
{
	char cmd[300];

	if (fz_dir_path[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_dir_path);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot remove %s\n", fz_dir_path);
}

/* The process's temporary folder (under $TMPDIR, else /tmp). */
static inline const char *fz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (fz_dir_path[0] != '\0')
		return fz_dir_path;
	snprintf(fz_dir_path, sizeof fz_dir_path, "%s/hw-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(fz_dir_path) == NULL) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fz_cleanup);
	return fz_dir_path;
}

/* name in the folder, into a static buffer of its own per slot. */
static inline const char *fz_path(const char *name)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof buf[0], "%s/%s", fz_dir(), name);
	return p;
}

/* The n bytes of data written to the folder's file name (replaced). */
static inline const char *fz_write(const char *name, const uint8_t *data,
				   size_t n)
{
	const char *path = fz_path(name);
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || (n > 0 && fwrite(data, 1, n, fp) != n) ||
	    fclose(fp) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* A fresh store in the folder (the shipped catalogue loaded), made
 * once; fatal when it cannot be. */
static inline struct hw_store *fz_store(void)
{
	static struct hw_store *st;
	struct hw_error err = {0};

	if (st != NULL)
		return st;
	st = hw_store_create(fz_path("fuzz.db"),
			     HW_FUZZ_SRCDIR "/data/sp800-60-info-types.csv",
			     &err);
	if (st == NULL) {
		fprintf(stderr, "fuzz: cannot create the store: %s\n",
			err.text);
		abort();
	}
	return st;
}

/* A failure must say what failed: an error code, a text, one line.
 * HW_FUZZ_SHOW=1 prints each. */
static inline void fz_check_error(int rc, const struct hw_error *err)
{
	static int show = -1;

	if (rc >= 0)
		return;
	if (show < 0)
		show = getenv("HW_FUZZ_SHOW") != NULL;
	if (show)
		fprintf(stderr, "error: %s%s%s\n", err->source,
			err->source[0] ? ": " : "", err->text);
	if (err->code == HW_OK || err->text[0] == '\0') {
		fprintf(stderr, "fuzz: failed without an error (code %d)\n",
			(int)err->code);
		abort();
	}
	if (strchr(err->text, '\n') != NULL ||
	    strchr(err->source, '\n') != NULL) {
		fprintf(stderr, "fuzz: an error of more than one line: %s\n",
			err->text);
		abort();
	}
}

/* Import the file at path as the command's import --dry-run does:
 * checked through and rolled back, the store unchanged. */
static inline void fz_import_dry(const char *path)
{
	struct hw_import_opts o = {0};
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	const char *paths[1] = {path};
	int rc;

	o.dry_run = 1;
	rc = hw_import_files(fz_store(), paths, 1, &o, &s, &err);
	fz_check_error(rc, &err);
}

/* Read st as the read commands read it (fuzz-db, fuzz-dbsql): categorize
 * (the whole graph), the impact of its first asset, the risk register,
 * the export; their documents to out.  Whatever the file holds: an
 * error or an answer. */
static inline void fz_analyse(struct hw_store *st, FILE *out)
{
	struct hw_categorize_opts co = {0};
	struct hw_categorized cr = {0};
	struct hw_impact_query q = {0};
	struct hw_impacted ir = {0};
	struct hw_weights w;
	struct hw_risk_entry *reg;
	struct hw_jstream js;
	struct hw_error err = {0};
	const char *target[1];
	int rc;

	rc = hw_categorize_compute(st, NULL, &co, &cr, &err);
	fz_check_error(rc, &err);
	if (rc == 0) {
		hw_jstream_init(&js, out, 0);
		hw_answer_categorize(&js, &cr);
		hw_jstream_close(&js);
	}
	if (rc == 0 && cr.n > 0) {
		target[0] = hw_graph_id(cr.g, cr.order[0]);
		q.targets = target;
		q.ntargets = 1;
		q.o.depth = -1;
		q.o.direction = HW_DIR_UP;
		q.full_cab = HW_LEVEL_HIGH;
		q.cab_review = HW_LEVEL_MODERATE;
		hw_error_clear(&err);
		rc = hw_route_thresholds(st, &q.full_cab, &q.cab_review, &err);
		fz_check_error(rc, &err);
		hw_error_clear(&err);
		rc = hw_impact_compute(st, cr.g, &q, &ir, &err);
		fz_check_error(rc, &err);
		if (rc == 0) {
			hw_jstream_init(&js, out, 0);
			hw_answer_impact(&js, &q, &ir);
			hw_jstream_close(&js);
		}
		hw_impacted_release(&ir);
		hw_error_clear(&err);
		if (hw_store_weights(st, &w, &err) < 0)
			fz_check_error(-1, &err);
		else {
			hw_error_clear(&err);
			reg = hw_risk_register(st, cr.g, &w, 20000, &err);
			if (reg == NULL)
				fz_check_error(-1, &err);
			free(reg);
		}
	}
	hw_categorized_release(&cr);
	hw_error_clear(&err);
	fz_check_error(hw_export_json(st, out, NULL, NULL, &err), &err);
}

/* Open the database at path read-only, as the read commands do, and
 * read it (fz_analyse), the documents to /dev/null. */
static inline void fz_open_analyse(const char *path)
{
	static FILE *out;
	struct hw_store *st;
	struct hw_error err = {0};

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	st = hw_store_open(path, HW_OPEN_READONLY, &err);
	if (st == NULL) {
		fz_check_error(-1, &err);
		return;
	}
	fz_analyse(st, out);
	hw_store_close(st);
}

#endif /* HW_FUZZ_H */

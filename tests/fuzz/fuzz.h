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

/* A failure must say what failed: an error code, a text, one line. */
static inline void fz_check_error(int rc, const struct hw_error *err)
{
	if (rc >= 0)
		return;
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

#endif /* HW_FUZZ_H */

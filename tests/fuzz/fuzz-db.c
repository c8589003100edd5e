/*
 * fuzz-db.c: libFuzzer target: the database is input.  The input is a
 * database file (the seeds: small valid ones); it is opened read-only
 * as the read commands open it, then read as they read it: categorize
 * (the whole graph), the impact of its first asset, the risk register,
 * the export.  Whatever the file holds: an error or an answer, never a
 * crash.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct hw_store *st;
	struct hw_error err = {0};

	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	unlink(fz_path("in.db-wal"));
	unlink(fz_path("in.db-shm"));
	st = hw_store_open(fz_write("in.db", data, size), HW_OPEN_READONLY,
			   &err);
	if (st == NULL) {
		fz_check_error(-1, &err);
		return 0;
	}
	fz_analyse(st, out);
	hw_store_close(st);
	return 0;
}

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
	unlink(fz_path("in.db-wal"));
	unlink(fz_path("in.db-shm"));
	fz_open_analyse(fz_write("in.db", data, size));
	return 0;
}

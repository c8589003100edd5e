/*
 * fuzz-csv.c: libFuzzer target: one of the four CSV tables (told by its
 * header row) imported with --dry-run into a store made once per
 * process.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_import_dry(fz_write("in.csv", data, size));
	return 0;
}

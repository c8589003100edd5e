/*
 * fuzz-json.c: libFuzzer target: an inventory document (JSON) imported
 * with --dry-run into a store made once per process.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_import_dry(fz_write("in.json", data, size));
	return 0;
}

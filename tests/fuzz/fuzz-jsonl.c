/*
 * fuzz-jsonl.c: libFuzzer target: an inventory in JSON Lines (a header
 * line, then a record a line: the pipeline of worker threads) imported
 * with --dry-run into a store made once per process.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_import_dry(fz_write("in.jsonl", data, size));
	return 0;
}

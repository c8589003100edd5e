/*
 * fuzz-xlsx.c: libFuzzer target: an inventory workbook (xlsx: a zip of
 * XML parts, libzip and expat) imported with --dry-run into a store
 * made once per process.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_import_dry(fz_write("in.xlsx", data, size));
	return 0;
}

/*
 * fuzz-oscal.c: libFuzzer target: an OSCAL system security plan's
 * information types assigned (import --oscal, a dry run) to the asset
 * "sys" of a store made once per process.
 */
#include "fuzz.h"

static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1, \"assets\": "
    "[{\"id\": \"sys\", \"name\": \"System\", \"type\": \"application\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	struct hw_import_opts o = {0};
	const char *paths[1];

	if (!ready) {
		paths[0] = fz_write("sys.json", (const uint8_t *)inventory,
				    sizeof inventory - 1);
		if (hw_import_files(fz_store(), paths, 1, &o, NULL, &err) < 0) {
			fprintf(stderr, "fuzz: %s\n", err.text);
			abort();
		}
		ready = 1;
	}
	fz_check_error(hw_import_oscal(fz_store(),
				       fz_write("ssp.json", data, size), "sys",
				       1, &r, &err),
		       &err);
	hw_oscal_import_release(&r);
	return 0;
}

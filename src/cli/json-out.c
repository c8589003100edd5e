/*
 * json-out.c: --json outputs that grow with the inventory, streamed to
 * stdout as they are computed, laid out as cli_print_json lays out a
 * whole document (two-space indent, sorted keys, 12 digits).
 */
#include "json-out.h"

void cli_stream_begin(struct hw_jstream *js)
{
	hw_jstream_init(js, stdout,
			JSON_INDENT(2) | JSON_SORT_KEYS |
			    JSON_REAL_PRECISION(12));
}

int cli_stream_end(struct cli *cli, struct hw_jstream *js)
{
	struct hw_error err = {0};

	if (hw_jstream_end(js, 1, &err) < 0)
		return cli_fail(cli, &err);
	return 0;
}

/*
 * json-out.c: --json outputs that grow with the inventory, streamed to
 * stdout as they are computed, laid out as cli_print_json lays out a
 * whole document (two-space indent, sorted keys, 12 digits).
 */
#include <string.h>

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

void cli_sort_keys(int *order, const char *const *names, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && strcmp(names[order[j - 1]], names[i]) > 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

void cli_stream_sc(struct hw_jstream *js, const char *key,
		   const struct hw_sc *sc)
{
	static int order[HW_NOBJ], sorted;
	int i;

	if (!sorted) {
		const char *names[HW_NOBJ];

		for (i = 0; i < HW_NOBJ; i++)
			names[i] = hw_objective_name((enum hw_objective)i);
		cli_sort_keys(order, names, HW_NOBJ);
		sorted = 1;
	}
	hw_jstream_object(js, key);
	for (i = 0; i < HW_NOBJ; i++)
		hw_jstream_str(js, hw_objective_name(order[i]),
			       hw_level_name(sc->v[order[i]]));
	hw_jstream_close(js);
}

void cli_stream_baseline(struct hw_jstream *js, const struct hw_sc *sc)
{
	hw_jstream_str(js, "baseline", hw_baseline_name(hw_sc_overall(sc)));
	hw_jstream_bool(js, "baseline_exact", hw_sc_overall_exact(sc));
}

void cli_stream_overall(struct hw_jstream *js, const struct hw_sc *sc)
{
	hw_jstream_str(js, "overall", hw_level_name(hw_sc_overall(sc)));
	hw_jstream_bool(js, "overall_exact", hw_sc_overall_exact(sc));
}

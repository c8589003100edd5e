/*
 * json-out.h: --json outputs that grow with the inventory, streamed to
 * stdout as they are computed, laid out as cli_print_json lays out a
 * whole document.
 */
#ifndef HW_CLI_JSON_OUT_H
#define HW_CLI_JSON_OUT_H

#include "cmd.h"

/* Start a document on stdout. */
void cli_stream_begin(struct hw_jstream *js);

/* End it (the final newline, a flush): 0, or 1 after printing the
 * error of the first failure (what was written is then not a complete
 * document). */
int cli_stream_end(struct cli *cli, struct hw_jstream *js);

/* order[0..n) the indexes of names[0..n) in the order JSON_SORT_KEYS
 * prints those keys. */
void cli_sort_keys(int *order, const char *const *names, int n);

/* Members of an object open on js, written without jansson values in
 * the sorted order of the keys of cli_sc_json and cli_overall_json:
 * the levels of sc as object key (objectives in key order); "baseline"
 * and "baseline_exact"; "overall" and "overall_exact".  The caller
 * puts each pair where its keys sort among the object's others. */
void cli_stream_sc(struct hw_jstream *js, const char *key,
		   const struct hw_sc *sc);
void cli_stream_baseline(struct hw_jstream *js, const struct hw_sc *sc);
void cli_stream_overall(struct hw_jstream *js, const struct hw_sc *sc);

#endif

/*
 * json-history.h: the inventory format's changes and incidents sections
 * read into their records (json-history.c, library-private).
 */
#ifndef HW_JSON_HISTORY_H
#define HW_JSON_HISTORY_H

#include <jansson.h>

#include "hw-private.h"

/* Room for the member an error is about, relative to the object. */
#define HWP_HISTORY_SUB 64

/* The change (incident) object o into *out (the caller releases it), or
 * -1 with err (HW_EFORMAT, or HW_ENOMEM) and in sub the member at fault
 * (".state", ".edits[2]"; "" for the object itself): unknown keys but
 * "x-" extensions, ids, states and results by name, times, a result
 * only for a closed change, an incident resolved before it opened. */
int hwp_history_change(const json_t *o, struct hw_change *out,
		       char sub[HWP_HISTORY_SUB], struct hw_error *err);
int hwp_history_incident(const json_t *o, struct hw_incident *out,
			 char sub[HWP_HISTORY_SUB], struct hw_error *err);

#endif

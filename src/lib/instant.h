/*
 * instant.h: points in time for history (changes, incidents, baselines,
 * the audit trail): seconds since 1970-01-01T00:00:00Z, read from
 * ISO 8601 text and written back in UTC.
 */
#ifndef HW_INSTANT_H
#define HW_INSTANT_H

#include "error.h"

/* Seconds since the epoch, UTC; 0 means "none" where a field may be
 * absent (no history predates 1970). */
typedef long long hw_time;

/* Parse "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|-HH:MM)" (a space may
 * stand for the T, and +HHMM for +HH:MM), or a bare date "YYYY-MM-DD"
 * (00:00Z).  A real calendar date and time of day; fractions of a
 * second are dropped.  HW_EINVAL naming the text and the form expected
 * otherwise (a time without Z or an offset included). */
int hw_time_parse(const char *s, hw_time *out, struct hw_error *err);

/* "YYYY-MM-DDTHH:MM:SSZ" into buf; returns buf. */
#define HW_TIME_TEXT 32
const char *hw_time_format(hw_time t, char buf[HW_TIME_TEXT]);

/* Now, from the system clock. */
hw_time hw_time_now(void);

/* Days since the epoch of t (floor), as the risk model counts them, and
 * the start (00:00Z) of day d. */
int hw_time_day(hw_time t);
hw_time hw_time_of_day(int day);

#endif /* HW_INSTANT_H */

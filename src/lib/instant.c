/*
 * instant.c: ISO 8601 times in and out (see instant.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "instant.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard
 * Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int bad(const char *s, struct hw_error *err)
{
	return hw_error_set(err, HW_EINVAL,
			    "'%.64s' is not a time: expected YYYY-MM-DD or "
			    "YYYY-MM-DDTHH:MM[:SS] with Z or an offset "
			    "(+HH:MM)",
			    s);
}

int hw_time_parse(const char *s, hw_time *out, struct hw_error *err)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 1;
	const char *p;

	if (s == NULL || strlen(s) < 10 || digits(s, 4, &y) < 0 ||
	    s[4] != '-' || digits(s + 5, 2, &mo) < 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) < 0)
		return bad(s ? s : "", err);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return bad(s, err);
	p = s + 10;
	if (*p != '\0') {
		if ((*p != 'T' && *p != 't' && *p != ' ') ||
		    digits(p + 1, 2, &h) < 0 || p[3] != ':' ||
		    digits(p + 4, 2, &mi) < 0)
			return bad(s, err);
		p += 6;
		if (*p == ':') {
			if (digits(p + 1, 2, &sec) < 0)
				return bad(s, err);
			p += 3;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return bad(s, err);
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return bad(s, err);
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (digits(p + 1, 2, &oh) < 0)
				return bad(s, err);
			p += 3;
			if (*p == ':')
				p++;
			if (digits(p, 2, &om) < 0)
				return bad(s, err);
			p += 2;
			if (oh > 23 || om > 59)
				return bad(s, err);
		} else {
			return bad(s, err);
		}
		if (*p != '\0')
			return bad(s, err);
	}
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	if (*out < 0)
		return bad(s, err);
	return 0;
}

const char *hw_time_format(hw_time t, char buf[HW_TIME_TEXT])
{
	long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	long long rest = t - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, HW_TIME_TEXT, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 y % 10000, m, d, (int)(rest / 3600), (int)(rest / 60 % 60),
		 (int)(rest % 60));
	return buf;
}

hw_time hw_time_now(void)
{
	return (hw_time)time(NULL);
}

int hw_time_day(hw_time t)
{
	return (int)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

hw_time hw_time_of_day(int day)
{
	return (hw_time)day * 86400;
}

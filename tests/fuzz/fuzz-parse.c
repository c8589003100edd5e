/*
 * fuzz-parse.c: libFuzzer target: the parsers of single values that
 * the CLI's options, the service's query parameters and the readers
 * share: levels, ids, carries, dates and times, counts, change and
 * incident numbers, risk factors and weights, roles, severities,
 * --columns maps, asset list's filters; and the canonical text of reals (the audit's hash).
 * The first byte picks the parser, the rest is the text.  Where a value
 * has a text form, parse(format(v)) must give v again.
 */
#include <math.h>

#include "answer.h"
#include "canon.h"
#include "fuzz.h"

static void dates(const char *s)
{
	struct hw_error err = {0};
	int32_t d, d2;
	char buf[11];

	if (hw_date_parse(s, &d, &err) < 0) {
		fz_check_error(-1, &err);
		return;
	}
	if (hw_date_parse(hw_date_format(d, buf), &d2, NULL) < 0 || d2 != d) {
		fprintf(stderr, "fuzz: date '%s' gives %s, read again as %ld\n",
			s, buf, (long)d2);
		abort();
	}
}

static void times(const char *s)
{
	struct hw_error err = {0};
	hw_time t, t2 = 0;
	char buf[HW_TIME_TEXT];

	if (hw_time_parse(s, &t, &err) < 0) {
		fz_check_error(-1, &err);
		return;
	}
	if (hw_time_parse(hw_time_format(t, buf), &t2, NULL) < 0 || t2 != t) {
		fprintf(stderr, "fuzz: time '%s' gives %s, read again as %lld\n",
			s, buf, t2);
		abort();
	}
}

/* A real from 8 bytes: its canonical text reads back as itself. */
static void reals(const uint8_t *data, size_t size)
{
	struct hwp_buf b = {0};
	struct hw_error err = {0};
	double d;

	if (size < sizeof d)
		return;
	memcpy(&d, data, sizeof d);
	if (hwp_canon_real(&b, d, &err) < 0) {
		if (isfinite(d)) {
			fprintf(stderr, "fuzz: the real %a has no text\n", d);
			abort();
		}
		hwp_buf_release(&b);
		return;
	}
	if (strtod(b.data, NULL) != d) {
		fprintf(stderr, "fuzz: the real %a written as %s\n", d, b.data);
		abort();
	}
	hwp_buf_release(&b);
}

static void factor(const char *s, unsigned which)
{
	struct hw_factors f;
	struct hw_error err = {0};
	char buf[32];
	enum hw_factor k = (enum hw_factor)(which % HW_F_FRAGILITY);
	int rc;

	memset(&f, 0, sizeof f);
	rc = hw_factor_set(&f, hw_factor_name(k), s, &err);
	fz_check_error(rc, &err);
	if (rc == 0)
		(void)hw_factor_text(&f, k, buf);
}

/* A filter of asset list and GET /assets, by its name. */
static void filter(const char *s, unsigned which)
{
	struct hw_asset_filter f;
	struct hw_error err = {0};
	size_t n = 0;

	while (hw_asset_filter_names[n] != NULL)
		n++;
	memset(&f, 0, sizeof f);
	fz_check_error(hw_asset_filter_set(&f, hw_asset_filter_names[which % n],
					   s, &err),
		       &err);
}

static void weight(const char *s, unsigned which)
{
	struct hw_weights w;
	struct hw_error err = {0};

	hw_weights_default(&w);
	fz_check_error(hw_weight_set(&w, hw_weight_defs[which % HW_W_COUNT].name,
				     s, &err),
		       &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hw_error err = {0};
	enum hw_level l;
	enum hw_severity sev;
	enum hw_direction dir;
	enum hw_change_state cs;
	enum hw_change_result cr;
	unsigned u;
	long n;
	long long ll;
	char *s, buf[4];
	unsigned pick;

	if (size == 0)
		return 0;
	pick = data[0];
	s = malloc(size);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (pick % 21) {
	case 0:
		fz_check_error(hw_level_parse(s, pick & 0x20, &l, &err), &err);
		break;
	case 1:
		fz_check_error(hw_id_check(s, "asset", &err), &err);
		break;
	case 2:
		if (hw_carries_parse(s, &u, &err) == 0)
			(void)hw_carries_text(u, buf);
		else
			fz_check_error(-1, &err);
		break;
	case 3:
		dates(s);
		break;
	case 4:
		times(s);
		break;
	case 5:
		fz_check_error(hw_count_parse(s, HW_TOP_MAX, &n, &err), &err);
		break;
	case 6:
		fz_check_error(hw_direction_parse(s, &dir, &err), &err);
		break;
	case 7:
		fz_check_error(hw_dep_types_parse(s, &u, &err), &err);
		break;
	case 8:
		fz_check_error(hw_change_id_parse(s, &ll, &err), &err);
		break;
	case 9:
		fz_check_error(hw_incident_id_parse(s, &ll, &err), &err);
		break;
	case 10:
		factor(s, pick / 21);
		break;
	case 11:
		weight(s, pick / 21);
		break;
	case 12:
		fz_check_error(hw_role_parse(s, &u, &err), &err);
		break;
	case 13:
		fz_check_error(hw_severity_parse(s, &sev, &err), &err);
		break;
	case 14:
		fz_check_error(hw_import_columns_check(s, &err), &err);
		break;
	case 15:
		fz_check_error(hw_oscal_level_parse(s, (enum hw_objective)(
							   (pick / 21) % HW_NOBJ),
						    &l, &err),
			       &err);
		break;
	case 16:
		(void)hw_change_state_parse(s, &cs);
		(void)hw_change_result_parse(s, &cr);
		break;
	case 17:
		reals(data + 1, size - 1);
		break;
	case 18:
		(void)hw_id_valid(s);
		(void)hw_vocab_has(hw_asset_types, s);
		break;
	case 19:
		filter(s, pick / 21);
		break;
	default:
		(void)hw_weight_find(s);
		(void)hw_setting_find(s, NULL);
		break;
	}
	free(s);
	return 0;
}

/*
 * level.c: FIPS 199 impact levels, security-category triples, the
 * high-water mark, the FIPS 200 overall level and its SP 800-53B
 * baseline; also ids, vocabularies and carries masks, the small value
 * types every other module shares.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw-private.h"

static const struct {
	const char *word;
	enum hw_level level;
} level_words[] = {
	{"low", HW_LEVEL_LOW},	     {"l", HW_LEVEL_LOW},
	{"moderate", HW_LEVEL_MODERATE}, {"m", HW_LEVEL_MODERATE},
	{"high", HW_LEVEL_HIGH},     {"h", HW_LEVEL_HIGH},
	{"na", HW_LEVEL_NA},	     {"n/a", HW_LEVEL_NA},
	{"not-applicable", HW_LEVEL_NA},
};

int hw_level_parse(const char *s, int allow_na, enum hw_level *out,
		   struct hw_error *err)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "empty level (expected low, moderate, "
				    "high%s)",
				    allow_na ? ", na" : "");
	for (i = 0; i < sizeof level_words / sizeof level_words[0]; i++) {
		if (strcasecmp(s, level_words[i].word) != 0)
			continue;
		if (level_words[i].level == HW_LEVEL_NA && !allow_na)
			return hw_error_set(
			    err, HW_EINVAL,
			    "level \"%.40s\" not allowed here (na applies only "
			    "to the confidentiality of an information type; "
			    "expected low, moderate, high)",
			    s);
		*out = level_words[i].level;
		return 0;
	}
	return hw_error_set(err, HW_EINVAL,
			    "unknown level \"%.40s\" (expected low, moderate, "
			    "high%s)",
			    s, allow_na ? ", na" : "");
}

const char *hw_level_name(enum hw_level l)
{
	switch (l) {
	case HW_LEVEL_NA:
		return "na";
	case HW_LEVEL_LOW:
		return "low";
	case HW_LEVEL_MODERATE:
		return "moderate";
	case HW_LEVEL_HIGH:
		return "high";
	default:
		return NULL;
	}
}

const char *hw_level_upper(enum hw_level l)
{
	switch (l) {
	case HW_LEVEL_NA:
		return "NOT APPLICABLE";
	case HW_LEVEL_LOW:
		return "LOW";
	case HW_LEVEL_MODERATE:
		return "MODERATE";
	case HW_LEVEL_HIGH:
		return "HIGH";
	default:
		return "UNCATEGORIZED";
	}
}

enum hw_level hw_level_max(enum hw_level a, enum hw_level b)
{
	return a > b ? a : b;
}

enum hw_level hw_level_system(enum hw_level l)
{
	return l == HW_LEVEL_NA ? HW_LEVEL_LOW : l;
}

const char *hw_objective_name(enum hw_objective o)
{
	static const char *const names[HW_NOBJ] = {"confidentiality",
						   "integrity", "availability"};
	return (unsigned)o < HW_NOBJ ? names[o] : "?";
}

void hw_sc_max(struct hw_sc *acc, const struct hw_sc *b)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		acc->v[o] = hw_level_max(acc->v[o], b->v[o]);
}

int hw_sc_completeness(const struct hw_sc *sc)
{
	int o, set = 0;

	for (o = 0; o < HW_NOBJ; o++)
		set += sc->v[o] != HW_LEVEL_NONE;
	return set == HW_NOBJ ? 1 : set == 0 ? -1 : 0;
}

enum hw_level hw_sc_overall(const struct hw_sc *sc)
{
	enum hw_level m = HW_LEVEL_NONE;
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		m = hw_level_max(m, hw_level_system(sc->v[o]));
	return m;
}

int hw_sc_overall_exact(const struct hw_sc *sc)
{
	/* FIPS 200's high-water mark: one HIGH objective decides it, the
	 * unknown ones cannot raise it further. */
	return hw_sc_completeness(sc) > 0 ||
	       hw_sc_overall(sc) == HW_LEVEL_HIGH;
}

int hw_sc_partial(const struct hw_sc *sc)
{
	return hw_sc_overall(sc) != HW_LEVEL_NONE && !hw_sc_overall_exact(sc);
}

const char *hw_overall_text(enum hw_level overall, int exact, int lower)
{
	static const char *const upper_words[] = {
	    "UNCATEGORIZED", "LOW", "LOW", "MODERATE", "HIGH"};
	static const char *const lower_words[] = {
	    "uncategorized", "low", "low", "moderate", "high"};
	static const char *const upper_bound[] = {
	    "UNCATEGORIZED", "at least LOW", "at least LOW",
	    "at least MODERATE", "HIGH"};
	static const char *const lower_bound[] = {
	    "uncategorized", "at least low", "at least low",
	    "at least moderate", "high"};
	unsigned l = (unsigned)overall <= HW_LEVEL_HIGH ? (unsigned)overall : 0;

	if (exact)
		return lower ? lower_words[l] : upper_words[l];
	return lower ? lower_bound[l] : upper_bound[l];
}

const char *hw_sc_overall_text(const struct hw_sc *sc, int lower)
{
	return hw_overall_text(hw_sc_overall(sc), hw_sc_overall_exact(sc),
			       lower);
}

const char *hw_baseline_name(enum hw_level overall)
{
	switch (hw_level_system(overall)) {
	case HW_LEVEL_LOW:
		return "LOW";
	case HW_LEVEL_MODERATE:
		return "MODERATE";
	case HW_LEVEL_HIGH:
		return "HIGH";
	default:
		return NULL;
	}
}

size_t hw_sc_format(const char *name, const struct hw_sc *sc, char *buf,
		    size_t size)
{
	int n;

	n = snprintf(buf, size,
		     "SC %s = {(confidentiality, %s), (integrity, %s), "
		     "(availability, %s)}",
		     name, hw_level_upper(sc->v[HW_C]),
		     hw_level_upper(sc->v[HW_I]), hw_level_upper(sc->v[HW_A]));
	return n < 0 ? 0 : (size_t)n;
}

int hw_id_valid(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];
		if (n >= HW_ID_MAX)
			return 0;
		if (!(isascii(c) && (isalnum(c) || c == '.' || c == '_' ||
				     c == ':' || c == '-')))
			return 0;
	}
	return n > 0;
}

int hw_id_check(const char *s, const char *what, struct hw_error *err)
{
	if (hw_id_valid(s))
		return 0;
	return hw_error_set(err, HW_EINVAL,
			    "invalid %s \"%.64s%s\" (expected 1-64 characters "
			    "of A-Z a-z 0-9 . _ : -)",
			    what, s ? s : "", s && strlen(s) > 64 ? "..." : "");
}

const char *const hw_asset_types[] = {
	"business_service", "application",    "database",
	"server",	    "virtual_machine", "container",
	"network_device",   "storage_device",  "cloud_service",
	"endpoint",	    "other",	       NULL,
};

const char *const hw_dep_types[] = {
	"runs_on",	     "uses",	    "stores_data_in", "connects_to",
	"authenticates_via", "backs_up_to", "other",	      NULL,
};

int hwp_vocab_index(const char *const *list, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	/* The first letter rules out most entries without a call: the
	 * bulk graph load looks up a type for every asset and dependency. */
	for (i = 0; list[i] != NULL; i++)
		if (list[i][0] == s[0] && strcmp(list[i], s) == 0)
			return i;
	return -1;
}

int hw_vocab_has(const char *const *list, const char *s)
{
	return hwp_vocab_index(list, s) >= 0;
}

/* The two lists joined, once, for messages: import workers format
 * errors on several threads at a time. */
static char vocab_assets[256], vocab_deps[256];
static pthread_once_t vocab_once = PTHREAD_ONCE_INIT;

static void vocab_join(const char *const *list, char *buf, size_t size)
{
	size_t len = 0;

	for (; *list != NULL; list++) {
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
				 *list);

		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

static void vocab_init(void)
{
	vocab_join(hw_asset_types, vocab_assets, sizeof vocab_assets);
	vocab_join(hw_dep_types, vocab_deps, sizeof vocab_deps);
}

const char *hw_vocab_text(const char *const *list)
{
	pthread_once(&vocab_once, vocab_init);
	return list == hw_asset_types ? vocab_assets : vocab_deps;
}

int hw_carries_parse(const char *s, unsigned *out, struct hw_error *err)
{
	unsigned mask = 0, bit;
	const char *p;

	if (s == NULL || *s == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "empty carries (expected letters from "
				    "\"cia\", e.g. cia or ia)");
	for (p = s; *p != '\0'; p++) {
		switch (tolower((unsigned char)*p)) {
		case 'c':
			bit = HW_CARRY_C;
			break;
		case 'i':
			bit = HW_CARRY_I;
			break;
		case 'a':
			bit = HW_CARRY_A;
			break;
		default:
			bit = 0;
		}
		if (bit == 0 || (mask & bit))
			return hw_error_set(
			    err, HW_EINVAL,
			    "invalid carries \"%.16s\" (expected letters from "
			    "\"cia\", each once, e.g. cia or ia)",
			    s);
		mask |= bit;
	}
	*out = mask;
	return 0;
}

const char *hw_carries_text(unsigned mask, char buf[4])
{
	char *p = buf;

	if (mask & HW_CARRY_C)
		*p++ = 'c';
	if (mask & HW_CARRY_I)
		*p++ = 'i';
	if (mask & HW_CARRY_A)
		*p++ = 'a';
	*p = '\0';
	return buf;
}

char *hwp_strdup(const char *s, struct hw_error *err)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		hw_error_set(err, HW_ENOMEM, "out of memory");
	return d;
}

int hwp_contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return 0;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

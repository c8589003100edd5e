/*
 * xlsx-read.c: the xlsx reader: the package's parts found through its
 * relationships, the workbook (sheets, date system), the shared strings
 * and the date styles read when it opens, then a sheet's rows streamed
 * to a callback as text cells.  libzip inflates, expat parses a block at
 * a time; every byte unpacked is counted against the workbook's bound.
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "canon.h"
#include "hw-private.h"
#include "xlsx-read.h"

struct sheet {
	char *name;
	char *part; /* the zip entry of its XML */
};

struct hwp_xlsx {
	zip_t *zip;
	char path[128];
	unsigned long long budget; /* unpacked bytes still allowed */
	unsigned long long bound;  /* the budget at the start */
	int date1904;
	struct sheet *sheets;
	size_t nsheets;
	struct hwp_buf sst;  /* shared strings, each NUL-terminated */
	size_t *sst_at;	     /* where string i starts in sst */
	size_t nsst, capsst;
	unsigned char *xf_date; /* cell style i shows a date */
	size_t nxf;
};

/* What every part's parse shares (first in each parser's context). */
struct parse {
	struct hwp_xlsx *x;
	const char *part;
	XML_Parser p;
	struct hw_error e; /* what a handler found wrong */
	struct hwp_buf text;
	int collect; /* character data goes to text */
};

static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar != NULL ? bar + 1 : name;
}

/* The attribute named (local name) key; with ns, only in a namespace. */
static const char *attr(const char **atts, const char *key, int ns)
{
	for (; *atts != NULL; atts += 2)
		if (strcmp(local(atts[0]), key) == 0 &&
		    (!ns || strchr(atts[0], '|') != NULL))
			return atts[1];
	return NULL;
}

__attribute__((format(printf, 2, 3))) static void
stop(struct parse *ps, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ps->e.code == HW_OK)
		hw_error_set(&ps->e, HW_EFORMAT, "%s", msg);
	XML_StopParser(ps->p, XML_FALSE);
}

static void nomem(struct parse *ps)
{
	if (ps->e.code == HW_OK)
		hw_error_set(&ps->e, HW_ENOMEM, "out of memory");
	XML_StopParser(ps->p, XML_FALSE);
}

static void XMLCALL doctype(void *ud, const XML_Char *name,
			    const XML_Char *sysid, const XML_Char *pubid,
			    int internal)
{
	struct parse *ps = ud;

	(void)name, (void)sysid, (void)pubid, (void)internal;
	stop(ps,
	     "part '%s' line %lu: a DOCTYPE declaration is refused (entities "
	     "are never expanded; a workbook has none)",
	     ps->part, (unsigned long)XML_GetCurrentLineNumber(ps->p));
}

static void XMLCALL chars(void *ud, const XML_Char *s, int len)
{
	struct parse *ps = ud;

	if (!ps->collect || ps->e.code != HW_OK)
		return;
	if (ps->text.len + (size_t)len > HWP_XLSX_TEXT_MAX) {
		stop(ps, "part '%s' line %lu: a text longer than %d bytes "
			 "(a cell holds at most 32767 characters)",
		     ps->part, (unsigned long)XML_GetCurrentLineNumber(ps->p),
		     HWP_XLSX_TEXT_MAX);
		return;
	}
	if (hwp_buf_add(&ps->text, s, (size_t)len, NULL) < 0)
		nomem(ps);
}

/* Parse the zip entry part with handlers already set on ps->p (whose
 * user data is ps), counting what inflates against the workbook's
 * bound.  A missing entry is 1 unless required. */
static int parse_part(struct parse *ps, const char *part, int required,
		      struct hw_error *err)
{
	struct hwp_xlsx *x = ps->x;
	enum { BLOCK = 1 << 16 };
	zip_int64_t idx, n;
	zip_file_t *f;
	char *block;
	int rc = -1;

	ps->part = part;
	XML_SetStartDoctypeDeclHandler(ps->p, doctype);
	XML_SetCharacterDataHandler(ps->p, chars);
	XML_SetParamEntityParsing(ps->p, XML_PARAM_ENTITY_PARSING_NEVER);
	idx = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return 1;
		return hw_error_set_at(err, HW_EFORMAT, x->path, 0, 0,
				       "part '%s' is missing (expected an "
				       "xlsx workbook)",
				       part);
	}
	f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (f == NULL)
		return hw_error_set_at(err, HW_EFORMAT, x->path, 0, 0,
				       "part '%s': %s", part,
				       zip_strerror(x->zip));
	block = malloc(BLOCK);
	if (block == NULL) {
		zip_fclose(f);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	for (;;) {
		n = zip_fread(f, block, BLOCK);
		if (n < 0) {
			hw_error_set_at(err, HW_EFORMAT, x->path, 0, 0,
					"part '%s': %s", part,
					zip_file_strerror(f));
			goto out;
		}
		if ((unsigned long long)n > x->budget) {
			hw_error_set_at(
			    err, HW_EREFUSED, x->path, 0, 0,
			    "part '%s': the workbook unpacks to more than %llu "
			    "bytes (at most %d times its size plus 1 MiB, "
			    "and 4 GiB): refused as a zip bomb",
			    part, x->bound, HWP_XLSX_RATIO);
			goto out;
		}
		x->budget -= (unsigned long long)n;
		if (XML_Parse(ps->p, block, (int)n, n == 0) ==
		    XML_STATUS_ERROR) {
			if (ps->e.code != HW_OK)
				hw_error_set_at(err, ps->e.code, x->path, 0, 0,
						"%s", ps->e.text);
			else
				hw_error_set_at(
				    err, HW_EFORMAT, x->path, 0, 0,
				    "part '%s' line %lu column %lu: %s "
				    "(expected well-formed XML)",
				    part,
				    (unsigned long)XML_GetCurrentLineNumber(
					ps->p),
				    (unsigned long)
					XML_GetCurrentColumnNumber(ps->p) +
					1,
				    XML_ErrorString(XML_GetErrorCode(ps->p)));
			goto out;
		}
		if (n == 0)
			break;
	}
	rc = 0;
out:
	free(block);
	zip_fclose(f);
	return rc;
}

/* "dir/" of part (with its slash), its length. */
static size_t dir_len(const char *part)
{
	const char *slash = strrchr(part, '/');

	return slash != NULL ? (size_t)(slash - part) + 1 : 0;
}

/* target (relative to base's folder, or absolute from the package's
 * root) as a zip entry name: a new string, NULL when out of memory. */
static char *resolve(const char *base, const char *target)
{
	size_t blen = target[0] == '/' ? 0 : dir_len(base);
	size_t n = blen + strlen(target) + 1, o = 0, i;
	char *s = malloc(n), *out;

	if (s == NULL)
		return NULL;
	snprintf(s, n, "%.*s%s", (int)blen, base,
		 target[0] == '/' ? target + 1 : target);
	out = s;
	/* Drop "./" and fold "dir/../" (never above the root). */
	for (i = 0; s[i] != '\0';) {
		if (strncmp(s + i, "./", 2) == 0) {
			i += 2;
		} else if (strncmp(s + i, "../", 3) == 0) {
			if (o > 0) {
				o--;
				while (o > 0 && out[o - 1] != '/')
					o--;
			}
			i += 3;
		} else {
			while (s[i] != '\0' && s[i] != '/')
				out[o++] = s[i++];
			if (s[i] == '/')
				out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/* Relationships: Id -> Target for one part's .rels. */
struct rel {
	char *id, *type, *target;
};

struct rels {
	struct parse ps;
	struct rel *r;
	size_t n, cap;
	const char *of; /* the part they belong to */
};

static char *copy(const char *s)
{
	return hwp_strdup(s != NULL ? s : "", NULL);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct rels *rs = ud;
	const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0),
		   *mode = attr(atts, "TargetMode", 0);
	struct rel *r;

	if (strcmp(local(name), "Relationship") != 0 || id == NULL ||
	    target == NULL || (mode != NULL && strcmp(mode, "External") == 0))
		return;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct rel *nr = realloc(rs->r, cap * sizeof *nr);

		if (nr == NULL)
			return nomem(&rs->ps);
		rs->r = nr;
		rs->cap = cap;
	}
	r = &rs->r[rs->n];
	r->id = copy(id);
	r->type = copy(attr(atts, "Type", 0));
	r->target = resolve(rs->of, target);
	if (r->id == NULL || r->type == NULL || r->target == NULL) {
		free(r->id), free(r->type), free(r->target);
		return nomem(&rs->ps);
	}
	rs->n++;
}

static void rels_free(struct rels *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->r[i].id), free(rs->r[i].type), free(rs->r[i].target);
	free(rs->r);
	hwp_buf_release(&rs->ps.text);
}

/* The target of the first relationship whose type ends with "/kind"
 * (kind NULL: whose Id is id); borrowed, NULL if none. */
static const char *rels_find(const struct rels *rs, const char *kind,
			     const char *id)
{
	size_t i, k = kind ? strlen(kind) : 0;

	for (i = 0; i < rs->n; i++) {
		const char *t = rs->r[i].type;
		size_t tl = strlen(t);

		if (kind != NULL ? tl > k && t[tl - k - 1] == '/' &&
				       strcmp(t + tl - k, kind) == 0
				 : strcmp(rs->r[i].id, id) == 0)
			return rs->r[i].target;
	}
	return NULL;
}

/* Read the relationships of part `of` (in "dir/_rels/name.rels"). */
static int rels_read(struct hwp_xlsx *x, const char *of, struct rels *rs,
		     struct hw_error *err)
{
	size_t d = dir_len(of);
	char name[512];
	int rc;

	memset(rs, 0, sizeof *rs);
	rs->ps.x = x;
	rs->of = of;
	snprintf(name, sizeof name, "%.*s_rels/%s.rels", (int)d, of, of + d);
	rs->ps.p = XML_ParserCreateNS(NULL, '|');
	if (rs->ps.p == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	XML_SetUserData(rs->ps.p, rs);
	XML_SetStartElementHandler(rs->ps.p, rels_start);
	rc = parse_part(&rs->ps, name, 0, err);
	XML_ParserFree(rs->ps.p);
	return rc < 0 ? -1 : 0;
}

/* The workbook: its date system and sheets (name, r:id). */
struct book {
	struct parse ps;
	struct rels *rels;
};

static void XMLCALL book_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct book *bk = ud;
	struct hwp_xlsx *x = bk->ps.x;
	const char *el = local(name), *v;

	if (strcmp(el, "workbookPr") == 0) {
		v = attr(atts, "date1904", 0);
		x->date1904 = v != NULL && (strcmp(v, "1") == 0 ||
					    strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		const char *sname = attr(atts, "name", 0),
			   *rid = attr(atts, "id", 1), *target;
		struct sheet *ns;

		target = rid != NULL ? rels_find(bk->rels, NULL, rid) : NULL;
		if (sname == NULL || target == NULL)
			return stop(&bk->ps,
				    "part '%s' line %lu: a sheet without a "
				    "name or a part (expected name and r:id "
				    "of a relationship)",
				    bk->ps.part,
				    (unsigned long)XML_GetCurrentLineNumber(
					bk->ps.p));
		ns = realloc(x->sheets, (x->nsheets + 1) * sizeof *ns);
		if (ns == NULL)
			return nomem(&bk->ps);
		x->sheets = ns;
		ns[x->nsheets].name = copy(sname);
		ns[x->nsheets].part = copy(target);
		if (ns[x->nsheets].name == NULL ||
		    ns[x->nsheets].part == NULL) {
			free(ns[x->nsheets].name), free(ns[x->nsheets].part);
			return nomem(&bk->ps);
		}
		x->nsheets++;
	}
}

/* Shared strings: the text of each <si>, its runs' <t> joined, the
 * phonetic runs (<rPh>) left out. */
struct strings {
	struct parse ps;
	int in_si, in_rph;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name,
			      const XML_Char **atts)
{
	struct strings *ss = ud;
	const char *el = local(name);

	(void)atts;
	if (strcmp(el, "si") == 0) {
		ss->in_si = 1;
		hwp_buf_reset(&ss->ps.text);
	} else if (strcmp(el, "rPh") == 0) {
		ss->in_rph = 1;
	} else if (strcmp(el, "t") == 0 && ss->in_si && !ss->in_rph) {
		ss->ps.collect = 1;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct strings *ss = ud;
	struct hwp_xlsx *x = ss->ps.x;
	const char *el = local(name);

	if (strcmp(el, "t") == 0) {
		ss->ps.collect = 0;
	} else if (strcmp(el, "rPh") == 0) {
		ss->in_rph = 0;
	} else if (strcmp(el, "si") == 0 && ss->in_si) {
		ss->in_si = 0;
		if (x->nsst == x->capsst) {
			size_t cap = x->capsst ? x->capsst * 2 : 256;
			size_t *na = realloc(x->sst_at, cap * sizeof *na);

			if (na == NULL)
				return nomem(&ss->ps);
			x->sst_at = na;
			x->capsst = cap;
		}
		x->sst_at[x->nsst] = x->sst.len;
		if (hwp_buf_add(&x->sst, ss->ps.text.data ? ss->ps.text.data : "",
				ss->ps.text.len + 1, NULL) < 0)
			return nomem(&ss->ps);
		x->nsst++;
	}
}

/* Styles: which cell formats (cellXfs) show a number as a date. */
struct styles {
	struct parse ps;
	int in_xfs;
	int *date_fmts; /* custom number formats that are dates */
	size_t nfmts;
	size_t capxf;
};

/* Built-in number formats that are dates or times (ECMA-376 18.8.30,
 * and the East Asian ones Excel writes). */
static int builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58) ||
	       (id >= 71 && id <= 81);
}

/* A format code is a date when, outside quotes, escapes and [...], it
 * has a day, year, hour or second ("m" alone may be minutes). */
static int code_is_date(const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			while (s[1] != '\0' && s[1] != '"')
				s++;
			if (s[1] == '"')
				s++;
			break;
		case '\\':
		case '_':
		case '*':
			if (s[1] != '\0')
				s++;
			break;
		case '[':
			while (s[1] != '\0' && s[1] != ']')
				s++;
			break;
		case ';': /* the first section decides */
			return 0;
		case 'd': case 'D': case 'y': case 'Y':
		case 'h': case 'H': case 's': case 'S':
			return 1;
		default:
			break;
		}
	}
	return 0;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name,
				 const XML_Char **atts)
{
	struct styles *sy = ud;
	struct hwp_xlsx *x = sy->ps.x;
	const char *el = local(name), *id = attr(atts, "numFmtId", 0);
	long n = id != NULL ? strtol(id, NULL, 10) : 0;
	size_t i;
	int date;

	if (strcmp(el, "cellXfs") == 0) {
		sy->in_xfs = 1;
	} else if (strcmp(el, "numFmt") == 0) {
		const char *code = attr(atts, "formatCode", 0);
		int *nf;

		if (id == NULL || code == NULL || !code_is_date(code))
			return;
		nf = realloc(sy->date_fmts, (sy->nfmts + 1) * sizeof *nf);
		if (nf == NULL)
			return nomem(&sy->ps);
		sy->date_fmts = nf;
		nf[sy->nfmts++] = (int)n;
	} else if (strcmp(el, "xf") == 0 && sy->in_xfs) {
		date = builtin_date(n);
		for (i = 0; i < sy->nfmts && !date; i++)
			date = sy->date_fmts[i] == n;
		if (x->nxf == sy->capxf) {
			size_t cap = sy->capxf ? sy->capxf * 2 : 64;
			unsigned char *nx = realloc(x->xf_date, cap);

			if (nx == NULL)
				return nomem(&sy->ps);
			x->xf_date = nx;
			sy->capxf = cap;
		}
		x->xf_date[x->nxf++] = (unsigned char)date;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct styles *sy = ud;

	if (strcmp(local(name), "cellXfs") == 0)
		sy->in_xfs = 0;
}

/* Parse part with a fresh namespace-aware parser whose user data is
 * ps (the first member of its context). */
static int parse_with(struct parse *ps, const char *part, int required,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      struct hw_error *err)
{
	int rc;

	ps->p = XML_ParserCreateNS(NULL, '|');
	if (ps->p == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	XML_SetUserData(ps->p, ps);
	XML_SetElementHandler(ps->p, start, end);
	rc = parse_part(ps, part, required, err);
	XML_ParserFree(ps->p);
	ps->p = NULL;
	return rc < 0 ? -1 : 0;
}

struct hwp_xlsx *hwp_xlsx_open(const char *path, struct hw_error *err)
{
	struct hwp_xlsx *x = calloc(1, sizeof *x);
	struct rels top = {0}, wb = {0};
	struct book bk = {0};
	struct strings ss = {0};
	struct styles sy = {0};
	const char *book_part, *part, *why = NULL;
	char *book = NULL;
	struct stat sb;
	int zerr = 0, ok = 0, fd;

	if (x == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(x->path, sizeof x->path, "%s", path);
	/* The size that bounds the unpacking is the file's own, of the
	 * file opened (not of whatever the name points at later). */
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) != 0)
		why = strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		why = "not a regular file";
	if (why != NULL) {
		hw_error_set_at(err, HW_EIO, x->path, 0, 0,
				"cannot read it: %s (expected an xlsx "
				"workbook)",
				why);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	x->bound = (unsigned long long)sb.st_size * HWP_XLSX_RATIO +
		   HWP_XLSX_SLACK;
	if (x->bound > HWP_XLSX_UNPACKED_MAX)
		x->bound = HWP_XLSX_UNPACKED_MAX;
	x->budget = x->bound;
	x->zip = zip_fdopen(fd, 0, &zerr);
	if (x->zip == NULL)
		close(fd); /* zip_fdopen keeps it only when it succeeds */
	if (x->zip == NULL) {
		zip_error_t ze;

		zip_error_init_with_code(&ze, zerr);
		hw_error_set_at(err, HW_EFORMAT, x->path, 0, 0,
				"not a zip package: %s (expected an xlsx "
				"workbook)",
				zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto out;
	}
	if (rels_read(x, "", &top, err) < 0)
		goto out;
	book_part = rels_find(&top, "officeDocument", NULL);
	book = hwp_strdup(book_part != NULL ? book_part : "xl/workbook.xml", NULL);
	if (book == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (rels_read(x, book, &wb, err) < 0)
		goto out;
	bk.ps.x = x;
	bk.rels = &wb;
	if (parse_with(&bk.ps, book, 1, book_start, NULL, err) < 0)
		goto out;
	part = rels_find(&wb, "sharedStrings", NULL);
	ss.ps.x = x;
	if (part != NULL &&
	    parse_with(&ss.ps, part, 0, sst_start, sst_end, err) < 0)
		goto out;
	part = rels_find(&wb, "styles", NULL);
	sy.ps.x = x;
	if (part != NULL &&
	    parse_with(&sy.ps, part, 0, styles_start, styles_end, err) < 0)
		goto out;
	ok = 1;
out:
	free(sy.date_fmts);
	hwp_buf_release(&sy.ps.text);
	hwp_buf_release(&ss.ps.text);
	hwp_buf_release(&bk.ps.text);
	free(book);
	rels_free(&wb);
	rels_free(&top);
	if (!ok) {
		hwp_xlsx_close(x);
		return NULL;
	}
	return x;
}

void hwp_xlsx_close(struct hwp_xlsx *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->zip != NULL)
		zip_discard(x->zip);
	for (i = 0; i < x->nsheets; i++)
		free(x->sheets[i].name), free(x->sheets[i].part);
	free(x->sheets);
	hwp_buf_release(&x->sst);
	free(x->sst_at);
	free(x->xf_date);
	free(x);
}

size_t hwp_xlsx_nsheets(const struct hwp_xlsx *x)
{
	return x->nsheets;
}

const char *hwp_xlsx_sheet_name(const struct hwp_xlsx *x, size_t i)
{
	return i < x->nsheets ? x->sheets[i].name : NULL;
}

const char *hwp_xlsx_cell_name(int col, long row, char buf[16])
{
	char letters[8];
	int n = 0, i, o = 0;

	col++;
	while (col > 0 && n < 7) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = n - 1; i >= 0; i--)
		buf[o++] = letters[i];
	snprintf(buf + o, 16 - (size_t)o, "%ld", row);
	return buf;
}

/* 1970-01-01 as a serial number: of the 1900 system (past its
 * 1900-02-29), of the 1904 system. */
#define EPOCH_1900 25569
#define EPOCH_1904 24107

int hwp_xlsx_serial_date(double serial, int date1904, char *buf, size_t size)
{
	double whole;
	long days, secs;
	char day[11];

	if (!isfinite(serial) || serial < (date1904 ? 0 : 1) ||
	    serial >= 2958466) /* 10000-01-01 */
		return -1;
	whole = floor(serial);
	secs = lround((serial - whole) * 86400.0);
	days = (long)whole;
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	if (date1904)
		days -= EPOCH_1904;
	else if (days == 60)
		return -1; /* 1900-02-29, which was not */
	else
		days -= EPOCH_1900 - (days < 60);
	if (days > 2932896) /* 9999-12-31 */
		return -1;
	hw_date_format((int32_t)days, day);
	if (secs == 0)
		snprintf(buf, size, "%s", day);
	else
		snprintf(buf, size, "%sT%02ld:%02ld:%02ld", day, secs / 3600,
			 secs / 60 % 60, secs % 60);
	return 0;
}

/* A sheet's rows. */
struct rows {
	struct parse ps;
	size_t sheet;
	hwp_xlsx_row_fn fn;
	void *ctx;
	struct hw_error *err; /* the caller's, for fn */
	int fn_failed;
	long row;      /* the row being read (1-based), 0 before the first */
	int col;       /* the cell being read (0-based), -1 before the first */
	char type[12]; /* its t attribute */
	long style;
	int in_c, in_is, in_rph, has_v;
	struct hwp_buf cells; /* the row's values, NUL-terminated */
	size_t *at;	      /* where each column's value starts, or -1 */
	size_t ncells;	      /* columns seen: 1 + the last */
	const char **ptrs;
};

#define NO_CELL ((size_t)-1)

__attribute__((format(printf, 2, 3))) static void
cell_fail(struct rows *rs, const char *fmt, ...)
{
	char msg[160], ref[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	stop(&rs->ps, "sheet '%s', cell %s: %s", rs->ps.x->sheets[rs->sheet].name,
	     hwp_xlsx_cell_name(rs->col, rs->row, ref), msg);
}

/* "B7" -> column 1, row 7; -1 when not a reference in the sheet. */
static int parse_ref(const char *s, int *col, long *row)
{
	long c = 0, r = 0;
	int letters = 0, digits = 0;

	for (; *s >= 'A' && *s <= 'Z' && letters < 4; s++, letters++)
		c = c * 26 + (*s - 'A' + 1);
	for (; *s >= '0' && *s <= '9' && digits < 8; s++, digits++)
		r = r * 10 + (*s - '0');
	if (*s != '\0' || letters == 0 || digits == 0 || c > HWP_XLSX_COLS_MAX ||
	    r < 1 || r > HWP_XLSX_ROWS_LIMIT)
		return -1;
	*col = (int)c - 1;
	*row = r;
	return 0;
}

static void row_clear(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->ncells; i++)
		rs->at[i] = NO_CELL;
	rs->ncells = 0;
	hwp_buf_reset(&rs->cells);
}

static void XMLCALL rows_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct rows *rs = ud;
	const char *el = local(name), *v;

	if (strcmp(el, "row") == 0) {
		long r = rs->row + 1;
		int c;

		v = attr(atts, "r", 0);
		if (v != NULL) {
			char ref[16];

			snprintf(ref, sizeof ref, "A%.10s", v);
			if (parse_ref(ref, &c, &r) < 0 || r <= rs->row) {
				rs->col = 0;
				return cell_fail(rs, "row number \"%.16s\" "
						     "out of order (expected "
						     "%ld to %d)",
						 v, rs->row + 1,
						 HWP_XLSX_ROWS_LIMIT);
			}
		}
		if (r > HWP_XLSX_ROWS_LIMIT) {
			rs->col = 0;
			return cell_fail(rs, "more than %d rows",
					 HWP_XLSX_ROWS_LIMIT);
		}
		rs->row = r;
		rs->col = -1;
		row_clear(rs);
	} else if (strcmp(el, "c") == 0) {
		int c = rs->col + 1;
		long r = rs->row;

		v = attr(atts, "r", 0);
		if (v != NULL && (parse_ref(v, &c, &r) < 0 || r != rs->row ||
				  c <= rs->col)) {
			rs->col = rs->col + 1;
			return cell_fail(rs, "cell reference \"%.16s\" out of "
					     "place (expected a later cell of "
					     "row %ld)",
					 v, rs->row);
		}
		if (c >= HWP_XLSX_COLS_MAX) {
			rs->col = c;
			return cell_fail(rs, "more than %d columns",
					 HWP_XLSX_COLS_MAX);
		}
		rs->col = c;
		v = attr(atts, "t", 0);
		snprintf(rs->type, sizeof rs->type, "%s", v ? v : "n");
		v = attr(atts, "s", 0);
		rs->style = v != NULL ? strtol(v, NULL, 10) : 0;
		rs->in_c = 1;
		rs->has_v = 0;
		hwp_buf_reset(&rs->ps.text);
	} else if (!rs->in_c) {
		return;
	} else if (strcmp(el, "v") == 0) {
		rs->ps.collect = 1;
		rs->has_v = 1;
	} else if (strcmp(el, "is") == 0) {
		rs->in_is = 1;
		rs->has_v = 1;
	} else if (strcmp(el, "rPh") == 0) {
		rs->in_rph = 1;
	} else if (strcmp(el, "t") == 0 && rs->in_is && !rs->in_rph) {
		rs->ps.collect = 1;
	}
}

/* The value of the cell just read, as text, into rs->cells. */
static void cell_value(struct rows *rs)
{
	struct hwp_xlsx *x = rs->ps.x;
	const char *t = rs->type, *v = rs->ps.text.data ? rs->ps.text.data : "";
	struct hwp_buf num = HWP_BUF_INIT;
	char date[32];
	const char *out = v;
	size_t i;

	if (!rs->has_v)
		return;
	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long k = strtoul(v, &end, 10);

		if (end == v || *end != '\0' || k >= x->nsst)
			return cell_fail(rs, "shared string %.20s does not "
					     "exist (the workbook has %zu)",
					 v, x->nsst);
		out = x->sst.data + x->sst_at[k];
	} else if (strcmp(t, "b") == 0) {
		if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
			return cell_fail(rs, "boolean \"%.20s\" (expected 0 "
					     "or 1)",
					 v);
		out = v[0] == '1' ? "true" : "false";
	} else if (strcmp(t, "e") == 0) {
		return cell_fail(rs, "the cell holds the error %.20s "
				     "(expected a value)",
				 v);
	} else if (strcmp(t, "d") == 0) {
		/* An ISO 8601 date cell: midnight is the date alone. */
		size_t n = strlen(v);

		if (n > 10 && strcmp(v + 10, "T00:00:00") == 0)
			rs->ps.text.data[10] = '\0';
	} else if (strcmp(t, "n") == 0) {
		char *end;
		double d = strtod(v, &end);

		if (end == v || *end != '\0' || !isfinite(d))
			return cell_fail(rs, "\"%.20s\" is not a number", v);
		if (rs->style >= 0 && (size_t)rs->style < x->nxf &&
		    x->xf_date[rs->style]) {
			if (hwp_xlsx_serial_date(d, x->date1904, date,
						 sizeof date) < 0)
				return cell_fail(rs, "%.20s is not a date "
						     "(expected a serial "
						     "number of the %s system)",
						 v,
						 x->date1904 ? "1904" : "1900");
			out = date;
		} else if (d == floor(d) && fabs(d) < 1e15) {
			snprintf(date, sizeof date, "%.0f", d == 0 ? 0.0 : d);
			out = date;
		} else {
			if (hwp_canon_real(&num, d, NULL) < 0)
				return nomem(&rs->ps);
			out = num.data;
		}
	} else if (strcmp(t, "str") != 0 && strcmp(t, "inlineStr") != 0) {
		return cell_fail(rs, "cell type \"%s\" (expected s, inlineStr, "
				     "str, n, b, d or e)",
				 t);
	}
	for (i = rs->ncells; i <= (size_t)rs->col; i++)
		rs->at[i] = NO_CELL;
	if ((size_t)rs->col + 1 > rs->ncells)
		rs->ncells = (size_t)rs->col + 1;
	rs->at[rs->col] = rs->cells.len;
	if (hwp_buf_add(&rs->cells, out, strlen(out) + 1, NULL) < 0)
		nomem(&rs->ps);
	hwp_buf_release(&num);
}

static void XMLCALL rows_end(void *ud, const XML_Char *name)
{
	struct rows *rs = ud;
	const char *el = local(name);
	size_t i;
	int any = 0;

	if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
		rs->ps.collect = 0;
	} else if (strcmp(el, "rPh") == 0) {
		rs->in_rph = 0;
	} else if (strcmp(el, "is") == 0) {
		rs->in_is = 0;
	} else if (strcmp(el, "c") == 0 && rs->in_c) {
		rs->in_c = 0;
		cell_value(rs);
	} else if (strcmp(el, "row") == 0) {
		for (i = 0; i < rs->ncells; i++) {
			rs->ptrs[i] = rs->at[i] == NO_CELL
					  ? ""
					  : rs->cells.data + rs->at[i];
			any |= rs->ptrs[i][0] != '\0';
		}
		if (any && rs->fn(rs->ctx, rs->row, rs->ptrs, rs->ncells,
				  rs->err) != 0) {
			rs->fn_failed = 1;
			XML_StopParser(rs->ps.p, XML_FALSE);
		}
		row_clear(rs);
	}
}

int hwp_xlsx_read_sheet(struct hwp_xlsx *x, size_t i, hwp_xlsx_row_fn fn,
			void *ctx, struct hw_error *err)
{
	struct rows rs = {0};
	struct hw_error mine = {0};
	int rc = -1;
	size_t k;

	rs.ps.x = x;
	rs.sheet = i;
	rs.fn = fn;
	rs.ctx = ctx;
	rs.err = err;
	rs.col = -1;
	rs.at = malloc(HWP_XLSX_COLS_MAX * sizeof *rs.at);
	rs.ptrs = malloc(HWP_XLSX_COLS_MAX * sizeof *rs.ptrs);
	if (rs.at == NULL || rs.ptrs == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	for (k = 0; k < HWP_XLSX_COLS_MAX; k++)
		rs.at[k] = NO_CELL;
	/* The function's error is the caller's; the sheet's goes to mine
	 * first, so that a stopped parse does not overwrite it. */
	if (parse_with(&rs.ps, x->sheets[i].part, 1, rows_start, rows_end,
		       &mine) < 0) {
		if (!rs.fn_failed && err != NULL && err->code == HW_OK)
			*err = mine;
		else if (!rs.fn_failed)
			hw_error_set(err, mine.code, "%s", mine.text);
		goto out;
	}
	rc = 0;
out:
	hwp_buf_release(&rs.ps.text);
	hwp_buf_release(&rs.cells);
	free(rs.at);
	free(rs.ptrs);
	return rc;
}

/*
 * xlsx-read.c: the xlsx reader's package: its parts found through their
 * relationships and parsed as streams (libzip inflates, expat parses a
 * block at a time, every byte unpacked counted against the workbook's
 * bound), and what is read when it opens: the workbook (sheets, date
 * system), the shared strings and the date styles.  A sheet's rows are
 * xlsx-sheet.c's.
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "hw-private.h"
#include "xlsx-parse.h"

const char *hwp_xml_local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar != NULL ? bar + 1 : name;
}

/* The attribute named (local name) key; with ns, only in a namespace. */
const char *hwp_xml_attr(const char **atts, const char *key, int ns)
{
	for (; *atts != NULL; atts += 2)
		if (strcmp(hwp_xml_local(atts[0]), key) == 0 &&
		    (!ns || strchr(atts[0], '|') != NULL))
			return atts[1];
	return NULL;
}

void hwp_xml_stop(struct hwp_xml_parse *ps, const char *fmt, ...)
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

void hwp_xml_nomem(struct hwp_xml_parse *ps)
{
	if (ps->e.code == HW_OK)
		hw_error_set(&ps->e, HW_ENOMEM, "out of memory");
	XML_StopParser(ps->p, XML_FALSE);
}

static void XMLCALL doctype(void *ud, const XML_Char *name,
			    const XML_Char *sysid, const XML_Char *pubid,
			    int internal)
{
	struct hwp_xml_parse *ps = ud;

	(void)name, (void)sysid, (void)pubid, (void)internal;
	hwp_xml_stop(
	    ps,
	    "part '%s' line %lu: a DOCTYPE declaration is refused (entities "
	    "are never expanded; a workbook has none)",
	    ps->part, (unsigned long)XML_GetCurrentLineNumber(ps->p));
}

static void XMLCALL chars(void *ud, const XML_Char *s, int len)
{
	struct hwp_xml_parse *ps = ud;

	if (!ps->collect || ps->e.code != HW_OK)
		return;
	if (ps->text.len + (size_t)len > HWP_XLSX_TEXT_MAX) {
		hwp_xml_stop(ps,
			     "part '%s' line %lu: a text longer than %d bytes "
			     "(a cell holds at most 32767 characters)",
			     ps->part,
			     (unsigned long)XML_GetCurrentLineNumber(ps->p),
			     HWP_XLSX_TEXT_MAX);
		return;
	}
	if (hwp_buf_add(&ps->text, s, (size_t)len, NULL) < 0)
		hwp_xml_nomem(ps);
}

/* The element handlers behind the depth bound: expat keeps a stack of
 * the open elements, which a file of "<a><a><a>..." would grow by
 * about 40 bytes for each 3 read. */
static void XMLCALL depth_start(void *ud, const XML_Char *name,
				const XML_Char **atts)
{
	struct hwp_xml_parse *ps = ud;

	if (++ps->depth > HWP_XLSX_DEPTH_MAX)
		return hwp_xml_stop(
		    ps,
		    "part '%s' line %lu: elements nested more than %d deep "
		    "(expected an xlsx workbook)",
		    ps->part, (unsigned long)XML_GetCurrentLineNumber(ps->p),
		    HWP_XLSX_DEPTH_MAX);
	if (ps->start != NULL)
		ps->start(ud, name, atts);
}

static void XMLCALL depth_end(void *ud, const XML_Char *name)
{
	struct hwp_xml_parse *ps = ud;

	ps->depth--;
	if (ps->end != NULL)
		ps->end(ud, name);
}

/* Parse the zip entry part with handlers already set on ps->p (whose
 * user data is ps), counting what inflates against the workbook's
 * bound.  A missing entry is 1 unless required. */
static int parse_part(struct hwp_xml_parse *ps, const char *part, int required,
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
				    (unsigned long)XML_GetCurrentColumnNumber(
					ps->p) +
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
	struct hwp_xml_parse ps;
	struct rel *r;
	size_t n, cap;
	struct rel **by_id; /* r sorted by Id, for bsearch */
	const char *of;	    /* the part they belong to */
};

static char *copy(const char *s)
{
	return hwp_strdup(s != NULL ? s : "", NULL);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct rels *rs = ud;
	const char *id = hwp_xml_attr(atts, "Id", 0),
		   *target = hwp_xml_attr(atts, "Target", 0),
		   *mode = hwp_xml_attr(atts, "TargetMode", 0);
	struct rel *r;

	if (strcmp(hwp_xml_local(name), "Relationship") != 0 || id == NULL ||
	    target == NULL || (mode != NULL && strcmp(mode, "External") == 0))
		return;
	r = hwp_grow(rs->r, &rs->cap, rs->n, sizeof *rs->r);
	if (r == NULL)
		return hwp_xml_nomem(&rs->ps);
	rs->r = r;
	r = &rs->r[rs->n];
	r->id = copy(id);
	r->type = copy(hwp_xml_attr(atts, "Type", 0));
	r->target = resolve(rs->of, target);
	if (r->id == NULL || r->type == NULL || r->target == NULL) {
		free(r->id), free(r->type), free(r->target);
		return hwp_xml_nomem(&rs->ps);
	}
	rs->n++;
}

static void rels_free(struct rels *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->r[i].id), free(rs->r[i].type), free(rs->r[i].target);
	free(rs->r);
	free(rs->by_id);
	hwp_buf_release(&rs->ps.text);
}

static int cmp_id(const void *a, const void *b)
{
	const struct rel *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

static int cmp_key_id(const void *key, const void *b)
{
	const struct rel *const *y = b;

	return strcmp(key, (*y)->id);
}

/* The target of the first relationship whose type ends with "/kind"
 * (kind NULL: of a relationship whose Id is id, found by bsearch: a
 * workbook of many sheets is not a quadratic scan); borrowed, NULL if
 * none. */
static const char *rels_find(const struct rels *rs, const char *kind,
			     const char *id)
{
	size_t i, k = kind ? strlen(kind) : 0;
	struct rel *const *hit;

	if (kind == NULL) {
		hit = rs->n > 0 ? bsearch(id, rs->by_id, rs->n,
					  sizeof *rs->by_id, cmp_key_id)
				: NULL;
		return hit != NULL ? (*hit)->target : NULL;
	}
	for (i = 0; i < rs->n; i++) {
		const char *t = rs->r[i].type;
		size_t tl = strlen(t);

		if (tl > k && t[tl - k - 1] == '/' &&
		    strcmp(t + tl - k, kind) == 0)
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
	size_t i;

	memset(rs, 0, sizeof *rs);
	rs->ps.x = x;
	rs->of = of;
	snprintf(name, sizeof name, "%.*s_rels/%s.rels", (int)d, of, of + d);
	if (hwp_xlsx_parse(&rs->ps, name, 0, rels_start, NULL, err) < 0)
		return -1;
	if (rs->n == 0)
		return 0;
	rs->by_id = malloc(rs->n * sizeof *rs->by_id);
	if (rs->by_id == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < rs->n; i++)
		rs->by_id[i] = &rs->r[i];
	qsort(rs->by_id, rs->n, sizeof *rs->by_id, cmp_id);
	return 0;
}

/* The workbook: its date system and sheets (name, r:id). */
struct book {
	struct hwp_xml_parse ps;
	struct rels *rels;
	size_t cap; /* of x->sheets */
};

static void XMLCALL book_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct book *bk = ud;
	struct hwp_xlsx *x = bk->ps.x;
	const char *el = hwp_xml_local(name), *v;

	if (strcmp(el, "workbookPr") == 0) {
		v = hwp_xml_attr(atts, "date1904", 0);
		x->date1904 = v != NULL &&
			      (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		const char *sname = hwp_xml_attr(atts, "name", 0),
			   *rid = hwp_xml_attr(atts, "id", 1), *target;
		struct hwp_xlsx_sheet *ns;

		target = rid != NULL ? rels_find(bk->rels, NULL, rid) : NULL;
		if (sname == NULL || target == NULL)
			return hwp_xml_stop(
			    &bk->ps,
			    "part '%s' line %lu: a sheet without a "
			    "name or a part (expected name and r:id "
			    "of a relationship)",
			    bk->ps.part,
			    (unsigned long)XML_GetCurrentLineNumber(bk->ps.p));
		ns = hwp_grow(x->sheets, &bk->cap, x->nsheets, sizeof *ns);
		if (ns == NULL)
			return hwp_xml_nomem(&bk->ps);
		x->sheets = ns;
		ns = x->sheets;
		ns[x->nsheets].name = copy(sname);
		ns[x->nsheets].part = copy(target);
		if (ns[x->nsheets].name == NULL ||
		    ns[x->nsheets].part == NULL) {
			free(ns[x->nsheets].name), free(ns[x->nsheets].part);
			return hwp_xml_nomem(&bk->ps);
		}
		x->nsheets++;
	}
}

/* Shared strings: the text of each <si>, its runs' <t> joined, the
 * phonetic runs (<rPh>) left out. */
struct strings {
	struct hwp_xml_parse ps;
	int in_si, in_rph;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name,
			      const XML_Char **atts)
{
	struct strings *ss = ud;
	const char *el = hwp_xml_local(name);

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
	const char *el = hwp_xml_local(name);

	if (strcmp(el, "t") == 0) {
		ss->ps.collect = 0;
	} else if (strcmp(el, "rPh") == 0) {
		ss->in_rph = 0;
	} else if (strcmp(el, "si") == 0 && ss->in_si) {
		size_t *at =
		    hwp_grow(x->sst_at, &x->capsst, x->nsst, sizeof *at);

		ss->in_si = 0;
		if (at == NULL)
			return hwp_xml_nomem(&ss->ps);
		x->sst_at = at;
		x->sst_at[x->nsst] = x->sst.len;
		if (hwp_buf_add(&x->sst,
				ss->ps.text.data ? ss->ps.text.data : "",
				ss->ps.text.len + 1, NULL) < 0)
			return hwp_xml_nomem(&ss->ps);
		x->nsst++;
	}
}

/* Styles: which cell formats (cellXfs) show a number as a date. */
struct styles {
	struct hwp_xml_parse ps;
	int in_xfs;
	long *date_fmts; /* custom number formats that are dates */
	size_t nfmts, capfmts;
	int sorted; /* date_fmts in order, for bsearch */
	size_t capxf;
};

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

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
		case 'd':
		case 'D':
		case 'y':
		case 'Y':
		case 'h':
		case 'H':
		case 's':
		case 'S':
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
	const char *el = hwp_xml_local(name),
		   *id = hwp_xml_attr(atts, "numFmtId", 0);
	long n = id != NULL ? strtol(id, NULL, 10) : 0;
	unsigned char *nx;
	int date;

	if (strcmp(el, "cellXfs") == 0) {
		sy->in_xfs = 1;
	} else if (strcmp(el, "numFmt") == 0) {
		const char *code = hwp_xml_attr(atts, "formatCode", 0);

		if (id == NULL || code == NULL || !code_is_date(code))
			return;
		long *nf = hwp_grow(sy->date_fmts, &sy->capfmts, sy->nfmts,
				    sizeof *nf);

		if (nf == NULL)
			return hwp_xml_nomem(&sy->ps);
		sy->date_fmts = nf;
		sy->date_fmts[sy->nfmts++] = n;
		sy->sorted = 0;
	} else if (strcmp(el, "xf") == 0 && sy->in_xfs) {
		/* Sorted once, searched for each style: a file of many
		 * formats and many styles is not a quadratic scan. */
		if (!sy->sorted && sy->nfmts > 0)
			qsort(sy->date_fmts, sy->nfmts, sizeof *sy->date_fmts,
			      cmp_long);
		sy->sorted = 1;
		date = builtin_date(n) ||
		       (sy->nfmts > 0 &&
			bsearch(&n, sy->date_fmts, sy->nfmts,
				sizeof *sy->date_fmts, cmp_long) != NULL);
		nx = hwp_grow(x->xf_date, &sy->capxf, x->nxf, 1);
		if (nx == NULL)
			return hwp_xml_nomem(&sy->ps);
		x->xf_date = nx;
		x->xf_date[x->nxf++] = (unsigned char)date;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct styles *sy = ud;

	if (strcmp(hwp_xml_local(name), "cellXfs") == 0)
		sy->in_xfs = 0;
}

int hwp_xlsx_parse(struct hwp_xml_parse *ps, const char *part, int required,
		   XML_StartElementHandler start, XML_EndElementHandler end,
		   struct hw_error *err)
{
	int rc;

	ps->p = XML_ParserCreateNS(NULL, '|');
	if (ps->p == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	XML_SetUserData(ps->p, ps);
	ps->start = start;
	ps->end = end;
	ps->depth = 0;
	XML_SetElementHandler(ps->p, depth_start, depth_end);
	rc = parse_part(ps, part, required, err);
	XML_ParserFree(ps->p);
	ps->p = NULL;
	return rc < 0 ? -1 : 0;
}

/* The sizes the zip states, for progress (never for a limit). */
static void stated_sizes(struct hwp_xlsx *x)
{
	zip_int64_t i, n = zip_get_num_entries(x->zip, 0);
	zip_stat_t st;

	for (i = 0; i < n; i++)
		if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) == 0 &&
		    (st.valid & ZIP_STAT_SIZE) && st.size < (1ULL << 40))
			x->stated += st.size;
}

void hwp_xlsx_progress(const struct hwp_xlsx *x, long long *done,
		       long long *total)
{
	*done = (long long)(x->bound - x->budget);
	*total = (long long)(x->stated > x->bound - x->budget
				 ? x->stated
				 : x->bound - x->budget);
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
	fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO: no wait */
	if (fd < 0 || fstat(fd, &sb) != 0)
		why = strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		why = "not a regular file";
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
		why = strerror(errno);
	if (why != NULL) {
		hw_error_set_at(err, HW_EIO, x->path, 0, 0,
				"cannot read it: %s (expected an xlsx "
				"workbook)",
				why);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	x->bound =
	    (unsigned long long)sb.st_size * HWP_XLSX_RATIO + HWP_XLSX_SLACK;
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
	stated_sizes(x);
	if (rels_read(x, "", &top, err) < 0)
		goto out;
	book_part = rels_find(&top, "officeDocument", NULL);
	book =
	    hwp_strdup(book_part != NULL ? book_part : "xl/workbook.xml", NULL);
	if (book == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	if (rels_read(x, book, &wb, err) < 0)
		goto out;
	bk.ps.x = x;
	bk.rels = &wb;
	if (hwp_xlsx_parse(&bk.ps, book, 1, book_start, NULL, err) < 0)
		goto out;
	part = rels_find(&wb, "sharedStrings", NULL);
	ss.ps.x = x;
	if (part != NULL &&
	    hwp_xlsx_parse(&ss.ps, part, 0, sst_start, sst_end, err) < 0)
		goto out;
	part = rels_find(&wb, "styles", NULL);
	sy.ps.x = x;
	if (part != NULL &&
	    hwp_xlsx_parse(&sy.ps, part, 0, styles_start, styles_end, err) < 0)
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

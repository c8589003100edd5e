/*
 * util.c: small containers the library shares: a string arena, a pool of
 * memory freed or reused all at once, and an open-addressing hash map
 * from 64-bit keys or strings to 32-bit values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw-private.h"

void *hwp_grow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *np;

	if (n < *cap)
		return p;
	while (c <= n) {
		if (c > SIZE_MAX / 2 / size)
			return NULL;
		c *= 2;
	}
	np = realloc(p, c * size);
	if (np != NULL)
		*cap = c;
	return np;
}

#define ARENA_BLOCK (1u << 20)

const char *hwp_arena_dup(struct hwp_arena *a, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (a->nblocks == 0 || a->used + len > a->cap) {
		size_t cap = len > ARENA_BLOCK ? len : ARENA_BLOCK;
		char **grown =
		    realloc(a->blocks, (a->nblocks + 1) * sizeof *grown);

		if (grown == NULL)
			return NULL;
		a->blocks = grown;
		if ((a->blocks[a->nblocks] = malloc(cap)) == NULL)
			return NULL;
		a->nblocks++;
		a->used = 0;
		a->cap = cap;
	}
	p = a->blocks[a->nblocks - 1] + a->used;
	memcpy(p, s, len);
	a->used += len;
	return p;
}

#define POOL_BLOCK (256u << 10)

void *hwp_pool_alloc(struct hwp_pool *p, size_t size)
{
	size_t cap;
	void *r;

	size = (size + 7) & ~(size_t)7;
	/* The block in use, then blocks kept by a reset, then a new one. */
	for (; p->cur < p->nblocks; p->cur++, p->used = 0)
		if (p->used + size <= p->sizes[p->cur]) {
			r = p->blocks[p->cur] + p->used;
			p->used += size;
			return r;
		}
	cap = size > POOL_BLOCK ? size : POOL_BLOCK;
	if (p->nblocks == p->capblocks) {
		size_t n = p->capblocks ? p->capblocks * 2 : 8;
		char **b = realloc(p->blocks, n * sizeof *b);
		size_t *z;

		if (b == NULL)
			return NULL;
		p->blocks = b;
		z = realloc(p->sizes, n * sizeof *z);
		if (z == NULL)
			return NULL;
		p->sizes = z;
		p->capblocks = n;
	}
	if ((p->blocks[p->nblocks] = malloc(cap)) == NULL)
		return NULL;
	p->sizes[p->nblocks] = cap;
	p->cur = p->nblocks++;
	p->used = size;
	return p->blocks[p->cur];
}

char *hwp_pool_strdup(struct hwp_pool *p, const char *s, size_t len)
{
	char *d = hwp_pool_alloc(p, len + 1);

	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

void hwp_pool_reset(struct hwp_pool *p)
{
	p->cur = 0;
	p->used = 0;
}

void hwp_pool_free(struct hwp_pool *p)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	free(p->sizes);
	memset(p, 0, sizeof *p);
}

void hwp_arena_free(struct hwp_arena *a)
{
	size_t i;

	for (i = 0; i < a->nblocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof *a);
}

void *hwp_alloc_big(size_t size)
{
	const size_t huge = (size_t)2 << 20;
	size_t rounded;
	void *p;

	if (size < huge)
		return malloc(size);
	rounded = (size + huge - 1) / huge * huge;
	if (rounded < size || (p = aligned_alloc(huge, rounded)) == NULL)
		return malloc(size);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, rounded, MADV_HUGEPAGE); /* a hint: fine if not */
#endif
	return p;
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t map_hash(const struct hwp_map *m, uint64_t key)
{
	return m->strings ? hash_str((const char *)(uintptr_t)key)
			  : hash_u64(key);
}

static int map_eq(const struct hwp_map *m, uint64_t a, uint64_t b)
{
	return m->strings ? strcmp((const char *)(uintptr_t)a,
				   (const char *)(uintptr_t)b) == 0
			  : a == b;
}

/* Slot of key: where it is, or the empty slot where it would go. */
static size_t map_slot(const struct hwp_map *m, uint64_t key)
{
	size_t i = map_hash(m, key) & (m->cap - 1);

	while (m->vals[i] != HWP_NONE && !map_eq(m, m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int map_grow(struct hwp_map *m)
{
	struct hwp_map old = *m;
	size_t i, cap = old.cap ? old.cap * 2 : 1024;

	m->keys = malloc(cap * sizeof *m->keys);
	m->vals = malloc(cap * sizeof *m->vals);
	if (m->keys == NULL || m->vals == NULL) {
		free(m->keys);
		free(m->vals);
		*m = old;
		return -1;
	}
	memset(m->vals, 0xff, cap * sizeof *m->vals);
	m->cap = cap;
	m->count = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.vals[i] != HWP_NONE) {
			size_t j = map_slot(m, old.keys[i]);

			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
			m->count++;
		}
	}
	free(old.keys);
	free(old.vals);
	return 0;
}

uint32_t hwp_map_get(const struct hwp_map *m, uint64_t key)
{
	return m->cap ? m->vals[map_slot(m, key)] : HWP_NONE;
}

/* Insert key -> val unless present; returns the value now stored, or
 * HWP_NONE when out of memory. */
uint32_t hwp_map_put(struct hwp_map *m, uint64_t key, uint32_t val)
{
	size_t i;

	if ((m->count + 1) * 2 > m->cap && map_grow(m) < 0)
		return HWP_NONE;
	i = map_slot(m, key);
	if (m->vals[i] == HWP_NONE) {
		m->keys[i] = key;
		m->vals[i] = val;
		m->count++;
	}
	return m->vals[i];
}

void hwp_map_free(struct hwp_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

size_t hwp_utf8_char(const unsigned char *p, unsigned *cp_out)
{
	unsigned c = *p, cp;
	int n = c < 0x80	     ? 0
		: (c & 0xe0) == 0xc0 ? 1
		: (c & 0xf0) == 0xe0 ? 2
		: (c & 0xf8) == 0xf0 ? 3
				     : -1;
	int i;

	if (n < 0)
		return 0;
	cp = n == 0 ? c : n == 1 ? c & 0x1f : n == 2 ? c & 0x0f : c & 0x07;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* a NUL ends it here too */
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF. */
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
	    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp_out != NULL)
		*cp_out = cp;
	return (size_t)n + 1;
}

int hwp_text_check(const char *s, const char *what, struct hw_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;
	size_t n;

	if (s == NULL)
		return 0;
	while (*p != '\0') {
		n = hwp_utf8_char(p, &cp);
		if (n == 0)
			return hw_error_set(
			    err, HW_EINVAL,
			    "%s is not valid UTF-8 text (byte %zu)", what,
			    (size_t)(p - (const unsigned char *)s) + 1);
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return hw_error_set(
			    err, HW_EINVAL,
			    "%s contains a control character "
			    "(byte %zu)",
			    what, (size_t)(p - (const unsigned char *)s) + 1);
		p += n;
	}
	return 0;
}

int hwp_text_check_max(const char *s, const char *what, size_t max,
		       struct hw_error *err)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n > max)
		return hw_error_set(err, HW_EINVAL,
				    "%s is %zu bytes long (expected at most "
				    "%zu)",
				    what, n, max);
	return hwp_text_check(s, what, err);
}

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t m)
{
	return S_ISFIFO(m)   ? "a FIFO"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISSOCK(m) ? "a socket"
			     : "not a file";
}

FILE *hwp_fopen_input(const char *path, struct hw_error *err)
{
	struct stat sb;
	FILE *fp;
	int fd, fl;

	/* O_NONBLOCK: a FIFO without a writer opens at once. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
			     strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0) {
		hw_error_set(err, HW_EIO, "cannot read '%s': %s", path,
			     strerror(errno));
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		hw_error_set(err, HW_EINVAL,
			     "'%s' is a directory (expected a file)", path);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		hw_error_set(err, HW_EINVAL, "'%s' is not a regular file (%s)",
			     path, file_kind(sb.st_mode));
		goto fail;
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
	    (fp = fdopen(fd, "rb")) == NULL) {
		hw_error_set(err, HW_EIO, "cannot read '%s': %s", path,
			     strerror(errno));
		goto fail;
	}
	return fp;
fail:
	close(fd);
	return NULL;
}

int hwp_helper_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

/*
 * baseline.c: the SP 800-53B baselines (data/sp800-53b-baselines.csv),
 * the controls a change engages (data/change-controls.csv), both read
 * with the one CSV reader, and the counts of controls between two
 * baselines: in all, per control and per family.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* SP 800-53B baselines                                                */

const char *hw_control_label(const char *id, char *buf, size_t size)
{
	size_t n = 0;
	int open = 0;

	if (size == 0)
		return buf;
	for (; *id != '\0' && n + 2 < size; id++) {
		if (*id == '.' && !open) {
			buf[n++] = '(';
			open = 1;
		} else if (*id >= 'a' && *id <= 'z') {
			buf[n++] = (char)(*id - 'a' + 'A');
		} else {
			buf[n++] = *id;
		}
	}
	if (open)
		buf[n++] = ')';
	buf[n] = '\0';
	return buf;
}

void hw_baselines_release(struct hw_baselines *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->count; i++) {
		free(b->controls[i].id);
		free(b->controls[i].family);
		free(b->controls[i].title);
	}
	free(b->controls);
	memset(b, 0, sizeof *b);
}

/* The baselines being read, and the controls they have room for. */
struct baselines_ctx {
	struct hw_baselines *b;
	size_t cap;
};

static int on_control(void *ctx, const struct hwp_csv_row *r,
		      struct hw_error *err)
{
	struct baselines_ctx *bc = ctx;
	struct hw_baselines *b = bc->b;
	struct hw_control *c;
	int l;

	if (r->n != 6 || r->f[0][0] == '\0' || r->f[1][0] == '\0')
		return hw_error_set_at(err, HW_EFORMAT, r->path, r->line,
				       r->n < 0 ? r->col : 1,
				       "expected 6 comma-separated fields "
				       "with a control id and a family");
	if (b->count == bc->cap) {
		size_t nc = bc->cap ? bc->cap * 2 : 512;
		struct hw_control *g = realloc(b->controls, nc * sizeof *g);

		if (g == NULL)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		b->controls = g;
		bc->cap = nc;
	}
	c = &b->controls[b->count];
	memset(c, 0, sizeof *c);
	for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++) {
		const char *v = r->f[3 + l - HW_LEVEL_LOW];

		if (strcmp(v, "1") == 0) {
			c->in |= 1u << l;
			b->size[l]++;
		} else if (strcmp(v, "0") != 0) {
			return hw_error_set_at(err, HW_EFORMAT, r->path,
					       r->line, 1,
					       "%s: expected 0 or 1 in column "
					       "%s",
					       r->f[0],
					       hw_level_name((enum hw_level)l));
		}
	}
	c->id = strdup(r->f[0]);
	c->family = strdup(r->f[1]);
	c->title = strdup(r->f[2]);
	b->count++;
	if (!c->id || !c->family || !c->title)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

int hw_baselines_load(struct hw_baselines *b, const char *path,
		      struct hw_error *err)
{
	struct baselines_ctx bc = {b, 0};

	memset(b, 0, sizeof *b);
	if (hwp_csv_read(path, "control_id,family,title,low,moderate,high", 6,
		     on_control, &bc, err) < 0) {
		hw_baselines_release(b);
		return -1;
	}
	return 0;
}

size_t hw_baselines_gap(const struct hw_baselines *b, int from, int to,
			const char *family)
{
	unsigned have = from >= HW_LEVEL_LOW && from <= HW_LEVEL_HIGH
			    ? 1u << from
			    : 0;
	unsigned need = to >= HW_LEVEL_LOW && to <= HW_LEVEL_HIGH ? 1u << to
								   : 0;
	size_t i, n = 0;

	for (i = 0; i < b->count; i++) {
		const struct hw_control *c = &b->controls[i];

		if ((c->in & need) && !(c->in & have) &&
		    (family == NULL || strcmp(c->family, family) == 0))
			n++;
	}
	return n;
}

size_t hw_control_gap(const struct hw_control *c,
		      const struct hw_baseline_pairs *p)
{
	size_t n = 0;
	int have, req;

	for (req = HW_LEVEL_LOW; req <= HW_LEVEL_HIGH; req++) {
		if (!(c->in & (1u << req)))
			continue;
		for (have = 0; have <= HW_LEVEL_HIGH; have++)
			if (have < HW_LEVEL_LOW || !(c->in & (1u << have)))
				n += p->n[have][req];
	}
	return n;
}

/* Linear in the controls (the plan asks once an asset): only the pairs
 * with assets are looked at, and a family's controls usually stand
 * together, so the last family found is tried first. */
size_t hw_baselines_families(const struct hw_baselines *b,
			     const struct hw_baseline_pairs *p,
			     struct hw_family_gap out[HW_FAMILIES_MAX])
{
	struct {
		unsigned have, need; /* baseline bits: 0 for none */
		size_t n;
	} cell[(HW_LEVEL_HIGH + 1) * (HW_LEVEL_HIGH + 1)];
	size_t i, k, nfam = 0, last = 0, ncell = 0;
	int have, req;

	for (have = 0; have <= HW_LEVEL_HIGH; have++)
		for (req = HW_LEVEL_LOW; req <= HW_LEVEL_HIGH; req++)
			if (p->n[have][req] > 0) {
				cell[ncell].have =
				    have >= HW_LEVEL_LOW ? 1u << have : 0;
				cell[ncell].need = 1u << req;
				cell[ncell++].n = p->n[have][req];
			}
	for (i = 0; i < b->count; i++) {
		const struct hw_control *c = &b->controls[i];

		if (nfam == 0 || strcmp(out[last].family, c->family) != 0) {
			for (k = 0; k < nfam; k++)
				if (strcmp(out[k].family, c->family) == 0)
					break;
			if (k == nfam) {
				if (nfam == HW_FAMILIES_MAX)
					continue;
				out[nfam].family = c->family;
				out[nfam].first = c->id;
				out[nfam++].controls = 0;
			}
			last = k;
		}
		for (k = 0; k < ncell; k++)
			if ((c->in & cell[k].need) && !(c->in & cell[k].have))
				out[last].controls += cell[k].n;
	}
	return nfam;
}

/* ------------------------------------------------------------------ */
/* The controls a change engages                                       */

struct change_ctx {
	const struct hw_baselines *b;
	struct hw_change_control *v;
	size_t n;
};

static int on_change_control(void *ctx, const struct hwp_csv_row *r,
			     struct hw_error *err)
{
	struct change_ctx *cc = ctx;
	size_t k;

	if (r->n != 2 || r->f[0][0] == '\0')
		return hw_error_set_at(err, HW_EFORMAT, r->path, r->line,
				       r->n < 0 ? r->col : 1,
				       "expected a control id and what "
				       "engages it");
	for (k = 0; k < cc->b->count; k++)
		if (strcmp(cc->b->controls[k].id, r->f[0]) == 0)
			break;
	if (k == cc->b->count || cc->n == HW_CHANGE_CONTROLS_MAX)
		return hw_error_set_at(err, HW_EFORMAT, r->path, r->line, 1,
				       k == cc->b->count
					   ? "%s: not an SP 800-53B control"
					   : "%s: more than 64 controls",
				       r->f[0]);
	cc->v[cc->n].c = &cc->b->controls[k];
	if ((cc->v[cc->n].why = strdup(r->f[1])) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	cc->n++;
	return 0;
}

int hw_change_controls_load(const struct hw_baselines *b, const char *path,
			    struct hw_change_control **out, size_t *n,
			    struct hw_error *err)
{
	struct change_ctx cc = {b, NULL, 0};

	cc.v = calloc(HW_CHANGE_CONTROLS_MAX, sizeof *cc.v);
	if (cc.v == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	if (hwp_csv_read(path, "control_id,engaged_by", 3, on_change_control,
		     &cc, err) < 0) {
		hw_change_controls_free(cc.v, cc.n);
		return -1;
	}
	*out = cc.v;
	*n = cc.n;
	return 0;
}

void hw_change_controls_free(struct hw_change_control *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].why);
	free(v);
}

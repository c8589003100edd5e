/*
 * change-draft.c: what change new and change edit are told, a draft,
 * recorded or merged into the change it amends; and one later step on
 * a change as its options or a body give it, taken.  The CLI and the
 * service fill the same structs and make the same calls.
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"
/* after highwater.h */
#include "change.h"

void hw_change_draft_release(struct hw_change_draft *d)
{
	if (d == NULL)
		return;
	hw_change_release(&d->c);
	memset(d, 0, sizeof *d);
}

void hw_change_step_release(struct hw_change_step *s)
{
	if (s == NULL)
		return;
	free(s->reason);
	free(s->chair);
	memset(s, 0, sizeof *s);
}

int hw_change_draft_new(struct hw_store *st, struct hw_change_draft *d,
			hw_time at, long long *n, struct hw_error *err)
{
	if (!d->title || d->c.title == NULL)
		return hw_error_set(err, HW_EINVAL, "missing title");
	if (!d->targets || d->c.ntargets == 0)
		return hw_error_set(err, HW_EINVAL, "missing target");
	if (hw_change_new(st, &d->c, at, err) < 0)
		return -1;
	*n = d->c.n;
	return 0;
}

/* Merge the given parts of d into c (c's own are replaced; d's are
 * taken over). */
static int merge(struct hw_change *c, struct hw_change_draft *d,
		 struct hw_error *err)
{
	struct hw_change_edit *e;
	size_t i;

	e = realloc(c->edits, (c->nedits + d->c.nedits + 1) * sizeof *e);
	if (e == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	c->edits = e;
	if (d->title) {
		free(c->title);
		c->title = d->c.title;
		d->c.title = NULL;
	}
	if (d->description) {
		free(c->description);
		c->description =
		    d->c.description != NULL && d->c.description[0] != '\0'
			? d->c.description
			: NULL;
		if (c->description == NULL)
			free(d->c.description);
		d->c.description = NULL;
	}
	if (d->planned)
		c->planned = d->c.planned;
	if (d->targets) {
		for (i = 0; i < c->ntargets; i++)
			free(c->targets[i]);
		free(c->targets);
		c->targets = d->c.targets;
		c->ntargets = d->c.ntargets;
		d->c.targets = NULL;
		d->c.ntargets = 0;
	}
	if (d->clear_edits) {
		for (i = 0; i < c->nedits; i++)
			hw_change_edit_release(&c->edits[i]);
		c->nedits = 0;
	}
	for (i = 0; i < d->c.nedits; i++)
		c->edits[c->nedits++] = d->c.edits[i];
	d->c.nedits = 0;
	return 0;
}

int hw_change_draft_amend(struct hw_store *st, long long n,
			  struct hw_change_draft *d, struct hw_error *err)
{
	struct hw_change c = {0};
	int rc = -1;

	if (hw_store_change_get(st, n, &c, err) < 0)
		return -1;
	if (merge(&c, d, err) == 0)
		rc = hw_change_amend(st, &c, err);
	hw_change_release(&c);
	return rc;
}

int hw_change_step_run(struct hw_store *st, long long n,
		       const struct hw_change_step *s,
		       struct json_t **assessment, struct hw_error *err)
{
	hw_time at = s->at != 0 ? s->at : hw_time_now();

	switch (s->kind) {
	case HW_STEP_ASSESS:
		return hw_change_assess(st, n, at, assessment, err);
	case HW_STEP_DECIDE:
		return hw_change_decide(st, n, s->approve, s->reason, s->chair,
					at, err);
	case HW_STEP_IMPLEMENT:
		return hw_change_implement(st, n, at, err);
	case HW_STEP_CLOSE:
		return hw_change_close(st, n, s->result, at, err);
	case HW_STEP_CANCEL:
		return hw_change_cancel(st, n, at, err);
	case HW_STEP_REVERT:
		return hw_change_revert(st, n, at, err);
	}
	return hw_error_set(err, HW_EINVAL, "no such step");
}

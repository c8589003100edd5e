/*
 * baseline.h: the SP 800-53B baselines, the controls a change engages,
 * and counts of the controls between baselines (baseline.c).  Included
 * by highwater.h; include highwater.h, not this.
 */
#ifndef HW_BASELINE_H
#define HW_BASELINE_H

/* SP 800-53B baselines (data/sp800-53b-baselines.csv). */
struct hw_control {
	char *id, *family, *title;
	unsigned in; /* bit l set: in the baseline of level l */
};
struct hw_baselines {
	struct hw_control *controls;
	size_t count;
	size_t size[HW_LEVEL_HIGH + 1]; /* controls per baseline level */
};

/* A control id as NIST writes it: "ac-2.1" as "AC-2(1)", "cm-3" as
 * "CM-3".  Writes buf (cut to size); returns it. */
const char *hw_control_label(const char *id, char *buf, size_t size);

/* Load the CSV (control_id,family,title,low,moderate,high). */
int hw_baselines_load(struct hw_baselines *b, const char *path,
		      struct hw_error *err);
void hw_baselines_release(struct hw_baselines *b);

/* Controls in the baseline of level to but not in that of from (0 =
 * none); with family (may be NULL) only that family's. */
size_t hw_baselines_gap(const struct hw_baselines *b, int from, int to,
			const char *family);

/* Assets by the baseline they have implemented (0: none or not
 * recorded) and the one they require (n[have][required]). */
struct hw_baseline_pairs {
	size_t n[HW_LEVEL_HIGH + 1][HW_LEVEL_HIGH + 1];
};

/* Controls of c missing from the assets of p: summed over the assets
 * whose required baseline selects c and implemented one does not. */
size_t hw_control_gap(const struct hw_control *c,
		      const struct hw_baseline_pairs *p);

/* Controls per family, the one count: for each family in catalogue
 * order (the first HW_FAMILIES_MAX; SP 800-53 has 20), the controls
 * missing from the assets of p, summed over its controls as
 * hw_control_gap counts them (0 included).  Family names and ids are
 * borrowed from b.  Returns the number of families written to out. */
#define HW_FAMILIES_MAX 64
struct hw_family_gap {
	const char *family; /* "Access Control" */
	const char *first;  /* the id of its first control, "ac-1" */
	size_t controls;    /* controls missing, summed over assets */
};
size_t hw_baselines_families(const struct hw_baselines *b,
			     const struct hw_baseline_pairs *p,
			     struct hw_family_gap out[HW_FAMILIES_MAX]);

/* The controls a change engages (data/change-controls.csv, with the
 * header control_id,engaged_by): each an SP 800-53B control of b, at
 * most HW_CHANGE_CONTROLS_MAX, in the file's order. */
#define HW_CHANGE_CONTROLS_MAX 64
struct hw_change_control {
	const struct hw_control *c; /* borrowed from the baselines */
	char *why;		    /* what engages it */
};

/* Read path into a new array *out of *n entries (free with
 * hw_change_controls_free; it borrows from b, which must outlive it). */
int hw_change_controls_load(const struct hw_baselines *b, const char *path,
			    struct hw_change_control **out, size_t *n,
			    struct hw_error *err);
void hw_change_controls_free(struct hw_change_control *v, size_t n);

#endif /* HW_BASELINE_H */

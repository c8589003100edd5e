/*
 * register.h: the risk register and the data-quality findings
 * (register.c).  Included by highwater.h; include highwater.h, not this.
 */
#ifndef HW_REGISTER_H
#define HW_REGISTER_H

struct hw_risk_entry {
	uint32_t node;		 /* in the graph */
	long rank;		 /* 1-based: score, then id */
	unsigned char estimated; /* dependents estimated (a large set) */
	struct hw_risk_input in;
	struct hw_risk risk;
};

/* Score every asset of g, a whole-graph load (categorized here if it is
 * not yet), with its factors from st, as of today.  Returns a new array
 * of hw_graph_size() entries in rank order (free()). */
struct hw_risk_entry *hw_risk_register(struct hw_store *st, struct hw_graph *g,
				       const struct hw_weights *w,
				       int32_t today, struct hw_error *err);

enum hw_severity { HW_SEV_LOW = 1, HW_SEV_MODERATE, HW_SEV_HIGH };
const char *hw_severity_name(enum hw_severity s); /* "low" ... */
int hw_severity_parse(const char *s, enum hw_severity *out,
		      struct hw_error *err);

enum hw_finding_kind {
	HW_FIND_UNAUTHORIZED,	  /* high */
	HW_FIND_UNCATEGORIZED,	  /* no own level at all; and partly */
	HW_FIND_PARTIAL,	  /* categorized: high if nothing is inherited
				     either, moderate if part, low if all */
	HW_FIND_NO_OWNER,	  /* moderate */
	HW_FIND_UNDER_CATEGORIZED, /* moderate: own two steps below needs */
	HW_FIND_WEAK_JUSTIFICATION, /* low: adjusted with a placeholder */
	HW_FIND_LOWER_BOUND,	  /* partly categorized: the overall level
				     is a lower bound; high below MODERATE,
				     else moderate */
	HW_FIND_AUTH_UNKNOWN,	  /* low: nobody recorded whether it is
				     authorized (asset authorize) */
	HW_FIND_COUNT
};
const char *hw_finding_name(enum hw_finding_kind k);

struct hw_finding {
	enum hw_finding_kind kind;
	enum hw_severity severity;
	uint32_t node;	  /* the asset, in the graph */
	char detail[200]; /* what exactly, with the figures */
};

/* Data-quality findings of the inventory in g (a whole-graph load,
 * categorized here if it is not yet): most severe first, then by asset
 * id, then kind, in a new array *out (free(); may be NULL when *n is
 * 0). */
int hw_check(struct hw_store *st, struct hw_graph *g, struct hw_finding **out,
	     size_t *n, struct hw_error *err);

#endif /* HW_REGISTER_H */

/*
 * impact.c: the words for an impact summary's route, shared by the
 * impact command's text and the change report's Summary sheet.
 */
#include <stdio.h>
#include <string.h>

#include "highwater.h"

const char *hw_impact_route_why(const struct hw_impact_summary *sum,
				enum hw_level cab_review)
{
	if (strcmp(sum->route, "full-cab") == 0)
		return "the change touches assets at or above the full-CAB "
		       "level";
	if (strcmp(sum->route, "cab-review") == 0)
		return sum->top >= cab_review ? "the change touches assets at "
						"or above the CAB-review level"
				   : sum->count[HW_LEVEL_NONE] > 0
				       ? "some touched assets have no level"
				       : "some touched assets are partly "
					 "categorized: their level is a "
					 "lower bound";
	return "only low-impact assets are touched";
}

const char *hw_impact_route_reason(const struct hw_graph *g,
				   const struct hw_impact *imp,
				   const struct hw_impact_summary *sum,
				   enum hw_level full_cab,
				   enum hw_level cab_review, char *buf,
				   size_t size)
{
	enum hw_level decided = sum->top;
	size_t i, n = 0, shown = 0, len;
	const char *level;
	int by_bound = 0; /* a lower bound, not a level, called for review */

	if (size == 0)
		return buf;
	if (strcmp(sum->route, "cab-review") == 0 && sum->top < cab_review) {
		if (sum->count[HW_LEVEL_NONE] > 0)
			decided = HW_LEVEL_NONE;
		else
			by_bound = sum->partial > 0;
	}
	level = decided == HW_LEVEL_NONE ? "UNCATEGORIZED"
					 : hw_level_upper(decided);
	if (strcmp(sum->route, "full-cab") == 0)
		snprintf(buf, size,
			 "%s decided it: the highest level touched reaches "
			 "the full-CAB threshold (route.full_cab %s)",
			 level, hw_level_upper(full_cab));
	else if (by_bound)
		snprintf(buf, size,
			 "a lower bound decided it: %zu touched asset%s partly "
			 "categorized (at least %s, some objectives unknown), "
			 "which calls for a CAB review (route.cab_review %s)",
			 sum->partial, sum->partial == 1 ? " is" : "s are",
			 level, hw_level_upper(cab_review));
	else if (decided == HW_LEVEL_NONE)
		snprintf(buf, size,
			 "UNCATEGORIZED decided it: %zu touched asset%s no "
			 "level, which calls for a CAB review (the highest "
			 "known level, %s, is below route.cab_review %s)",
			 sum->count[HW_LEVEL_NONE],
			 sum->count[HW_LEVEL_NONE] == 1 ? " has" : "s have",
			 sum->top == HW_LEVEL_NONE ? "none"
						   : hw_level_upper(sum->top),
			 hw_level_upper(cab_review));
	else if (strcmp(sum->route, "cab-review") == 0)
		snprintf(buf, size,
			 "%s decided it: the highest level touched reaches "
			 "the CAB-review threshold (route.cab_review %s), "
			 "below full CAB (route.full_cab %s)",
			 level, hw_level_upper(cab_review),
			 hw_level_upper(full_cab));
	else
		snprintf(buf, size,
			 "%s decided it: the highest level touched is below "
			 "the CAB-review threshold (route.cab_review %s)",
			 decided == HW_LEVEL_NONE ? "nothing" : level,
			 hw_level_upper(cab_review));
	for (i = 0; i < imp->count; i++) {
		uint32_t v = imp->members[i];

		if (by_bound ? !hw_sc_partial(hw_graph_effective(g, v))
			     : hw_sc_overall(hw_graph_effective(g, v)) !=
				   decided)
			continue;
		len = strlen(buf);
		if (shown < 3 && len + 1 < size) {
			snprintf(buf + len, size - len, "%s%s",
				 shown ? ", " : "; highest assets touched: ",
				 hw_graph_id(g, v));
			shown++;
		}
		n++;
	}
	len = strlen(buf);
	if (n > shown && len + 1 < size)
		snprintf(buf + len, size - len, " +%zu more", n - shown);
	return buf;
}

/*
 * impact.c: the words for an impact summary's route, shared by the
 * impact command's text and the change report's Summary sheet.
 */
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

/*
 * cmd-import-oscal.c: "highwater import --format oscal FILE --asset ID",
 * an OSCAL system security plan's information types assigned to one
 * asset (hw_import_oscal), and what was assigned, a line a type.
 */
#include "cmd.h"

/* "low/moderate/low" into buf. */
static const char *levels_text(const struct hw_sc *sc, char buf[40])
{
	snprintf(buf, 40, "%s/%s/%s",
		 hw_level_name(sc->v[HW_C]) ? hw_level_name(sc->v[HW_C]) : "-",
		 hw_level_name(sc->v[HW_I]) ? hw_level_name(sc->v[HW_I]) : "-",
		 hw_level_name(sc->v[HW_A]) ? hw_level_name(sc->v[HW_A]) : "-");
	return buf;
}

static json_t *import_json(const char *file, const char *asset, int dry,
			   const struct hw_oscal_import *r)
{
	json_t *types = json_array(), *t;
	size_t i;

	for (i = 0; i < r->ntypes && types != NULL; i++) {
		const struct hw_assignment *g = &r->types[i].g;

		t = json_pack("{s:s, s:o, s:o, s:b, s:s?, s:b}", "id",
			      g->type_id, "selected", hw_json_sc(&g->selected),
			      "base", hw_json_sc(&g->base), "adjusted",
			      hw_assignment_adjusted(g), "justification",
			      g->justification, "added", r->types[i].added);
		if (t == NULL || json_array_append_new(types, t) < 0) {
			json_decref(types);
			types = NULL;
		}
	}
	return types == NULL
		   ? NULL
		   : json_pack("{s:s, s:s, s:s, s:b, s:o}", "file", file,
			       "asset", asset, "ssp", r->title, "dry_run", dry,
			       "information_types", types);
}

int cmd_import_oscal(struct cli *cli, const char *file, const char *asset,
		     int dry)
{
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	char sel[40], base[40];
	size_t i;

	if (hw_import_oscal(cli->st, file, asset, dry, &r, &err) < 0)
		return cli_fail(cli, &err);
	if (cli->json) {
		int rc = cli_print_json(cli, import_json(file, asset, dry, &r));

		hw_oscal_import_release(&r);
		return rc;
	}
	if (!cli->quiet) {
		printf("%s %zu information type%s from SSP \"%s\" to '%s'%s\n",
		       dry ? "dry run: would import" : "imported", r.ntypes,
		       r.ntypes == 1 ? "" : "s", r.title, asset,
		       dry ? " (nothing changed)" : "");
		for (i = 0; i < r.ntypes; i++) {
			const struct hw_assignment *g = &r.types[i].g;

			printf("%s  %s  %s", g->type_id,
			       levels_text(&g->selected, sel),
			       r.types[i].added ? "new type, " : "");
			if (hw_assignment_adjusted(g))
				printf("adjusted from %s: %s\n",
				       levels_text(&g->base, base),
				       g->justification);
			else
				printf("not adjusted\n");
		}
	}
	hw_oscal_import_release(&r);
	return 0;
}

/*
 * routes.c: every route table of the service, in the order the router
 * tries them (a route file adds its table here).
 */
#include "serve-private.h"

const struct hws_route *const hws_route_tables[] = {
    hws_routes_meta,
    hws_routes_assets,
    hws_routes_infotypes,
    hws_routes_deps,
    hws_routes_analysis,
    hws_routes_data,
    hws_routes_reports,
    hws_routes_changes,
    hws_routes_incidents,
    hws_routes_baselines,
    hws_routes_audit,
    hws_routes_users,
    hws_routes_config,
    hws_routes_web,
    NULL,
};

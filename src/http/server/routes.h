/* routes.h - the one table of the HTTP API: per route its path pattern, the methods each
 * row answers, its handler, whether it is a cacheable document or slow work, its
 * operationId and the parameters it takes. The router (server/router.c) matches on it,
 * the Allow header and OPTIONS come from its methods, handlers check query parameters
 * against it (api_check_params) and the OpenAPI document (server/api_openapi*.c) lists
 * its paths, operations and parameter references from it; so a route cannot be served
 * without being documented, or take a parameter /api does not name. */
#ifndef CITYATLAS_HTTP_ROUTES_H
#define CITYATLAS_HTTP_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "http/handlers/api.h"
#include "http/transport/route.h"

/* Rows in matching order: a path may have several rows (one per handler, each with its
 * methods); literal and suffixed patterns come before a plain capture at the same depth. */
extern const struct api_route api_routes[];
extern const size_t api_n_routes;

/* The first row of handler that answers method (HEAD counts as GET); NULL when none. */
const struct api_route *api_route_of(api_handler_fn handler, enum http_method method);

/* The parameter that is components/parameters/<component> in /api; NULL when no row
 * takes one. */
const struct route_param *api_route_param_of(const char *component);

#endif

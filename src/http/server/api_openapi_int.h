/* api_openapi_int.h - what api_openapi.c (the "/api" document and the OGC API routes) and
 * api_openapi_stats.c (the statistics routes) share: builders of OpenAPI parameters and
 * JSON Schema objects, and the statistics part of the document. Internal to http/.
 *
 * Every builder returns a new reference (jansson's json_*_new setters take it); those that
 * take a json_t argument steal its reference, as json_pack's "o" does. */
#ifndef CITYATLAS_HTTP_API_OPENAPI_INT_H
#define CITYATLAS_HTTP_API_OPENAPI_INT_H

#include <stddef.h>

#include <jansson.h>

#include "http/server/routes.h"
#include "http/transport/request.h"
#include "store/store_read.h"

/* Builders (api_openapi_build.c) */

/* {"$ref": "#/components/<section>/<name>"} */
json_t *openapi_ref(const char *section, const char *name);
/* {"type": type} */
json_t *openapi_typed(const char *type);
/* {"type": "array", "items": items} */
json_t *openapi_array_of(json_t *items);
/* schema with "nullable": true added; returns schema. schema must carry a type. */
json_t *openapi_nullable(json_t *schema);
/* A nullable object that is the schema components/schemas/<name> when not null. */
json_t *openapi_nullable_ref(const char *name);
/* Adds the 414 and 431 every route may answer (server.c refuses a long target or large
 * headers before routing) to an operation's responses. */
void openapi_add_request_limits(json_t *responses);
/* The answers of a read: 200 (ok, stolen), 304, 400, 404 (the response not_found, when
 * pattern has a {..} capture), 405, 414, 431, 500 and 503. Callers add the rest (413). */
json_t *openapi_read_responses(json_t *ok, const char *pattern, const char *not_found);
/* The entry of docs (n of size bytes each, every one starting with its
 * `const char *operation_id`) that describes operation_id; NULL when none does. */
const void *openapi_doc_of(const void *docs, size_t n, size_t size, const char *operation_id);
/* {"operationId": operation_id, "summary": summary, "responses": responses (stolen)} */
json_t *openapi_summary_operation(const char *operation_id, const char *summary, json_t *responses);
/* {"type": "string", "enum": [value]} */
json_t *openapi_constant(const char *value);
/* An object with these properties, of which the NULL-terminated required list must be
 * present (NULL: none). */
json_t *openapi_object_schema(const char *const *required, json_t *properties);
/* A string schema with values[0..n) as its enum and fallback (may be NULL) as default. */
json_t *openapi_string_enum(const char *const *values, size_t n, const char *fallback);
/* An optional query parameter, style form, explode false. */
json_t *openapi_query_param(const char *name, const char *description, json_t *schema);

/* The fixed parts (api_openapi_fixed.c): openapi, info (without its title), security and
 * the components' fixed schemas, responses and securitySchemes, in lang. ERR_INTERNAL when
 * the compiled-in file does not parse. */
int openapi_fixed(enum http_lang lang, json_t **out, struct err *err) WARN_UNUSED;

/* The query parameters of the route table (api_openapi_params.c) */

/* The schema of p made from its definition in the table: type, bounds, default, values;
 * app gives the page size's bounds (ROUTE_PARAM_PAGE_SIZE). */
json_t *openapi_param_schema(const struct route_param *p, const struct http_app *app);
/* Adds components/parameters/<component> for every query parameter of the table. */
void openapi_table_params(json_t *params, const struct http_app *app, enum http_lang lang);

/* The statistics routes (api_openapi_stats.c) */

/* Adds to components (the document's "components" object, which already holds the
 * "parameters", "schemas" and "responses" of api_openapi.c, in particular "lang" and the
 * error responses) what the statistics operations refer to: a parameter for every name
 * of stats_param_names, the formats, {statisticId}, the statistics schemas and the 413
 * response. rd gives the layer ids and featured statistic ids offered as enums. */
void openapi_stats_components(json_t *components, const struct store_read *rd, enum http_lang lang);

/* Each *_operation below describes a row of the route table (routes.c) found by its
 * operationId: operationId, summary, description and responses, without "parameters"
 * (api_openapi.c adds them from the row); NULL for a row the file does not describe. */

/* The references to the row's parameters in components/parameters (path, then query),
 * and every statistic parameter for a ROUTE_STATISTIC row. */
json_t *openapi_route_params(const struct api_route *route);

/* The statistics routes: /stats, /stats/featured, /stats/featured/{statisticId}. */
json_t *openapi_stats_operation(const struct api_route *route, enum http_lang lang);
/* Appends to refs a $ref to every parameter of a statistic (components/parameters
 * "stats-NAME"): what /stats and /stats/share.png take. */
void openapi_stats_param_refs(json_t *refs);

/* The scenario routes (api_openapi_scenarios.c) */

/* Adds what the scenario operations refer to: the {scenarioId} and sketch id parameters,
 * the scenario and sketch schemas, the responses only writes get (401, 403, 409, 413, 415)
 * and the facilitatorToken bearer security scheme. */
void openapi_scenarios_components(json_t *components, enum http_lang lang);

/* A scenario, sketch or workshop operation. */
json_t *openapi_scenarios_operation(const struct api_route *route, enum http_lang lang);

/* The exported maps (api_openapi_maps.c) */

/* A map route: posters, comparisons, share images, GeoPackage. */
json_t *openapi_maps_operation(const struct api_route *route, enum http_lang lang);

/* The tiles (api_openapi_tiles.c) */

/* The path parameters of the tile routes ({tileMatrixSetId}, {tileMatrix}, {tileRow},
 * {tileCol}). */
void openapi_tiles_components(json_t *components, enum http_lang lang);
/* An OGC API - Tiles route: tiles, tilesets, TileJSON, tile matrix sets. */
json_t *openapi_tiles_operation(const struct api_route *route, enum http_lang lang);

#endif

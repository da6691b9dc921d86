/* routes.c - the table of routes (routes.h) and the parameters they take, each defined
 * once. To add a route: a row here (pattern, methods, handler, flags, operationId, its
 * parameter list), its description under that operationId in server/api_openapi*.c;
 * for a new query parameter, its QUERY() line below (type, bounds, default, values) and
 * its description in api_openapi_params.c. */
#include "http/server/routes.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "http/handlers/api_maps.h"
#include "http/handlers/items_params.h"
#include "http/handlers/static_files.h"
#include "render/render.h"
#include "store/store_workshop.h"

/* A parameter's definition: QUERY(var, name, component, type...) with one of the type
 * macros below, from which its checks and error texts (transport/route.c) and its schema
 * in /api (api_openapi_params.c) are made. */
#define QUERY(var, name, component, ...)                                                           \
    static const struct route_param var = {name, component, ROUTE_PARAM_QUERY, __VA_ARGS__}
#define PATH(var, segment, component, ...)                                                         \
    static const struct route_param var = {segment, component, ROUTE_PARAM_PATH, __VA_ARGS__}
#define STRING .type = ROUTE_TYPE_STRING
#define INTEGER(lo, hi, dflt)                                                                      \
    .type = ROUTE_TYPE_INTEGER, .min = (lo), .max = (hi), .fallback = (dflt)
#define NUMBER(lo, hi, dflt)                                                                       \
    .type = ROUTE_TYPE_NUMBER, .min_number = (lo), .max_number = (hi), .fallback = (dflt)
#define ENUM(list, dflt) .type = ROUTE_TYPE_ENUM, .values = (list), .fallback = (dflt)
#define VALUES(...) ((const char *const[]){__VA_ARGS__, NULL})
/* A default written as the number a constant stands for. */
#define TEXT(x) #x
#define TEXT_OF(x) TEXT(x)

/* Path parameters: segment as in the pattern, component as in /api. Their schemas are
 * the data's (the collections, the statistics, the tile matrices: api_openapi*.c); the
 * numeric ids are checked by their handlers. */
PATH(collection_id, "collectionId", "collectionId", STRING);
PATH(feature_id, "featureId", "featureId", INTEGER(1, INT64_MAX, NULL));
PATH(statistic_id, "statisticId", "statisticId", STRING);
PATH(scenario_id, "scenarioId", "scenarioId", STRING);
PATH(sketch_id, "featureId", "sketchId", INTEGER(1, INT64_MAX, NULL));
PATH(session_id, "featureId", "sessionId", INTEGER(1, INT64_MAX, NULL));
PATH(join_code, "code", "joinCode", STRING);
PATH(tile_matrix_set_id, "tileMatrixSetId", "tileMatrixSetId", STRING);
PATH(tile_matrix, "tileMatrix", "tileMatrix", STRING);
PATH(tile_row, "tileRow", "tileRow", STRING);
PATH(tile_col, "tileCol", "tileCol", STRING);

/* Formats and languages: checked with the Accept headers (request_format, request_lang). */
#define NEGOTIATED(list, dflt) ENUM(list, dflt), .flags = ROUTE_PARAM_NEGOTIATED
QUERY(format, "f", "f", NEGOTIATED(VALUES("json", "html"), "json"));
QUERY(format_features, "f", "f-features",
      NEGOTIATED(VALUES("json", "geojson", "html", "csv"), "json"));
QUERY(format_json, "f", "f-json", NEGOTIATED(VALUES("json"), "json"));
QUERY(format_stats, "f", "f-stats", NEGOTIATED(VALUES("json", "geojson", "csv", "xlsx"), "json"));
/* A featured statistic is also a web page (its share image, its definition). */
QUERY(format_featured, "f", "f-featured",
      NEGOTIATED(VALUES("json", "geojson", "csv", "xlsx", "html"), "json"));
QUERY(lang, "lang", "lang", NEGOTIATED(VALUES("en", "th"), NULL));
QUERY(map_lang, "lang", "mapLang", ENUM(VALUES("th", "en"), "th")); /* Thai unless asked */

/* Items (OGC API - Features Parts 1, 2, 3) */
/* The maximum and the default are the server's (--max-limit, --default-limit). */
QUERY(limit, "limit", "limit", INTEGER(1, 0, NULL), .flags = ROUTE_PARAM_PAGE_SIZE);
QUERY(offset, "offset", "offset", INTEGER(0, INT64_MAX / 2, "0"));
QUERY(bbox, "bbox", "bbox", .type = ROUTE_TYPE_BBOX);
QUERY(bbox_crs, "bbox-crs", "bbox-crs", .type = ROUTE_TYPE_CRS);
QUERY(datetime, "datetime", "datetime", .type = ROUTE_TYPE_DATETIME);
QUERY(crs, "crs", "crs", .type = ROUTE_TYPE_CRS);
QUERY(properties, "properties", "properties", .type = ROUTE_TYPE_LIST);
QUERY(sortby, "sortby", "sortby", .type = ROUTE_TYPE_LIST);
QUERY(filter, "filter", "filter", STRING);
/* cql-text is the pre-standard name GDAL 3.6 looks for before it sends a filter. */
QUERY(filter_lang, "filter-lang", "filter-lang",
      ENUM(VALUES("cql2-text", "cql-text"), "cql2-text"));
QUERY(filter_crs, "filter-crs", "filter-crs", .type = ROUTE_TYPE_CRS84);
QUERY(skip_geometry, "skipGeometry", "skipGeometry", .type = ROUTE_TYPE_BOOLEAN,
      .fallback = "false");
QUERY(zoom, "zoom", "zoom", INTEGER(0, ITEMS_MAX_ZOOM, NULL));
/* No default: it depends on the CRS (items_params.c). */
QUERY(precision, "precision", "precision", INTEGER(0, 15, NULL));

/* Exported maps */
QUERY(paper, "paper", "paper", ENUM(VALUES("A4", "A3", "A1"), "A3"), .flags = ROUTE_PARAM_ANY_CASE);
QUERY(orientation, "orientation", "orientation",
      ENUM(VALUES("landscape", "portrait"), "landscape"));
QUERY(width, "width", "width", INTEGER(1, RENDER_MAX_SIDE_PX, NULL));
QUERY(height, "height", "height", INTEGER(1, RENDER_MAX_SIDE_PX, NULL));
QUERY(dpi, "dpi", "dpi", NUMBER(RENDER_MIN_DPI, RENDER_MAX_DPI, TEXT_OF(RENDER_DEFAULT_DPI)));
QUERY(layout, "layout", "mapLayout", ENUM(VALUES("sheet", "map"), "sheet"));
QUERY(compare_ids, "ids", "compareIds", STRING, .flags = ROUTE_PARAM_REQUIRED);
/* The three sizes social media crop to without loss. */
QUERY(share_size, "size", "shareSize",
      ENUM(VALUES("1200x630", "1080x1080", "1080x1350"), "1200x630"));

/* Styles: the layers whose styles to send inline (the web map's first view). */
QUERY(style_collections, "collections", "styleCollections", .type = ROUTE_TYPE_LIST);

/* Tiles and workshop feeds */
QUERY(tile_version, "v", "tileVersion", STRING);
QUERY(history_after, "after", "historyAfter", INTEGER(0, INT64_MAX, "0"));
QUERY(history_limit, "limit", "historyLimit", INTEGER(1, STORE_HISTORY_MAX_PAGE, "100"));
QUERY(changes_limit, "limit", "changesLimit",
      INTEGER(1, STORE_HISTORY_MAX_PAGE, TEXT_OF(STORE_HISTORY_MAX_PAGE)));
QUERY(history_sketch, "sketch", "historySketch", INTEGER(1, INT64_MAX, NULL));
QUERY(live_session, "session", "liveSession", INTEGER(1, INT64_MAX, NULL));

#define PARAMS(name, ...) static const struct route_param *const name[] = {__VA_ARGS__, NULL}

static const struct route_param *const none[] = {NULL};
PARAMS(document, &format, &lang);
PARAMS(collection_document, &collection_id, &format, &lang);
/* Documents offered in JSON only (styles, tile sets, tile matrix sets). */
PARAMS(json_document, &format_json, &lang);
PARAMS(style_list, &style_collections, &format_json, &lang);
PARAMS(collection_json_document, &collection_id, &format_json, &lang);
/* collectionId first: a collection's own items path (api_openapi.c) takes the rest. */
PARAMS(items, &collection_id, &limit, &offset, &bbox, &bbox_crs, &datetime, &crs, &properties,
       &sortby, &filter, &filter_lang, &filter_crs, &skip_geometry, &zoom, &precision,
       &format_features, &lang);
PARAMS(item, &collection_id, &feature_id, &crs, &properties, &skip_geometry, &zoom, &precision,
       &format_features, &lang);
PARAMS(statistic, &format_stats, &lang);
PARAMS(statistic_list, &format, &lang); /* the gallery is a web page too */
PARAMS(featured, &statistic_id, &format_featured, &lang);
PARAMS(statistic_share, &share_size, &map_lang);
PARAMS(featured_share, &statistic_id, &share_size, &map_lang);
PARAMS(tileset, &collection_id, &tile_matrix_set_id, &format_json, &lang);
PARAMS(tile, &collection_id, &tile_matrix_set_id, &tile_matrix, &tile_row, &tile_col,
       &tile_version);
PARAMS(base_tileset, &tile_matrix_set_id, &format_json, &lang);
PARAMS(base_tile, &tile_matrix_set_id, &tile_matrix, &tile_row, &tile_col, &tile_version);
PARAMS(scenario_list, &format_json, &lang);
PARAMS(scenario_document, &scenario_id, &format_json, &lang);
PARAMS(scenario, &scenario_id);
PARAMS(sketches, &scenario_id, &limit, &offset, &bbox, &bbox_crs, &datetime, &crs, &properties,
       &sortby, &filter, &filter_lang, &filter_crs, &skip_geometry, &zoom, &precision,
       &format_features, &lang);
PARAMS(sketch, &scenario_id, &sketch_id);
PARAMS(sketch_document, &scenario_id, &sketch_id, &crs, &properties, &skip_geometry, &zoom,
       &precision, &format_features, &lang);
PARAMS(history, &scenario_id, &history_after, &history_limit, &history_sketch);
PARAMS(changes, &scenario_id, &history_after, &changes_limit);
PARAMS(events, &scenario_id, &history_after, &live_session);
PARAMS(session, &scenario_id, &session_id);
PARAMS(join, &join_code);
PARAMS(poster, &scenario_id, &paper, &orientation, &width, &height, &dpi, &map_lang, &layout);
PARAMS(vector_poster, &scenario_id, &paper, &orientation, &width, &height, &map_lang, &layout);
PARAMS(compare, &compare_ids, &paper, &orientation, &width, &height, &dpi, &map_lang);
PARAMS(vector_compare, &compare_ids, &paper, &orientation, &width, &height, &map_lang);
PARAMS(scenario_share, &scenario_id, &share_size, &map_lang);

#define READ HTTP_METHODS_READ
#define POST HTTP_METHOD_BIT(HTTP_POST)
#define PUT HTTP_METHOD_BIT(HTTP_PUT)
#define DELETE HTTP_METHOD_BIT(HTTP_DELETE)
#define DOC ROUTE_DOCUMENT
#define SLOW ROUTE_SLOW

const struct api_route api_routes[] = {
    {"/", READ, api_landing, DOC, "getLandingPage", document},
    {"/conformance", READ, api_conformance, DOC, "getConformance", document},
    {"/api", READ, api_openapi, DOC, "getApi", document},
    {"/collections", READ, api_collections, DOC, "getCollections", document},
    {"/collections/{collectionId}", READ, api_collection, DOC, "describeCollection",
     collection_document},
    {"/collections/{collectionId}/items", READ, api_items, ROUTE_FIELDS, "getFeatures", items},
    {"/collections/{collectionId}/items/{featureId}", READ, api_item, 0, "getFeature", item},
    {"/collections/{collectionId}/queryables", READ, api_queryables, DOC, "getQueryables",
     collection_document},
    {"/collections/{collectionId}/schema", READ, api_schema, DOC, "getSchema", collection_document},
    {"/collections/{collectionId}/sortables", READ, api_sortables, DOC, "getSortables",
     collection_document},
    /* results live in the statistics cache, per layer version */
    {"/stats", READ, api_stats, SLOW | ROUTE_STATISTIC, "getStatistic", statistic},
    /* slow: the HTML gallery computes every featured statistic (cached) for its captions */
    {"/stats/featured", READ, api_featured_list, DOC | SLOW, "getFeaturedStatistics",
     statistic_list},
    {"/stats/featured/{statisticId}", READ, api_featured_statistic, SLOW, "getFeaturedStatistic",
     featured},
    /* Share images of statistics (issue 17): a featured one's, and any /stats query's
     * (not kept by the response cache: queries are many). */
    {"/stats/share.png", READ, api_stats_share_png, SLOW | ROUTE_STATISTIC,
     "getStatisticShareImage", statistic_share},
    {"/stats/share.svg", READ, api_stats_share_svg, SLOW | ROUTE_STATISTIC, "getStatisticShareSvg",
     statistic_share},
    {"/stats/share.pdf", READ, api_stats_share_pdf, SLOW | ROUTE_STATISTIC, "getStatisticSharePdf",
     statistic_share},
    {"/stats/featured/{statisticId}/share.png", READ, api_featured_share, DOC | SLOW,
     "getFeaturedStatisticShareImage", featured_share},
    {"/stats/featured/{statisticId}/share.svg", READ, api_featured_share_svg, DOC | SLOW,
     "getFeaturedStatisticShareSvg", featured_share},
    {"/stats/featured/{statisticId}/share.pdf", READ, api_featured_share_pdf, DOC | SLOW,
     "getFeaturedStatisticSharePdf", featured_share},
    {"/styles", READ, api_styles, DOC, "getStyles", style_list},
    {"/styles/{collectionId}", READ, api_style, DOC, "getStyle", collection_json_document},
    /* OGC API - Tiles: a collection's vector tiles, the base map's, and the tile matrix set
     * they use. Tiles are built on the work pool. */
    {"/collections/{collectionId}/tiles", READ, api_tilesets, DOC, "getCollectionTileSetsList",
     collection_json_document},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}", READ, api_tileset, DOC,
     "getCollectionTileSet", tileset},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}/tilejson.json", READ, api_tilejson, DOC,
     "getCollectionTileJson", tileset},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", READ,
     api_tile, SLOW, "getCollectionVectorTile", tile},
    {"/tiles", READ, api_tilesets, DOC, "getBaseMapTileSetsList", json_document},
    {"/tiles/{tileMatrixSetId}", READ, api_tileset, DOC, "getBaseMapTileSet", base_tileset},
    {"/tiles/{tileMatrixSetId}/tilejson.json", READ, api_tilejson, DOC, "getBaseMapTileJson",
     base_tileset},
    {"/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", READ, api_tile, SLOW,
     "getBaseMapVectorTile", base_tile},
    {"/tileMatrixSets", READ, api_tile_matrix_sets, DOC, "getTileMatrixSetsList", json_document},
    {"/tileMatrixSets/{tileMatrixSetId}", READ, api_tile_matrix_set, DOC, "getTileMatrixSet",
     base_tileset},
    /* Scenarios: reads are public; every write checks the facilitator token itself. */
    {"/scenarios", READ, api_scenarios, DOC, "getScenarios", scenario_list},
    {"/scenarios", POST, api_scenario_create, 0, "createScenario", none},
    /* Exported maps (api_maps.h): literal and suffixed rows before the plain capture. */
    {"/scenarios/compare.png", READ, api_scenarios_compare_png, SLOW, "getScenariosComparePng",
     compare},
    {"/scenarios/compare.pdf", READ, api_scenarios_compare_pdf, SLOW, "getScenariosComparePdf",
     vector_compare},
    {"/scenarios/{scenarioId}.gpkg", READ, api_scenario_gpkg, SLOW, "getScenarioGeoPackage",
     scenario},
    {"/scenarios/{scenarioId}/map.png", READ, api_scenario_map_png, SLOW, "getScenarioMapPng",
     poster},
    {"/scenarios/{scenarioId}/map.pdf", READ, api_scenario_map_pdf, SLOW, "getScenarioMapPdf",
     vector_poster},
    {"/scenarios/{scenarioId}/map.svg", READ, api_scenario_map_svg, SLOW, "getScenarioMapSvg",
     vector_poster},
    {"/scenarios/{scenarioId}/share.png", READ, api_scenario_share, DOC | SLOW,
     "getScenarioShareImage", scenario_share},
    {"/scenarios/{scenarioId}", READ, api_scenario, DOC, "getScenario", scenario_document},
    {"/scenarios/{scenarioId}", PUT, api_scenario_replace, 0, "replaceScenario", scenario},
    {"/scenarios/{scenarioId}", DELETE, api_scenario_delete, 0, "deleteScenario", scenario},
    /* Sketches are the items of the scenario's sketch layer (api_items), filters included. */
    {"/scenarios/{scenarioId}/sketches", READ, api_sketches, ROUTE_FIELDS, "getSketches", sketches},
    {"/scenarios/{scenarioId}/sketches", POST, api_sketches_add, 0, "addSketches", scenario},
    {"/scenarios/{scenarioId}/sketches/{featureId}", READ, api_sketch, 0, "getSketch",
     sketch_document},
    {"/scenarios/{scenarioId}/sketches/{featureId}", PUT, api_sketch_replace, 0, "replaceSketch",
     sketch},
    {"/scenarios/{scenarioId}/sketches/{featureId}", DELETE, api_sketch_delete, 0, "deleteSketch",
     sketch},
    /* Workshops (issue 12): moderation, restore, history and sessions need a facilitator
     * token of the scenario; the changes feed and the join routes are public. */
    {"/scenarios/{scenarioId}/sketches/{featureId}/approve", POST, api_sketch_approve, 0,
     "approveSketch", sketch},
    {"/scenarios/{scenarioId}/sketches/{featureId}/hide", POST, api_sketch_hide, 0, "hideSketch",
     sketch},
    {"/scenarios/{scenarioId}/sketches/{featureId}/unhide", POST, api_sketch_unhide, 0,
     "unhideSketch", sketch},
    {"/scenarios/{scenarioId}/sketches/{featureId}/restore", POST, api_sketch_restore, 0,
     "restoreSketch", sketch},
    {"/scenarios/{scenarioId}/history", READ, api_history, 0, "getSketchHistory", history},
    {"/scenarios/{scenarioId}/changes", READ, api_changes, 0, "getSketchChanges", changes},
    /* The changes as Server-Sent Events: the stream holds no thread while it waits. */
    {"/scenarios/{scenarioId}/events", READ, api_events, 0, "streamSketchChanges", events},
    {"/scenarios/{scenarioId}/sessions", READ, api_sessions, 0, "getSessions", scenario},
    {"/scenarios/{scenarioId}/sessions", POST, api_session_create, 0, "openSession", scenario},
    {"/scenarios/{scenarioId}/sessions/{featureId}/close", POST, api_session_close, 0,
     "closeSession", session},
    {"/join/{code}", READ, api_join, 0, "getJoinInfo", join},
    {"/join/{code}", POST, api_join_post, 0, "joinSession", join},
    {"/join/{code}/qr.svg", READ, api_join_qr, 0, "getJoinQr", join},
    /* The web map: not part of the API. The prefix comes first: "/map/" would otherwise
     * lose its slash and match "/map". */
    {"/map/*", READ, static_files_serve, ROUTE_NOT_API, NULL, none},
    {"/map", READ, static_files_redirect, ROUTE_NOT_API, NULL, none},
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);

const struct api_route *api_route_of(api_handler_fn handler, enum http_method method)
{
    for (size_t i = 0; i < api_n_routes; i++) {
        if (api_routes[i].handler == handler && (api_routes[i].methods & HTTP_METHOD_BIT(method))) {
            return &api_routes[i];
        }
    }
    return NULL;
}

const struct route_param *api_route_param_of(const char *component)
{
    for (size_t i = 0; i < api_n_routes; i++) {
        for (size_t k = 0; api_routes[i].params[k] != NULL; k++) {
            if (strcmp(api_routes[i].params[k]->component, component) == 0) {
                return api_routes[i].params[k];
            }
        }
    }
    return NULL;
}

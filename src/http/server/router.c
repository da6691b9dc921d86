/* router.c - the route table and path matching. Patterns have literal segments and
 * {collectionId} / {featureId} segments, so matching is a segment walk; a pattern whose
 * last segment is "*" is a prefix that owns every path below it (the web map's files).
 * A path may have several rows, one per handler, each with the methods it answers. */
#include "http/server/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/handlers/api_maps.h"
#include "http/handlers/static_files.h"

struct route {
    const char *pattern;
    api_handler_fn handler;
    bool is_document; /* a metadata document the response cache keeps (not features) */
    unsigned methods; /* HTTP_METHOD_BIT()s this row answers */
    bool is_slow;     /* ROUTE_SLOW: seconds of work (renders, exports, statistics) that
                       * run on the work pool, not on the event threads */
};

#define READ HTTP_METHODS_READ
#define ROUTE_SLOW true
#define ROUTE_FAST false

static const struct route routes[] = {
    {"/", api_landing, true, READ, ROUTE_FAST},
    {"/conformance", api_conformance, true, READ, ROUTE_FAST},
    {"/api", api_openapi, true, READ, ROUTE_FAST},
    {"/collections", api_collections, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}", api_collection, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}/items", api_items, false, READ, ROUTE_FAST},
    {"/collections/{collectionId}/items/{featureId}", api_item, false, READ, ROUTE_FAST},
    {"/collections/{collectionId}/queryables", api_queryables, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}/schema", api_schema, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}/sortables", api_sortables, true, READ, ROUTE_FAST},
    /* results live in the statistics cache, per layer version */
    {"/stats", api_stats, false, READ, ROUTE_SLOW},
    /* slow: the HTML gallery computes every featured statistic (cached) for its captions */
    {"/stats/featured", api_featured_list, true, READ, ROUTE_SLOW},
    {"/stats/featured/{statisticId}", api_featured_statistic, false, READ, ROUTE_SLOW},
    /* Share images of statistics (issue 17): a featured one's, and any /stats query's
     * (its parameters are /stats's; not kept by the response cache: queries are many). */
    {"/stats/share.png", api_stats_share_png, false, READ, ROUTE_SLOW},
    {"/stats/share.svg", api_stats_share_svg, false, READ, ROUTE_SLOW},
    {"/stats/share.pdf", api_stats_share_pdf, false, READ, ROUTE_SLOW},
    {"/stats/featured/{statisticId}/share.png", api_featured_share, true, READ, ROUTE_SLOW},
    {"/stats/featured/{statisticId}/share.svg", api_featured_share_svg, true, READ, ROUTE_SLOW},
    {"/stats/featured/{statisticId}/share.pdf", api_featured_share_pdf, true, READ, ROUTE_SLOW},
    {"/styles", api_styles, true, READ, ROUTE_FAST},
    {"/styles/{collectionId}", api_style, true, READ, ROUTE_FAST},
    /* OGC API - Tiles (api_tiles.c, api_tilesets.c): a collection's vector tiles, the base
     * map's, and the tile matrix set they use. Tiles are built on the work pool. */
    {"/collections/{collectionId}/tiles", api_tilesets, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}", api_tileset, true, READ, ROUTE_FAST},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}/tilejson.json", api_tilejson, true, READ,
     ROUTE_FAST},
    {"/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
     api_tile, false, READ, ROUTE_SLOW},
    {"/tiles", api_tilesets, true, READ, ROUTE_FAST},
    {"/tiles/{tileMatrixSetId}", api_tileset, true, READ, ROUTE_FAST},
    {"/tiles/{tileMatrixSetId}/tilejson.json", api_tilejson, true, READ, ROUTE_FAST},
    {"/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", api_tile, false, READ,
     ROUTE_SLOW},
    {"/tileMatrixSets", api_tile_matrix_sets, true, READ, ROUTE_FAST},
    {"/tileMatrixSets/{tileMatrixSetId}", api_tile_matrix_set, true, READ, ROUTE_FAST},
    /* Scenarios: reads are public; every write checks the facilitator token itself. */
    {"/scenarios", api_scenarios, true, READ, ROUTE_FAST},
    {"/scenarios", api_scenario_create, false, HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    /* Exported maps (api_maps.h): literal and suffixed rows before the plain capture. */
    {"/scenarios/compare.png", api_scenarios_compare_png, false, READ, ROUTE_SLOW},
    {"/scenarios/compare.pdf", api_scenarios_compare_pdf, false, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}.gpkg", api_scenario_gpkg, false, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}/map.png", api_scenario_map_png, false, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}/map.pdf", api_scenario_map_pdf, false, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}/map.svg", api_scenario_map_svg, false, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}/share.png", api_scenario_share, true, READ, ROUTE_SLOW},
    {"/scenarios/{scenarioId}", api_scenario, true, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}", api_scenario_replace, false, HTTP_METHOD_BIT(HTTP_PUT), ROUTE_FAST},
    {"/scenarios/{scenarioId}", api_scenario_delete, false, HTTP_METHOD_BIT(HTTP_DELETE),
     ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches", api_sketches, false, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches", api_sketches_add, false, HTTP_METHOD_BIT(HTTP_POST),
     ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}", api_sketch, false, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}", api_sketch_replace, false,
     HTTP_METHOD_BIT(HTTP_PUT), ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}", api_sketch_delete, false,
     HTTP_METHOD_BIT(HTTP_DELETE), ROUTE_FAST},
    /* Workshops (issue 12): moderation, restore, history and sessions need a facilitator
     * token of the scenario; the changes feed and the join routes are public ({collectionId}
     * of /join is the join code). */
    {"/scenarios/{scenarioId}/sketches/{featureId}/approve", api_sketch_approve, false,
     HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}/hide", api_sketch_hide, false,
     HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}/unhide", api_sketch_unhide, false,
     HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/scenarios/{scenarioId}/sketches/{featureId}/restore", api_sketch_restore, false,
     HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/scenarios/{scenarioId}/history", api_history, false, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}/changes", api_changes, false, READ, ROUTE_FAST},
    /* Live (h12live): the changes as Server-Sent Events; the stream never holds a thread. */
    {"/scenarios/{scenarioId}/events", api_events, false, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}/sessions", api_sessions, false, READ, ROUTE_FAST},
    {"/scenarios/{scenarioId}/sessions", api_session_create, false, HTTP_METHOD_BIT(HTTP_POST),
     ROUTE_FAST},
    {"/scenarios/{scenarioId}/sessions/{featureId}/close", api_session_close, false,
     HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/join/{code}", api_join, false, READ, ROUTE_FAST},
    {"/join/{code}", api_join_post, false, HTTP_METHOD_BIT(HTTP_POST), ROUTE_FAST},
    {"/join/{code}/qr.svg", api_join_qr, false, READ, ROUTE_FAST},
    /* The web map: not part of the API, so not in router_patterns. The prefix comes
     * first: "/map/" would otherwise lose its slash and match "/map". */
    {"/map/*", static_files_serve, false, READ, ROUTE_FAST},
    {"/map", static_files_redirect, false, READ, ROUTE_FAST},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

const char *const router_patterns[] = {
    "/",
    "/conformance",
    "/api",
    "/collections",
    "/collections/{collectionId}",
    "/collections/{collectionId}/items",
    "/collections/{collectionId}/items/{featureId}",
    "/collections/{collectionId}/queryables",
    "/collections/{collectionId}/schema",
    "/collections/{collectionId}/sortables",
    "/stats",
    "/stats/featured",
    "/stats/featured/{statisticId}",
    "/stats/share.png",
    "/stats/share.svg",
    "/stats/share.pdf",
    "/stats/featured/{statisticId}/share.png",
    "/stats/featured/{statisticId}/share.svg",
    "/stats/featured/{statisticId}/share.pdf",
    "/styles",
    "/styles/{collectionId}",
    "/collections/{collectionId}/tiles",
    "/collections/{collectionId}/tiles/{tileMatrixSetId}",
    "/collections/{collectionId}/tiles/{tileMatrixSetId}/tilejson.json",
    "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
    "/tiles",
    "/tiles/{tileMatrixSetId}",
    "/tiles/{tileMatrixSetId}/tilejson.json",
    "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
    "/tileMatrixSets",
    "/tileMatrixSets/{tileMatrixSetId}",
    "/scenarios",
    "/scenarios/{scenarioId}",
    "/scenarios/{scenarioId}/sketches",
    "/scenarios/{scenarioId}/sketches/{featureId}",
    "/scenarios/compare.png",
    "/scenarios/compare.pdf",
    "/scenarios/{scenarioId}.gpkg",
    "/scenarios/{scenarioId}/map.png",
    "/scenarios/{scenarioId}/map.pdf",
    "/scenarios/{scenarioId}/map.svg",
    "/scenarios/{scenarioId}/share.png",
    "/scenarios/{scenarioId}/sketches/{featureId}/approve",
    "/scenarios/{scenarioId}/sketches/{featureId}/hide",
    "/scenarios/{scenarioId}/sketches/{featureId}/unhide",
    "/scenarios/{scenarioId}/sketches/{featureId}/restore",
    "/scenarios/{scenarioId}/history",
    "/scenarios/{scenarioId}/changes",
    "/scenarios/{scenarioId}/events",
    "/scenarios/{scenarioId}/sessions",
    "/scenarios/{scenarioId}/sessions/{featureId}/close",
    "/join/{code}",
    "/join/{code}/qr.svg",
    NULL,
};

/* Length of the segment starting at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash != NULL ? (size_t)(slash - s) : strlen(s);
}

/* The captures a pattern may hold besides {collectionId}, in the order of the slots of
 * match_route; any other {..} segment ({collectionId}, {statisticId}, {scenarioId},
 * {code}) goes to req->collection_id (slot 0). */
static const char *const capture_names[] = {"{featureId}", "{tileMatrixSetId}", "{tileMatrix}",
                                            "{tileRow}", "{tileCol}"};
#define N_CAPTURES (1 + sizeof(capture_names) / sizeof(capture_names[0]))

static int capture_slot(const char *segment, const char *close)
{
    size_t len = close != NULL ? (size_t)(close + 1 - segment) : 0;
    for (size_t i = 0; i < N_CAPTURES - 1; i++) {
        if (strlen(capture_names[i]) == len && memcmp(capture_names[i], segment, len) == 0) {
            return (int)i + 1;
        }
    }
    return 0;
}

/* Walks pattern and path segment by segment, capturing each {..} segment into its slot
 * (capture_names). */
static bool match_route(const char *pattern, const char *path, struct request *req)
{
    char *captured[N_CAPTURES] = {NULL};
    const char *p = pattern + 1, *s = path + 1;
    bool ok = true;
    while (ok && (*p != '\0' || *s != '\0')) {
        size_t plen = segment_len(p), slen = segment_len(s);
        if (plen == 0 || slen == 0) {
            ok = plen == 0 && slen == 0 && *p == '\0' && *s == '\0';
            break;
        }
        if (p[0] == '{') {
            /* "{scenarioId}.gpkg": a capture followed by a literal suffix the segment must
             * end with (and is captured without). */
            const char *close = memchr(p, '}', plen);
            size_t suffix_len = close != NULL ? plen - (size_t)(close + 1 - p) : 0;
            ok = suffix_len == 0 ||
                 (slen > suffix_len && memcmp(s + slen - suffix_len, close + 1, suffix_len) == 0);
            int which = capture_slot(p, close);
            free(captured[which]);
            captured[which] = xstrndup(s, slen - (ok ? suffix_len : 0));
        } else {
            ok = plen == slen && memcmp(p, s, plen) == 0;
        }
        p += plen + (p[plen] == '/');
        s += slen + (s[slen] == '/');
        if ((*p == '\0') != (*s == '\0')) {
            ok = false;
        }
    }
    if (ok) {
        req->collection_id = captured[0];
        req->feature_id = captured[1];
        req->tile_matrix_set_id = captured[2];
        req->tile_matrix = captured[3];
        req->tile_row = captured[4];
        req->tile_col = captured[5];
    } else {
        for (size_t i = 0; i < N_CAPTURES; i++) {
            free(captured[i]);
        }
    }
    return ok;
}

/* A prefix pattern (last segment "*") matches "/a/" and everything below it, compared with the path
 * as received: its trailing slash matters ("/map/" is the page, "/map" redirects). */
static bool matches(const char *pattern, const char *path, const char *trimmed, struct request *req)
{
    size_t len = strlen(pattern);
    if (len >= 2 && strcmp(pattern + len - 2, "/*") == 0) {
        return strncmp(pattern, path, len - 1) == 0;
    }
    return match_route(pattern, trimmed, req);
}

enum router_match_result router_match_methods(struct request *req, api_handler_fn *handler,
                                              unsigned *allowed)
{
    /* Drop one trailing slash so "/collections/" finds "/collections". */
    size_t len = strlen(req->path);
    char *path = xstrdup(req->path);
    if (len > 1 && path[len - 1] == '/') {
        path[len - 1] = '\0';
    }
    *allowed = 0;
    const char *first = NULL; /* the pattern of the first row that matched */
    api_handler_fn found = NULL;
    /* Empty segments never name anything: "//" anywhere is not found. Every pattern starts
     * with '/': a path that does not ("", "*" of OPTIONS *) matches none, and match_route
     * may skip its first byte. The empty path was found by tests/fuzz/fuzz_router.c. */
    bool is_routable = req->path[0] == '/' && strstr(req->path, "//") == NULL;
    for (size_t i = 0; is_routable && i < N_ROUTES; i++) {
        /* The other rows of the first matching pattern only add their methods (their
         * captures would be the same). */
        bool is_row_of_path = first != NULL ? strcmp(routes[i].pattern, first) == 0
                                            : matches(routes[i].pattern, req->path, path, req);
        if (!is_row_of_path) {
            continue;
        }
        first = routes[i].pattern;
        *allowed |= routes[i].methods;
        if (found == NULL && (routes[i].methods & HTTP_METHOD_BIT(req->method))) {
            found = routes[i].handler;
        }
    }
    free(path);
    if (first == NULL) {
        return ROUTER_NOT_FOUND;
    }
    if (found == NULL) {
        return ROUTER_METHOD_NOT_ALLOWED;
    }
    *handler = found;
    return ROUTER_MATCHED;
}

enum router_match_result router_match(struct request *req, api_handler_fn *handler)
{
    unsigned allowed;
    return router_match_methods(req, handler, &allowed);
}

size_t router_allow_header(unsigned allowed, char *out, size_t cap)
{
    static const struct {
        enum http_method method;
        const char *name;
    } names[] = {{HTTP_GET, "GET"},        {HTTP_HEAD, "HEAD"},   {HTTP_POST, "POST"},
                 {HTTP_PUT, "PUT"},        {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
                 {HTTP_OPTIONS, "OPTIONS"}};
    size_t n = 0;
    out[0] = '\0';
    allowed |= HTTP_METHOD_BIT(HTTP_OPTIONS); /* every route answers the preflight */
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (allowed & HTTP_METHOD_BIT(names[i].method)) {
            int w = snprintf(out + n, cap - n, "%s%s", n > 0 ? ", " : "", names[i].name);
            if (w < 0 || (size_t)w >= cap - n) {
                out[n] = '\0'; /* no name cut in half */
                break;
            }
            n += (size_t)w;
        }
    }
    return n;
}

/* The first row of handler; NULL for a function that is no handler. */
static const struct route *row_of(api_handler_fn handler)
{
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (routes[i].handler == handler) {
            return &routes[i];
        }
    }
    return NULL;
}

bool router_is_slow(api_handler_fn handler)
{
    const struct route *row = row_of(handler);
    return row != NULL && row->is_slow;
}

bool router_is_document(api_handler_fn handler)
{
    const struct route *row = row_of(handler);
    return row != NULL && row->is_document;
}

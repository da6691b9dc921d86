/* router.c - the route table and path matching. Patterns have literal segments and
 * {collectionId} / {featureId} segments, so matching is a segment walk; a pattern whose
 * last segment is "*" is a prefix that owns every path below it (the web map's files). */
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/static_files.h"

struct route {
    const char *pattern;
    api_handler_fn handler;
    bool is_document; /* a metadata document the response cache keeps (not features) */
};

static const struct route routes[] = {
    {"/", api_landing, true},
    {"/conformance", api_conformance, true},
    {"/api", api_openapi, true},
    {"/collections", api_collections, true},
    {"/collections/{collectionId}", api_collection, true},
    {"/collections/{collectionId}/items", api_items, false},
    {"/collections/{collectionId}/items/{featureId}", api_item, false},
    {"/collections/{collectionId}/queryables", api_queryables, true},
    {"/collections/{collectionId}/schema", api_schema, true},
    {"/stats", api_stats, false}, /* results live in the statistics cache, per layer version */
    {"/stats/featured", api_featured_list, true},
    {"/stats/featured/{statisticId}", api_featured_statistic, false},
    {"/styles", api_styles, true},
    {"/styles/{collectionId}", api_style, true},
    /* The web map: not part of the API, so not in router_patterns. The prefix comes
     * first: "/map/" would otherwise lose its slash and match "/map". */
    {"/map/*", static_files_serve, false},
    {"/map", static_files_redirect, false},
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
    "/stats",
    "/stats/featured",
    "/stats/featured/{statisticId}",
    "/styles",
    "/styles/{collectionId}",
    NULL,
};

/* Length of the segment starting at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash != NULL ? (size_t)(slash - s) : strlen(s);
}

/* Walks pattern and path segment by segment; captures {featureId} into req->feature_id
 * and any other {..} segment ({collectionId}, {statisticId}) into req->collection_id. */
static bool match_route(const char *pattern, const char *path, struct request *req)
{
    char *captured[2] = {NULL, NULL};
    const char *p = pattern + 1, *s = path + 1;
    bool ok = true;
    while (ok && (*p != '\0' || *s != '\0')) {
        size_t plen = segment_len(p), slen = segment_len(s);
        if (plen == 0 || slen == 0) {
            ok = plen == 0 && slen == 0 && *p == '\0' && *s == '\0';
            break;
        }
        if (p[0] == '{') {
            int which = strncmp(p, "{featureId}", plen) == 0 ? 1 : 0;
            free(captured[which]);
            captured[which] = xstrndup(s, slen);
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
    } else {
        free(captured[0]);
        free(captured[1]);
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

enum router_match_result router_match(struct request *req, api_handler_fn *handler)
{
    /* Drop one trailing slash so "/collections/" finds "/collections". */
    size_t len = strlen(req->path);
    char *path = xstrdup(req->path);
    if (len > 1 && path[len - 1] == '/') {
        path[len - 1] = '\0';
    }
    enum router_match_result result = ROUTER_NOT_FOUND;
    /* Empty segments never name anything: "//" anywhere is not found. */
    for (size_t i = 0; strstr(req->path, "//") == NULL && i < N_ROUTES; i++) {
        if (matches(routes[i].pattern, req->path, path, req)) {
            bool is_read = req->method == HTTP_GET || req->method == HTTP_HEAD;
            result = is_read ? ROUTER_MATCHED : ROUTER_METHOD_NOT_ALLOWED;
            *handler = routes[i].handler;
            break;
        }
    }
    free(path);
    return result;
}

bool router_is_document(api_handler_fn handler)
{
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (routes[i].handler == handler) {
            return routes[i].is_document;
        }
    }
    return false;
}

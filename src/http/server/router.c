/* router.c - path matching over the route table (server/routes.c). Patterns have
 * literal segments and {..} segments, so matching is a segment walk; a pattern whose
 * last segment is "*" is a prefix that owns every path below it (the web map's files).
 * A path may have several rows, one per handler, each with the methods it answers. */
#include "http/server/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/server/routes.h"

/* Length of the segment starting at s (up to '/' or the end). */
static size_t segment_len(const char *s)
{
    const char *slash = strchr(s, '/');
    return slash != NULL ? (size_t)(slash - s) : strlen(s);
}

/* Walks pattern and path segment by segment; each {name} segment of the pattern becomes
 * the path parameter name (request_path_param), set on req only when the whole path
 * matches. */
static bool match_route(const char *pattern, const char *path, struct request *req)
{
    struct request_path_param captured[REQUEST_MAX_PATH_PARAMS];
    size_t n_captured = 0;
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
            ok = close != NULL && n_captured < REQUEST_MAX_PATH_PARAMS &&
                 (suffix_len == 0 ||
                  (slen > suffix_len && memcmp(s + slen - suffix_len, close + 1, suffix_len) == 0));
            if (ok) {
                captured[n_captured].name = xstrndup(p + 1, (size_t)(close - p - 1));
                captured[n_captured].value = xstrndup(s, slen - suffix_len);
                n_captured++;
            }
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
        request_free_path_params(req);
        memcpy(req->path_params, captured, n_captured * sizeof(captured[0]));
        req->n_path_params = n_captured;
    } else {
        for (size_t i = 0; i < n_captured; i++) {
            free(captured[i].name);
            free(captured[i].value);
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
    const struct api_route *found = NULL;
    /* Empty segments never name anything: "//" anywhere is not found. Every pattern starts
     * with '/': a path that does not ("", "*" of OPTIONS *) matches none, and match_route
     * may skip its first byte. The empty path was found by tests/fuzz/fuzz_router.c. */
    bool is_routable = req->path[0] == '/' && strstr(req->path, "//") == NULL;
    for (size_t i = 0; is_routable && i < api_n_routes; i++) {
        const struct api_route *row = &api_routes[i];
        /* The other rows of the first matching pattern only add their methods (their
         * captures would be the same). */
        bool is_row_of_path = first != NULL ? strcmp(row->pattern, first) == 0
                                            : matches(row->pattern, req->path, path, req);
        if (!is_row_of_path) {
            continue;
        }
        first = row->pattern;
        *allowed |= row->methods;
        if (found == NULL && (row->methods & HTTP_METHOD_BIT(req->method))) {
            found = row;
        }
    }
    free(path);
    if (first == NULL) {
        return ROUTER_NOT_FOUND;
    }
    if (found == NULL) {
        return ROUTER_METHOD_NOT_ALLOWED;
    }
    *handler = found->handler;
    req->route = found;
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
static const struct api_route *row_of(api_handler_fn handler)
{
    for (size_t i = 0; i < api_n_routes; i++) {
        if (api_routes[i].handler == handler) {
            return &api_routes[i];
        }
    }
    return NULL;
}

bool router_is_slow(api_handler_fn handler)
{
    const struct api_route *row = row_of(handler);
    return row != NULL && (row->flags & ROUTE_SLOW);
}

bool router_is_document(api_handler_fn handler)
{
    const struct api_route *row = row_of(handler);
    return row != NULL && (row->flags & ROUTE_DOCUMENT);
}

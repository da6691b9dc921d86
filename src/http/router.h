/* router.h - one static table: path pattern -> handler. */
#ifndef CITYATLAS_HTTP_ROUTER_H
#define CITYATLAS_HTTP_ROUTER_H

#include "http/api.h"

enum router_match_result {
    ROUTER_MATCHED,
    ROUTER_NOT_FOUND,          /* no route has this path */
    ROUTER_METHOD_NOT_ALLOWED, /* the path exists, the method does not (GET, HEAD only) */
};

/* Matches req->path and req->method. On ROUTER_MATCHED sets *handler and the route
 * parameters (req->collection_id, req->feature_id; owned by req). A trailing slash is
 * ignored ("/collections/" is "/collections"), except below a prefix route (the web map),
 * whose handler gets every path that starts with "/map/". Thread-safe. */
enum router_match_result router_match(struct request *req, api_handler_fn *handler);

/* True for the handlers of metadata documents (landing, collections, /api, queryables...),
 * whose answers the response cache may keep; false for features, which change with
 * every query and stream. */
bool router_is_document(api_handler_fn handler);

/* The route patterns, for the OpenAPI document and tests: NULL-terminated. */
extern const char *const router_patterns[];

#endif

/* router.h - path and method -> handler, over the route table of server/routes.h. */
#ifndef CITYATLAS_HTTP_ROUTER_H
#define CITYATLAS_HTTP_ROUTER_H

#include "http/handlers/api.h"

enum router_match_result {
    ROUTER_MATCHED,
    ROUTER_NOT_FOUND,          /* no route has this path */
    ROUTER_METHOD_NOT_ALLOWED, /* the path exists, the method does not */
};

/* Matches req->path and req->method. On ROUTER_MATCHED sets *handler, the path
 * parameters the pattern names (request_path_param; owned by req) and req->route, the
 * row that matched. A trailing slash is ignored ("/collections/" is "/collections"), except below a
 * prefix route (the web map), whose handler gets every path that starts with "/map/". Thread-safe.
 */
enum router_match_result router_match(struct request *req, api_handler_fn *handler);

/* The same, and *allowed gets the methods the path answers (HTTP_METHOD_BIT()s; 0 when
 * no route has it), for the Allow header of a 405 and the answer to OPTIONS. */
enum router_match_result router_match_methods(struct request *req, api_handler_fn *handler,
                                              unsigned *allowed);

/* Writes the Allow header's value for the methods in allowed, OPTIONS always included
 * ("GET, HEAD, OPTIONS"), into out[cap]; returns its length. */
size_t router_allow_header(unsigned allowed, char *out, size_t cap);

/* True for the handlers of metadata documents (landing, collections, /api, queryables...),
 * whose answers the response cache may keep; false for features, which change with
 * every query and stream. */
bool router_is_document(api_handler_fn handler);

/* True for the handlers flagged slow in the table (renders, exports, statistics): the
 * server runs them on its work pool, off the event threads. */
bool router_is_slow(api_handler_fn handler);

#endif

/* dispatch.c - server_handle: route a request, answer OPTIONS and refuse what no route
 * takes (404, 405 with Allow, 413 for a body past the cap), run the handler, turn errors
 * into JSON error documents, and answer conditional reads (ETag / Last-Modified) with 304.
 * No MHD types here, so the whole request path can be tested without a socket. */
#define _XOPEN_SOURCE 700 /* strptime */
#include "http/server/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/documents/error_page.h"
#include "http/transport/response.h"
#include "http/transport/api_common.h"
#include "http/transport/live_hub.h"
#include "http/transport/response_cache.h"
#include "http/server/router.h"

static bool parse_http_date(const char *text, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (end == NULL) {
        return false;
    }
    *out = timegm(&tm);
    return true;
}

static bool is_not_modified(const struct request *req, const struct response *resp)
{
    if (resp->status != 200 || (req->method != HTTP_GET && req->method != HTTP_HEAD)) {
        return false;
    }
    if (req->if_none_match != NULL) {
        return resp->etag != NULL && api_etag_matches(req->if_none_match, resp->etag);
    }
    time_t since, modified;
    return req->if_modified_since != NULL && resp->last_modified != NULL &&
           parse_http_date(req->if_modified_since, &since) &&
           parse_http_date(resp->last_modified, &modified) && modified <= since;
}

static void run_handler(struct request *req, struct response *resp, api_handler_fn handler)
{
    struct err err;
    err_clear(&err);
    bool is_document = router_is_document(handler);
    if (is_document && response_cache_get(req->app->cache, req, resp)) {
        /* Says which answers cost nothing: for operators, and the tests of the key. */
        response_add_header(resp, "X-Cache", "hit");
        return;
    }
    /* Every value a route's table row types is checked here, once, with the table's
     * words (route.c); handlers read them with the typed getters. */
    int rc = api_route_check_values(req->route, req, &err);
    rc = rc == ERR_OK ? handler(req, resp, &err) : rc;
    if (rc != ERR_OK) {
        response_set_error(resp, &err);
        return;
    }
    if (is_document && resp->is_cacheable) {
        response_cache_put(req->app->cache, req, resp);
    }
}

/* The CORS preflight (and plain OPTIONS): what this path answers, and the request headers
 * a browser may send to it (Authorization and Content-Type for the writes). */
static void answer_options(struct response *resp, const char *allow)
{
    resp->status = 204;
    response_add_header(resp, "Access-Control-Allow-Methods", allow);
    response_add_header(resp, "Access-Control-Allow-Headers",
                        "Accept, Accept-Language, If-None-Match, If-Modified-Since, "
                        "Authorization, Content-Type");
    response_add_header(resp, "Access-Control-Max-Age", "86400");
    response_add_header(resp, "Allow", allow);
}

static void refuse_method(const struct request *req, struct response *resp, const char *allow)
{
    char msg[200];
    snprintf(msg, sizeof(msg), "method %.20s is not allowed here; use %s", req->method_name, allow);
    response_set_status_error(resp, 405, "MethodNotAllowed", msg);
    response_add_header(resp, "Allow", allow);
}

/* Routes req; false when resp already holds the answer (404, 405, OPTIONS, 413). */
static bool route(struct request *req, struct response *resp, api_handler_fn *handler)
{
    unsigned allowed = 0;
    enum router_match_result match = router_match_methods(req, handler, &allowed);
    if (match == ROUTER_NOT_FOUND) {
        char msg[200];
        snprintf(msg, sizeof(msg),
                 "no resource at %.100s; start at / for the list of what this server offers",
                 req->path);
        response_set_status_error(resp, 404, "NotFound", msg);
        return false;
    }
    char allow[80];
    router_allow_header(allowed, allow, sizeof(allow));
    if (match == ROUTER_METHOD_NOT_ALLOWED && req->method == HTTP_OPTIONS) {
        answer_options(resp, allow);
        return false;
    }
    if (match == ROUTER_METHOD_NOT_ALLOWED) {
        refuse_method(req, resp, allow);
        return false;
    }
    if (req->is_body_too_large) {
        response_set_status_error(resp, 413, "PayloadTooLarge",
                                  "the request body is larger than 1 MiB");
        return false;
    }
    return true;
}

/* A write under /scenarios/{scenarioId} that succeeded may have changed what its live
 * streams show: they look (a look that finds nothing new sends nothing). */
static void notify_live(const struct request *req, const struct response *resp)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    if (http_method_is_write(req->method) && resp->status < 400 && scenario_id != NULL) {
        live_hub_notify(req->app->live, scenario_id);
    }
}

void server_handle(struct request *req, struct response *resp)
{
    api_handler_fn handler = NULL;
    if (!route(req, resp, &handler)) {
        error_page_apply(req, resp);
        return;
    }
    run_handler(req, resp, handler);
    notify_live(req, resp);
    error_page_apply(req, resp);
    if (is_not_modified(req, resp)) {
        char *etag = resp->etag, *modified = resp->last_modified;
        resp->etag = resp->last_modified = NULL;
        response_clear(resp);
        response_init(resp);
        resp->status = 304;
        resp->etag = etag;
        resp->last_modified = modified;
    }
}

bool server_route_is_slow(struct request *req)
{
    api_handler_fn handler = NULL;
    bool is_slow = router_match(req, &handler) == ROUTER_MATCHED && router_is_slow(handler);
    /* server_handle routes again: the path parameters must not be kept twice. */
    request_free_path_params(req);
    return is_slow;
}

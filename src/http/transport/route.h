/* route.h - what a row of the route table is (server/routes.c holds the table): its
 * pattern, methods, handler, flags and parameters, and the check of a request's query
 * parameters against its row. Here, below the handlers, so that the shared request helpers
 * (api_common.c) can refuse an undocumented parameter without seeing the handlers. */
#ifndef CITYATLAS_HTTP_ROUTE_H
#define CITYATLAS_HTTP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/transport/request.h"

typedef int (*api_handler_fn)(struct request *req, struct response *resp, struct err *err);

enum route_param_in {
    ROUTE_PARAM_PATH,  /* a {..} segment of the pattern */
    ROUTE_PARAM_QUERY, /* name=value in the query string */
};

/* One parameter, defined once (routes.c) and shared by every route that takes it. name is
 * what a client writes; component is its entry in the OpenAPI document's
 * components/parameters, where its type, bounds, default and description are. Two
 * parameters may share a name with different meanings (f of documents and f of features),
 * never a component. */
struct route_param {
    const char *name;
    const char *component;
    enum route_param_in in;
};

enum route_flag {
    ROUTE_DOCUMENT = 1u << 0,  /* a metadata document the response cache keeps */
    ROUTE_SLOW = 1u << 1,      /* seconds of work (renders, exports, statistics): the server
                                * runs it on its work pool, off the event threads */
    ROUTE_STATISTIC = 1u << 2, /* also takes every parameter of a statistic (/stats) and
                                * NAME=VALUE field filters, checked by stats_params */
    ROUTE_FIELDS = 1u << 3,    /* also takes the layer's queryable properties as NAME=VALUE */
    ROUTE_NOT_API = 1u << 4,   /* served but not part of the API (the web map's files) */
};

struct api_route {
    const char *pattern; /* literal segments and {name} captures; a last segment "*" is a
                          * prefix owning every path below it */
    unsigned methods;    /* HTTP_METHOD_BIT()s this row answers */
    api_handler_fn handler;
    unsigned flags;           /* enum route_flag */
    const char *operation_id; /* the OpenAPI operationId; documents/ describe it by this */
    const struct route_param *const *params; /* path then query, NULL-terminated */
};

/* Fails with ERR_INVALID naming the first query parameter of req that route does not take
 * and listing those it takes; what is named "takes" in the message. */
int api_route_check_query(const struct api_route *route, const struct request *req,
                          const char *what, struct err *err) WARN_UNUSED;

/* "limit, offset, ..." (or "none"): the names of the query parameters route takes, for
 * error messages. Caller frees. */
char *api_route_query_list(const struct api_route *route);

/* True when route takes a query parameter of this name. */
bool api_route_takes(const struct api_route *route, const char *name);

#endif

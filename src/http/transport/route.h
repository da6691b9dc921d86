/* route.h - what a row of the route table is (server/routes.c holds the table): its
 * pattern, methods, handler, flags and parameters, and the check of a request's query
 * parameters against its row. Here, below the handlers, so that the shared request helpers
 * (api_common.c) can refuse an undocumented parameter without seeing the handlers. */
#ifndef CITYATLAS_HTTP_ROUTE_H
#define CITYATLAS_HTTP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/transport/request.h"

typedef int (*api_handler_fn)(struct request *req, struct response *resp, struct err *err);

enum route_param_in {
    ROUTE_PARAM_PATH,  /* a {..} segment of the pattern */
    ROUTE_PARAM_QUERY, /* name=value in the query string */
};

enum route_param_type {
    ROUTE_TYPE_STRING,   /* free text, or a grammar its handler checks (filter, ids) */
    ROUTE_TYPE_INTEGER,  /* a whole number within [min, max] */
    ROUTE_TYPE_NUMBER,   /* a finite number within [min_number, max_number] */
    ROUTE_TYPE_BOOLEAN,  /* true or false */
    ROUTE_TYPE_ENUM,     /* one of values */
    ROUTE_TYPE_LIST,     /* comma-separated names (properties, sortby) */
    ROUTE_TYPE_BBOX,     /* 4 or 6 comma-separated numbers (items_params.c reads them) */
    ROUTE_TYPE_DATETIME, /* an RFC 3339 instant or interval (items_params.c) */
    ROUTE_TYPE_CRS,      /* a CRS URI of api_crs_list, or EPSG:n (api_common.c) */
    ROUTE_TYPE_CRS84,    /* the same, CRS84 only */
};

enum route_param_flag {
    /* limit: the bounds are the server's (--max-limit, --default-limit), and a value above
     * the maximum is no error but the maximum (/req/core/fc-limit-response-1). */
    ROUTE_PARAM_PAGE_SIZE = 1u << 0,
    ROUTE_PARAM_REQUIRED = 1u << 1, /* a query parameter the route cannot do without */
    /* f and lang: checked with the Accept headers by request_format and request_lang
     * (f=geojson is taken as f=json), not by api_route_check_values. */
    ROUTE_PARAM_NEGOTIATED = 1u << 2,
    ROUTE_PARAM_ANY_CASE = 1u << 3, /* an enum whose values match in any case (paper=a4) */
};

/* One parameter, defined once (routes.c) and shared by every route that takes it. name is
 * what a client writes; component is its entry in the OpenAPI document's
 * components/parameters, whose schema (type, bounds, default, values) is made from this
 * definition, as are the texts of the 400 a bad value gets (api_route_check_values);
 * its description is written in server/api_openapi*.c. Two parameters may share a name
 * with different meanings (f of documents and f of features), never a component. */
struct route_param {
    const char *name;
    const char *component;
    enum route_param_in in;
    enum route_param_type type;
    int64_t min, max;              /* ROUTE_TYPE_INTEGER */
    double min_number, max_number; /* ROUTE_TYPE_NUMBER */
    const char *const *values;     /* ROUTE_TYPE_ENUM: NULL-terminated */
    const char *fallback;          /* the default as a client writes it; NULL: none */
    unsigned flags;                /* enum route_param_flag */
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

/* route's query parameter of this name; NULL when it takes none. */
const struct route_param *api_route_query_param(const struct api_route *route, const char *name);

/* Each parameter once (a repeated one would leave which value counts to chance): fails
 * with ERR_INVALID naming the first one req gives twice, among those route takes (all of
 * them when route is NULL). */
int api_route_check_repeated(const struct api_route *route, const struct request *req,
                             struct err *err) WARN_UNUSED;

/* Fails with ERR_INVALID when a parameter route takes is given twice
 * (api_route_check_repeated), or when a query parameter of req that route takes has a value its
 * definition refuses (not a number, out of bounds, not one of the values); the message
 * names the parameter and what it takes. Parameters route does not take are left to
 * api_route_check_query and the handlers. */
int api_route_check_values(const struct api_route *route, const struct request *req,
                           struct err *err) WARN_UNUSED;

/* The largest and the default value of an integer parameter: its own, or the server's for
 * ROUTE_PARAM_PAGE_SIZE. */
int64_t route_param_max(const struct route_param *p, const struct http_app *app);
bool route_param_default_int(const struct route_param *p, const struct http_app *app, int64_t *out);

/* Typed getters of req's query parameter name (which req->route must take, else
 * ERR_INTERNAL): the value checked as api_route_check_values does, or the parameter's
 * default when absent; *out is left as it is when it is absent without a default. */
int api_query_int(const struct request *req, const char *name, int64_t *out,
                  struct err *err) WARN_UNUSED;
int api_query_number(const struct request *req, const char *name, double *out,
                     struct err *err) WARN_UNUSED;
int api_query_bool(const struct request *req, const char *name, bool *out,
                   struct err *err) WARN_UNUSED;
/* *value: the one of the parameter's values (as the table spells it) that was asked. */
int api_query_enum(const struct request *req, const char *name, const char **value,
                   struct err *err) WARN_UNUSED;

#endif

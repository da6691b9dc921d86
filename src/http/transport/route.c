/* route.c - a request's query parameters checked against its row of the route table. */
#include "http/transport/route.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/parse.h"
#include "base/utf8.h"
#include "http/transport/api_crs.h"

bool api_route_takes(const struct api_route *route, const char *name)
{
    for (size_t k = 0; route != NULL && route->params[k] != NULL; k++) {
        if (route->params[k]->in == ROUTE_PARAM_QUERY &&
            strcmp(route->params[k]->name, name) == 0) {
            return true;
        }
    }
    return false;
}

char *api_route_query_list(const struct api_route *route)
{
    struct buf list;
    struct err err;
    buf_init(&list, 1024);
    for (size_t k = 0; route != NULL && route->params[k] != NULL; k++) {
        const struct route_param *p = route->params[k];
        if (p->in == ROUTE_PARAM_QUERY &&
            buf_printf(&list, &err, "%s%s", list.len > 0 ? ", " : "", p->name) != ERR_OK) {
            break;
        }
    }
    char *text = xstrdup(list.len > 0 ? list.data : "none");
    buf_clear(&list);
    return text;
}

int api_route_check_query(const struct api_route *route, const struct request *req,
                          const char *what, struct err *err)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (!api_route_takes(route, req->params[i].name)) {
            char *list = api_route_query_list(route);
            err_set(err, ERR_INVALID, "unknown parameter '%s'; %s takes %s",
                    utf8_excerpt(req->params[i].name, 60).text, what, list);
            free(list);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

const struct route_param *api_route_query_param(const struct api_route *route, const char *name)
{
    for (size_t k = 0; route != NULL && route->params[k] != NULL; k++) {
        if (route->params[k]->in == ROUTE_PARAM_QUERY &&
            strcmp(route->params[k]->name, name) == 0) {
            return route->params[k];
        }
    }
    return NULL;
}

int64_t route_param_max(const struct route_param *p, const struct http_app *app)
{
    return (p->flags & ROUTE_PARAM_PAGE_SIZE) ? app->max_limit : p->max;
}

bool route_param_default_int(const struct route_param *p, const struct http_app *app, int64_t *out)
{
    if (p->flags & ROUTE_PARAM_PAGE_SIZE) {
        *out = app->default_limit;
        return true;
    }
    /* The table's own text, checked by the unit test of the table: it cannot fail. */
    return p->fallback != NULL &&
           parse_int64(p->fallback, INT64_MIN, INT64_MAX, p->name, out, &(struct err){0}) == ERR_OK;
}

/* A value read by the checker: which member holds it depends on the parameter's type. */
struct route_value {
    int64_t integer;
    double number;
    bool boolean;
    size_t index;
};

static bool is_digits(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && s[n] == '\0';
}

/* A page size above the maximum is cut to it; past 64 bits it is still "more than the
 * maximum". */
static int check_page_size(const struct route_param *p, const char *text,
                           const struct http_app *app, int64_t *out, struct err *err)
{
    int rc = parse_int64(text, p->min, INT64_MAX, p->name, out, err);
    if (rc != ERR_OK && is_digits(text) && strspn(text, "0") < strlen(text)) {
        rc = ERR_OK;
        *out = INT64_MAX;
    }
    if (rc != ERR_OK) {
        return err_set(err, ERR_INVALID,
                       "%s: expected a whole number of %lld or more (at most %lld are served), "
                       "got '%s'",
                       p->name, (long long)p->min, (long long)app->max_limit,
                       utf8_excerpt(text, 30).text);
    }
    if (*out > app->max_limit) {
        *out = app->max_limit;
    }
    return ERR_OK;
}

static int check_number(const struct route_param *p, const char *text, double *out, struct err *err)
{
    int rc = parse_double(text, p->name, out, err);
    if (rc == ERR_OK && (*out < p->min_number || *out > p->max_number)) {
        rc = err_set(err, ERR_INVALID, "%s: %s is out of range (%g to %g)", p->name,
                     utf8_excerpt(text, 20).text, p->min_number, p->max_number);
    }
    return rc;
}

static int check_enum(const struct route_param *p, const char *text, size_t *out, struct err *err)
{
    struct buf list;
    buf_init(&list, 256);
    for (size_t i = 0; p->values[i] != NULL; i++) {
        bool is_same = (p->flags & ROUTE_PARAM_ANY_CASE) ? strcasecmp(p->values[i], text) == 0
                                                         : strcmp(p->values[i], text) == 0;
        if (is_same) {
            buf_clear(&list);
            *out = i;
            return ERR_OK;
        }
        if (buf_printf(&list, err, "%s%s", i > 0 ? ", " : "", p->values[i]) != ERR_OK) {
            break;
        }
    }
    err_set(err, ERR_INVALID, "%s: '%s' is not one of %s", p->name, utf8_excerpt(text, 40).text,
            list.len > 0 ? list.data : "");
    buf_clear(&list);
    return ERR_INVALID;
}

/* A CRS of api_crs_list (any for ROUTE_TYPE_CRS, the first for ROUTE_TYPE_CRS84); the
 * message lists them as a client may write them. */
static int check_crs(const struct route_param *p, const char *text, struct err *err)
{
    const struct api_crs *crs = api_crs_find(text);
    if (crs != NULL && (p->type == ROUTE_TYPE_CRS || crs == &api_crs_list[0])) {
        return ERR_OK;
    }
    if (p->type == ROUTE_TYPE_CRS84) {
        return err_set(err, ERR_INVALID, "%s: only %s (longitude, latitude) is supported", p->name,
                       API_CRS84);
    }
    struct buf list;
    buf_init(&list, 256);
    int rc = buf_append_str(&list, "CRS84", err);
    for (size_t i = 1; rc == ERR_OK && i < api_n_crs; i++) {
        rc = buf_printf(&list, err, ", EPSG:%d", api_crs_list[i].srid);
    }
    err_set(err, ERR_INVALID,
            "%s: unknown or unsupported CRS '%s'; supported: %s as "
            "http://www.opengis.net/def/crs/... URIs",
            p->name, utf8_excerpt(text, 100).text, rc == ERR_OK ? list.data : "");
    buf_clear(&list);
    return ERR_INVALID;
}

/* text as parameter p takes it; the types a handler's own parser reads pass unread. */
static int check_value(const struct route_param *p, const char *text, const struct http_app *app,
                       struct route_value *v, struct err *err)
{
    switch (p->type) {
    case ROUTE_TYPE_INTEGER:
        return (p->flags & ROUTE_PARAM_PAGE_SIZE)
                   ? check_page_size(p, text, app, &v->integer, err)
                   : parse_int64(text, p->min, p->max, p->name, &v->integer, err);
    case ROUTE_TYPE_NUMBER:
        return check_number(p, text, &v->number, err);
    case ROUTE_TYPE_BOOLEAN:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
            return err_set(err, ERR_INVALID, "%s: expected true or false, got '%s'", p->name,
                           utf8_excerpt(text, 40).text);
        }
        v->boolean = strcmp(text, "true") == 0;
        return ERR_OK;
    case ROUTE_TYPE_ENUM:
        return check_enum(p, text, &v->index, err);
    case ROUTE_TYPE_CRS:
    case ROUTE_TYPE_CRS84:
        return check_crs(p, text, err);
    default:
        return ERR_OK;
    }
}

int api_route_check_repeated(const struct api_route *route, const struct request *req,
                             struct err *err)
{
    for (size_t i = 0; i < req->n_params; i++) {
        if (route != NULL && api_route_query_param(route, req->params[i].name) == NULL) {
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(req->params[i].name, req->params[j].name) == 0) {
                return err_set(err, ERR_INVALID, "%s: given twice; give each parameter once",
                               utf8_excerpt(req->params[i].name, 60).text);
            }
        }
    }
    return ERR_OK;
}

int api_route_check_values(const struct api_route *route, const struct request *req,
                           struct err *err)
{
    if (api_route_check_repeated(route, req, err) != ERR_OK) {
        return ERR_INVALID;
    }
    for (size_t i = 0; i < req->n_params; i++) {
        const struct route_param *p = api_route_query_param(route, req->params[i].name);
        struct route_value v;
        if (p != NULL && !(p->flags & ROUTE_PARAM_NEGOTIATED) &&
            check_value(p, req->params[i].value, req->app, &v, err) != ERR_OK) {
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

/* The checked value of req's parameter name, or its default; v is left as it is when the
 * parameter is absent and has no default. */
static int query_value(const struct request *req, const char *name, enum route_param_type type,
                       struct route_value *v, struct err *err)
{
    const struct route_param *p = api_route_query_param(req->route, name);
    if (p == NULL || p->type != type) {
        return err_set(err, ERR_INTERNAL, "the route table gives no %s parameter '%s'",
                       req->route != NULL ? "such" : "route, so no", name);
    }
    const char *text = request_param(req, name);
    if (text == NULL && type == ROUTE_TYPE_INTEGER) {
        route_param_default_int(p, req->app, &v->integer);
        return ERR_OK;
    }
    text = text != NULL ? text : p->fallback;
    return text != NULL ? check_value(p, text, req->app, v, err) : ERR_OK;
}

int api_query_int(const struct request *req, const char *name, int64_t *out, struct err *err)
{
    struct route_value v = {.integer = *out};
    int rc = query_value(req, name, ROUTE_TYPE_INTEGER, &v, err);
    *out = rc == ERR_OK ? v.integer : *out;
    return rc;
}

int api_query_number(const struct request *req, const char *name, double *out, struct err *err)
{
    struct route_value v = {.number = *out};
    int rc = query_value(req, name, ROUTE_TYPE_NUMBER, &v, err);
    *out = rc == ERR_OK ? v.number : *out;
    return rc;
}

int api_query_bool(const struct request *req, const char *name, bool *out, struct err *err)
{
    struct route_value v = {.boolean = *out};
    int rc = query_value(req, name, ROUTE_TYPE_BOOLEAN, &v, err);
    *out = rc == ERR_OK ? v.boolean : *out;
    return rc;
}

int api_query_enum(const struct request *req, const char *name, const char **value, struct err *err)
{
    struct route_value v = {.index = SIZE_MAX};
    int rc = query_value(req, name, ROUTE_TYPE_ENUM, &v, err);
    if (rc == ERR_OK && v.index != SIZE_MAX) {
        *value = api_route_query_param(req->route, name)->values[v.index];
    }
    return rc;
}

/* route.c - a request's query parameters checked against its row of the route table. */
#include "http/transport/route.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/utf8.h"

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

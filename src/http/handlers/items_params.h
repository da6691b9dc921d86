/* items_params.h - the query parameters of /collections/{id}/items and .../items/{fid}:
 * parsed, checked against the layer's schema and turned into a struct store_query.
 * Every mistake is an ERR_INVALID naming the parameter and what was wrong. */
#ifndef CITYATLAS_HTTP_ITEMS_PARAMS_H
#define CITYATLAS_HTTP_ITEMS_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "http/transport/api_common.h"
#include "http/transport/request.h"
#include "store/store_read.h"

#define ITEMS_MAX_SORT_KEYS 8
/* properties= names at most this many (a longer list is refused, not cut). */
#define ITEMS_MAX_PROPERTIES 256
/* Finest zoom level `zoom` accepts; past it simplification would change nothing. */
#define ITEMS_MAX_ZOOM 22

struct items_params {
    struct store_query query;
    enum http_format format;
    enum http_lang lang;
    const struct api_crs *crs; /* output CRS */
    int precision;             /* decimals of coordinates */
    bool has_zoom;
    int zoom;
    /* Owned storage the query points into. */
    size_t *properties;
    struct store_sort_key sort[ITEMS_MAX_SORT_KEYS];
    struct cql2_node *filter;
    char *time_start, *time_end; /* datetime's ends (RFC 3339), NULL when open or absent */
};

/* Parses req's parameters for a list of items (is_single false) or one item (true; only
 * crs, f, lang, zoom, precision, properties, skipGeometry are taken there). Uses rd to
 * transform a bbox given in another CRS. On failure everything is freed. */
int items_params_parse(struct request *req, struct store_read *rd, const struct store_layer *layer,
                       bool is_single, struct items_params *out, struct err *err) WARN_UNUSED;
void items_params_clear(struct items_params *p);

#endif

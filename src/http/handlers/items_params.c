/* items_params.c - parsing the items parameters into a store query. */
#include "http/handlers/items_params.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "cql2/cql2.h"
#include "geo/web_mercator.h"
#include "base/utf8.h"
#include "http/transport/route.h"

/* A CRS parameter, its value checked by api_route_check_values (items_params_parse). */
static const struct api_crs *crs_param(const struct request *req, const char *name)
{
    const char *text = request_param(req, name);
    const struct api_crs *crs = text != NULL ? api_crs_find(text) : NULL;
    return crs != NULL ? crs : &api_crs_list[0];
}

/* The four numbers of bbox (six with heights, which are ignored) in bbox-crs, as a
 * longitude/latitude box in EPSG:4326. */
static int parse_bbox(const struct request *req, struct store_read *rd, struct store_query *q,
                      struct err *err)
{
    const char *text = request_param(req, "bbox");
    if (text == NULL) {
        return ERR_OK;
    }
    char *parts[7];
    size_t n = parse_split_commas(text, parts, 7);
    double v[6] = {0};
    int rc = n == 4 || n == 6 ? ERR_OK
                              : err_set(err, ERR_INVALID,
                                        "bbox: expected 4 numbers (minx,miny,maxx,maxy) or 6 "
                                        "(with heights), got %zu values",
                                        n);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = parse_double(parts[i], "bbox", &v[i], err);
    }
    parse_free_parts(parts, n);
    if (rc != ERR_OK) {
        return rc;
    }
    double box[4] = {v[0], v[1], v[n == 6 ? 3 : 2], v[n == 6 ? 4 : 3]};
    const struct api_crs *crs = crs_param(req, "bbox-crs");
    if (crs->is_lat_lon) {
        double swapped[4] = {box[1], box[0], box[3], box[2]};
        memcpy(box, swapped, sizeof(box));
    }
    /* West > east is a box across the antimeridian (/req/core/fc-bbox-response), which
     * only longitudes can express; in a projected CRS it is a mistake. */
    bool is_across = crs->srid == 4326 && box[0] > box[2];
    if ((box[0] > box[2] && !is_across) || box[1] > box[3]) {
        return err_set(err, ERR_INVALID,
                       "bbox: the lower corner must come first (minx <= maxx and miny <= maxy; "
                       "only a longitude/latitude box may cross the antimeridian)");
    }
    if (crs->srid == 4326) {
        if (box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90) {
            return err_set(err, ERR_INVALID,
                           "bbox: longitudes must be within -180..180 and latitudes -90..90");
        }
        memcpy(q->bbox, box, sizeof(box));
    } else {
        rc = store_read_transform_bbox(rd, crs->srid, box, q->bbox, err);
        if (rc != ERR_OK) {
            return rc;
        }
    }
    q->has_bbox = true;
    q->bbox_keeps_empty = true;
    return ERR_OK;
}

/* Reads n digits at *s as a number within [min, max] and moves past them. */
static bool read_digits(const char **s, int n, int min, int max, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return v >= min && v <= max;
}

static bool read_char(const char **s, char c)
{
    if (**s != c) {
        return false;
    }
    (*s)++;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && is_leap ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to y-mo-d, proleptic Gregorian (the days_from_civil algorithm). */
static int64_t days_from_civil(int y, int mo, int d)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* HH:MM:SS[.fraction] as seconds of the day; the 'T' before it is read already. */
static bool read_time_of_day(const char **s, double *seconds)
{
    int h, mi, sec;
    if (!read_digits(s, 2, 0, 23, &h) || !read_char(s, ':') || !read_digits(s, 2, 0, 59, &mi) ||
        !read_char(s, ':') || !read_digits(s, 2, 0, 60, &sec)) {
        return false;
    }
    *seconds = h * 3600.0 + mi * 60.0 + sec;
    if (read_char(s, '.')) {
        const char *digits = *s;
        double scale = 0.1;
        for (; **s >= '0' && **s <= '9'; (*s)++, scale /= 10) {
            *seconds += (**s - '0') * scale;
        }
        return *s != digits;
    }
    return true;
}

/* RFC 3339 5.6: a full-date (YYYY-MM-DD) or a date-time with seconds, an optional
 * fraction and Z or +hh:mm. 't' and 'z' are upper-cased in place (SQLite reads only T, Z).
 * *utc_s is the instant in seconds since 1970 UTC (a date: its first instant), for
 * comparing the two ends of an interval; *is_date says whether text was a date. */
static bool is_rfc3339(char *text, double *utc_s, bool *is_date)
{
    const char *s = text;
    int y, mo, d, oh, om;
    if (!read_digits(&s, 4, 0, 9999, &y) || !read_char(&s, '-') ||
        !read_digits(&s, 2, 1, 12, &mo) || !read_char(&s, '-') ||
        !read_digits(&s, 2, 1, days_in_month(y, mo), &d)) {
        return false;
    }
    *utc_s = (double)days_from_civil(y, mo, d) * 86400.0;
    *is_date = *s == '\0';
    if (*is_date) {
        return true;
    }
    if (*s == 't') {
        text[s - text] = 'T';
    }
    double of_day = 0;
    if (!read_char(&s, 'T') || !read_time_of_day(&s, &of_day)) {
        return false;
    }
    *utc_s += of_day;
    if (*s == 'z' || *s == 'Z') {
        text[s - text] = 'Z';
        return s[1] == '\0';
    }
    char sign = *s;
    if ((sign != '+' && sign != '-') || (s++, !read_digits(&s, 2, 0, 23, &oh)) ||
        !read_char(&s, ':') || !read_digits(&s, 2, 0, 59, &om) || *s != '\0') {
        return false;
    }
    *utc_s -= (sign == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
    return true;
}

/* One end of a datetime interval: NULL for an open end (".." or empty), else a copy and
 * its instant in *utc_s (the end of the day for a date that ends an interval). */
static int datetime_bound(const char *text, size_t len, bool may_be_open, bool is_end, char **out,
                          double *utc_s, struct err *err)
{
    *out = NULL;
    if (may_be_open && (len == 0 || (len == 2 && strncmp(text, "..", 2) == 0))) {
        return ERR_OK;
    }
    char *copy = xstrndup(text, len);
    bool is_date = false;
    if (len > 64 || !is_rfc3339(copy, utc_s, &is_date)) {
        int rc =
            err_set(err, ERR_INVALID,
                    "datetime: '%s' is not an RFC 3339 date-time (e.g. "
                    "2019-02-18T00:00:00Z) or date (2019-02-18)%s",
                    utf8_excerpt(copy, 64).text, may_be_open ? ", nor '..' for an open end" : "");
        free(copy);
        return rc;
    }
    if (is_date && is_end) {
        *utc_s += 86400.0 - 0.001;
    }
    *out = copy;
    return ERR_OK;
}

/* datetime (/req/core/fc-time-definition): an instant, or an interval start/end whose
 * ends may be open (".." or empty), on the layer's time field. */
static int parse_datetime(const struct request *req, const struct store_layer *layer,
                          struct items_params *p, struct err *err)
{
    const char *text = request_param(req, "datetime");
    if (text == NULL) {
        return ERR_OK;
    }
    const char *slash = strchr(text, '/');
    double start_s = 0, end_s = 0;
    int rc;
    if (slash == NULL) {
        rc = datetime_bound(text, strlen(text), false, false, &p->time_start, &start_s, err);
        p->time_end = p->time_start != NULL ? xstrdup(p->time_start) : NULL;
    } else {
        rc = datetime_bound(text, (size_t)(slash - text), true, false, &p->time_start, &start_s,
                            err);
        if (rc == ERR_OK) {
            rc =
                datetime_bound(slash + 1, strlen(slash + 1), true, true, &p->time_end, &end_s, err);
        }
        if (rc == ERR_OK && p->time_start == NULL && p->time_end == NULL) {
            rc = err_set(err, ERR_INVALID, "datetime: an interval needs at least one end");
        } else if (rc == ERR_OK && p->time_start != NULL && p->time_end != NULL &&
                   start_s > end_s) {
            rc = err_set(err, ERR_INVALID, "datetime: the interval ends before it starts");
        }
    }
    /* Features without a time match (/req/core/fc-time-response C): on a layer without a
     * time field, all of them. */
    long field = store_layer_time_field(layer);
    p->query.has_time = rc == ERR_OK && field >= 0;
    p->query.time_field = field >= 0 ? (size_t)field : 0;
    p->query.time_start = p->time_start;
    p->query.time_end = p->time_end;
    return rc;
}

/* Whether field is among the first n of list. properties=a,a names a once: a second
 * copy would write a duplicate key into each feature's JSON object. */
static bool has_field(const size_t *list, size_t n, size_t field)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == field) {
            return true;
        }
    }
    return false;
}

static int parse_properties(const struct request *req, const struct store_layer *layer,
                            struct items_params *p, struct err *err)
{
    const char *text = request_param(req, "properties");
    if (text == NULL) {
        return ERR_OK;
    }
    p->properties = xcalloc(layer->n_fields + 1, sizeof(*p->properties));
    p->query.properties = p->properties;
    if (*text == '\0') {
        return ERR_OK;
    }
    char *parts[ITEMS_MAX_PROPERTIES + 1];
    size_t n = 0;
    int rc = parse_comma_list("properties", text, ITEMS_MAX_PROPERTIES, "names", parts, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        long field = store_layer_field_index(layer, parts[i]);
        if (field < 0) {
            rc = err_set(err, ERR_INVALID,
                         "properties: '%s' is not a property of '%s'; see "
                         "/collections/%s/schema",
                         utf8_excerpt(parts[i], 60).text, layer->id, layer->id);
        } else if (!has_field(p->properties, p->query.n_properties, (size_t)field) &&
                   p->query.n_properties < layer->n_fields) {
            p->properties[p->query.n_properties++] = (size_t)field;
        }
    }
    parse_free_parts(parts, n);
    return rc;
}

static int parse_sortby(const struct request *req, const struct store_layer *layer,
                        struct items_params *p, struct err *err)
{
    const char *text = request_param(req, "sortby");
    if (text == NULL) {
        return ERR_OK;
    }
    char *parts[ITEMS_MAX_SORT_KEYS + 1];
    size_t n = 0;
    int rc = parse_comma_list("sortby", text, ITEMS_MAX_SORT_KEYS, "keys", parts, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const char *name = parts[i];
        bool is_descending = name[0] == '-';
        /* '+' arrives as a space when the client did not percent-encode it. */
        name += name[0] == '-' || name[0] == '+' || name[0] == ' ';
        long field = store_layer_field_index(layer, name);
        if (field < 0) {
            rc = err_set(err, ERR_INVALID,
                         "sortby: '%s' is not a property of '%s'; write +name or -name",
                         utf8_excerpt(name, 60).text, layer->id);
        } else {
            p->sort[p->query.n_sort].field = (size_t)field;
            p->sort[p->query.n_sort].is_descending = is_descending;
            p->query.n_sort++;
        }
    }
    parse_free_parts(parts, n);
    p->query.sort = p->sort;
    return rc;
}

static int parse_filter(const struct request *req, struct items_params *p, struct err *err)
{
    const char *text = request_param(req, "filter");
    /* cql-text is the draft name of the same language, still sent by GDAL 3.6. */
    const char *lang = NULL;
    int rc = api_query_enum(req, "filter-lang", &lang, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (text == NULL) {
        return ERR_OK;
    }
    return cql2_parse(text, &p->filter, err); /* its messages start with "filter:" */
}

/* The parameters are the matched route's (server/routes.c); a request parsed without
 * routing (the fuzz target) must set req->route itself. */
static int parse_other_params(const struct request *req, const struct store_layer *layer,
                              bool is_single, struct items_params *p, struct err *err)
{
    const struct api_route *route = req->route;
    bool takes_fields = route != NULL && (route->flags & ROUTE_FIELDS);
    for (size_t i = 0; i < req->n_params; i++) {
        const char *name = req->params[i].name;
        if (api_route_takes(route, name)) {
            continue;
        }
        long field = takes_fields ? store_layer_field_index(layer, name) : -1;
        if (field < 0) {
            char *list = api_route_query_list(route);
            err_set(err, ERR_INVALID, "unknown parameter '%s'; %s takes %s%s",
                    utf8_excerpt(name, 60).text, is_single ? "a feature" : "items", list,
                    takes_fields ? " and the queryable properties as name=value" : "");
            free(list);
            return ERR_INVALID;
        }
        struct cql2_node *node = NULL;
        int rc = store_property_filter(layer, field, req->params[i].value, &node, err);
        if (rc != ERR_OK) {
            return rc;
        }
        p->filter = p->filter != NULL ? cql2_new_and(p->filter, node) : node;
    }
    p->query.filter = p->filter;
    return ERR_OK;
}

/* zoom: geometry simplified to about one pixel of a 256-pixel tile at that zoom level,
 * and coordinates rounded to what such a pixel can show. */
static int parse_zoom_precision(const struct request *req, struct items_params *p, struct err *err)
{
    int64_t zoom = -1, precision = -1;
    int rc = api_query_int(req, "zoom", &zoom, err);
    if (rc == ERR_OK) {
        rc = api_query_int(req, "precision", &precision, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    bool is_degrees = p->crs->srid == 4326;
    p->precision = p->crs->precision;
    if (zoom >= 0) {
        /* A 256-pixel tile at zoom z spans the world / 2^z; a degree of longitude on the
         * equator is the world / 360. */
        double pixel_m = WEB_MERCATOR_WORLD / (256.0 * pow(2.0, (double)zoom));
        double pixel = is_degrees ? pixel_m / (WEB_MERCATOR_WORLD / 360.0) : pixel_m;
        p->has_zoom = true;
        p->zoom = (int)zoom;
        p->query.simplify_tolerance = pixel;
        int digits = (int)ceil(-log10(pixel)) + 1;
        p->precision = digits < 0 ? 0 : digits > p->crs->precision ? p->crs->precision : digits;
    }
    if (precision >= 0) {
        p->precision = (int)precision;
    }
    return ERR_OK;
}

/* A limit above the maximum is no error: the page is cut to the maximum and a next link
 * leads on (/req/core/fc-limit-response-1, and what GDAL's PAGE_SIZE expects); the table
 * says so (ROUTE_PARAM_PAGE_SIZE) and api_query_int cuts it. */
static int parse_paging(const struct request *req, struct items_params *p, struct err *err)
{
    int rc = api_query_int(req, "limit", &p->query.limit, err);
    return rc == ERR_OK ? api_query_int(req, "offset", &p->query.offset, err) : rc;
}

int items_params_parse(struct request *req, struct store_read *rd, const struct store_layer *layer,
                       bool is_single, struct items_params *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->query.layer = layer;
    unsigned formats =
        (1u << HTTP_FORMAT_JSON) | (1u << HTTP_FORMAT_HTML) | (1u << HTTP_FORMAT_CSV);
    int rc = api_route_check_repeated(NULL, req, err); /* field filters too */
    if (rc == ERR_OK) {
        /* Checked by the dispatcher already; again for a request parsed without it (the
         * fuzz target), so that what follows may trust the values. */
        rc = api_route_check_values(req->route, req, err);
    }
    if (rc == ERR_OK) {
        rc = request_format(req, formats, &out->format, err);
    }
    if (rc == ERR_OK) {
        rc = request_lang(req, &out->lang, err);
    }
    if (rc == ERR_OK) {
        out->crs = crs_param(req, "crs");
        out->query.out_srid = out->crs->srid;
        rc = parse_zoom_precision(req, out, err);
    }
    if (rc == ERR_OK) {
        rc = api_query_bool(req, "skipGeometry", &out->query.skip_geometry, err);
    }
    if (rc == ERR_OK) {
        rc = parse_properties(req, layer, out, err);
    }
    if (rc == ERR_OK && !is_single) {
        rc = parse_paging(req, out, err);
        if (rc == ERR_OK) {
            rc = parse_bbox(req, rd, &out->query, err);
        }
        if (rc == ERR_OK) {
            rc = parse_datetime(req, layer, out, err);
        }
        if (rc == ERR_OK) {
            rc = parse_sortby(req, layer, out, err);
        }
        if (rc == ERR_OK) {
            rc = parse_filter(req, out, err);
        }
    }
    if (rc == ERR_OK) {
        rc = parse_other_params(req, layer, is_single, out, err);
    }
    if (rc == ERR_OK) {
        rc = store_query_check(rd, &out->query, err);
    }
    if (rc != ERR_OK) {
        items_params_clear(out);
    }
    return rc;
}

void items_params_clear(struct items_params *p)
{
    free(p->properties);
    free(p->time_start);
    free(p->time_end);
    cql2_free(p->filter);
    memset(p, 0, sizeof(*p));
}

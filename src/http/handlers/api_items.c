/* api_items.c - "/collections/{id}/items" (a page of features, streamed as GeoJSON, CSV
 * or HTML) and "/collections/{id}/items/{featureId}" (one feature). */
#include "http/handlers/api.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/parse.h"
#include "http/transport/api_common.h"
#include "http/documents/html_features.h"
#include "http/handlers/items_params.h"
#include "http/documents/items_writer.h"
#include "http/transport/response.h"
#include "base/utf8.h"

/* Each call of the stream writes about this much before handing it to the server. */
#define ITEMS_STEP_BYTES (48u * 1024)

enum items_phase { ITEMS_HEAD, ITEMS_ROWS, ITEMS_TAIL };

struct items_stream {
    struct request *req;
    const struct store_layer *layer;
    struct items_params params;
    struct store_cursor *cursor;
    struct geom_format geom;
    struct items_writer_keys keys;
    enum items_phase phase;
    int64_t n_written;
    struct html_items_info info;
    char *self_href, *next_href, *prev_href, *html_href, *json_href, *csv_href;
};

static void items_stream_free(void *ctx)
{
    struct items_stream *s = ctx;
    store_cursor_close(s->cursor);
    items_writer_keys_clear(&s->keys);
    items_params_clear(&s->params);
    free(s->self_href);
    free(s->next_href);
    free(s->prev_href);
    free(s->html_href);
    free(s->json_href);
    free(s->csv_href);
    free(s);
}

/* The same request with another offset and format: for paging and alternate links. */
static char *page_href(const struct request *req, const char *format, int64_t offset)
{
    char number[32];
    snprintf(number, sizeof(number), "%lld", (long long)offset);
    struct api_param_edit edits[2] = {{"offset", offset >= 0 ? number : NULL}, {"f", format}};
    return api_href_edit(req, edits, 2);
}

static void make_links(struct items_stream *s, int64_t matched)
{
    const struct store_query *q = &s->params.query;
    int64_t offset = q->offset, limit = q->limit;
    const char *self_format = s->params.format == HTTP_FORMAT_HTML  ? "html"
                              : s->params.format == HTTP_FORMAT_CSV ? "csv"
                                                                    : "json";
    s->self_href = page_href(s->req, self_format, offset > 0 ? offset : -1);
    s->json_href = page_href(s->req, "json", offset > 0 ? offset : -1);
    s->html_href = page_href(s->req, "html", offset > 0 ? offset : -1);
    s->csv_href = page_href(s->req, "csv", offset > 0 ? offset : -1);
    if (offset + limit < matched) {
        s->next_href = page_href(s->req, self_format, offset + limit);
    }
    if (offset > 0) {
        int64_t prev = offset > limit ? offset - limit : 0;
        s->prev_href = page_href(s->req, self_format, prev > 0 ? prev : -1);
    }
    s->info.number_matched = matched;
    int64_t left = matched - offset;
    s->info.number_returned = left <= 0 ? 0 : left < limit ? left : limit;
    s->info.offset = offset;
    s->info.limit = limit;
    s->info.next_href = s->next_href;
    s->info.prev_href = s->prev_href;
    s->info.json_href = s->json_href;
    s->info.csv_href = s->csv_href;
    s->info.properties = q->properties;
    s->info.n_properties = q->n_properties;
}

static json_t *geojson_links(const struct items_stream *s)
{
    json_t *links = json_array();
    json_array_append_new(links,
                          api_link(s->json_href, "self", RESPONSE_TYPE_GEOJSON, "this page"));
    json_array_append_new(links,
                          api_link(s->html_href, "alternate", "text/html", "this page as HTML"));
    json_array_append_new(links,
                          api_link(s->csv_href, "alternate", "text/csv", "this page as CSV"));
    if (s->next_href != NULL) {
        json_array_append_new(links,
                              api_link(s->next_href, "next", RESPONSE_TYPE_GEOJSON, "next page"));
    }
    if (s->prev_href != NULL) {
        json_array_append_new(
            links, api_link(s->prev_href, "prev", RESPONSE_TYPE_GEOJSON, "previous page"));
    }
    char *collection = xasprintf("%s/collections/%s", s->req->base_url, s->layer->id);
    json_array_append_new(links,
                          api_link(collection, "collection", RESPONSE_TYPE_JSON, "the collection"));
    free(collection);
    return links;
}

/* Everything before the first feature: the counts, the time and the links. */
static int write_geojson_head(struct items_stream *s, struct buf *out, struct err *err)
{
    char now[32];
    api_now_iso(now, sizeof(now));
    json_t *links = geojson_links(s);
    char *links_text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    int rc = buf_printf(out, err,
                        "{\"type\":\"FeatureCollection\",\"numberMatched\":%lld,"
                        "\"numberReturned\":%lld,\"timeStamp\":\"%s\",\"links\":%s,"
                        "\"features\":[",
                        (long long)s->info.number_matched, (long long)s->info.number_returned, now,
                        links_text != NULL ? links_text : "[]");
    free(links_text);
    return rc;
}

static int write_head(struct items_stream *s, struct buf *out, struct err *err)
{
    switch (s->params.format) {
    case HTTP_FORMAT_CSV:
        return items_writer_csv_header(
            out, s->layer, s->params.query.properties,
            s->params.query.properties != NULL ? s->params.query.n_properties : s->layer->n_fields,
            !s->params.query.skip_geometry && s->layer->geometry_type != NULL, err);
    case HTTP_FORMAT_HTML:
        return html_items_begin(s->req, s->layer, &s->info, s->params.lang, out, err);
    default:
        return write_geojson_head(s, out, err);
    }
}

static int write_row_as(struct items_stream *s, const struct store_feature *row, struct buf *out,
                        struct err *err)
{
    int rc = ERR_OK;
    switch (s->params.format) {
    case HTTP_FORMAT_CSV:
        return items_writer_csv_row(
            out, s->layer, row, !s->params.query.skip_geometry && s->layer->geometry_type != NULL,
            &s->geom, err);
    case HTTP_FORMAT_HTML:
        return html_items_row(s->req, s->layer, &s->info, row, out, err);
    default:
        if (s->n_written > 0) {
            rc = buf_append(out, ",", 1, err);
        }
        return rc == ERR_OK
                   ? items_writer_geojson(out, s->layer, &s->keys, row, &s->geom, false, err)
                   : rc;
    }
}

/* A feature whose stored geometry is damaged does not fail its page: it is served with a
 * null geometry (an empty wkt in CSV) and the damage is logged as an error with the layer
 * and the fid, so that the other features of the page still reach the client. */
static int write_row(struct items_stream *s, const struct store_feature *row, struct buf *out,
                     struct err *err)
{
    size_t start = out->len;
    int rc = write_row_as(s, row, out, err);
    if (rc == ERR_DB && row->geom != NULL) {
        log_error("%s; served with a null geometry", err->msg);
        buf_truncate(out, start); /* also the separator before the feature */
        struct store_feature without = *row;
        without.geom = NULL;
        without.geom_len = 0;
        rc = write_row_as(s, &without, out, err);
    }
    return rc;
}

static int write_tail(struct items_stream *s, struct buf *out, struct err *err)
{
    switch (s->params.format) {
    case HTTP_FORMAT_CSV:
        return ERR_OK;
    case HTTP_FORMAT_HTML:
        return html_items_end(s->req, s->layer, &s->info, s->params.lang, out, err);
    default:
        return buf_append_str(out, "]}", err);
    }
}

static int items_fill(void *ctx, struct buf *out, bool *is_done, struct err *err)
{
    struct items_stream *s = ctx;
    int rc = ERR_OK;
    if (s->phase == ITEMS_HEAD) {
        rc = write_head(s, out, err);
        s->phase = ITEMS_ROWS;
    }
    size_t stop_at = out->len + ITEMS_STEP_BYTES;
    while (rc == ERR_OK && s->phase == ITEMS_ROWS && out->len < stop_at) {
        const struct store_feature *row = NULL;
        rc = store_cursor_next(s->cursor, &row, err);
        if (rc == 1) {
            rc = write_row(s, row, out, err);
            s->n_written++;
        } else if (rc == 0) {
            s->phase = ITEMS_TAIL;
        }
    }
    if (rc == ERR_OK && s->phase == ITEMS_TAIL) {
        rc = write_tail(s, out, err);
        *is_done = true;
    }
    return rc;
}

static void set_headers(struct response *resp, const struct request *req,
                        const struct store_layer *layer, const struct items_params *p)
{
    resp->etag = api_etag(layer->version, req, (int)p->format, (int)p->lang);
    resp->last_modified = api_http_date(layer->imported_at);
    resp->content_language = p->lang == HTTP_LANG_TH ? "th" : "en";
    resp->content_type = p->format == HTTP_FORMAT_HTML  ? RESPONSE_TYPE_HTML
                         : p->format == HTTP_FORMAT_CSV ? RESPONSE_TYPE_CSV
                                                        : RESPONSE_TYPE_GEOJSON;
    char *crs = xasprintf("<%s>", p->crs->uri);
    response_add_header(resp, "Content-Crs", crs);
    free(crs);
}

static struct geom_format geom_format_for(const struct items_params *p)
{
    return (struct geom_format){.precision = p->precision, .swap_axes = p->crs->is_lat_lon};
}

int api_items(struct request *req, struct response *resp, struct err *err)
{
    struct store_read *rd = NULL;
    const struct store_layer *layer = NULL;
    int rc = api_find_layer(req, &rd, &layer, err);
    if (rc != ERR_OK) {
        return rc;
    }
    struct items_stream *s = xcalloc(1, sizeof(*s));
    s->req = req;
    s->layer = layer;
    rc = items_params_parse(req, rd, layer, false, &s->params, err);
    int64_t matched = 0;
    /* CSV has no place for the count: do not pay for it. */
    if (rc == ERR_OK && s->params.format != HTTP_FORMAT_CSV) {
        rc = store_features_count(rd, &s->params.query, &matched, err);
    }
    if (rc == ERR_OK) {
        rc = store_features_open(rd, &s->params.query, &s->cursor, err);
    }
    if (rc == ERR_OK) {
        const struct store_query *q = &s->params.query;
        rc = items_writer_keys_init(&s->keys, layer, q->properties,
                                    q->properties != NULL ? q->n_properties : layer->n_fields, err);
    }
    if (rc != ERR_OK) {
        items_stream_free(s);
        return rc;
    }
    s->geom = geom_format_for(&s->params);
    make_links(s, matched);
    set_headers(resp, req, layer, &s->params);
    resp->stream = (struct response_stream){items_fill, items_stream_free, s};
    return ERR_OK;
}

static int item_geojson(struct request *req, const struct store_layer *layer,
                        const struct items_params *p, const struct store_feature *row,
                        struct buf *out, struct err *err)
{
    struct geom_format fmt = geom_format_for(p);
    struct items_writer_keys keys;
    int rc = items_writer_keys_init(&keys, layer, p->query.properties, row->n_values, err);
    if (rc == ERR_OK) {
        rc = items_writer_geojson(out, layer, &keys, row, &fmt, true, err);
        items_writer_keys_clear(&keys);
    }
    char *self = page_href(req, "json", -1); /* keeps crs, properties...: the same document */
    char *html = page_href(req, "html", -1);
    char *collection = xasprintf("%s/collections/%s", req->base_url, layer->id);
    json_t *links =
        json_pack("[o,o,o]", api_link(self, "self", RESPONSE_TYPE_GEOJSON, "this feature"),
                  api_link(html, "alternate", "text/html", "this feature as HTML"),
                  api_link(collection, "collection", RESPONSE_TYPE_JSON, "the collection"));
    char *text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    if (rc == ERR_OK) {
        rc = buf_printf(out, err, ",\"links\":%s}", text != NULL ? text : "[]");
    }
    free(text);
    free(self);
    free(html);
    free(collection);
    return rc;
}

static int item_body(struct request *req, struct response *resp, const struct store_layer *layer,
                     const struct items_params *p, const struct store_feature *row, struct err *err)
{
    if (p->format == HTTP_FORMAT_HTML) {
        return html_item_page(req, layer, row, p->lang, &resp->body, err);
    }
    if (p->format == HTTP_FORMAT_CSV) {
        bool with_geometry = !p->query.skip_geometry && layer->geometry_type != NULL;
        struct geom_format fmt = geom_format_for(p);
        size_t n = p->query.properties != NULL ? p->query.n_properties : layer->n_fields;
        int rc =
            items_writer_csv_header(&resp->body, layer, p->query.properties, n, with_geometry, err);
        return rc == ERR_OK
                   ? items_writer_csv_row(&resp->body, layer, row, with_geometry, &fmt, err)
                   : rc;
    }
    return item_geojson(req, layer, p, row, &resp->body, err);
}

static int parse_feature_id(const struct request *req, const struct store_layer *layer,
                            int64_t *fid, struct err *err)
{
    const char *feature_id = request_path_param(req, "featureId");
    if (parse_int64(feature_id, 1, INT64_MAX, "featureId", fid, err) != ERR_OK) {
        return err_set(err, ERR_NOT_FOUND,
                       "collection '%s' has no feature '%s' (feature ids are whole numbers)",
                       layer->id, utf8_excerpt(feature_id, 40).text);
    }
    return ERR_OK;
}

int api_item(struct request *req, struct response *resp, struct err *err)
{
    struct store_read *rd = NULL;
    const struct store_layer *layer = NULL;
    struct items_params p;
    int64_t fid = 0;
    int rc = api_find_layer(req, &rd, &layer, err);
    if (rc == ERR_OK) {
        rc = parse_feature_id(req, layer, &fid, err);
    }
    if (rc != ERR_OK || (rc = items_params_parse(req, rd, layer, true, &p, err)) != ERR_OK) {
        return rc;
    }
    if (p.format == HTTP_FORMAT_HTML) {
        /* The page of a feature shows all its properties. */
        p.query.properties = NULL;
        p.query.n_properties = 0;
    }
    p.query.has_fid = true;
    p.query.fid = fid;
    p.query.limit = 1;
    struct store_cursor *cur = NULL;
    const struct store_feature *row = NULL;
    rc = store_features_open(rd, &p.query, &cur, err);
    if (rc == ERR_OK) {
        rc = store_cursor_next(cur, &row, err);
        if (rc == 0) {
            rc = err_set(err, ERR_NOT_FOUND, "collection '%s' has no feature %lld", layer->id,
                         (long long)fid);
        } else if (rc == 1) {
            set_headers(resp, req, layer, &p);
            rc = item_body(req, resp, layer, &p, row, err);
        }
    }
    store_cursor_close(cur);
    items_params_clear(&p);
    return rc;
}

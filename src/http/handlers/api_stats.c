/* api_stats.c - "/stats" (a statistic from query parameters), "/stats/featured" (the
 * catalog's featured statistics) and "/stats/featured/{statisticId}" (one of them): JSON,
 * GeoJSON for a choropleth, or CSV. Results come from the statistics cache when every
 * layer they read is still at the version they were computed from. */
#include "http/handlers/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "http/transport/api_common.h"
#include "http/handlers/api_maps.h"
#include "http/transport/response.h"
#include "stats/stats_cache.h"
#include "stats/stats_featured.h"
#include "stats/stats_output.h"
#include "base/utf8.h"

enum stats_format {
    STATS_FORMAT_JSON,
    STATS_FORMAT_GEOJSON,
    STATS_FORMAT_CSV,
    STATS_FORMAT_XLSX,
    STATS_N_FORMATS
};

static const char *const format_names[] = {"json", "geojson", "csv", "xlsx"};
static const char *const format_types[] = {RESPONSE_TYPE_JSON, RESPONSE_TYPE_GEOJSON,
                                           RESPONSE_TYPE_CSV, STATS_XLSX_TYPE};

/* f= decides; else Accept (a GIS client asking for GeoJSON, a script for CSV); else JSON. */
static int pick_format(const struct request *req, enum stats_format *out, struct err *err)
{
    const char *f = request_param(req, "f");
    *out = STATS_FORMAT_JSON;
    if (f != NULL) {
        for (int i = 0; i < STATS_N_FORMATS; i++) {
            if (strcmp(f, format_names[i]) == 0) {
                *out = (enum stats_format)i;
                return ERR_OK;
            }
        }
        return err_set(err, ERR_INVALID, "f: '%s' is not one of json, geojson, csv, xlsx",
                       utf8_excerpt(f, 20).text);
    }
    const char *accept = req->accept != NULL ? req->accept : "";
    if (strstr(accept, "application/geo+json") != NULL) {
        *out = STATS_FORMAT_GEOJSON;
    } else if (strstr(accept, "text/csv") != NULL) {
        *out = STATS_FORMAT_CSV;
    }
    return ERR_OK;
}

struct answer {
    const struct stats_param *params;
    size_t n_params;
    const struct stats_heading *heading;
    const char *up_href, *up_title;
};

/* The formats of this answer, its share image (the same query drawn: rel preview) and up. */
static char *links_json(const struct request *req, enum stats_format format, const struct answer *a,
                        enum http_lang lang)
{
    json_t *links = json_array();
    for (int i = 0; i < STATS_N_FORMATS; i++) {
        struct api_param_edit edit = {"f", format_names[i]};
        char *href = api_href_edit(req, &edit, 1);
        json_array_append_new(links, api_link(href, i == (int)format ? "self" : "alternate",
                                              format_types[i], format_names[i]));
        free(href);
    }
    const char *l = lang == HTTP_LANG_TH ? "th" : "en";
    char *image = NULL;
    if (a->heading != NULL && a->heading->id != NULL) {
        image =
            xasprintf("%s/stats/featured/%s/share.png?lang=%s", req->base_url, a->heading->id, l);
    } else {
        struct api_param_edit edits[] = {{"f", NULL}, {"lang", l}};
        char *query = api_query_edit(req, edits, 2);
        image = xasprintf("%s/stats/share.png?%s", req->base_url, query);
        free(query);
    }
    json_array_append_new(links, api_link(image, "preview", "image/png", "share image"));
    free(image);
    if (a->up_href != NULL) {
        json_array_append_new(links, api_link(a->up_href, "up", RESPONSE_TYPE_JSON, a->up_title));
    }
    char *text = json_dumps(links, JSON_COMPACT);
    json_decref(links);
    return text;
}

static int render(const struct stats_result *r, enum stats_format format,
                  const struct stats_output *o, struct response *resp, struct err *err)
{
    resp->content_type = format_types[format];
    switch (format) {
    case STATS_FORMAT_GEOJSON:
        return stats_write_geojson(r, o, &resp->body, err);
    case STATS_FORMAT_CSV:
        return stats_write_csv(r, o, &resp->body, err);
    case STATS_FORMAT_XLSX:
        return stats_write_xlsx(r, o, &resp->body, err);
    default:
        return stats_write_json(r, o, &resp->body, err);
    }
}

/* Cache metadata: the result's ETag made specific to format and language. */
static void describe(struct response *resp, const struct stats_result *r, enum stats_format format,
                     enum http_lang lang, bool is_hit)
{
    size_t len = strlen(r->etag);
    resp->etag = xasprintf("%.*s-%d%d\"", (int)(len - 1), r->etag, (int)format, (int)lang);
    resp->last_modified = api_http_date(r->data_updated_at);
    resp->content_language = lang == HTTP_LANG_TH ? "th" : "en";
    response_add_header(resp, "X-Stats-Cache", is_hit ? "hit" : "miss");
    char timing[64];
    snprintf(timing, sizeof(timing), "stats;dur=%.1f", r->seconds * 1000);
    response_add_header(resp, "Server-Timing", timing);
}

/* The short link a caption carries: the featured statistic's address (its share page for
 * people, JSON for programs), else this query without f and lang. Caller frees. */
static char *caption_link(const struct request *req, const struct answer *a)
{
    if (a->heading != NULL && a->heading->id != NULL) {
        return xasprintf("%s/stats/featured/%s", req->base_url, a->heading->id);
    }
    struct api_param_edit edits[] = {{"f", NULL}, {"lang", NULL}};
    return api_href_edit(req, edits, 2);
}

static int answer(struct request *req, struct response *resp, const struct answer *a,
                  struct err *err)
{
    enum stats_format format;
    enum http_lang lang;
    int rc = pick_format(req, &format, err);
    if (rc == ERR_OK) {
        rc = request_lang(req, &lang, err);
    }
    struct stats_spec spec;
    if (rc != ERR_OK || (rc = stats_spec_parse(a->params, a->n_params, &spec, err)) != ERR_OK) {
        return rc;
    }
    struct stats_cache_ref *ref = NULL;
    bool is_hit = false;
    rc = api_stats_cached_result(req, &spec, &ref, &is_hit, err);
    stats_spec_clear(&spec);
    if (rc != ERR_OK) {
        return rc;
    }
    const struct stats_result *r = stats_cache_result(ref);
    char *links = links_json(req, format, a, lang);
    char *link = caption_link(req, a);
    struct store_read *rd = NULL;
    const struct store_city *city =
        request_store(req, &rd, err) == ERR_OK ? store_read_city(rd) : NULL;
    struct stats_output o = {.is_thai = lang == HTTP_LANG_TH,
                             .heading = a->heading,
                             .links_json = links,
                             .place_en = city != NULL ? city->title_en : NULL,
                             .place_th = city != NULL ? city->title_th : NULL,
                             .link = link};
    rc = render(r, format, &o, resp, err);
    if (rc == ERR_OK) {
        describe(resp, r, format, lang, is_hit);
    }
    free(link);
    free(links);
    stats_cache_release(req->app->stats_cache, ref);
    return rc;
}

int api_stats(struct request *req, struct response *resp, struct err *err)
{
    static const char *const own[] = {"f", "lang", NULL};
    struct stats_param params[REQUEST_MAX_PARAMS];
    size_t n = api_stats_params(req, own, params);
    struct answer a = {.params = params, .n_params = n};
    return answer(req, resp, &a, err);
}

int api_featured_statistic(struct request *req, struct response *resp, struct err *err)
{
    const struct store_featured *f = NULL;
    int rc = api_check_params(req, err);
    if (rc == ERR_OK && share_page_is_wanted(req)) {
        return share_page_featured(req, resp, err);
    }
    if (rc == ERR_OK) {
        rc = api_find_featured(req, &f, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    struct stats_param *params = stats_featured_params(f);
    struct stats_heading heading;
    stats_featured_heading(f, &heading);
    char *up = xasprintf("%s/stats/featured", req->base_url);
    struct answer a = {params, f->n_params, &heading, up, "Featured statistics"};
    rc = answer(req, resp, &a, err);
    free(up);
    free(params);
    return rc;
}

static json_t *text_pair(const char *en, const char *th)
{
    return json_pack("{s:s?, s:s?}", "en", en, "th", th);
}

static json_t *featured_entry(const struct request *req, const struct store_featured *f)
{
    json_t *query = json_object();
    for (size_t i = 0; i < f->n_params; i++) {
        json_object_set_new(query, f->params[i].name, json_string(f->params[i].value));
    }
    json_t *links = json_array();
    for (int i = 0; i < STATS_N_FORMATS; i++) {
        char *href = xasprintf("%s/stats/featured/%s?f=%s", req->base_url, f->id, format_names[i]);
        json_array_append_new(
            links, api_link(href, i == 0 ? "item" : "alternate", format_types[i], format_names[i]));
        free(href);
    }
    json_t *entry = json_pack(
        "{s:s, s:o, s:o, s:o, s:o}", "id", f->id, "title", text_pair(f->title_en, f->title_th),
        "question", text_pair(f->question_en, f->question_th), "query", query, "links", links);
    if (f->note_en != NULL || f->note_th != NULL) {
        json_object_set_new(entry, "note", text_pair(f->note_en, f->note_th));
    }
    return entry;
}

int api_featured_list(struct request *req, struct response *resp, struct err *err)
{
    enum http_format format;
    enum http_lang lang;
    struct store_read *rd = NULL;
    int rc = api_begin_catalog_document(req, resp, &format, &lang, &rd, err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (format == HTTP_FORMAT_HTML) {
        return share_page_gallery(req, resp, rd, lang == HTTP_LANG_TH, err);
    }
    if (format != HTTP_FORMAT_JSON) {
        return err_set(err, ERR_INVALID, "f: the featured statistics are listed as JSON or HTML");
    }
    size_t n = 0;
    const struct store_featured *list = store_read_featured(rd, &n);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(items, featured_entry(req, &list[i]));
    }
    char *self = xasprintf("%s/stats/featured", req->base_url);
    json_t *links = json_array();
    json_array_append_new(links, api_link(self, "self", RESPONSE_TYPE_JSON, NULL));
    free(self);
    json_t *doc = json_pack("{s:s, s:o, s:o}", "title",
                            lang == HTTP_LANG_TH ? "สถิติเด่น" : "Featured statistics", "statistics",
                            items, "links", links);
    return response_set_json(resp, doc, RESPONSE_TYPE_JSON, err);
}

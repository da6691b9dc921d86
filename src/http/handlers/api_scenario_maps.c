/* api_scenario_maps.c - maps of scenarios and statistics drawn on the server:
 * posters (/scenarios/{id}/map.png|.pdf|.svg), comparison sheets
 * (/scenarios/compare.png|.pdf?ids=), share images (/scenarios/{id}/share.png,
 * /stats/featured/{id}/share.png|.svg|.pdf and /stats/share.png|.svg|.pdf for any /stats
 * query) and GeoPackage bundles (/scenarios/{id}.gpkg). Thin: the
 * parameters are checked here, scenario_sheet / featured_sheet / scenario_bundle describe
 * what to draw or write, render and export do it. Statistics come from the server's
 * statistics cache, as /stats/featured/{id} serves them. */
#include "http/handlers/api_maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/alloc.h"
#include "base/parse.h"
#include "http/transport/api_common.h"
#include "http/transport/route.h"
#include "render/render.h"
#include "scenario/featured_sheet.h"
#include "scenario/scenario_bundle.h"
#include "scenario/scenario_sheet.h"
#include "stats/stats_featured.h"
#include "styles/style_set.h"
#include "base/utf8.h"

#define MAPS_MAX_COMPARE 4

/* Parameters */

/* The values of these parameters are checked against the route table (routes.c) before
 * the handler runs; what is left here is how they combine. */

/* lang=th|en; Thai unless asked otherwise (the workshops are in Thai). */
static int map_lang(const struct request *req, bool *is_thai, struct err *err)
{
    const char *lang = "th";
    int rc = api_query_enum(req, "lang", &lang, err);
    *is_thai = strcmp(lang, "th") == 0;
    return rc;
}

static int paper_params(const struct request *req, struct render_page *page, struct err *err)
{
    const char *orientation = "landscape";
    page->paper = "A3";
    int rc = api_query_enum(req, "paper", &page->paper, err);
    rc = rc == ERR_OK ? api_query_enum(req, "orientation", &orientation, err) : rc;
    page->is_landscape = strcmp(orientation, "landscape") == 0;
    return rc;
}

static int pixel_param(const struct request *req, const char *name, int *out, struct err *err)
{
    int64_t v = 0;
    int rc = api_query_int(req, name, &v, err);
    *out = (int)v;
    return rc;
}

/* paper= and orientation=, or width= and height=; dpi= for PNG. */
static int page_params(const struct request *req, enum render_format format,
                       struct render_page *page, struct err *err)
{
    memset(page, 0, sizeof(*page));
    page->format = format;
    bool has_w = request_param(req, "width") != NULL, has_h = request_param(req, "height") != NULL;
    int rc = ERR_OK;
    if (has_w != has_h) {
        return err_set(err, ERR_INVALID, "%s: width and height go together",
                       has_w ? "height" : "width");
    }
    if (has_w && (request_param(req, "paper") != NULL || request_param(req, "orientation"))) {
        return err_set(err, ERR_INVALID, "width: give a paper size or a pixel size, not both");
    }
    if (has_w) {
        rc = pixel_param(req, "width", &page->width_px, err);
        rc = rc == ERR_OK ? pixel_param(req, "height", &page->height_px, err) : rc;
    } else {
        rc = paper_params(req, page, err);
    }
    const char *dpi = request_param(req, "dpi");
    if (rc != ERR_OK || dpi == NULL) {
        return rc;
    }
    if (format != RENDER_PNG || has_w) {
        return err_set(err, ERR_INVALID, "dpi: only for a PNG on paper (PDF and SVG are vector)");
    }
    return api_query_number(req, "dpi", &page->dpi, err);
}

/* share.png?size=WxH: the three sizes social media crop to without loss (routes.c). */
static int share_size(const struct request *req, int *w, int *h, struct err *err)
{
    const char *size = "1200x630";
    int rc = api_query_enum(req, "size", &size, err);
    if (rc == ERR_OK && sscanf(size, "%dx%d", w, h) != 2) {
        rc = err_set(err, ERR_INTERNAL, "size: the route table's '%s' is no WxH", size);
    }
    return rc;
}

/* What the response says about itself */

static void today(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
}

/* A weak ETag from the catalog generation and the query (api_etag), the loaded styles and
 * the day: the date is printed on the map. Cacheable as the metadata documents are. */
static void describe(struct response *resp, const struct request *req, struct store_read *rd,
                     int format, bool is_thai, const char *date)
{
    char *etag = api_etag(store_read_catalog(rd)->generation, req, format, is_thai);
    size_t len = strlen(etag);
    unsigned long long digest =
        req->app->styles != NULL ? (unsigned long long)style_set_digest(req->app->styles) : 0;
    resp->etag = xasprintf("%.*s-%llx-%s\"", (int)(len - 1), etag, digest, date);
    free(etag);
    resp->content_language = is_thai ? "th" : "en";
    resp->is_cacheable = true;
}

static void disposition(struct response *resp, bool is_attachment, const char *name,
                        const char *suffix)
{
    char value[200];
    snprintf(value, sizeof(value), "%s; filename=\"%s%s\"", is_attachment ? "attachment" : "inline",
             name, suffix);
    response_add_header(resp, "Content-Disposition", value);
}

/* "A3" or "900x700" for file names. */
static void page_name(const struct render_page *page, char *out, size_t cap)
{
    if (page->paper != NULL) {
        snprintf(out, cap, "-%s%s", page->paper, page->is_landscape ? "" : "-portrait");
    } else {
        snprintf(out, cap, "-%dx%d", page->width_px, page->height_px);
    }
}

/* Statistics from the server's cache */

static int cached_get(void *ctx, struct store_read *rd, const struct store_featured *f,
                      const struct stats_result **out, void **handle, struct err *err)
{
    (void)rd; /* the request's own snapshot, which api_featured_result opens */
    struct stats_cache_ref *ref = NULL;
    int rc = api_featured_result(ctx, f, &ref, err);
    *handle = ref;
    *out = ref != NULL ? stats_cache_result(ref) : NULL;
    return rc;
}

static void cached_release(void *ctx, void *handle)
{
    const struct request *req = ctx;
    stats_cache_release(req->app->stats_cache, handle);
}

static int build_sheet(struct request *req, struct store_read *rd, const char *id, bool is_thai,
                       const char *date, struct scenario_sheet *out, struct err *err)
{
    struct scenario_stats_provider stats = {cached_get, cached_release, req};
    struct scenario_sheet_options o = {.styles = req->app->styles,
                                       .is_thai = is_thai,
                                       .base_url = req->base_url,
                                       .date = date,
                                       .stats = &stats};
    return scenario_sheet_build(rd, id, &o, out, err);
}

/* Posters */

/* layout=sheet (the poster, by default) or layout=map (the map alone, to embed). */
static int map_layout(const struct request *req, bool *is_map_only, struct err *err)
{
    const char *layout = "sheet";
    int rc = api_query_enum(req, "layout", &layout, err);
    *is_map_only = strcmp(layout, "map") == 0;
    return rc;
}

/* The page, language and snapshot of a poster or comparison, once its parameters are checked. */
static int page_begin(struct request *req, enum render_format format, struct render_page *page,
                      bool *is_thai, struct store_read **rd, struct err *err)
{
    int rc = page_params(req, format, page, err);
    rc = rc == ERR_OK ? map_lang(req, is_thai, err) : rc;
    return rc == ERR_OK ? request_store(req, rd, err) : rc;
}

static int map_begin(struct request *req, enum render_format format, struct render_page *page,
                     bool *is_thai, struct store_read **rd, struct err *err)
{
    int rc = api_check_params(req, err);
    return rc == ERR_OK ? page_begin(req, format, page, is_thai, rd, err) : rc;
}

/* Content-Type, the file name "<name>-<page><extra>.<format>" and the validators of a
 * rendered page. */
static void page_describe(struct response *resp, const struct request *req, struct store_read *rd,
                          const struct render_page *page, const char *name, const char *extra,
                          bool is_thai, const char *date)
{
    enum render_format format = page->format;
    char suffix[48];
    page_name(page, suffix, sizeof(suffix));
    strcat(suffix, extra);
    strcat(suffix, format == RENDER_PDF ? ".pdf" : format == RENDER_SVG ? ".svg" : ".png");
    resp->content_type = render_format_mime(format);
    disposition(resp, false, name, suffix);
    describe(resp, req, rd, (int)format, is_thai, date);
}

static int scenario_map(struct request *req, struct response *resp, enum render_format format,
                        struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct render_page page;
    bool is_thai = true, is_map_only = false;
    struct store_read *rd = NULL;
    int rc = map_layout(req, &is_map_only, err);
    rc = rc == ERR_OK ? map_begin(req, format, &page, &is_thai, &rd, err) : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    char date[32];
    today(date, sizeof(date));
    struct scenario_sheet sheet;
    rc = build_sheet(req, rd, scenario_id, is_thai, date, &sheet, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = is_map_only ? render_map_only(rd, &sheet.sheet, &page, &resp->body, err)
                     : render_poster(rd, &sheet.sheet, &page, &resp->body, err);
    scenario_sheet_clear(&sheet);
    if (rc == ERR_OK) {
        page_describe(resp, req, rd, &page, scenario_id, is_map_only ? "-map" : "", is_thai, date);
    }
    return rc;
}

int api_scenario_map_png(struct request *req, struct response *resp, struct err *err)
{
    return scenario_map(req, resp, RENDER_PNG, err);
}

int api_scenario_map_pdf(struct request *req, struct response *resp, struct err *err)
{
    return scenario_map(req, resp, RENDER_PDF, err);
}

int api_scenario_map_svg(struct request *req, struct response *resp, struct err *err)
{
    return scenario_map(req, resp, RENDER_SVG, err);
}

/* Comparisons */

/* ids=a,b[,c,d]: 2 to 4 distinct scenario ids, into ids[] (pointing into text). */
static int compare_ids(const struct request *req, char *text, const char **ids, size_t *n,
                       struct err *err)
{
    *n = 0;
    for (char *save = NULL, *id = strtok_r(text, ",", &save); id != NULL;
         id = strtok_r(NULL, ",", &save)) {
        if (*n == MAPS_MAX_COMPARE) {
            return err_set(err, ERR_INVALID, "ids: at most %d scenarios side by side",
                           MAPS_MAX_COMPARE);
        }
        for (size_t i = 0; i < *n; i++) {
            if (strcmp(ids[i], id) == 0) {
                return err_set(err, ERR_INVALID, "ids: '%s' is named twice",
                               utf8_excerpt(id, 60).text);
            }
        }
        ids[(*n)++] = id;
    }
    (void)req;
    return *n >= 2 ? ERR_OK : err_set(err, ERR_INVALID, "ids: name 2 to 4 scenarios, e.g. ids=a,b");
}

static int compare(struct request *req, struct response *resp, enum render_format format,
                   struct err *err)
{
    struct render_page page;
    bool is_thai = true;
    struct store_read *rd = NULL;
    int rc = api_check_params(req, err);
    const char *ids_param = request_param(req, "ids");
    if (rc == ERR_OK && ids_param == NULL) {
        rc = err_set(err, ERR_INVALID, "ids: name 2 to 4 scenarios, e.g. ids=a,b");
    }
    rc = rc == ERR_OK ? page_begin(req, format, &page, &is_thai, &rd, err) : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    char *text = xstrdup(ids_param);
    const char *ids[MAPS_MAX_COMPARE];
    size_t n = 0;
    rc = compare_ids(req, text, ids, &n, err);
    char date[32];
    today(date, sizeof(date));
    struct scenario_sheet sheets[MAPS_MAX_COMPARE];
    struct render_sheet plain[MAPS_MAX_COMPARE];
    size_t n_built = 0;
    for (; rc == ERR_OK && n_built < n; n_built++) {
        rc = build_sheet(req, rd, ids[n_built], is_thai, date, &sheets[n_built], err);
        plain[n_built] = sheets[n_built].sheet;
    }
    if (rc == ERR_NOT_FOUND) { /* a bad value of ids=, not a missing resource */
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        rc = err_set(err, ERR_INVALID, "ids: %s", msg);
    }
    if (rc == ERR_OK) {
        rc = render_compare(rd, plain, n, &page, &resp->body, err);
    }
    for (size_t i = 0; i < n_built; i++) {
        scenario_sheet_clear(&sheets[i]);
    }
    free(text);
    if (rc == ERR_OK) {
        page_describe(resp, req, rd, &page, "compare", "", is_thai, date);
    }
    return rc;
}

int api_scenarios_compare_png(struct request *req, struct response *resp, struct err *err)
{
    return compare(req, resp, RENDER_PNG, err);
}

int api_scenarios_compare_pdf(struct request *req, struct response *resp, struct err *err)
{
    return compare(req, resp, RENDER_PDF, err);
}

/* Share images */

static int share_begin(struct request *req, int *w, int *h, bool *is_thai, struct store_read **rd,
                       struct err *err)
{
    int rc = share_size(req, w, h, err);
    rc = rc == ERR_OK ? map_lang(req, is_thai, err) : rc;
    return rc == ERR_OK ? request_store(req, rd, err) : rc;
}

/* No Content-Disposition here: a response with extra headers is not kept by the response
 * cache, and a share image is what a post sends thousands of phones to at once. */
static void share_describe(struct response *resp, const struct request *req, struct store_read *rd,
                           enum render_format format, bool is_thai, const char *date)
{
    resp->content_type = render_format_mime(format);
    describe(resp, req, rd, (int)format, is_thai, date);
}

int api_scenario_share(struct request *req, struct response *resp, struct err *err)
{
    int w = 0, h = 0;
    bool is_thai = true;
    struct store_read *rd = NULL;
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? share_begin(req, &w, &h, &is_thai, &rd, err) : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    char date[32];
    today(date, sizeof(date));
    struct scenario_sheet sheet;
    rc = build_sheet(req, rd, request_path_param(req, "scenarioId"), is_thai, date, &sheet, err);
    if (rc != ERR_OK) {
        return rc;
    }
    rc = render_share(rd, &sheet.sheet, w, h, &resp->body, err);
    scenario_sheet_clear(&sheet);
    if (rc == ERR_OK) {
        share_describe(resp, req, rd, RENDER_PNG, is_thai, date);
    }
    return rc;
}

/* The share image of a statistic's result: heading NULL for a /stats query. */
static int stats_share(struct request *req, struct response *resp, enum render_format format,
                       const struct stats_heading *heading, const char *link,
                       struct stats_cache_ref *ref, bool is_thai, int w, int h,
                       struct store_read *rd, struct err *err)
{
    char date[32];
    today(date, sizeof(date));
    struct featured_sheet sheet;
    int rc = featured_sheet_build(rd, heading, stats_cache_result(ref), is_thai, date, link, &sheet,
                                  err);
    if (rc == ERR_OK) {
        rc = render_share_as(rd, &sheet.sheet, format, w, h, &resp->body, err);
        featured_sheet_clear(&sheet);
    }
    stats_cache_release(req->app->stats_cache, ref);
    if (rc == ERR_OK) {
        share_describe(resp, req, rd, format, is_thai, date);
    }
    return rc;
}

static int featured_share(struct request *req, struct response *resp, enum render_format format,
                          struct err *err)
{
    int w = 0, h = 0;
    bool is_thai = true;
    struct store_read *rd = NULL;
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? share_begin(req, &w, &h, &is_thai, &rd, err) : rc;
    const struct store_featured *f = NULL;
    rc = rc == ERR_OK ? api_find_featured(req, &f, err) : rc;
    struct stats_cache_ref *ref = NULL;
    rc = rc == ERR_OK ? api_featured_result(req, f, &ref, err) : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    struct stats_heading heading;
    stats_featured_heading(f, &heading);
    char *link = xasprintf("%s/stats/featured/%s", req->base_url, f->id);
    rc = stats_share(req, resp, format, &heading, link, ref, is_thai, w, h, rd, err);
    free(link);
    return rc;
}

int api_featured_share(struct request *req, struct response *resp, struct err *err)
{
    return featured_share(req, resp, RENDER_PNG, err);
}

int api_featured_share_svg(struct request *req, struct response *resp, struct err *err)
{
    return featured_share(req, resp, RENDER_SVG, err);
}

int api_featured_share_pdf(struct request *req, struct response *resp, struct err *err)
{
    return featured_share(req, resp, RENDER_PDF, err);
}

/* Any /stats query drawn: its parameters are /stats's, and size and lang the image's. */
static int query_share(struct request *req, struct response *resp, enum render_format format,
                       struct err *err)
{
    static const char *const own[] = {"size", "lang", NULL};
    int w = 0, h = 0;
    bool is_thai = true;
    struct store_read *rd = NULL;
    int rc = share_begin(req, &w, &h, &is_thai, &rd, err);
    struct stats_param params[REQUEST_MAX_PARAMS];
    size_t n = api_stats_params(req, own, params);
    struct stats_cache_ref *ref = NULL;
    rc = rc == ERR_OK ? api_stats_result(req, params, n, &ref, err) : rc;
    if (rc != ERR_OK) {
        return rc;
    }
    struct api_param_edit edits[] = {{"size", NULL}, {"lang", NULL}};
    char *query = api_query_edit(req, edits, 2);
    char *link = xasprintf("%s/stats?%s", req->base_url, query);
    free(query);
    rc = stats_share(req, resp, format, NULL, link, ref, is_thai, w, h, rd, err);
    free(link);
    return rc;
}

int api_stats_share_png(struct request *req, struct response *resp, struct err *err)
{
    return query_share(req, resp, RENDER_PNG, err);
}

int api_stats_share_svg(struct request *req, struct response *resp, struct err *err)
{
    return query_share(req, resp, RENDER_SVG, err);
}

int api_stats_share_pdf(struct request *req, struct response *resp, struct err *err)
{
    return query_share(req, resp, RENDER_PDF, err);
}

/* GeoPackage bundles */

int api_scenario_gpkg(struct request *req, struct response *resp, struct err *err)
{
    const char *scenario_id = request_path_param(req, "scenarioId");
    struct store_read *rd = NULL;
    int rc = api_check_params(req, err);
    rc = rc == ERR_OK ? request_store(req, &rd, err) : rc;
    rc = rc == ERR_OK ? scenario_bundle_to_buf(rd, scenario_id, &resp->body, err) : rc;
    if (rc == ERR_OK) {
        resp->content_type = "application/geopackage+sqlite3";
        disposition(resp, true, scenario_id, ".gpkg");
        /* No day in the ETag: the bundle's exported_at is when it was made, not news. */
        resp->etag = api_etag(store_read_catalog(rd)->generation, req, 0, 0);
    }
    return rc;
}
